"""Flaggers hear what became of their flag, and a moderator can reopen flags dismissed by mistake."""
import re

from sqlalchemy import select

from forum.extensions import db
from forum.models.moderation import AuditEntry, Flag
from forum.models.posts import Notification
from tests.factories import make_post, make_thread, make_user
from tests.mentors.factories import make_listener, make_mentor, make_review
from tests.safety.factories import make_flag, make_moderator


def words(page: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", page).split())


def notices_read_by(client, username: str) -> str:
    """The notifications page as `username` reads it."""
    client.logout()
    client.login(username)
    page = client.get("/notifications").page
    return words(page.split("<main", 1)[1])


def outcome_notices(user) -> list[str]:
    return list(db.session.scalars(select(Notification.message).where(
        Notification.user_id == user.id, Notification.kind == "flag_outcome", Notification.count > 0)))


def test_a_flagger_is_told_when_the_post_they_flagged_is_hidden(client):
    ana, ben = make_user("ana"), make_user("ben")
    make_moderator("moss")
    post = make_post(ana, make_thread("Evening check-in"), "Something cruel.")
    make_flag(ben, post, "Mocks a newcomer")
    client.login("moss")
    client.submit(f"/mod/posts/{post.id}/hide", {"reason": "Unkind to a newcomer"}, page="/mod")
    read = notices_read_by(client, "ben")
    assert "A moderator looked at the post you flagged in “Evening check-in” and took it down." in read
    assert "moss" not in read and "Unkind to a newcomer" not in read  # never the moderator, nor their reason


def test_a_flagger_is_told_when_their_flag_is_dismissed_and_the_post_stays_up(client):
    ana, ben = make_user("ana"), make_user("ben")
    make_moderator("moss")
    post = make_post(ana, make_thread("Evening check-in"), "Blunt but fair.")
    flag = make_flag(ben, post, "Harsh")
    client.login("moss")
    client.submit(f"/mod/flags/{flag.id}/dismiss", {"note": "Blunt, not unkind"}, page="/mod")
    read = notices_read_by(client, "ben")
    assert ("A moderator looked at the post you flagged in “Evening check-in” and left it up: "
            "they found nothing that needs taking down.") in read
    assert "moss" not in read and "Blunt, not unkind" not in read


def test_a_flagger_is_told_when_flags_are_marked_handled_and_a_hidden_review_is_taken_down(client):
    mentor, listener, cyd = make_mentor("juniper"), make_listener("lee"), make_user("cyd")
    make_moderator("moss")
    review = make_review(listener, mentor, 1, "A rude review.")
    post = make_post(make_user("ana"), make_thread("Highs"), "Pushy.")
    make_flag(cyd, review, "Rude")
    flag = make_flag(cyd, post, "Pushy")
    client.login("moss")
    client.submit(f"/mentors/reviews/{review.id}/hide", {"reason": "Rude"}, page="/mod")
    client.submit(f"/mod/flags/{flag.id}/resolve", {"note": "Talked with ana"}, page="/mod")
    assert sorted(outcome_notices(cyd)) == sorted([
        "A moderator looked at the review of Juniper you flagged and took it down.",
        "A moderator looked at the post you flagged in “Highs” and dealt with it; it stays up.",
    ])


def test_two_flags_by_the_same_member_bring_one_notice_and_each_flagger_gets_one(client):
    ana, ben, cyd = make_user("ana"), make_user("ben"), make_user("cyd")
    make_moderator("moss")
    post = make_post(ana, make_thread("Evening check-in"), "Something cruel.")
    make_flag(ben, post, "Mocks a newcomer")
    make_flag(cyd, post, "Cruel")
    # Two open flags of ben's on one post, as reopening a dismiss leaves them when he flagged anew.
    db.session.add(Flag(reporter_id=ben.id, target_type="post", target_id=post.id, reason="Still cruel"))
    db.session.commit()
    client.login("moss")
    client.submit(f"/mod/posts/{post.id}/hide", {"reason": "Cruel"}, page="/mod")
    expected = ["A moderator looked at the post you flagged in “Evening check-in” and took it down."]
    assert outcome_notices(ben) == expected and outcome_notices(cyd) == expected


def test_the_flagged_author_is_told_of_the_hide_but_never_who_flagged(client):
    ana, ben = make_user("ana", display_name="Ana"), make_user("ben", display_name="Benedict Flagger")
    make_moderator("moss")
    post = make_post(ana, make_thread("Evening check-in"), "Something cruel.")
    make_flag(ben, post, "Mocks a newcomer")
    client.login("moss")
    client.submit(f"/mod/posts/{post.id}/hide", {"reason": "Unkind to a newcomer"}, page="/mod")
    read = notices_read_by(client, "ana")
    assert "A moderator hid your post in “Evening check-in”: Unkind to a newcomer" in read
    assert "ben" not in read.lower() and "Flagger" not in read and "flagged" not in read
    assert outcome_notices(ana) == []


def test_a_flagger_of_a_post_deleted_for_good_is_told_and_led_to_its_thread(client):
    ana, ben = make_user("ana"), make_user("ben")
    make_user("ada", role="admin")
    post = make_post(ana, make_thread("Evening check-in"), "Something cruel.")
    make_flag(ben, post, "Mocks a newcomer")
    thread_id = post.thread_id
    client.login("ada")
    client.submit(f"/mod/posts/{post.id}/delete", {"reason": "Doxxing"}, page="/mod")
    notice = db.session.scalar(select(Notification).where(Notification.user_id == ben.id))
    assert notice.message == "A moderator looked at the post you flagged in “Evening check-in” and took it down."
    assert notice.link == f"/threads/{thread_id}" and notice.actor_id is None
