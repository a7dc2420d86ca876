"""Statuses of ideas: set by staff, shown as labels, told to the idea's author."""
import re
from html import unescape

import pytest
from sqlalchemy import select

from forum.errors import DomainError, Forbidden
from forum.extensions import db
from forum.ideas.services import set_status
from forum.models.ideas import IdeaCall, IdeaStatus
from forum.models.moderation import AuditEntry
from forum.models.posts import Notification
from forum.posts.services import delete_own_post
from tests.factories import make_user
from tests.ideas.factories import make_call, make_moderator, post_idea, reply_to
from tests.ideas.pages import visible_text


@pytest.fixture
def idea(app):
    call = make_call(make_moderator("moss"))
    return post_idea(make_user("ana"), call, "Mentor office hours every Sunday.")


def review_url(idea):
    return f"/ideas/{idea.thread_id}/ideas/{idea.id}/review"


def status_of(idea):
    db.session.expire_all()
    return db.session.get(IdeaStatus, idea.id)


def test_a_new_idea_starts_as_new(client, idea):
    assert status_of(idea).status == "new"
    page = visible_text(client.get(f"/ideas/{idea.thread_id}"))
    assert f"Idea #{idea.id} by Ana Status: New" in page


@pytest.mark.parametrize("status, label", [
    ("under_review", "Under review"), ("shortlisted", "Shortlisted"), ("planned", "Planned"), ("done", "Done"),
])
def test_staff_set_a_status_the_author_is_told_and_the_label_shows(client, idea, status, label):
    client.login("moss")
    response = client.submit(review_url(idea), {"status": status, "note": "Thanks for this."})
    assert response.status_code == 302
    record = status_of(idea)
    assert (record.status, record.note, record.set_by.username) == (status, "Thanks for this.", "moss")
    message = db.session.scalar(select(Notification.message).where(
        Notification.user_id == idea.author_id, Notification.kind == "idea_status"))
    # Numbered as on the call's page: a member with several ideas there tells the notices apart.
    assert message == f"Your idea #{idea.id} in “{idea.thread.title}” is now {label.lower()}: Thanks for this."
    page = visible_text(client.get(f"/ideas/{idea.thread_id}"))
    assert f"Idea #{idea.id} by Ana Status: {label}" in page and "Note from staff: Thanks for this." in page


def test_declining_needs_a_note(client, idea):
    client.login("moss")
    response = client.submit(review_url(idea), {"status": "declined", "note": "   "})
    assert response.status_code == 422
    assert "Say why the idea is declined" in response.page and 'id="note-error"' in response.text
    assert status_of(idea).status == "new"
    assert db.session.scalar(select(Notification.id).where(Notification.kind == "idea_status")) is None
    response = client.submit(review_url(idea), {"status": "declined", "note": "We keep mentoring a choice."})
    assert response.status_code == 302 and status_of(idea).status == "declined"


def test_a_removed_idea_is_not_reviewed_and_its_author_is_not_told_of_a_status(client, idea):
    kept = post_idea(make_user("ben"), db.session.get(IdeaCall, idea.thread_id), "A mentor of the week.")
    delete_own_post(idea.author, idea)
    client.login("moss")
    listing = client.get(f"/ideas/{idea.thread_id}")
    assert review_url(idea) not in listing.text and review_url(kept) in listing.text
    page = client.get(review_url(idea))
    assert "This idea was removed" in visible_text(page) and "Save status" not in page.text
    response = client.submit(review_url(idea), {"status": "shortlisted", "note": "Love it."})
    assert response.status_code == 422 and "This idea was removed" in visible_text(response)
    merged = client.submit(review_url(idea).replace("/review", "/merge"), {"target": str(kept.id), "confirmed": "yes"})
    assert merged.status_code == 422 and "This idea was removed" in visible_text(merged)
    assert status_of(idea).status == "new"
    assert db.session.scalar(select(Notification.id).where(Notification.user_id == idea.author_id)) is None


@pytest.mark.parametrize("role", ["member", "listener", "mentor", "trainer"])
def test_non_staff_cannot_review_or_set_statuses(client, idea, role):
    make_user("sam", role=role)
    client.login("sam")
    assert client.get(review_url(idea)).status_code == 403
    for data in ({"status": "planned"}, {"status": "fabulous"}):  # refused before the form is even read
        response = client.submit(review_url(idea), data)
        assert response.status_code == 403 and "Set the status" not in response.page
    assert status_of(idea).status == "new"
    assert "Review" not in client.get(f"/ideas/{idea.thread_id}").page


def test_even_the_ideas_author_cannot_set_its_status(client, idea):
    client.login("ana")
    assert client.submit(review_url(idea), {"status": "done"}).status_code == 403
    assert status_of(idea).status == "new"


def test_statuses_apply_to_ideas_not_replies(client, idea):
    reply = reply_to(make_user("ben"), idea)
    client.login("moss")
    assert client.get(f"/ideas/{idea.thread_id}/ideas/{reply.id}/review").status_code == 404
    assert client.get(f"/ideas/{idea.thread_id + 1}/ideas/{idea.id}/review").status_code == 404


def test_an_unknown_status_is_refused(client, idea):
    client.login("moss")
    response = client.submit(review_url(idea), {"status": "fabulous"})
    assert response.status_code == 422 and "Choose one of the options in the list." in response.page
    with pytest.raises(DomainError, match="Choose a status"):
        set_status(idea.thread.author, idea, "merged")
    assert status_of(idea).status == "new"


