"""Demo mentors: a dozen profiles, their weekly hours, and requests in every state with reviews.

Idempotent: people and profiles are looked up before they are made, and a story between
a mentee and a mentor is told only if the two have no request yet.
"""
from datetime import timedelta

from sqlalchemy import select

from forum.accounts import services as accounts
from forum.clock import utcnow
from forum.demo.accounts import DEMO_PASSWORD
from forum.demo.mentor_people import ACCEPT_NOTE, DECLINE_NOTE, MENTORS, NEW_LISTENERS, NEW_MENTORS, STORIES
from forum.extensions import db
from forum.mentors import requests, reviews, services, teen_approval, teen_asks
from forum.mentors.responsiveness import recompute_responsiveness
from forum.models.accounts import User, user_by_username
from forum.models.mentors import MentorshipRequest
from forum.posts.services import get_thread_for, write_post

REQUEST_MESSAGES = [
    "Hi! I've been listening for a few months and I'd love someone to look over my chats with me.",
    "Hello, could you mentor me? I want to get better at the hard moments.",
    "I saw your profile and the situations you know well are exactly the ones I struggle with.",
    "Would you have room for a new mentee? I'm keen and I take feedback well.",
]


def _person(username: str, display_name: str, age_group: str, roles) -> User:
    user = db.session.scalar(user_by_username(username))
    if user is None:
        user = accounts.register_user(username=username, email=f"{username}@example.org", password=DEMO_PASSWORD,
                                      age_group=age_group, display_name=display_name, roles=roles)
    return user


def _set_up_profile(user: User, spec: dict, admin: User | None):
    profile = services.own_profile(user)
    if spec["teens"] and user.age_group == "adult":  # approve() is safe twice: approved once
        teen_approval.approve(admin, user, "Demo: vetted before mentoring teens")
    services.update_settings(
        user, profile, headline=spec["headline"], tracks=spec["tracks"], knowledge=spec["knowledge"],
        languages=spec["languages"], mentors_teens=spec["teens"], mentors_adults=spec["adults"],
        accepting=spec.get("accepting", True), timezone=spec["timezone"], hours=spec["hours"])
    hidden = spec.get("hidden", [])
    for kind, text in spec["sections"].items():
        services.edit_section(user, profile, kind, text, kind in hidden)
    if "order" in spec:
        for section in profile.sections:
            section.position = spec["order"].index(section.kind)
        db.session.commit()
    return profile


def _tell(number: int, story: tuple, people: dict, profiles: dict, now) -> None:
    mentee_name, mentor_name, state, days_ago, answer_hours, messages, review = story
    mentee, mentor = people[mentee_name], people[mentor_name]
    told = db.session.scalar(select(MentorshipRequest.id).where(
        MentorshipRequest.mentee_id == mentee.id, MentorshipRequest.mentor_id == mentor.id))
    if told is not None:
        return
    asked = now - timedelta(days=days_ago)
    request = requests.send_request(mentee, profiles[mentor_name], REQUEST_MESSAGES[number % len(REQUEST_MESSAGES)],
                                    asked)
    if state == "pending":
        return
    if state == "withdrawn":
        requests.close_request(mentee, request, asked + timedelta(hours=1))
        return
    answered = asked + timedelta(hours=answer_hours)
    if state == "declined":
        requests.decline_request(mentor, request, DECLINE_NOTE, answered)
        return
    requests.accept_request(mentor, request, ACCEPT_NOTE, answered)
    thread = get_thread_for(mentee, request.thread_id)
    for turn, body in enumerate(messages):
        write_post(mentee if turn % 2 == 0 else mentor, thread, body)
    if review:
        stars, text, reply = review
        written = reviews.write_review(mentee, request, stars, text, now)
        if reply:
            reviews.reply_to_review(mentor, written, reply, now)
    if state == "closed":
        requests.close_request(mentee, request, now)


def seed(people: dict[str, User]) -> None:
    """The new people join `people`, so `seed-demo` prints them too."""
    for username, display_name, age_group in NEW_MENTORS:
        people[username] = _person(username, display_name, age_group, ("member", "listener", "mentor"))
    for username, display_name, age_group in NEW_LISTENERS:
        people[username] = _person(username, display_name, age_group, ("member", "listener"))
    # Ada approves the demo's adult mentors of teens, as an admin does on a person's admin page.
    admin = db.session.scalar(user_by_username("ada_admin"))
    profiles = {username: _set_up_profile(people[username], spec, admin) for username, spec in MENTORS.items()}
    now = utcnow()
    for number, story in enumerate(STORIES):
        _tell(number, story, people, profiles, now)
    for username, spec in MENTORS.items():
        user, profile = people[username], profiles[username]
        if spec.get("teens_ask") and profile.teens_approved_at is None:
            # Waits on Ada's People page ("Waiting for approval to mentor teens"); asking again
            # while it waits changes nothing.
            teen_asks.ask(user, profile, spec["teens_ask"], now - timedelta(days=2))
        recompute_responsiveness(user.id, now)
        user.last_seen_at = now - timedelta(minutes=spec["seen_minutes_ago"])
        db.session.commit()
        if spec.get("available_hours"):
            services.mark_available(user, profile, spec["available_hours"], now)
