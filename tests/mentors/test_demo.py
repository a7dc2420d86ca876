"""The demo community's mentor page: a dozen mentors, every request state, reviews; safe twice."""
from sqlalchemy import func, select

from forum.clock import utcnow
from forum.extensions import db
from forum.mentors.responsiveness import responsiveness_at
from forum.models.mentors import MentorProfile, MentorshipRequest, Review
from tests.mentors.reading import card_names


def counts():
    return (db.session.scalar(select(func.count(MentorProfile.id))),
            db.session.scalar(select(func.count(MentorshipRequest.id))),
            db.session.scalar(select(func.count(Review.id))))


def test_the_demo_loads_twice_and_fills_the_mentor_page(runner, client):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    first = counts()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert counts() == first
    profiles, _, review_count = first
    assert profiles == 12 and review_count >= 5
    states = set(db.session.scalars(select(MentorshipRequest.status)))
    assert states == {"pending", "accepted", "declined", "closed"}
    withdrawn = db.session.scalar(select(func.count(MentorshipRequest.id)).where(
        MentorshipRequest.status == "closed", MentorshipRequest.thread_id.is_(None)))
    assert withdrawn >= 1
    assert len(card_names(client.get("/mentors").page)) == 12
    # Its adult mentors of teens were approved by Ada, as an admin approves them.
    adults_of_teens = [profile for profile in db.session.scalars(select(MentorProfile))
                       if profile.mentors_teens and profile.user.age_group == "adult"]
    assert adults_of_teens and {profile.teens_approved_by.username for profile in adults_of_teens} == {"ada_admin"}
    now = utcnow()
    labelled = [profile for profile in db.session.scalars(select(MentorProfile))
                if responsiveness_at(profile.user_id, now) is not None]
    assert len(labelled) >= 3
