"""The demo community's mentor page: a dozen mentors, every request state, reviews."""
from sqlalchemy import func, select

from forum.clock import utcnow
from forum.demo import DEMO_PASSWORD
from forum.extensions import db
from forum.mentors.responsiveness import responsiveness_at
from forum.models.mentors import MentorProfile, MentorshipRequest, Review
from tests.mentors.reading import card_names


def counts():
    return (db.session.scalar(select(func.count(MentorProfile.id))),
            db.session.scalar(select(func.count(MentorshipRequest.id))),
            db.session.scalar(select(func.count(Review.id))))


def test_the_demo_fills_the_mentor_page_and_its_mentors_are_found_by_their_situations(runner, client):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0  # loading it twice: tests/test_cli.py
    profiles, _, review_count = counts()
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

    # Words a visitor would try in "Situations or words", found in the situations sections.
    def found(words):
        return card_names(client.get("/mentors", query_string={"words": words}).page)
    assert {"Quill", "Fable"} <= set(found("grief"))
    assert found("caring for a parent") == found("dementia") == ["Dune"]
    assert found("divorce") == ["Harbor"]  # "dementia" and "divorce": the box's own examples
    assert {"Cove", "Indigo"} <= set(found("exams"))
    # An adult mentor asked to be approved for teens: Ada's People page lists them, waiting.
    client.login("ada_admin", DEMO_PASSWORD)
    assert "(1 waiting to mentor teens)" in client.get("/admin/users").page
    waiting = client.get("/admin/users", query_string={"view": "teens-waiting"}).page
    assert waiting.count('<a href="/admin/users/') == 1 and "kestrel_mentor" in waiting
    assert "Kestrel (@kestrel_mentor) asks to be approved to mentor teen listeners." in client.get("/notifications").page
