"""Mentor-page things for tests, made through the part's own services, or through the pages
as the person would where a test is about what the page does."""
import re
from datetime import timedelta

from forum.clock import utcnow
from forum.extensions import db
from forum.mentors import requests, reviews, services, teen_approval
from forum.posts.services import get_thread_for, write_post
from tests.factories import make_user
from tests.safety.factories import make_moderator

SETTINGS = {
    "headline": "Steady voice for hard nights", "tracks": "Listener support, Group support",
    "knowledge": "Grief, Loneliness, Panic, Self-care", "languages": "English, Portuguese",
    "mentors_adults": "y", "accepting": "y", "timezone": "America/Sao_Paulo",
    "hours": "Mon-Wed 19:00-21:00\nSat 10:00-12:00",
}


def make_listener(username: str | None = None, *, age_group: str = "adult"):
    return make_user(username, role="listener", age_group=age_group)


def make_mentor(username: str | None = None, *, age_group: str = "adult", headline: str = "Here to help",
                tracks: str = "", knowledge: str = "", languages: str = "English", teens: bool | None = None,
                adults: bool | None = None, accepting: bool = True, timezone: str = "UTC", hours: str = "",
                seen_minutes_ago: int | None = None):
    """A mentor (also a listener) with a filled-in profile; returns the profile."""
    user = make_user(username, role=("listener", "mentor"), age_group=age_group)
    profile = services.own_profile(user)
    teen = age_group == "teen"
    if teens and not teen:  # an adult mentors teens once approved (here from the command line)
        teen_approval.approve(None, user, "Vetted for the tests")
    services.update_settings(
        user, profile, headline=headline, tracks=tracks, knowledge=knowledge, languages=languages,
        mentors_teens=teen if teens is None else teens, mentors_adults=(not teen) if adults is None else adults,
        accepting=accepting, timezone=timezone, hours=hours)
    if seen_minutes_ago is not None:
        user.last_seen_at = utcnow() - timedelta(minutes=seen_minutes_ago)
        db.session.commit()
    return profile


def ask_to_mentor_teens(profile) -> None:
    """The mentor's request to be approved for teens waits, as teen_asks.ask leaves it (no admin told)."""
    profile.teens_asked_at, profile.teens_ask_note = utcnow(), "I volunteer at a youth helpline."
    db.session.commit()


def make_request(mentee, profile, message: str = "Could you help me with my first chats?", *,
                 hours_ago: float = 0):
    return requests.send_request(mentee, profile, message, utcnow() - timedelta(hours=hours_ago))


def make_mentorship(mentee, profile, *, hours_ago: float = 0, answered_after_hours: float = 0, note: str = ""):
    """An accepted request, answered `answered_after_hours` after it was made."""
    request = make_request(mentee, profile, hours_ago=hours_ago)
    answered = request.created_at + timedelta(hours=answered_after_hours)
    return requests.accept_request(profile.user, request, note, answered)


def write_in_conversation(author, request, body: str = "Thanks for taking me on!"):
    return write_post(author, get_thread_for(author, request.thread_id), body)


def make_review(mentee, profile, rating: int = 5, body: str = "Patient and kind; I learned a lot.", *,
                close: bool = True):
    """The whole path to a review: request, acceptance, a message, the review (then close)."""
    request = make_mentorship(mentee, profile)
    write_in_conversation(mentee, request)
    review = reviews.write_review(mentee, request, rating, body, utcnow())
    if close:
        requests.close_request(mentee, request, utcnow())
    return review


def save_settings(client, username: str, **fields):
    """As the mentor: save their settings, saving again if asked to confirm what it ends; the page after it."""
    client.login(username)
    response = client.submit("/mentors/me/edit", {**SETTINGS, **fields}, follow_redirects=True)
    if ending := re.search(r'name="ending" type="hidden" value="([\d,]+)"', response.page):
        response = client.submit("/mentors/me/edit", {**SETTINGS, **fields, "ending": ending[1]},
                                 follow_redirects=True)
    client.logout()
    return response


def try_to_write(client, mentorship, body: str):
    return client.submit(f"/threads/{mentorship.thread_id}/posts", {"body": body})


def make_flagged_review(client, reason: str = "It names a mentee who asked for privacy."):
    """Rowan's 1-star review of Juniper, answered by Juniper, reported by Wren for `reason`;
    Moss, a moderator, is left signed in on `client`."""
    juniper = make_mentor("juniper", headline="Listening first")
    rowan = make_listener("rowan")
    review = make_review(rowan, juniper, rating=1, body="She told everyone about Sam's chat.")
    make_review(make_listener("ivy"), juniper, rating=5, body="Calm and wise.")
    client.login("juniper")
    client.submit(f"/mentors/reviews/{review.id}/reply", {"body": "I never did that."})
    client.logout()
    make_listener("wren")
    client.login("wren")
    client.submit(f"/flag/review/{review.id}", {"reason": reason})
    client.logout()
    make_moderator("moss")
    client.login("moss")
    return review
