"""Showing only the ideas of one status on a call's page (only the shortlisted, only those planned…)."""
import re
from html import unescape

import pytest

from forum.ideas.services import set_status
from forum.posts.services import delete_own_post
from tests.factories import make_user
from tests.ideas.factories import make_call, make_moderator, post_idea, react
from tests.ideas.pages import visible_text


@pytest.fixture
def call(app):
    moss = make_moderator("moss")
    call = make_call(moss)
    ana, ben, cleo = make_user("ana"), make_user("ben"), make_user("cleo")
    office = post_idea(ana, call, "First: mentor office hours.")
    live = post_idea(ben, call, "Second: a live list of mentors.")
    badges = post_idea(cleo, call, "Third: mentor badges.")
    post_idea(ana, call, "Fourth: a mentee welcome pack.")
    react(ana, badges, "heart")
    react(ben, badges, "heart")
    set_status(moss, office, "shortlisted", "A strong one.")
    set_status(moss, badges, "shortlisted")
    set_status(moss, live, "under_review")
    return call


def shown_ideas(response) -> list[str]:
    assert response.status_code == 200
    text = visible_text(response)
    words = ("First:", "Second:", "Third:", "Fourth:")
    return [word for _, word in sorted((text.find(word), word) for word in words if word in text)]


def links_of(response, label: str) -> list[str]:
    nav = re.search(rf'<nav class="[^"]*" aria-label="{label}">(.*?)</nav>', response.text, re.S).group(1)
    return [unescape(href) for href in re.findall(r'href="([^"]+)"', nav)]


def test_readers_show_only_the_ideas_of_one_status(client, call):
    client.login("ana")
    response = client.get(f"/ideas/{call.id}?status=shortlisted")
    assert shown_ideas(response) == ["First:", "Third:"]
    assert re.search(r'aria-current="true"[^>]*>Shortlisted<', response.text)
    # "New" is every idea staff have not reviewed yet.
    assert shown_ideas(client.get(f"/ideas/{call.id}?status=new")) == ["Fourth:"]
    assert shown_ideas(client.get(f"/ideas/{call.id}")) == ["First:", "Second:", "Third:", "Fourth:"]


def test_the_filter_keeps_the_sort_and_the_sort_keeps_the_filter(client, call):
    response = client.get(f"/ideas/{call.id}?status=shortlisted&sort=reactions")
    assert shown_ideas(response) == ["Third:", "First:"]
    assert f"/ideas/{call.id}?sort=newest&status=shortlisted" in links_of(response, "Sort ideas")
    assert f"/ideas/{call.id}?sort=reactions&status=planned" in links_of(response, "Show ideas by status")
    assert f"/ideas/{call.id}?sort=reactions" in links_of(response, "Show ideas by status")


def test_a_status_no_idea_has_says_so_and_leads_back_to_all(client, call):
    response = client.get(f"/ideas/{call.id}?status=done&sort=newest")
    assert shown_ideas(response) == []
    text = visible_text(response)
    assert "No ideas are “Done” yet. Show all ideas" in text
    assert "Be the first to share one" not in text
    assert f'href="/ideas/{call.id}?sort=newest">Show all ideas' in response.text


def test_a_removed_idea_is_in_no_status(client, call):
    ana = make_user("ana2")
    gone = post_idea(ana, call, "Fifth: a removed idea.")
    set_status(make_moderator("moss2"), gone, "shortlisted")
    delete_own_post(ana, gone)
    assert "Fifth:" not in client.get(f"/ideas/{call.id}?status=shortlisted").text


def test_later_pages_of_a_filtered_list_keep_the_filter(client, call):
    moss = make_moderator("moss3")
    for number in range(21):
        set_status(moss, post_idea(make_user(f"author{number}"), call, f"Planned idea {number}."), "planned")
    first = client.get(f"/ideas/{call.id}?status=planned")
    assert "Planned idea 19." in first.text and "Planned idea 20." not in first.text
    assert f"/ideas/{call.id}?page=2&status=planned" in links_of(first, "Pages of ideas")
    second = client.get(f"/ideas/{call.id}?page=2&status=planned")
    assert "Planned idea 20." in second.text and "First:" not in second.text


def test_a_review_from_a_filtered_list_comes_back_to_it(client, call):
    client.login("moss")
    listing = client.get(f"/ideas/{call.id}?status=shortlisted")
    review_link = unescape(re.search(r'<a class="review-link" href="([^"]+)"', listing.text).group(1))
    assert review_link.endswith("/review?status=shortlisted")
    response = client.submit(review_link, {"status": "planned", "note": ""})
    # Planned now, it left the shortlisted list: back at the list's top, where the next one is.
    assert response.headers["Location"] == f"/ideas/{call.id}?status=shortlisted#ideas"


@pytest.mark.parametrize("status", ["popular", "x" * 500, "%"])
def test_an_unknown_status_is_a_clear_400(client, call, status):
    response = client.get(f"/ideas/{call.id}", query_string={"status": status})
    assert response.status_code == 400
    assert "There is no status called" in visible_text(response)


def test_a_status_among_the_ideas_not_yet_reviewed_says_what_is_empty(client, call):
    client.login("moss")
    response = client.get(f"/ideas/{call.id}?status=shortlisted&sort=unreviewed")
    assert shown_ideas(response) == []
    # Two ideas are shortlisted: "none are" would be untrue.
    assert "No idea is both “Shortlisted” and not yet reviewed. Show all ideas" in visible_text(response)
