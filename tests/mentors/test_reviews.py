"""Each review rule: who may review, once, ratings 1-5, edits for 7 days, one reply, reports as flags."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum.clock import utcnow
from forum.extensions import db
from forum.mentors import requests, review_flags, reviews
from forum.mentors.permissions import can_edit_review, review_refusal
from forum.mentors.review_page import REVIEWS_PER_PAGE
from forum.models.mentors import MentorProfile, MentorshipRequest, Review
from forum.models.moderation import Flag
from forum.models.posts import Notification
from tests.factories import make_user
from tests.html_checks import error_summary
from tests.mentors.factories import (
    make_listener, make_mentor, make_mentorship, make_request, make_review, write_in_conversation,
)
from tests.safety.factories import make_moderator

GOOD_REVIEW = {"rating": "5", "body": "Juniper helped me slow down and really listen."}


def review_count() -> int:
    return db.session.scalar(select(func.count(Review.id)))


@pytest.fixture
def juniper(app):
    return make_mentor("juniper")


@pytest.fixture
def rowan(app):
    return make_listener("rowan")


def talked_mentorship(mentee, profile):
    mentorship = make_mentorship(mentee, profile)
    write_in_conversation(mentee, mentorship)
    return mentorship


def test_mentee_who_talked_reviews_and_the_profile_counts_it(client, juniper, rowan):
    mentorship = talked_mentorship(rowan, juniper)
    client.login("rowan")
    response = client.submit(f"/mentors/requests/{mentorship.id}/review", GOOD_REVIEW)
    assert response.status_code == 302
    db.session.refresh(juniper)
    assert (juniper.rating_sum, juniper.review_count) == (5, 1)
    assert "Juniper helped me slow down" in client.get("/mentors/juniper").page


def test_no_review_while_the_request_waits(client, juniper, rowan):
    waiting = make_request(rowan, juniper)
    client.login("rowan")
    response = client.submit(f"/mentors/requests/{waiting.id}/review", GOOD_REVIEW)
    assert response.status_code == 403
    assert "once they have accepted your request" in response.page
    assert review_count() == 0


def test_no_review_of_a_declined_request(client, juniper, rowan):
    declined = requests.decline_request(juniper.user, make_request(rowan, juniper), "Full up", utcnow())
    client.login("rowan")
    assert client.get(f"/mentors/requests/{declined.id}/review").status_code == 403
    assert review_count() == 0


def test_no_review_before_the_mentee_has_written(client, juniper, rowan):
    silent = make_mentorship(rowan, juniper)
    write_in_conversation(juniper.user, silent, "Welcome! What would you like to work on?")
    client.login("rowan")
    response = client.submit(f"/mentors/requests/{silent.id}/review", GOOD_REVIEW)
    assert response.status_code == 403
    assert "Write to your mentor in your conversation first" in response.page
    assert review_count() == 0


def test_a_mentorship_closed_before_the_mentee_wrote_is_not_reviewed_nor_asks_them_to_write(client, juniper, rowan):
    silent = make_mentorship(rowan, juniper)
    requests.close_request(rowan, silent, utcnow())
    client.login("rowan")
    page = client.get(f"/mentors/requests/{silent.id}").page
    assert "this mentorship ended before you wrote in it" in page
    assert "Write to your mentor" not in page
    assert client.get(f"/mentors/requests/{silent.id}/review").status_code == 403


def test_one_review_per_mentorship(client, juniper, rowan):
    mentorship = talked_mentorship(rowan, juniper)
    client.login("rowan")
    client.submit(f"/mentors/requests/{mentorship.id}/review", GOOD_REVIEW)
    again = client.submit(f"/mentors/requests/{mentorship.id}/review", {"rating": "1", "body": "Changed my mind"})
    assert again.status_code == 409
    assert "reviewed this mentorship already" in again.page
    assert review_count() == 1
    db.session.refresh(juniper)
    assert juniper.rating_sum == 5


def test_back_at_the_review_form_the_author_is_sent_to_their_review(client, juniper, rowan):
    review = make_review(rowan, juniper, body="Juniper helped me slow down.")
    form = f"/mentors/requests/{review.request_id}/review"
    client.login("rowan")

    editable = client.get(form, follow_redirects=True)
    assert editable.request.path == f"/mentors/reviews/{review.id}/edit"
    assert "You have reviewed this mentorship already. You can change your review here." in editable.page
    assert "Juniper helped me slow down." in editable.page

    # Past the edit window, the review is still theirs to read on the mentor's page.
    review.created_at = utcnow() - timedelta(days=8)
    db.session.commit()
    shown = client.get(form, follow_redirects=True)
    assert shown.request.path == "/mentors/juniper"
    assert "You have reviewed this mentorship already. Here is your review." in shown.page
    assert "Juniper helped me slow down." in shown.page
    assert review_count() == 1


def test_a_closed_mentorship_can_still_be_reviewed(client, juniper, rowan):
    mentorship = talked_mentorship(rowan, juniper)
    requests.close_request(juniper.user, mentorship, utcnow())
    client.login("rowan")
    assert client.submit(f"/mentors/requests/{mentorship.id}/review", GOOD_REVIEW).status_code == 302
    assert review_count() == 1


@pytest.mark.parametrize("rating", ["0", "6", "-1", "4.5", "five", ""])
def test_rating_outside_one_to_five_is_refused_and_the_text_kept(client, juniper, rowan, rating):
    mentorship = talked_mentorship(rowan, juniper)
    client.login("rowan")
    response = client.submit(f"/mentors/requests/{mentorship.id}/review",
                             {"rating": rating, "body": "Words I would hate to type twice."})
    assert response.status_code == 400
    assert "Choose a rating from 1 to 5 stars." in response.page
    assert "Words I would hate to type twice." in response.page
    assert review_count() == 0


def test_a_review_needs_words(client, juniper, rowan):
    mentorship = talked_mentorship(rowan, juniper)
    client.login("rowan")
    response = client.submit(f"/mentors/requests/{mentorship.id}/review", {"rating": "3", "body": "  "})
    assert response.status_code == 400
    assert "Say a few words" in response.page
    assert review_count() == 0


def test_a_mentor_cannot_review_themselves(client, juniper, rowan):
    mentorship = talked_mentorship(rowan, juniper)
    client.login("juniper")
    response = client.get(f"/mentors/requests/{mentorship.id}/review")
    assert response.status_code == 403
    assert "You can't review yourself." in response.page
    # Nor through a request to themselves: that request can't be made in the first place.
    self_request = MentorshipRequest(mentee_id=juniper.user_id, mentor_id=juniper.user_id, thread_id=None)
    assert review_refusal(juniper.user, self_request, utcnow()) == "You can't review yourself."


def test_strangers_cannot_even_find_the_review_form(client, juniper, rowan):
    mentorship = talked_mentorship(rowan, juniper)
    make_listener("nosy")
    client.login("nosy")
    assert client.get(f"/mentors/requests/{mentorship.id}/review").status_code == 404


def test_author_edits_for_seven_days_and_the_average_follows(client, juniper, rowan):
    review = make_review(rowan, juniper, rating=5)
    client.login("rowan")
    response = client.submit(f"/mentors/reviews/{review.id}/edit", {"rating": "3", "body": "Good, a bit rushed."})
    assert response.status_code == 302
    db.session.refresh(review)
    db.session.refresh(juniper)
    assert (review.rating, review.body_md, review.edited_at is not None) == (3, "Good, a bit rushed.", True)
    assert (juniper.rating_sum, juniper.review_count) == (3, 1)

    review.created_at = utcnow() - timedelta(days=8)
    db.session.commit()
    late = client.submit(f"/mentors/reviews/{review.id}/edit", {"rating": "1", "body": "Too late"})
    assert late.status_code == 403
    db.session.refresh(review)
    assert review.rating == 3


def test_the_edit_form_says_until_when_not_seven_days_more(client, juniper, rowan):
    review = make_review(rowan, juniper)
    review.created_at = utcnow() - timedelta(days=6)  # a day of editing left
    db.session.commit()
    client.login("rowan")
    form = client.get(f"/mentors/reviews/{review.id}/edit").page
    assert "You can edit it for 7 days." not in form
    until = review.created_at + timedelta(days=7)
    assert f"You can edit it until {until.day} {until:%b %Y, %H:%M} UTC." in re.sub(r"<[^>]+>", "", form)  # the words, without the <time>


def test_the_edit_window_is_seven_days_from_writing(juniper, rowan):
    review = make_review(rowan, juniper)
    written = review.created_at
    assert can_edit_review(rowan, review, written + timedelta(days=6, hours=23))
    assert not can_edit_review(rowan, review, written + timedelta(days=7, minutes=1))
    assert not can_edit_review(juniper.user, review, written)


def test_only_the_author_edits(client, juniper, rowan):
    review = make_review(rowan, juniper)
    client.login("juniper")
    assert client.get(f"/mentors/reviews/{review.id}/edit").status_code == 403


def test_the_mentor_replies_once(client, juniper, rowan):
    review = make_review(rowan, juniper)
    client.login("juniper")
    assert client.submit(f"/mentors/reviews/{review.id}/reply", {"body": "Thank you!"}).status_code == 302
    second = client.submit(f"/mentors/reviews/{review.id}/reply", {"body": "One more thing"})
    assert second.status_code == 409
    db.session.refresh(review)
    assert review.mentor_reply_md == "Thank you!"
    assert client.get(f"/mentors/reviews/{review.id}/reply").status_code == 403


@pytest.mark.parametrize("written", [False, True], ids=["new reply", "edited reply"])
def test_an_empty_reply_is_named_at_the_top_of_the_page_above_the_review(client, juniper, rowan, written):
    # The field sits under the review, however long: without JavaScript the page came back at
    # its top with no word of what was wrong, unlike the other forms' "There is a problem".
    review = replied_review(juniper, rowan) if written else make_review(rowan, juniper)
    client.login("juniper")
    path = f"/mentors/reviews/{review.id}/reply" + ("/edit" if written else "")
    response = client.submit(path, {"body": "  "})
    assert 400 <= response.status_code < 500
    assert error_summary(response.page) == [("body", "Your reply: write your reply before sending it.")]
    assert response.page.index("There is a problem") < response.page.index('class="review"')


def test_only_the_reviewed_mentor_replies(client, juniper, rowan):
    review = make_review(rowan, juniper)
    make_mentor("oakley")
    client.login("oakley")
    response = client.submit(f"/mentors/reviews/{review.id}/reply", {"body": "Not mine to answer"})
    assert response.status_code == 403
    db.session.refresh(review)
    assert review.replied_at is None


def test_anyone_signed_in_reports_a_review_to_the_moderators_queue_once(client, juniper, rowan):
    review = make_review(rowan, juniper)
    make_listener("wren")
    client.login("wren")
    profile = client.get("/mentors/juniper").page
    assert f"/flag/review/{review.id}" in profile  # "Flag" leads to the one flag form
    response = client.submit(f"/flag/review/{review.id}", {"reason": "Shares private details"})
    assert response.status_code == 302 and response.location.endswith(f"/mentors/reviews/{review.id}")
    assert client.get(response.location).location.endswith(f"/mentors/juniper#review-{review.id}")
    flag = db.session.scalar(select(Flag))
    assert (flag.target_type, flag.target_id, flag.reporter.username, flag.reason, flag.status) == (
        "review", review.id, "wren", "Shares private details", "open")
    client.submit(f"/flag/review/{review.id}", {"reason": "Still bad"})
    assert db.session.scalar(select(func.count(Flag.id))) == 1  # one open flag per person and review


def test_a_report_needs_a_reason_and_signing_in(client, juniper, rowan):
    review = make_review(rowan, juniper)
    assert client.get(f"/flag/review/{review.id}").status_code == 302  # to sign in
    client.login("juniper")
    response = client.submit(f"/flag/review/{review.id}", {"reason": ""})
    assert response.status_code == 422
    assert "Tell the moderators what is wrong" in response.page
    assert db.session.scalar(select(func.count(Flag.id))) == 0


def test_authors_cannot_report_their_own_review(client, juniper, rowan):
    review = make_review(rowan, juniper)
    client.login("rowan")
    assert f"/flag/review/{review.id}" not in client.get("/mentors/juniper").page
    response = client.submit(f"/flag/review/{review.id}", {"reason": "Mine, but still"})
    assert response.status_code == 422 and "You can't flag something of your own." in response.page
    assert db.session.scalar(select(func.count(Flag.id))) == 0


def test_a_review_of_a_mentor_someone_cannot_see_cannot_be_reported_by_them(client, juniper, rowan):
    review = make_review(rowan, juniper)  # Juniper mentors adults only: teens don't see her page
    make_user("tia", age_group="teen")
    client.login("tia")
    assert client.get(f"/flag/review/{review.id}").status_code == 404


def test_ratings_of_a_mentor_are_summed_on_the_profile(juniper):
    for number, rating in enumerate((5, 4, 2)):
        make_review(make_listener(f"mentee{number}"), juniper, rating=rating)
    profile = db.session.scalar(select(MentorProfile).where(MentorProfile.id == juniper.id))
    assert (profile.rating_sum, profile.review_count) == (11, 3)
    assert round(profile.average_rating, 2) == 3.67


def test_a_reply_to_an_older_review_leads_its_author_and_the_mentor_to_the_page_it_is_on(client, juniper, rowan):
    # Reviews come ten to a page, newest first: the link to page 1 left an older review unfound.
    review = make_review(rowan, juniper, body="Rowan's review, the first one written.")
    for n in range(REVIEWS_PER_PAGE):
        make_review(make_listener(f"later{n}"), juniper, body=f"A later review, number {n}.")
    client.login("juniper")
    response = client.submit(f"/mentors/reviews/{review.id}/reply", {"body": "Thank you, Rowan!"},
                             follow_redirects=True)
    assert f'id="review-{review.id}"' in response.page and "Thank you, Rowan!" in response.page
    client.logout()
    note = db.session.scalar(select(Notification).where(Notification.user_id == rowan.id,
                                                        Notification.kind == "mentor_review"))
    assert note.message == "Juniper replied to your review"
    for signed_in in (False, True):
        if signed_in:
            client.login("rowan")
        page = client.get(note.link, follow_redirects=True).page
        assert f'id="review-{review.id}"' in page and "Rowan's review, the first one written." in page


def test_each_reviews_actions_say_whose_review_they_act_on(client, juniper, rowan):
    # Read out of context (a screen reader's list of links), two "Report to moderators" and
    # two "Reply" did not say which review; each now names its author.
    make_review(rowan, juniper)
    make_review(make_listener("wren"), juniper)
    client.login("juniper")
    page = client.get("/mentors/juniper").page
    links = re.findall(r"<a href=\"[^\"]*/(?:flag/review|reply)[^\"]*\">(.*?)</a>", page, re.S)
    names = sorted(re.sub(r"<[^>]+>", "", link).replace("&#39;", "'") for link in links)
    # "Flag", as on every post and profile: the form it opens is "Flag for a moderator".
    assert names == ["Flag Rowan's review", "Flag Wren's review",
                     "Reply to Rowan's review", "Reply to Wren's review"]


def replied_review(juniper, rowan, reply="Thank you, Rowna!"):
    review = make_review(rowan, juniper)
    reviews.reply_to_review(juniper.user, review, reply, utcnow())
    return review


def test_the_mentor_edits_their_reply_and_readers_see_it_was_edited(client, juniper, rowan):
    # A typo in a reply stayed under the review for good.
    review = replied_review(juniper, rowan)
    client.login("juniper")
    profile = client.get("/mentors/juniper").page
    assert f"/mentors/reviews/{review.id}/reply/edit" in profile
    form = client.get(f"/mentors/reviews/{review.id}/reply/edit").page
    assert "Thank you, Rowna!" in form
    response = client.submit(f"/mentors/reviews/{review.id}/reply/edit", {"body": "Thank you, **Rowan**!"})
    assert response.status_code == 302
    db.session.refresh(review)
    assert review.mentor_reply_md == "Thank you, **Rowan**!"
    assert "<strong>Rowan</strong>" in review.mentor_reply_html
    client.logout()
    page = client.get("/mentors/juniper").page
    assert "<strong>Rowan</strong>" in page and "Rowna" not in page
    said = re.search(r'<div class="mentor-reply">\s*<p class="meta">(.*?)</p>', page, re.S).group(1)
    # Read as a sentence, "Juniper replied just now edited:" ran the marker into the words.
    assert re.sub(r"<[^>]+>", "", said).endswith("(edited):")


def test_an_edited_reply_keeps_the_length_rule_and_the_text_typed(client, juniper, rowan):
    review = replied_review(juniper, rowan)
    client.login("juniper")
    path = f"/mentors/reviews/{review.id}/reply/edit"
    too_long = "Thanks! " * 400
    response = client.submit(path, {"body": too_long})
    assert 400 <= response.status_code < 500
    assert "Keep it under 3,000 characters" in response.page and too_long.strip() in response.page
    empty = client.submit(path, {"body": "   "})
    assert 400 <= empty.status_code < 500 and "Write your reply before sending it." in empty.page
    db.session.refresh(review)
    assert review.mentor_reply_md == "Thank you, Rowna!"


def test_the_edit_page_is_titled_as_an_edit(client, juniper, rowan):
    """The browser tab and a screen reader's first words name the page: an edit, not a first reply."""
    review = replied_review(juniper, rowan)
    client.login("juniper")
    title = re.search(r"<title>(.*?)</title>", client.get(f"/mentors/reviews/{review.id}/reply/edit").page, re.S).group(1)
    assert title.startswith("Edit your reply to Rowan") and "Reply to a review" not in title


