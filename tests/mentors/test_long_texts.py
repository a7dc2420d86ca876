"""A long paste into a mentor-page box is never cut short by the browser: the boxes carry
no maxlength, and the service refuses with its real limit and the count, the text kept."""
import re

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models.mentors import MentorshipRequest, ProfileSection, Review
from tests.mentors.factories import make_listener, make_mentor, make_mentorship, make_request, make_review, \
    write_in_conversation


def textarea(page: str, name: str) -> str:
    found = re.findall(rf'<textarea[^>]*\bname="{name}"[^>]*>', page)
    assert len(found) == 1, f"no single box named {name}"
    return found[0]


def pasted(limit: int) -> str:
    # More than twice the limit: the boxes used to say maxlength="2 x limit", so a browser cut
    # such a paste at twice the limit, and the refusal quoted the doubled limit.
    return ("A long and careful paste. " * (limit // 10))[:limit * 2 + 25].strip()


def section_case():
    profile = make_mentor("juniper")
    return "juniper", "/mentors/me/sections/about", "/mentors/me/sections/about", "body", 5000, \
        "Keep a section under 5,000 characters", \
        lambda: db.session.scalar(select(ProfileSection.body_md).where(
            ProfileSection.profile_id == profile.id, ProfileSection.kind == "about"))


def message_case():
    make_mentor("juniper"), make_listener("rowan")
    return "rowan", "/mentors/juniper/request", "/mentors/juniper/request", "message", 2000, \
        "Keep a message to the mentor under 2,000 characters", \
        lambda: db.session.scalar(select(MentorshipRequest.id))


def note_case():
    request = make_request(make_listener("rowan"), make_mentor("juniper"))
    page = f"/mentors/requests/{request.id}"
    return "juniper", page, f"{page}/answer", "note", 1000, "Keep your note under 1,000 characters", \
        lambda: db.session.scalar(select(MentorshipRequest.status))


def review_case():
    mentorship = make_mentorship(make_listener("rowan"), make_mentor("juniper"))
    write_in_conversation(mentorship.mentee, mentorship)
    path = f"/mentors/requests/{mentorship.id}/review"
    return "rowan", path, path, "body", 5000, "Keep it under 5,000 characters", \
        lambda: db.session.scalar(select(Review.id))


def reply_case():
    review = make_review(make_listener("rowan"), make_mentor("juniper"))
    path = f"/mentors/reviews/{review.id}/reply"
    return "juniper", path, path, "body", 3000, "Keep it under 3,000 characters", \
        lambda: db.session.scalar(select(Review.mentor_reply_md))


@pytest.mark.parametrize("case", [section_case, message_case, note_case, review_case, reply_case],
                         ids=["section", "request message", "answer note", "review", "review reply"])
def test_a_long_paste_is_refused_with_the_real_limit_and_kept(client, case):
    username, page, action, field, limit, message, stored = case()
    before = stored()
    client.login(username)
    assert "maxlength" not in textarea(client.get(page).page, field)

    text = pasted(limit)
    data = {field: text, "rating": "5", "decision": "accept"}
    response = client.submit(action, data)

    assert 400 <= response.status_code < 500
    assert f"{message} (this is {len(text):,})." in response.page
    assert text in response.page  # the whole paste, back in the box to shorten
    assert stored() == before


def test_a_long_decline_note_is_refused_before_the_decline_is_asked(client):
    # Without JavaScript, Decline asks first on a page of its own; a note over the limit is
    # refused at once, rather than after the mentor has answered that question.
    _, page, action, field, limit, message, stored = note_case()
    client.login("juniper")
    text = pasted(limit)
    response = client.submit(action, {field: text, "decision": "decline"})
    assert 400 <= response.status_code < 500
    assert "<h1>Decline the request from Rowan?</h1>" not in response.page
    assert f"{message} (this is {len(text):,})." in response.page
    assert f"{text}</textarea>" in response.page
    assert stored() == "pending"
