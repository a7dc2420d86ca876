"""Reported reviews in the moderators' queue: shown with their context, hidden, restored,
dismissed, and their author suspended, like flagged posts."""
import re

import pytest
from sqlalchemy import select

from forum.accounts.staff import grant_role
from forum.extensions import db
from forum.models.accounts import User
from forum.models.mentors import MentorProfile
from forum.models.moderation import AuditEntry, Flag
from forum.models.posts import Notification
from tests.mentors.factories import make_flagged_review, make_listener
from tests.safety.factories import make_flag

REASON = "It names a mentee who asked for privacy."


@pytest.fixture
def flagged(client):
    """Rowan's 1-star review of Juniper, answered by Juniper, reported by Wren; Moss signed in."""
    return make_flagged_review(client, REASON)


def rating_of(username: str) -> tuple[int, int]:
    profile = db.session.scalar(select(MentorProfile).join(MentorProfile.user).where(
        MentorProfile.user.has(username=username)))
    return profile.rating_sum, profile.review_count


def test_the_queue_shows_the_review_with_its_mentor_author_reply_and_reason(client, flagged):
    page = client.get("/mod").page
    words = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "Review by Rowan @rowan of Juniper (@juniper), 1 of 5 stars" in words
    assert "She told everyone about Sam's chat." in page and "I never did that." in page
    assert REASON in page and "@wren" in page
    assert f'href="/mentors/reviews/{flagged.id}"' in page  # see it in place, on whichever page it is
    assert f"/mentors/reviews/{flagged.id}/hide" in page and "/mod/users/rowan" in page  # hide, or suspend the author


def test_hiding_takes_it_off_the_page_and_the_rating_and_tells_the_author_why(client, flagged):
    make_flag(make_listener("ivo"), flagged, "He may hurt the mentee he names", urgent=True)
    assert rating_of("juniper") == (6, 2)
    response = client.submit(f"/mentors/reviews/{flagged.id}/hide", {"reason": "Shares a mentee's story",
                                                                     "back": "/mod"})
    assert response.status_code == 302 and response.location == "/mod"
    assert "No open flags" in client.get("/mod").page
    flag = db.session.scalar(select(Flag))
    assert (flag.status, flag.resolution_note) == ("resolved", "Hidden: Shares a mentee's story")
    assert rating_of("juniper") == (5, 1)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "hide_review"))
    assert (entry.target_type, entry.target_id, entry.reason) == ("review", flagged.id, "Shares a mentee's story")
    assert "Hid a review<br><span class=\"meta\">closed 2 flags, 1 saying someone may be in danger" in (
        client.get("/mod/audit").page)
    staff_view = client.get("/mentors/juniper").page
    assert "Sam's chat" in staff_view and "Hidden by a moderator: Shares a mentee's story" in staff_view
    client.logout()

    assert "Sam's chat" not in client.get("/mentors/juniper").page  # readers: gone
    client.login("wren")
    assert "Sam's chat" not in client.get("/mentors/juniper").page
    assert client.get(f"/flag/review/{flagged.id}").status_code == 404
    client.logout()
    client.login("rowan")
    own = client.get("/mentors/juniper").page
    assert "Sam's chat" in own and "Hidden by a moderator: Shares a mentee's story" in own
    assert f"/mentors/reviews/{flagged.id}/edit" not in own
    assert client.get(f"/mentors/reviews/{flagged.id}/edit").status_code == 403
    told = db.session.scalar(select(Notification.message).where(Notification.kind == "moderation"))
    assert told == "A moderator hid your review of Juniper: Shares a mentee's story"


def test_restoring_brings_it_back_with_its_stars(client, flagged):
    client.submit(f"/mentors/reviews/{flagged.id}/hide", {"reason": "Checking"})
    response = client.submit(f"/mentors/reviews/{flagged.id}/restore", {"back": "/mentors/juniper"})
    assert response.location == "/mentors/juniper"
    assert rating_of("juniper") == (6, 2)
    client.logout()
    assert "Sam's chat" in client.get("/mentors/juniper").page
    assert db.session.scalar(select(AuditEntry.action).order_by(AuditEntry.id.desc()).limit(1)) == "restore_review"


def test_hiding_twice_moves_the_rating_once(client, flagged):
    client.submit(f"/mentors/reviews/{flagged.id}/hide", {"reason": "One"})
    again = client.submit(f"/mentors/reviews/{flagged.id}/hide", {"reason": "Two"},
                          follow_redirects=True)
    assert "This review is hidden already." in again.page
    assert rating_of("juniper") == (5, 1)


def test_a_hide_needs_a_reason(client, flagged):
    response = client.submit(f"/mentors/reviews/{flagged.id}/hide", {"reason": " "},
                             follow_redirects=True)
    assert "Say why the review is hidden" in response.page
    db.session.refresh(flagged)
    assert flagged.hidden_at is None and rating_of("juniper") == (6, 2)