def test_only_the_mentor_who_replied_edits_the_reply(client, juniper, rowan):
    review = replied_review(juniper, rowan)
    make_mentor("oakley")
    for username in ("rowan", "oakley"):
        client.login(username)
        assert f"/reviews/{review.id}/reply/edit" not in client.get("/mentors/juniper").page
        assert client.get(f"/mentors/reviews/{review.id}/reply/edit").status_code == 403
        response = client.submit(f"/mentors/reviews/{review.id}/reply/edit", {"body": "Not mine"})
        assert response.status_code == 403
        client.logout()
    db.session.refresh(review)
    assert review.mentor_reply_md == "Thank you, Rowna!"


def test_a_review_without_a_reply_has_no_reply_to_edit(client, juniper, rowan):
    review = make_review(rowan, juniper)
    client.login("juniper")
    assert client.get(f"/mentors/reviews/{review.id}/reply/edit").status_code == 403


def _link_named(page: str, words: str) -> str | None:
    match = re.search(r'<a [^>]*\bhref="([^"]+)"[^>]*>' + re.escape(words) + "</a>", page)
    return match and match.group(1).replace("&amp;", "&")


def test_the_request_pages_link_to_an_older_review_leads_to_the_page_it_is_on(client, juniper, rowan):
    # "See the review of this mentorship" opened page 1 of the profile, where ten newer
    # reviews had pushed it off: the link led to a page without it.
    review = make_review(rowan, juniper, body="Rowan's review, the first one written.")
    for n in range(REVIEWS_PER_PAGE):
        make_review(make_listener(f"later{n}"), juniper, body=f"A later review, number {n}.")
    for person in ("rowan", "juniper"):
        client.login(person)
        link = _link_named(client.get(f"/mentors/requests/{review.request_id}").page,
                           "See the review of this mentorship")
        page = client.get(link, follow_redirects=True).page
        assert f'id="review-{review.id}"' in page and "Rowan's review, the first one written." in page
        client.logout()


