"""A shortlisted idea stays as staff chose it: its author may not rewrite it, but may take it back."""
import pytest

from forum.extensions import db
from forum.ideas.services import change_phase, set_status
from forum.models.posts import Post
from tests.factories import make_user
from tests.ideas.factories import make_call, make_moderator, post_idea
from tests.ideas.pages import visible_text

CHOSEN = "Mentor office hours every Sunday."
REWRITTEN = "Something else entirely."


@pytest.fixture
def moss(app):
    return make_moderator("moss")


@pytest.fixture
def call(moss):
    return make_call(moss, "Ideas for the mentor page")


@pytest.fixture
def idea(call):
    return post_idea(make_user("ana"), call, CHOSEN)


def edit_link(idea) -> str:
    return f'href="/posts/{idea.id}/edit"'


@pytest.mark.parametrize("status", ["shortlisted", "planned", "done"])
def test_the_author_cannot_rewrite_an_idea_on_the_shortlist(client, moss, call, idea, status):
    set_status(moss, idea, status, "We'll start with this.")
    change_phase(moss, call, "shortlisted")
    client.login("ana")
    assert edit_link(idea) not in client.get(f"/ideas/{call.id}").text
    refused = client.get(f"/posts/{idea.id}/edit")
    assert refused.status_code == 403
    assert "on the shortlist as staff chose it" in refused.page and "reply under it" in refused.page
    assert client.submit(f"/posts/{idea.id}/edit", {"body": REWRITTEN}, page=f"/ideas/{call.id}").status_code == 403
    assert db.session.get(Post, idea.id).body_md == CHOSEN
    shortlist = visible_text(client.get(f"/ideas/{call.id}/shortlist"))
    assert CHOSEN in shortlist and REWRITTEN not in shortlist


def test_editing_opens_again_once_staff_take_the_idea_off_the_shortlist(client, moss, call, idea):
    set_status(moss, idea, "shortlisted", "We'll start with this.")
    client.login("ana")
    assert client.get(f"/posts/{idea.id}/edit").status_code == 403
    client.logout()
    client.login("moss")
    response = client.submit(f"/ideas/{call.id}/ideas/{idea.id}/review", {"status": "under_review", "note": ""})
    assert response.status_code == 302
    client.logout()
    client.login("ana")
    assert edit_link(idea) in client.get(f"/ideas/{call.id}").text
    response = client.submit(f"/posts/{idea.id}/edit", {"body": REWRITTEN})
    assert response.status_code == 302 and db.session.get(Post, idea.id).body_md == REWRITTEN


def test_the_author_can_take_back_a_shortlisted_idea_and_the_call_page_agrees(client, moss, call, idea):
    set_status(moss, idea, "shortlisted", "We'll start with this.")
    change_phase(moss, call, "shortlisted")
    client.login("ana")
    response = client.submit(f"/posts/{idea.id}/delete", page=f"/ideas/{call.id}")
    assert response.status_code == 302 and db.session.get(Post, idea.id).deleted_at is not None
    client.logout()
    page = visible_text(client.get(f"/ideas/{call.id}"))
    assert "This post was removed." in page and "Shortlisted 0" in page
    assert "Status: Shortlisted" not in page and "We'll start with this." not in page
    assert CHOSEN not in visible_text(client.get(f"/ideas/{call.id}/shortlist"))