def test_set_status_refuses_non_staff_in_the_service_too(idea):
    with pytest.raises(Forbidden):
        set_status(idea.author, idea, "done")


def test_a_note_change_alone_does_not_notify_again(client, idea):
    client.login("moss")
    client.submit(review_url(idea), {"status": "planned", "note": "Soon."})
    response = client.submit(review_url(idea), {"status": "planned", "note": "Next month."}, follow_redirects=True)
    assert "Note saved." in response.page
    assert status_of(idea).note == "Next month."
    assert len(db.session.scalars(select(Notification).where(Notification.kind == "idea_status")).all()) == 1


def test_a_status_sent_twice_is_logged_once_and_the_second_says_nothing_changed(client, idea):
    # A double-click on "Save status" wrote a second "Planned → Planned" line in the audit
    # log and answered "Note saved." though nothing was.
    client.login("moss")
    token = client.csrf_token()
    first = client.post(review_url(idea), data={"status": "planned", "note": "Soon.", "csrf_token": token})
    assert "Status saved; the idea's author is told." in client.get(first.headers["Location"],
                                                                    follow_redirects=True).page
    again = client.post(review_url(idea), data={"status": "planned", "note": "Soon.", "csrf_token": token},
                        follow_redirects=True)
    assert "Nothing to save: the idea is already “Planned”, with that note." in again.page
    assert "Note saved." not in again.page
    assert len(db.session.scalars(select(AuditEntry).where(AuditEntry.action == "idea_status")).all()) == 1
    assert len(db.session.scalars(select(Notification).where(Notification.kind == "idea_status")).all()) == 1


def test_staff_reviewing_their_own_idea_are_not_notified(client):
    moss = make_moderator("moss")
    call = make_call(moss)
    own = post_idea(moss, call)
    client.login("moss")
    client.submit(review_url(own), {"status": "planned"})
    assert status_of(own).status == "planned"
    assert db.session.scalar(select(Notification.id)) is None


def test_an_expired_review_form_comes_back_with_the_note(client, idea):
    client.login("moss")
    response = client.post(review_url(idea), data={"csrf_token": "stale", "status": "declined",
                                                    "note": "A long and careful note."})
    assert response.status_code == 422
    assert "This page was open too long" in response.page and "A long and careful note." in response.page
    assert status_of(idea).status == "new"


def _link(response, css_class: str) -> str:
    return unescape(re.search(rf'<a class="{css_class}" href="([^"]+)"', response.text).group(1))


def _form_action(response, endpoint: str) -> str:
    return unescape(re.search(rf'<form method="post" action="([^"]*/{endpoint}[^"]*)"', response.text).group(1))


@pytest.mark.parametrize("endpoint, data", [
    ("review", {"status": "under_review", "note": "Looking at it."}),
    ("merge", {"target": None, "note": "Same idea.", "confirmed": "yes"}),
])
def test_a_review_leads_back_to_the_list_the_moderator_was_working_through(client, endpoint, data):
    moss = make_moderator("moss")
    call = make_call(moss)
    ideas = [post_idea(make_user(f"author{n}"), call, f"Idea number {n} for the call.") for n in range(3)]
    client.login("moss")
    listing = client.get(f"/ideas/{call.id}?sort=unreviewed")
    review_page = client.get(_link(listing, "review-link"))
    assert review_page.status_code == 200
    if data.get("target", "") is None:
        data = {**data, "target": str(ideas[1].id)}
    response = client.submit(_form_action(review_page, endpoint), data)
    assert response.status_code == 302
    # Back on the same sorted list, at its top, where the next idea to review now comes first:
    # the idea reviewed has left the list, so an address at it led nowhere.
    assert response.headers["Location"] == f"/ideas/{call.id}?sort=unreviewed#ideas"
    back = client.get(response.headers["Location"])
    assert f'id="post-{ideas[0].id}"' not in back.text
    assert back.text.index('id="ideas"') < back.text.index(f"Idea #{ideas[1].id}")
    assert f"/ideas/{call.id}/ideas/{ideas[1].id}/review?sort=unreviewed" in unescape(back.text)
    assert _link(back, "review-link").endswith(f"/ideas/{ideas[1].id}/review?sort=unreviewed")


def test_a_review_from_a_later_page_of_a_sorted_list_comes_back_to_that_page(client):
    call = make_call(make_moderator("moss"))
    ideas = [post_idea(make_user(f"author{n}"), call, f"Idea number {n} for the call.") for n in range(3)]
    client.login("moss")
    url = f"/ideas/{call.id}/ideas/{ideas[0].id}/review?sort=newest&page=2"
    assert f'href="/ideas/{call.id}?sort=newest&amp;page=2#post-{ideas[0].id}"' in client.get(url).text
    response = client.submit(url, {"status": "planned", "note": ""})
    assert response.headers["Location"] == f"/ideas/{call.id}?sort=newest&page=2#post-{ideas[0].id}"
    # A sort the reviewer may not use is dropped: to the idea where it is, as with no sort.
    response = client.submit(f"/ideas/{call.id}/ideas/{ideas[1].id}/review?sort=nonsense", {"status": "planned"})
    assert response.headers["Location"] == f"/posts/{ideas[1].id}"