def test_the_mentor_is_not_led_to_a_review_a_moderator_hid(client, juniper, rowan):
    review = make_review(rowan, juniper)
    review_flags.hide_review(make_user("moss", role="moderator"), review, "Names a member.", utcnow())
    client.login("juniper")
    page = client.get(f"/mentors/requests/{review.request_id}").page
    assert _link_named(page, "See the review of this mentorship") is None
    client.logout()
    client.login("rowan")  # its author still reads it, with the moderator's reason
    link = _link_named(client.get(f"/mentors/requests/{review.request_id}").page, "See the review of this mentorship")
    assert "Hidden by a moderator: Names a member." in client.get(link, follow_redirects=True).page


def test_cancelling_an_edit_of_an_older_review_goes_back_to_the_page_it_is_on(client, juniper, rowan):
    review = make_review(rowan, juniper, body="Rowan's review, the first one written.")
    for n in range(REVIEWS_PER_PAGE):
        make_review(make_listener(f"later{n}"), juniper, body=f"A later review, number {n}.")
    client.login("rowan")
    link = _link_named(client.get(f"/mentors/reviews/{review.id}/edit").page, "Cancel")
    page = client.get(link, follow_redirects=True).page
    assert f'id="review-{review.id}"' in page and "Rowan's review, the first one written." in page


