"""What an author is told about reactions: people, not clicks, and nothing a call keeps hidden."""
import pytest

from forum.posts.services import toggle_reaction
from tests.factories import make_post, make_thread, make_user
from tests.ideas.factories import make_call, make_moderator, post_idea
from tests.safety.factories import make_block


@pytest.fixture
def post(app):
    return make_post(make_user("ana"), make_thread("Ideas"), "Put the mentor list next to the chat list.")


def notices_seen_by_ana(client) -> str:
    client.login("ana")
    page = client.get("/notifications").page
    client.logout()
    return page


def test_one_person_changing_their_mind_is_one_person_reacting(client, post):
    ben = make_user("ben")
    toggle_reaction(ben, post, "hug")
    toggle_reaction(ben, post, "hug")
    toggle_reaction(ben, post, "hug")
    toggle_reaction(ben, post, "heart")
    page = notices_seen_by_ana(client)
    assert "Ben reacted to your post in “Ideas”" in page
    assert "other" not in page and "(" not in page.split("Ben reacted")[1].split("</button>")[0]


def test_several_people_are_counted_and_the_latest_named(client, post):
    for name in ("ben", "cleo", "dara"):
        toggle_reaction(make_user(name), post, "high_five")
    assert "Dara and 2 others reacted to your post in “Ideas”" in notices_seen_by_ana(client)


def test_a_reaction_taken_back_before_it_was_read_is_taken_back_from_the_notice(client, post):
    ben, cleo = make_user("ben"), make_user("cleo")
    toggle_reaction(ben, post, "hug")
    toggle_reaction(cleo, post, "heart")
    toggle_reaction(cleo, post, "heart")
    assert "Ben reacted to your post" in notices_seen_by_ana(client)
    toggle_reaction(ben, post, "hug")
    page = notices_seen_by_ana(client)
    assert "reacted" not in page and "Nothing yet" in page


def test_a_read_notice_stays_as_it_was_read(client, post):
    ben, cleo = make_user("ben"), make_user("cleo")
    toggle_reaction(ben, post, "hug")
    client.login("ana")
    client.submit("/notifications/read-all", page="/notifications")
    client.logout()
    toggle_reaction(ben, post, "hug")
    toggle_reaction(cleo, post, "hug")
    page = notices_seen_by_ana(client)
    assert "Ben reacted to your post" in page and "Cleo reacted to your post" in page


def test_people_the_author_blocked_are_neither_named_nor_counted(client, post):
    ana, ben, cleo = post.author, make_user("ben"), make_user("cleo")
    make_block(ana, ben)
    toggle_reaction(cleo, post, "hug")
    toggle_reaction(ben, post, "hug")
    page = notices_seen_by_ana(client)
    assert "Cleo reacted to your post" in page
    assert "Ben" not in page and "other" not in page


def test_a_call_that_hides_reactions_tells_the_author_neither_who_nor_how_many(client):
    call = make_call(make_moderator("moss"), hide_reactions_while_collecting=True)
    idea = post_idea(make_user("ana"), call, "Mentor spotlight posts.")
    for name in ("ben", "cleo", "dara"):
        toggle_reaction(make_user(name), idea, "hug")
    page = notices_seen_by_ana(client)
    assert "Someone reacted to your idea in “How could mentees and mentors talk more?”" in page
    assert "Who and how many stay hidden while the call is collecting ideas." in page
    assert not any(name in page for name in ("Ben", "Cleo", "Dara"))
    assert "(3)" not in page and "others" not in page
