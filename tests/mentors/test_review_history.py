"""Reviews and their replies keep their history, as posts do: the earlier words, who changed
them and when, for the review's author, the mentor (their own reply) and the moderators."""
import re

import pytest
from sqlalchemy import select

from forum.clock import utcnow
from forum.extensions import db
from forum.mentors import reviews
from forum.models.mentors import ReviewRevision
from tests.mentors.factories import make_listener, make_mentor, make_review
from tests.safety.factories import make_moderator


@pytest.fixture
def juniper(app):
    return make_mentor("juniper")


@pytest.fixture
def rowan(app):
    return make_listener("rowan")


def words_of(page: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def revisions_of(review, part: str) -> list[ReviewRevision]:
    return db.session.scalars(select(ReviewRevision).where(ReviewRevision.review_id == review.id,
                                                          ReviewRevision.part == part)
                              .order_by(ReviewRevision.id)).all()


def edited_review(client, juniper, rowan):
    """Rowan's 5-star review, rewritten as 3 stars with other words."""
    review = make_review(rowan, juniper, rating=5, body="Patient and kind; I learned a lot.")
    client.login("rowan")
    response = client.submit(f"/mentors/reviews/{review.id}/edit", {"rating": "3", "body": "Good, a bit rushed."})
    assert response.status_code == 302
    client.logout()
    return review


def edited_reply(client, juniper, rowan):
    """Juniper's reply to Rowan's review, its typo corrected."""
    review = make_review(rowan, juniper)
    reviews.reply_to_review(juniper.user, review, "Thank you, Rowna!", utcnow())
    client.login("juniper")
    response = client.submit(f"/mentors/reviews/{review.id}/reply/edit", {"body": "Thank you, Rowan!"})
    assert response.status_code == 302
    client.logout()
    return review


def test_an_edited_review_keeps_its_earlier_words_and_stars(client, juniper, rowan):
    review = edited_review(client, juniper, rowan)
    kept = revisions_of(review, "review")
    assert [(r.body_md, r.rating, r.editor_id) for r in kept] == [
        ("Patient and kind; I learned a lot.", 5, rowan.id)]

    client.login("rowan")
    profile = client.get("/mentors/juniper").page
    assert f'href="/mentors/reviews/{review.id}/history"' in profile  # "edited" leads to it
    history = client.get(f"/mentors/reviews/{review.id}/history")
    assert history.status_code == 200
    words = words_of(history.page)
    assert "History of Rowan's review of Juniper" in words
    assert "Good, a bit rushed." in words and "Patient and kind; I learned a lot." in words
    assert "3 of 5 stars" in words and "5 of 5 stars" in words
    assert words.index("Good, a bit rushed.") < words.index("Patient and kind")  # now, then before


def test_an_edited_reply_keeps_its_earlier_words(client, juniper, rowan):
    review = edited_reply(client, juniper, rowan)
    assert [(r.body_md, r.editor_id) for r in revisions_of(review, "reply")] == [("Thank you, Rowna!", juniper.user_id)]
    assert revisions_of(review, "review") == []

    client.login("juniper")
    profile = client.get("/mentors/juniper").page
    said = re.search(r'<div class="mentor-reply">\s*<p class="meta">(.*?)</p>', profile, re.S).group(1)
    assert f'href="/mentors/reviews/{review.id}/reply/history"' in said
    words = words_of(client.get(f"/mentors/reviews/{review.id}/reply/history").page)
    assert "History of Juniper's reply to Rowan's review" in words
    assert "Thank you, Rowan!" in words and "Thank you, Rowna!" in words


def test_a_save_that_changes_nothing_is_no_edit(client, juniper, rowan):
    review = make_review(rowan, juniper, rating=4, body="Steady and warm.")
    reviews.reply_to_review(juniper.user, review, "Thanks!", utcnow())
    client.login("rowan")
    client.submit(f"/mentors/reviews/{review.id}/edit", {"rating": "4", "body": "Steady and warm."})
    client.logout()
    client.login("juniper")
    client.submit(f"/mentors/reviews/{review.id}/reply/edit", {"body": "Thanks!"})
    db.session.refresh(review)
    assert (review.edited_at, review.reply_edited_at) == (None, None)
    assert revisions_of(review, "review") == [] and revisions_of(review, "reply") == []
    assert "edited" not in words_of(client.get("/mentors/juniper").page)


def test_only_the_stars_changed_is_an_edit_too(client, juniper, rowan):
    review = make_review(rowan, juniper, rating=5, body="Steady and warm.")
    client.login("rowan")
    client.submit(f"/mentors/reviews/{review.id}/edit", {"rating": "2", "body": "Steady and warm."})
    assert [(r.body_md, r.rating) for r in revisions_of(review, "review")] == [("Steady and warm.", 5)]
    assert "5 of 5 stars" in words_of(client.get(f"/mentors/reviews/{review.id}/history").page)


@pytest.mark.parametrize("reader, review_history, reply_history", [
    ("rowan", 200, 403),    # the review's author: their review
    ("juniper", 403, 200),  # the reviewed mentor: their own reply
    ("moss", 200, 200),     # a moderator: both
    ("wren", 403, 403),     # anyone else: neither
])
def test_who_reads_which_history(client, juniper, rowan, reader, review_history, reply_history):
    review = edited_reply(client, juniper, rowan)
    client.login("rowan")
    client.submit(f"/mentors/reviews/{review.id}/edit", {"rating": "2", "body": "Fine, I suppose."})
    client.logout()
    make_moderator("moss")
    make_listener("wren")
    client.login(reader)
    assert client.get(f"/mentors/reviews/{review.id}/history").status_code == review_history
    assert client.get(f"/mentors/reviews/{review.id}/reply/history").status_code == reply_history
    profile = client.get("/mentors/juniper").page
    assert (f"/mentors/reviews/{review.id}/history" in profile) == (review_history == 200)
    assert (f"/mentors/reviews/{review.id}/reply/history" in profile) == (reply_history == 200)
    assert "edited" in words_of(profile)  # everyone still sees that it was


def test_signed_out_readers_are_asked_to_sign_in(client, juniper, rowan):
    review = edited_review(client, juniper, rowan)
    response = client.get(f"/mentors/reviews/{review.id}/history")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_review_that_was_never_edited_says_so(client, juniper, rowan):
    review = make_review(rowan, juniper, body="Steady and warm.")
    client.login("rowan")
    words = words_of(client.get(f"/mentors/reviews/{review.id}/history").page)
    assert "Steady and warm." in words and "This review has not been edited." in words



def test_the_moderators_queue_links_a_flagged_reviews_history(client, juniper, rowan):
    # Before hiding a review, a moderator reads what it said before its author changed it.
    review = edited_review(client, juniper, rowan)
    make_listener("wren")
    client.login("wren")
    client.submit(f"/flag/review/{review.id}", {"reason": "It is unkind."})
    client.logout()
    make_moderator("moss")
    client.login("moss")
    queue = client.get("/mod").page
    assert f'href="/mentors/reviews/{review.id}/history"' in queue
    assert f"/mentors/reviews/{review.id}/reply/history" not in queue  # no reply, so no reply history
    assert "Patient and kind" in words_of(client.get(f"/mentors/reviews/{review.id}/history").page)


def test_the_queue_links_an_edited_replys_history_and_no_history_of_an_unedited_review(client, juniper, rowan):
    review = edited_reply(client, juniper, rowan)
    make_listener("wren")
    client.login("wren")
    client.submit(f"/flag/review/{review.id}", {"reason": "The reply is unkind."})
    client.logout()
    make_moderator("moss")
    client.login("moss")
    queue = client.get("/mod").page
    assert f'href="/mentors/reviews/{review.id}/reply/history"' in queue
    assert f'href="/mentors/reviews/{review.id}/history"' not in queue


def test_the_mentor_is_told_when_a_review_they_replied_to_is_rewritten(client, juniper, rowan):
    # Their public reply now sits under other words and stars: they may want to change it.
    review = make_review(rowan, juniper, rating=5, body="Patient and kind; I learned a lot.")
    reviews.reply_to_review(juniper.user, review, "Thank you, Rowan!", utcnow())
    client.login("rowan")
    client.submit(f"/mentors/reviews/{review.id}/edit", {"rating": "3", "body": "Good, a bit rushed."})
    client.logout()
    client.login("juniper")
    words = words_of(client.get("/notifications").page)
    assert "Rowan edited their review of your mentorship (now 3/5)" in words
