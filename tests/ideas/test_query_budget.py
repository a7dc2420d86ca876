"""Pages run the same number of SQL statements however many calls, ideas and reactions there are."""
import pytest

from forum.ideas.services import merge_idea, set_status
from tests.factories import make_user
from tests.ideas.factories import make_call, make_moderator, post_idea, react, reply_to


@pytest.fixture
def crowd(app):
    return [make_user(f"person{number}") for number in range(5)]


def add_ideas(call, crowd, count, start=0):
    ideas = []
    for number in range(start, start + count):
        author = crowd[number % len(crowd)]
        idea = post_idea(author, call, f"Idea {number}, building on @{crowd[(number + 1) % len(crowd)].username}.")
        react(crowd[(number + 1) % len(crowd)], idea, "heart")
        react(crowd[(number + 2) % len(crowd)], idea, "lightbulb")
        reply_to(crowd[(number + 3) % len(crowd)], idea, f"> @{author.username} wrote:\n> Idea {number}\n\nYes!")
        ideas.append(idea)
    return ideas


def statements_for(client, count_queries, url) -> int:
    with count_queries() as counter:
        response = client.get(url)
    assert response.status_code == 200
    return counter.count


VIEWS = [("moss", "reactions"), ("person0", "reactions"), ("moss", "unreviewed"), (None, "replies")]


def statements_per_view(client, count_queries, call) -> dict:
    counts = {}
    for viewer, sort in VIEWS:
        if viewer:
            client.login(viewer)
        counts[viewer, sort] = statements_for(client, count_queries, f"/ideas/{call.id}?sort={sort}")
        if viewer:
            client.logout()
    return counts


def test_a_call_page_costs_the_same_with_10_or_30_ideas(client, count_queries, crowd):
    moss = make_moderator("moss")
    call = make_call(moss)
    first = add_ideas(call, crowd, 10)
    merge_idea(moss, first[1], first[0].id)
    set_status(moss, first[2], "shortlisted", "A strong one.")
    small = statements_per_view(client, count_queries, call)
    more = add_ideas(call, crowd, 20, start=10)  # a second page of them
    for idea in more[:15]:
        set_status(moss, idea, "under_review")
    large = statements_per_view(client, count_queries, call)
    assert "Idea 19," in client.get(f"/ideas/{call.id}?sort=reactions").page
    assert small == large, f"with 10 ideas: {small}; with 30: {large}"
    assert max(large.values()) <= 30  # a ceiling, so a new per-idea query shows up here


def test_the_board_costs_the_same_with_2_or_12_calls(client, count_queries, crowd):
    moss = make_moderator("moss")
    client.login("person0")
    for number in range(2):
        add_ideas(make_call(moss, f"Call {number}"), crowd, 2)
    small = statements_for(client, count_queries, "/ideas")
    for number in range(2, 12):
        add_ideas(make_call(moss, f"Call {number}", audience="adult"), crowd, 2)
    large = statements_for(client, count_queries, "/ideas")
    assert "Call 11" in client.get("/ideas").page
    assert small == large, f"{small} statements with 2 calls, {large} with 12"


def test_the_shortlist_costs_the_same_with_3_or_15_ideas(client, count_queries, crowd):
    moss = make_moderator("moss")
    call = make_call(moss)
    client.login("moss")
    for idea in add_ideas(call, crowd, 3):
        set_status(moss, idea, "planned", "Soon.")
    small = statements_for(client, count_queries, f"/ideas/{call.id}/shortlist")
    more = add_ideas(call, crowd, 12, start=3)
    for idea in more[:8]:
        set_status(moss, idea, "shortlisted", "Maybe.")
    for idea in more[8:]:  # credited under the ideas they joined, in the same one query
        merge_idea(moss, idea, more[0].id)
    large = statements_for(client, count_queries, f"/ideas/{call.id}/shortlist")
    assert f"idea #{more[8].id}</a> by" in client.get(f"/ideas/{call.id}/shortlist").page
    assert small == large, f"{small} statements with 3 ideas, {large} with 15"


def test_a_call_shown_by_status_costs_the_same_with_10_or_40_ideas(client, count_queries, crowd):
    moss = make_moderator("moss")
    call = make_call(moss)
    for idea in add_ideas(call, crowd, 10)[:4]:
        set_status(moss, idea, "planned", "On the way.")
    client.login("person0")
    url = f"/ideas/{call.id}?status=planned&sort=replies"
    small = statements_for(client, count_queries, url)
    for idea in add_ideas(call, crowd, 30, start=10):
        set_status(moss, idea, "planned")
    large = statements_for(client, count_queries, url)
    assert "Idea 39," in client.get(f"{url}&page=2").page
    assert small == large, f"{small} statements with 4 planned ideas, {large} with 34"