def test_dismissing_leaves_the_review_up(client, flagged):
    flag = db.session.scalar(select(Flag))
    client.submit(f"/mod/flags/{flag.id}/dismiss", {"note": "Fair criticism"})
    db.session.refresh(flag)
    assert flag.status == "dismissed"
    client.logout()
    assert "Sam's chat" in client.get("/mentors/juniper").page


def test_the_author_can_be_suspended_from_the_queue_entry(client, flagged):
    client.get("/mod")
    response = client.submit("/mod/users/rowan/suspend", {"days": "3", "reason": "Outing a mentee"})
    assert response.status_code == 302
    client.logout()
    client.login("rowan")
    assert "suspended until" in client.get("/mentors/juniper").page


def test_a_moderator_leaves_a_review_of_their_own_mentoring_to_another_moderator(client, flagged):
    """Juniper moderates too: she must not take Rowan's 1-star review of her off her page and rating."""
    client.logout()
    grant_role(db.session.scalar(select(User).where(User.username == "juniper")), "moderator")
    client.login("juniper")
    queue = client.get("/mod").page
    assert "This review is of your own mentoring: another moderator decides whether it stays." in queue
    assert f"/mentors/reviews/{flagged.id}/hide" not in queue
    response = client.submit(f"/mentors/reviews/{flagged.id}/hide", {"reason": "Unfair", "back": "/mod"},
                             follow_redirects=True)
    assert response.status_code == 200  # told on the page, as for her own post, not an error page
    assert "This review is of your own mentoring: another moderator decides whether it stays." in response.page
    db.session.refresh(flagged)
    assert flagged.hidden_at is None and rating_of("juniper") == (6, 2)

    client.logout()
    client.login("moss")  # another moderator hides it; Juniper can't bring it back either
    client.submit(f"/mentors/reviews/{flagged.id}/hide", {"reason": "Shares a mentee's story"})
    client.logout()
    client.login("juniper")
    assert "Restore review" not in client.get("/mentors/juniper").page
    response = client.submit(f"/mentors/reviews/{flagged.id}/restore", {"back": "/mentors/juniper"}, follow_redirects=True)
    assert response.status_code == 200
    assert "This review is of your own mentoring: another moderator decides whether it stays." in response.page
    db.session.refresh(flagged)
    assert flagged.hidden_at is not None and rating_of("juniper") == (5, 1)


def test_the_author_told_their_review_was_hidden_is_told_when_it_is_back(client, flagged):
    client.submit(f"/mentors/reviews/{flagged.id}/hide", {"reason": "Checking"})
    client.submit(f"/mentors/reviews/{flagged.id}/restore", {"back": "/mentors/juniper"})
    rowan = db.session.scalar(select(User).where(User.username == "rowan"))
    told = list(db.session.scalars(select(Notification.message).where(
        Notification.user_id == rowan.id, Notification.kind == "moderation").order_by(Notification.id)))
    assert told == ["A moderator hid your review of Juniper: Checking",
                    "A moderator brought back your review of Juniper: it shows on their page again."]


def test_hiding_and_restoring_from_the_queue_say_whose_review_it_was(client, flagged):
    hidden = client.submit(f"/mentors/reviews/{flagged.id}/hide", {"reason": "Checking"},
                           follow_redirects=True)
    assert "The review by @rowan of Juniper is hidden, its author told why, and its flags closed." in hidden.page
    back = client.submit(f"/mentors/reviews/{flagged.id}/restore", {"back": "/mod"},
                         follow_redirects=True)
    assert "The review by @rowan of Juniper is back on their page and in their rating, and its author told." in back.page


def test_the_reviews_buttons_in_the_queue_say_which_review_for_a_screen_reader(client, flagged):
    page = client.get("/mod").page
    named = "(the review by @rowan of Juniper (@juniper), 1 of 5 stars)"
    assert f'Hide review<span class="visually-hidden"> {named}</span></button>' in page
    assert f'Hide the review; tell its author why<span class="visually-hidden"> {named}</span></label>' in page
    assert "The mentor's page<span class=\"visually-hidden\"> (Juniper @juniper)</span>" in page


def test_a_hidden_reviews_flag_page_says_there_is_nothing_left_to_flag(client, flagged):
    """A moderator who opened it from a link kept from before got the form, and the flag was taken."""
    client.submit(f"/mentors/reviews/{flagged.id}/hide", {"reason": "Shares a mentee's story"})
    said = "This review was hidden by a moderator, so there is nothing left to flag."
    page = client.get(f"/flag/review/{flagged.id}").page
    assert said in page and "Send to the moderators" not in page and "<textarea" not in page
    response = client.submit(f"/flag/review/{flagged.id}", {"reason": "Still names the mentee"})
    assert response.status_code == 422 and said in response.page and "Still names the mentee" in response.page
    assert db.session.scalar(select(Flag).where(Flag.status == "open")) is None
