"""After replying, reacting, editing or removing from a call read sorted, filtered or on a
later page, the member lands back on that same view of the call, at the post: not on the
call's default order at the idea's default page, where they lost their place."""
import pytest

from forum.ideas.services import set_status
from tests.factories import make_user
from tests.forms_on_page import landed, send_from
from tests.ideas.factories import make_call, make_moderator, post_idea, react, reply_to


@pytest.fixture
def call(app):
    """22 ideas: the last two are on page 2 in the order they came; the newest is the most liked."""
    moss = make_moderator("moss")
    call = make_call(moss)
    authors = [make_user(f"writer{n}") for n in range(3)]
    ideas = [post_idea(authors[n % 3], call, f"Idea number {n}: something worth trying.") for n in range(22)]
    for fan in (make_user("fan1"), make_user("fan2")):
        react(fan, ideas[-1], "heart")
    set_status(moss, ideas[-1], "under_review")
    call.ideas = ideas
    make_user("ana")
    return call


def test_a_reply_from_the_call_sorted_by_reactions_lands_back_on_that_sort(client, call):
    client.login("ana")
    liked = call.ideas[-1]
    path, query, anchor = landed(send_from(client, f"/ideas/{call.id}?sort=reactions", f"/posts/{liked.id}/replies",
                                           body="Yes, and show when they were last here."))
    assert path.startswith(f"/ideas/{call.id}") and query == {"sort": "reactions"}
    assert anchor.startswith("post-")


def test_a_reply_from_a_status_filter_lands_back_on_that_filter(client, call):
    client.login("ana")
    liked = call.ideas[-1]
    path, query, _ = landed(send_from(client, f"/ideas/{call.id}?status=under_review", f"/posts/{liked.id}/replies",
                                      body="Glad this one is being looked at."))
    assert query == {"status": "under_review"}


def test_most_discussed_lands_on_the_page_the_idea_moved_to(client, call):
    """The reply itself moves the idea up "Most discussed": landing on the page it was on
    before would not show it."""
    for idea in call.ideas[:19]:
        reply_to(make_user(f"talker{idea.id}"), idea)
    client.login("ana")
    quiet = call.ideas[20]
    assert "Idea number 20:" not in client.get(f"/ideas/{call.id}?sort=replies").page
    path, query, anchor = landed(send_from(client, f"/ideas/{call.id}?sort=replies&page=2",
                                           f"/posts/{quiet.id}/replies", body="This deserves more talk."))
    assert query == {"sort": "replies"}  # page 1: it is among the twenty most discussed now
    assert "Idea number 20:" in client.get(f"{path}?sort=replies").page


def test_a_reaction_without_javascript_from_page_two_of_newest_stays_there(client, call):
    client.login("ana")
    oldest = call.ideas[0]
    path, query, anchor = landed(send_from(client, f"/ideas/{call.id}?sort=newest&page=2", f"/posts/{oldest.id}/react",
                                           kind="hug"))
    assert query == {"sort": "newest", "page": "2"} and anchor == f"post-{oldest.id}"


def test_an_idea_no_longer_in_the_filter_lands_where_it_is_in_the_call(client, call):
    """Shown by status "new" and then reviewed meanwhile: not a page without it."""
    client.login("ana")
    idea = call.ideas[0]
    path, query, anchor = landed(send_from(client, f"/ideas/{call.id}?status=new", f"/posts/{idea.id}/react",
                                           meanwhile=lambda: set_status(call.opened_by, idea, "planned"), kind="hug"))
    assert query == {} and anchor == f"post-{idea.id}"


def test_removing_own_idea_from_a_sorted_call_stays_on_that_sort(client, call):
    ana = make_user("ana2")
    mine = post_idea(ana, call, "Idea of my own: a weekly mentor hour.")
    client.login("ana2")
    path, query, anchor = landed(send_from(client, f"/ideas/{call.id}?sort=newest", f"/posts/{mine.id}/delete", confirmed="yes"))
    assert query == {"sort": "newest"} and anchor == f"post-{mine.id}"


def test_an_edit_opened_from_a_sorted_call_saves_back_to_that_sort(client, call):
    ana = make_user("ana2")
    mine = post_idea(ana, call, "Idea of my own: a weekly mentor hour.")
    client.login("ana2")
    page = client.get(f"/ideas/{call.id}?sort=newest").get_data(as_text=True)
    start = page.index(f'href="/posts/{mine.id}/edit')
    edit_link = page[start + 6:page.index('"', start + 6)].replace("&amp;", "&")
    assert edit_link == f"/posts/{mine.id}/edit?sort=newest"
    path, query, anchor = landed(send_from(client, edit_link, edit_link,
                                           body="Idea of my own: a weekly mentor hour, on Sundays."))
    assert query == {"sort": "newest"} and anchor == f"post-{mine.id}"


def test_a_reply_from_the_default_order_lands_as_before(client, call):
    client.login("ana")
    late = call.ideas[21]
    path, query, anchor = landed(send_from(client, f"/ideas/{call.id}?page=2", f"/posts/{late.id}/replies",
                                           body="Yes please."))
    assert query == {"page": "2"}
