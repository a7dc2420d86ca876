"""Sorting a call's ideas, its statistics, and the shortlist page."""
import pytest

from forum.extensions import db
from forum.ideas.services import set_status
from tests.factories import make_user
from tests.ideas.factories import make_call, make_moderator, post_idea, react, reply_to
from tests.ideas.pages import visible_text


@pytest.fixture
def call(app):
    moss = make_moderator("moss")
    call = make_call(moss)
    ana, ben, cleo = make_user("ana"), make_user("ben"), make_user("cleo")
    first = post_idea(ana, call, "First: mentor office hours.")
    liked = post_idea(ben, call, "Second: a live list of mentors.")
    talked = post_idea(cleo, call, "Third: mentor badges.")
    for fan in (ana, cleo, make_user("dee")):
        react(fan, liked, "heart")
    reply_to(ana, talked)
    reply_to(ben, talked, "And a badge for mentees too.")
    set_status(moss, first, "under_review")
    return call


def order_on(client, call, sort):
    page = client.get(f"/ideas/{call.id}?sort={sort}")
    assert page.status_code == 200
    words = ("First:", "Second:", "Third:")
    return [word for _, word in sorted((page.page.find(word), word) for word in words if word in page.page)]


@pytest.mark.parametrize("sort, expected", [
    ("oldest", ["First:", "Second:", "Third:"]),
    ("newest", ["Third:", "Second:", "First:"]),
    ("reactions", ["Second:", "First:", "Third:"]),
    ("replies", ["Third:", "First:", "Second:"]),
])
def test_ideas_sort_for_everyone(client, call, sort, expected):
    assert order_on(client, call, sort) == expected


def test_staff_see_the_ideas_not_yet_reviewed(client, call):
    client.login("moss")
    assert order_on(client, call, "unreviewed") == ["Second:", "Third:"]
    assert "Not yet reviewed" in client.get(f"/ideas/{call.id}").page


def test_not_yet_reviewed_is_for_staff_only(client, call):
    client.login("ana")
    assert "sort=unreviewed" not in client.get(f"/ideas/{call.id}").page
    response = client.get(f"/ideas/{call.id}?sort=unreviewed")
    assert response.status_code == 400 and "Only moderators can sort by “Not yet reviewed”" in response.page


@pytest.mark.parametrize("sort", ["popular", "reactions;drop table posts", "%", "x" * 500])
def test_an_unknown_sort_is_a_clear_400(client, call, sort):
    response = client.get(f"/ideas/{call.id}", query_string={"sort": sort})
    assert response.status_code == 400
    assert "There is no sort called" in response.page and "Most discussed" in response.page


def test_the_call_shows_its_statistics(client, call):
    text = visible_text(client.get(f"/ideas/{call.id}"))
    assert "Ideas 3 Contributors 3 Replies 2 Reactions 3 Shortlisted 0" in text


def test_removed_ideas_are_not_counted(client, call):
    idea = post_idea(make_user("eve"), call, "Fourth: removed later.")
    idea.deleted_at = idea.created_at
    db.session.commit()
    text = visible_text(client.get(f"/ideas/{call.id}"))
    assert "Ideas 3 Contributors 3" in text


@pytest.fixture
def shortlisted_call(app):
    moss = make_moderator("moss")
    call = make_call(moss, "Ideas for the mentor page")
    people = {name: make_user(name) for name in ("ana", "ben", "cleo", "dee", "eve")}
    statuses = {"ana": "shortlisted", "ben": "planned", "cleo": "done", "dee": "declined", "eve": "new"}
    for name, status in statuses.items():
        idea = post_idea(people[name], call, f"{name.capitalize()}'s idea for mentors.")
        if status != "new":
            set_status(moss, idea, status, f"Note on {name}'s idea.")
    return call


def test_the_shortlist_credits_authors_with_staff_notes(client, shortlisted_call):
    shortlisted_call.phase = "shortlisted"
    db.session.commit()
    response = client.get(f"/ideas/{shortlisted_call.id}/shortlist")
    text = visible_text(response)
    assert text.index("Done") < text.index("Planned") < text.index("Shortlisted")
    for name in ("cleo", "ben", "ana"):
        assert f"by {name.capitalize()} @{name}" in text and f"Note on {name}'s idea." in text
    assert "Dee's idea" not in text and "Eve's idea" not in text
    assert "With thanks to Cleo, Ben, Ana" in text
    assert 'href="/static/css/ideas.css"' in response.text


def test_a_page_of_the_shortlist_past_the_last_says_so_not_that_it_is_empty(client, shortlisted_call):
    shortlisted_call.phase = "shortlisted"
    db.session.commit()
    text = visible_text(client.get(f"/ideas/{shortlisted_call.id}/shortlist?page=4"))
    assert "No ideas are on the shortlist yet" not in text and "There is only 1 page: go to the last" in text


def test_the_shortlist_waits_for_its_phase_except_for_staff(client, shortlisted_call):
    make_user("reader")
    client.login("reader")
    text = visible_text(client.get(f"/ideas/{shortlisted_call.id}/shortlist"))
    assert "The shortlist is published when staff move this call" in text and "Ana's idea" not in text
    client.logout()
    client.login("moss")
    text = visible_text(client.get(f"/ideas/{shortlisted_call.id}/shortlist"))
    assert "Preview for staff" in text and "Ana's idea" in text


def test_the_shortlist_of_a_hidden_call_is_not_found(client):
    call = make_call(make_moderator("moss"), audience="teen")
    make_user("grown_up", age_group="adult")
    client.login("grown_up")
    assert client.get(f"/ideas/{call.id}/shortlist").status_code == 404
