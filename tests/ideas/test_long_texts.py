"""A long paste into a staff box of a call is never cut short by the browser: the long boxes
carry no maxlength (the title's is the real limit), and the service refuses with its real
limit and the count, the text kept."""
import re

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models.ideas import IdeaCall, IdeaStatus
from tests.factories import make_user
from tests.ideas.factories import make_call, make_moderator, post_idea


def box(page: str, tag: str, field_id: str) -> str:
    found = re.findall(rf'<{tag}[^>]*\bid="{field_id}"[^>]*>', page)
    assert len(found) == 1, f"no single {tag} with id {field_id}"
    return found[0]


def pasted(limit: int) -> str:
    # More than twice the limit: these boxes used to say maxlength="2 x limit".
    return ("A long and careful paste. " * (limit // 10))[:limit * 2 + 25].strip()


def test_the_title_box_stops_at_the_real_limit_and_the_question_box_does_not_cut(client):
    make_moderator("moss")
    client.login("moss")
    page = client.get("/ideas/new").page
    assert 'maxlength="200"' in box(page, "input", "title")
    assert "maxlength" not in box(page, "textarea", "question")

    question = pasted(10_000)
    response = client.submit("/ideas/new", {"title": "Welcome week", "question": question,
                                            "audience": "everyone", "required_badge": ""})
    assert response.status_code == 422
    assert f"Keep the question under 10,000 characters (this is {len(question):,})." in response.page
    assert question in response.page
    assert db.session.scalar(select(func.count(IdeaCall.thread_id))) == 0


@pytest.mark.parametrize("action, field_id, data", [
    ("review", "note", {"status": "under_review"}),
    ("merge", "merge-note", {"target": "{other}"}),
], ids=["status note", "merge note"])
def test_a_long_staff_note_is_refused_with_the_real_limit_and_kept(client, action, field_id, data):
    call = make_call(make_moderator("moss"))
    idea, other = post_idea(make_user("ana"), call), post_idea(make_user("ben"), call, "Another idea.")
    review = f"/ideas/{call.thread_id}/ideas/{idea.id}/review"
    client.login("moss")
    assert "maxlength" not in box(client.get(review).page, "textarea", field_id)

    note = pasted(1000)
    form = {key: value.format(other=other.id) for key, value in data.items()}
    response = client.submit(review.replace("/review", f"/{action}"), {**form, "note": note})
    assert response.status_code == 422
    assert f"Keep the note under 1,000 characters (this is {len(note):,})." in response.page
    assert note in response.page
    db.session.expire_all()
    assert db.session.get(IdeaStatus, idea.id).status == "new"