def _times_under_reviews(client, username: str) -> list[str]:
    page = client.get(f"/mentors/{username}").page
    return re.findall(r"<time[^>]*>", page[page.index('id="reviews"'):])


def test_when_a_teen_reviewed_shows_only_to_teens_staff_and_themselves(client):
    # When a teen wrote (and their teen mentor replied) tells when each was here, which
    # their profiles show only to teens, staff and themselves: so must the reviews.
    cove, wren = make_mentor("cove", age_group="teen"), make_listener("wren", age_group="teen")
    reviews.reply_to_review(cove.user, make_review(wren, cove), "Thank you, Wren!", utcnow())
    make_user("pebble")
    make_user("kit", age_group="teen")
    make_moderator("moss")
    assert _times_under_reviews(client, "cove") == []  # signed out
    for username, times_shown in (("pebble", 0), ("kit", 2), ("moss", 2), ("wren", 2), ("cove", 2)):
        client.login(username)
        assert len(_times_under_reviews(client, "cove")) == times_shown, username
        client.logout()
    assert "Thank you, Wren!" in client.get("/mentors/cove").page  # the words stay for all


def test_an_adult_mentors_reply_to_a_teens_review_keeps_its_time(client):
    juniper, sunny = make_mentor("juniper", teens=True), make_listener("sunny", age_group="teen")
    reviews.reply_to_review(juniper.user, make_review(sunny, juniper), "Glad it helped.", utcnow())
    # Signed out: the adult mentor's reply says when it came; Sunny's review does not.
    times = _times_under_reviews(client, "juniper")
    assert len(times) == 1 and 'class="post-time"' not in times[0]
