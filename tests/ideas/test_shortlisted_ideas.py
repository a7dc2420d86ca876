"""A shortlisted idea stays as staff chose it: its author may not rewrite it, but may take it back."""
import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.ideas.services import change_phase, set_status
from forum.models.posts import Notification, Post
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
    assert client.submit(f"/posts/{idea.id}/edit", {"body": REWRITTEN}).status_code == 403
    assert db.session.get(Post, idea.id).body_md == CHOSEN
    shortlist = visible_text(client.get(f"/ideas/{call.id}/shortlist"))
    assert CHOSEN in shortlist and REWRITTEN not in shortlist


def test_an_edit_link_opened_after_the_idea_was_shortlisted_leads_back_to_it(client, moss, call, idea):
    # A call page left open in a tab still offers Edit: the refusal leads back to the idea,
    # and does not send its author to a moderator about a rule staff applied on purpose.
    set_status(moss, idea, "shortlisted", "We'll start with this.")
    client.login("ana")
    refused = client.get(f"/posts/{idea.id}/edit")
    assert refused.status_code == 403 and "on the shortlist as staff chose it" in refused.page
    assert f'href="/posts/{idea.id}"' in refused.text and "ask a moderator" not in refused.page
    assert "Save changes" not in refused.page


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
    response = client.submit(f"/posts/{idea.id}/delete", {"confirmed": "yes"})
    assert response.status_code == 302 and db.session.get(Post, idea.id).deleted_at is not None
    client.logout()
    page = visible_text(client.get(f"/ideas/{call.id}"))
    assert "This idea was removed." in page and "Shortlisted 0" in page
    assert "Status: Shortlisted" not in page and "We'll start with this." not in page
    assert CHOSEN not in visible_text(client.get(f"/ideas/{call.id}/shortlist"))


def notifications_of(user) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id,
                                                              Notification.kind == "idea_removed")))


@pytest.mark.parametrize("status", ["shortlisted", "planned"])
def test_the_staff_member_who_shortlisted_an_idea_is_told_when_its_author_removes_it(client, moss, call, idea,
                                                                                      status):
    oak = make_moderator("oak")
    set_status(oak, idea, status, "We'll start with this.")
    change_phase(moss, call, "shortlisted")
    client.login("ana")
    assert client.submit(f"/posts/{idea.id}/delete", {"confirmed": "yes"}).status_code == 302
    client.logout()

    client.login("oak")
    page = client.get("/notifications").page
    assert (f"Ana removed their idea #{idea.id} (“Mentor office hours every Sunday.”) from “Ideas for the mentor "
            f"page”; you had marked it {status}.") in page
    [note] = notifications_of(oak)
    response = client.submit(f"/notifications/{note.id}/read", {"go": "1"})
    assert response.location.endswith(f"/ideas/{call.id}")
    assert notifications_of(moss) == []  # who changed the phase did not choose the idea


def test_only_removals_from_the_shortlist_by_someone_else_are_told(client, moss, call, idea):
    set_status(moss, idea, "shortlisted")
    reviewed = post_idea(make_user("ben"), call, "Only under review.")
    set_status(moss, reviewed, "under_review")
    own = post_idea(moss, call, "My own idea, shortlisted by me.")
    set_status(moss, own, "shortlisted")
    for author, removed in (("ana", idea), ("ben", reviewed), ("moss", own)):
        client.login(author)
        assert client.submit(f"/posts/{removed.id}/delete", {"confirmed": "yes"}).status_code == 302
        client.logout()
    assert [note.message.split(" (")[0] for note in notifications_of(moss)] == [
        f"Ana removed their idea #{idea.id}"]


def test_the_removed_idea_is_named_by_its_words_not_its_markdown(client, moss, call):
    idea = post_idea(make_user("bowen", display_name="Bowen"), call, "A **mentors online now** list beside the [chat](/chat).")
    set_status(moss, idea, "shortlisted")
    client.login("bowen")
    client.submit(f"/posts/{idea.id}/delete", {"confirmed": "yes"})

    [note] = notifications_of(moss)
    assert "(“A mentors online now list beside the chat.”)" in note.message
