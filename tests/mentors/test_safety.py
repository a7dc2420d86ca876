"""The mentor page keeps the forum's safety rules: suspended people read but do not ask,
answer, review, reply or report; a mentor's block stops requests without saying why."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum.clock import utcnow

from forum.extensions import db
from forum.models.mentors import MentorshipRequest, Review
from forum.models.moderation import Flag
from forum.models.posts import Notification
from tests.factories import make_user
from tests.mentors.factories import make_listener, make_mentor, make_mentorship, make_request, make_review, \
    write_in_conversation
from tests.mentors.reading import active_names, card_names
from tests.safety.factories import make_block, make_moderator, suspend

MESSAGE = "I'd love help with chats that end suddenly."
SUSPENDED = "Your account is suspended until"


@pytest.fixture
def juniper(app):
    return make_mentor("juniper")


@pytest.fixture
def rowan(app):
    return make_listener("rowan")


def count(model) -> int:
    return db.session.scalar(select(func.count(model.id)))


def test_a_suspended_listener_reads_a_mentor_page_but_cannot_ask(client, juniper, rowan):
    suspend(rowan)
    client.login("rowan")
    page = client.get("/mentors/juniper").page
    assert "Here to help" in page and SUSPENDED in page
    assert "/mentors/juniper/request" not in page  # no "Ask" button
    response = client.submit("/mentors/juniper/request", {"message": MESSAGE})
    assert response.status_code == 403 and SUSPENDED in response.page
    assert MESSAGE in response.page  # what was typed is kept for later
    assert count(MentorshipRequest) == 0


def test_a_suspended_mentor_cannot_answer_and_the_request_waits(client, juniper, rowan):
    waiting = make_request(rowan, juniper)
    suspend(juniper.user)
    client.login("juniper")
    page = client.get(f"/mentors/requests/{waiting.id}").page
    assert SUSPENDED in page and 'value="accept"' not in page
    for decision in ("accept", "decline"):
        response = client.submit(f"/mentors/requests/{waiting.id}/answer", {"decision": decision, "note": "Hi"})
        assert response.status_code == 403 and SUSPENDED in response.page
    db.session.refresh(waiting)
    assert (waiting.status, waiting.thread_id) == ("pending", None)


def test_a_suspended_mentee_cannot_review_or_edit_a_review(client, juniper, rowan):
    talked = make_mentorship(rowan, juniper)
    write_in_conversation(rowan, talked)
    other = make_mentor("oakley")
    review = make_review(rowan, other, rating=4, body="Kind and clear.")
    suspend(rowan)
    client.login("rowan")
    assert client.get(f"/mentors/requests/{talked.id}/review").status_code == 403
    response = client.submit(f"/mentors/requests/{talked.id}/review", {"rating": "5", "body": "Very patient."})
    assert response.status_code == 403 and SUSPENDED in response.page and "Very patient." in response.page
    assert count(Review) == 1
    assert "Edit your review" not in client.get("/mentors/oakley").page
    edited = client.submit(f"/mentors/reviews/{review.id}/edit", {"rating": "1", "body": "Changed"})
    assert edited.status_code == 403 and SUSPENDED in edited.page
    db.session.refresh(review)
    assert (review.rating, review.body_md) == (4, "Kind and clear.")


def test_a_suspended_mentor_cannot_reply_to_a_review(client, juniper, rowan):
    review = make_review(rowan, juniper)
    suspend(juniper.user)
    client.login("juniper")
    assert client.get(f"/mentors/reviews/{review.id}/reply").status_code == 403
    response = client.submit(f"/mentors/reviews/{review.id}/reply", {"body": "Thank you!"})
    assert response.status_code == 403 and SUSPENDED in response.page and "Thank you!" in response.page
    db.session.refresh(review)
    assert review.replied_at is None


def test_a_suspended_person_cannot_report_a_review_and_keeps_the_reason(client, juniper, rowan):
    review = make_review(rowan, juniper)
    wren = make_listener("wren")
    suspend(wren)
    client.login("wren")
    assert f"/flag/review/{review.id}" not in client.get("/mentors/juniper").page
    response = client.submit(f"/flag/review/{review.id}", {"reason": "Names someone"})
    assert response.status_code == 403 and SUSPENDED in response.page and "Names someone" in response.page
    assert count(Flag) == 0


def test_someone_the_mentor_blocked_gets_a_neutral_refusal_and_the_mentor_hears_nothing(client, juniper, rowan):
    make_block(juniper.user, rowan)
    client.login("rowan")
    page = client.get("/mentors/juniper").page
    assert "Juniper isn't taking new mentees right now." in page
    response = client.submit("/mentors/juniper/request", {"message": MESSAGE})
    assert response.status_code == 403
    assert "Juniper isn't taking new mentees right now." in response.page
    assert "block" not in response.page.lower().replace("blockquote", "")
    assert count(MentorshipRequest) == 0
    assert db.session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == juniper.user_id)) == 0


def test_the_refusal_reads_the_same_as_a_mentor_who_takes_no_one(client, rowan):
    paused, blocking = make_mentor("juniper", accepting=False), make_mentor("oakley")
    make_block(blocking.user, rowan)
    client.login("rowan")
    for profile in (paused, blocking):
        name = profile.user.display_name
        response = client.submit(f"/mentors/{profile.user.username}/request", {"message": MESSAGE})
        assert response.status_code == 403
        assert f"{name} isn't taking new mentees right now." in response.page


def test_other_listeners_and_an_unblocked_listener_can_still_ask(client, juniper, rowan):
    make_block(juniper.user, rowan)
    make_listener("wren")
    client.login("wren")
    assert client.submit("/mentors/juniper/request", {"message": MESSAGE}).status_code == 302
    client.logout()
    client.login("juniper")
    client.submit("/users/rowan/unblock")
    client.logout()
    client.login("rowan")
    assert client.submit("/mentors/juniper/request", {"message": MESSAGE}).status_code == 302
    assert count(MentorshipRequest) == 2


def test_a_block_by_the_listener_does_not_stop_their_own_request(client, juniper, rowan):
    make_block(rowan, juniper.user)  # only the mentor's block keeps requests away from the mentor
    client.login("rowan")
    assert client.submit("/mentors/juniper/request", {"message": MESSAGE}).status_code == 302


def test_the_moderator_flag_checks_need_a_moderator(client, juniper, rowan):
    review = make_review(rowan, juniper)
    make_user("ana")
    client.login("ana")
    for action in ("hide", "restore"):
        response = client.submit(f"/mentors/reviews/{review.id}/{action}", {"reason": "Mine to judge"})
        assert response.status_code == 403
    db.session.refresh(review)
    assert review.hidden_at is None
    make_moderator("moss")
    client.logout()
    client.login("moss")
    assert client.submit("/mentors/reviews/999999/hide", {"reason": "Gone"}).status_code == 404


def juniper_card(page: str) -> str:
    return page.split('">Juniper</a></h3>')[1].split("</article>")[0]


def test_a_suspended_mentor_is_not_offered_as_taking_mentees_in_any_list(client, rowan):
    # Both around now and taking mentees; only Juniper is suspended, so Oakley shows the
    # lists still work.
    juniper = make_mentor("juniper", seen_minutes_ago=5)
    make_mentor("oakley", seen_minutes_ago=5)
    suspend(juniper.user)
    client.login("rowan")
    assert "Juniper isn't taking new mentees right now." in client.get("/mentors/juniper").page
    assert active_names(client.get("/").page) == ["Oakley"]
    directory = client.get("/mentors").page
    assert active_names(directory) == ["Oakley"]
    assert set(card_names(directory)) == {"Juniper", "Oakley"}  # still listed, but not as taking mentees
    assert "not taking new mentees" in juniper_card(directory)
    assert card_names(client.get("/mentors?accepting=1").page) == ["Oakley"]
    assert card_names(client.get("/mentors?active=1&accepting=1").page) == ["Oakley"]


def test_a_mentor_whose_suspension_has_ended_is_taking_mentees_again(client, rowan):
    juniper = make_mentor("juniper", seen_minutes_ago=5)
    suspend(juniper.user, days=3)
    client.login("rowan")
    assert card_names(client.get("/mentors?accepting=1").page) == []
    juniper.user.suspended_until = utcnow() - timedelta(minutes=1)  # the day it ends
    db.session.commit()
    assert "/mentors/juniper/request" in client.get("/mentors/juniper").page
    assert active_names(client.get("/").page) == ["Juniper"]
    directory = client.get("/mentors").page
    assert active_names(directory) == ["Juniper"] and "not taking new mentees" not in juniper_card(directory)
    assert card_names(client.get("/mentors?accepting=1").page) == ["Juniper"]


@pytest.mark.parametrize("blocker", ["rowan", "juniper"])
def test_blocking_the_other_in_a_mentorship_says_it_is_still_open_and_leads_to_ending_it(client, juniper, rowan,
                                                                                       blocker):
    mentorship = make_mentorship(rowan, juniper)
    other = "juniper" if blocker == "rowan" else "rowan"
    client.login(blocker)
    response = client.submit(f"/users/{other}/block")
    assert response.location == f"/mentors/requests/{mentorship.id}"
    page = client.get(response.location).page
    assert "is still open: they can still write in its conversation, though you won't be told." in page
    assert "Close this mentorship" in page
    db.session.refresh(mentorship)
    assert mentorship.status == "accepted"


def test_blocking_someone_you_have_no_mentorship_with_stays_on_their_profile(client, juniper, rowan):
    make_user("stranger")
    client.login("rowan")
    response = client.submit("/users/stranger/block")
    assert response.location == "/users/stranger"
    assert "still open" not in client.get(response.location).page
