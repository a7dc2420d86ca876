"""Blocking reaches into training, ideas and the mentor page: someone blocked reaches the
blocker by no mention, reply, message, review, reply to a review or closing, and is not
told (what they write goes up as usual). Requests are in tests/mentors/test_safety.py."""
import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models.posts import Notification
from tests.factories import make_user
from tests.ideas.factories import make_call, post_idea
from tests.mentors.factories import make_listener, make_mentor, make_mentorship, make_review, write_in_conversation
from tests.safety.factories import make_block, make_moderator
from tests.training.factories import discussion_path, enrol, make_program, respond


def notifications_of(user) -> int:
    return db.session.scalar(select(func.count(Notification.id)).where(Notification.user_id == user.id))


def idea_call(ana, ben):
    call = make_call(make_moderator(), "How could we welcome newcomers?")
    return post_idea(ana, call, "Greeters at the door"), f"/ideas/{call.thread_id}"


def training_discussion(ana, ben):
    program = make_program(discussions=1, min_words=1, peers=1)
    enrol(ana, program)
    enrol(ben, program)
    return respond(ana, program, 1), discussion_path(program, 1)


@pytest.mark.parametrize("place", [idea_call, training_discussion])
def test_mentions_and_replies_from_someone_blocked_reach_nobody_in_the_parts(client, place):
    ana, ben = make_user("ana", role="listener"), make_user("ben", role="listener")
    post, page = place(ana, ben)
    make_block(ana, ben)
    before = notifications_of(ana)
    client.login("ben")
    for path, body in ((f"/threads/{post.thread_id}/posts", "What do you think, @ana? Three highs here."),
                       (f"/posts/{post.id}/replies", "@ana I like this a lot")):
        response = client.submit(path, {"body": body})
        assert response.status_code == 302  # up as usual: the blocked person is not told
    assert notifications_of(ana) == before


def test_a_mentee_the_mentor_blocked_still_writes_but_the_mentor_hears_nothing(client):
    juniper, rowan = make_mentor("juniper"), make_listener("rowan")
    mentorship = make_mentorship(rowan, juniper)
    path = f"/mentors/conversations/{mentorship.thread_id}"
    client.login("rowan")
    before = notifications_of(juniper.user)
    client.submit(f"/threads/{mentorship.thread_id}/posts", {"body": "Hello there"})
    assert notifications_of(juniper.user) == before + 1  # before the block, a message is news
    make_block(juniper.user, rowan)
    response = client.submit(f"/threads/{mentorship.thread_id}/posts", {"body": "Are you there?"})
    assert response.status_code == 302 and "block" not in client.get(path).page.lower().replace("blockquote", "")
    client.submit(f"/mentors/requests/{mentorship.id}/close", {"confirmed": "yes"})
    assert notifications_of(juniper.user) == before + 1


def test_a_review_from_someone_the_mentor_blocked_is_up_but_not_announced(client):
    juniper, rowan, wren = make_mentor("juniper"), make_listener("rowan"), make_listener("wren")
    blocked, welcome = make_mentorship(rowan, juniper), make_mentorship(wren, juniper)
    for mentee, mentorship in ((rowan, blocked), (wren, welcome)):
        write_in_conversation(mentee, mentorship)
    make_block(juniper.user, rowan)
    before = notifications_of(juniper.user)
    for name, mentorship in (("rowan", blocked), ("wren", welcome)):
        client.login(name)
        response = client.submit(f"/mentors/requests/{mentorship.id}/review", {"rating": "2", "body": f"From {name}"})
        assert response.status_code == 302
        client.logout()
    assert notifications_of(juniper.user) == before + 1  # wren's review only
    assert "From rowan" in client.get("/mentors/juniper").page  # the review itself is up


def test_a_mentor_s_reply_does_not_reach_a_reviewer_who_blocked_them(client):
    juniper, rowan = make_mentor("juniper"), make_listener("rowan")
    review = make_review(rowan, juniper)
    make_block(rowan, juniper.user)
    before = notifications_of(rowan)
    client.login("juniper")
    response = client.submit(f"/mentors/reviews/{review.id}/reply", {"body": "Thank you, Rowan."})
    assert response.status_code == 302 and "Thank you, Rowan." in client.get("/mentors/juniper").page
    assert notifications_of(rowan) == before
