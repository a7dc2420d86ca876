"""Whatever is typed into the box, search answers with a page, never a 500: engine syntax
is read as plain words."""
import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import select

from forum.extensions import db
from forum.models.posts import Post, Thread
from forum.search.services import parse_query, search
from forum.search.terms import TERM_LIMIT, search_terms
from tests.factories import make_post, make_thread, make_user
from tests.search.pages import search as search_page, texts

HOSTILE = ['"', '""', "'", "*", "**", "NEAR(", "NEAR(a b", "OR OR", "AND", "NOT", "-", "a:b", "body_md:x",
           "^", "(", ")", "{x}", "&|!", "x:*", "'; DROP TABLE posts; --", "\\", "%", "_", "🙂", "  ",
           "!!!", "x" * 5000, " ".join(["word"] * 2000), "\u200b", "é" * 300]


@pytest.fixture
def a_post(app):
    ada = make_user("ada")
    return make_post(ada, make_thread("Notes", author=ada), "Near the quiet harbour, or not.")


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_answer_a_page(client, a_post, query):
    response = client.get("/search", query_string={"q": query})

    assert response.status_code == 200
    assert "Search" in response.page


def test_a_nul_is_refused_in_plain_words(client, a_post):
    response = client.get("/search", query_string={"q": "harbour\x00"})

    assert response.status_code == 400
    assert "NUL character" in response.page


def test_a_nul_given_to_the_service_directly_is_dropped(app, a_post):
    page = search(AnonymousUserMixin(), parse_query({"q": "harb\x00our", "author": "ad\x00a"}), 1)

    assert [result.link for result in page.results] == [f"/posts/{a_post.id}"]


def test_operator_words_are_searched_as_words(client, a_post):
    assert texts(search_page(client, "NEAR(harbour")) == ["Near the quiet harbour, or not."]
    assert texts(search_page(client, '"harbour')) == ["Near the quiet harbour, or not."]
    assert texts(search_page(client, "harbour*")) == ["Near the quiet harbour, or not."]


@pytest.mark.parametrize("query", ["🌱", "*", "-", " 🌱  🙂 "])
def test_a_query_of_only_symbols_says_there_is_nothing_to_search_for_and_keeps_it(client, a_post, query):
    response = client.get("/search", query_string={"q": query})

    typed = " ".join(query.split())
    assert response.status_code == 200
    assert f"Nothing to search for in “{typed}”: search finds words and numbers." in response.page
    assert "Type a few words" not in response.page
    assert f'id="search-q" name="q" maxlength="200" value="{query}"' in response.page
    blank = client.get("/search", query_string={"q": "  "}).page  # an empty box still asks for words
    assert "Type a few words to search" in blank and "Nothing to search for" not in blank


def test_long_queries_search_their_first_words_and_say_so(client, a_post):
    response = client.get("/search", query_string={"q": "harbour " + " ".join(f"w{n}" for n in range(30))})

    assert f"Only the first {TERM_LIMIT} words were searched." in response.page
    assert len(search_terms("a b c d e f g h i j k l")) == TERM_LIMIT


def test_a_long_query_of_few_words_is_searched_whole_and_says_nothing_was_left_out(client, a_post):
    response = client.get("/search", query_string={"q": " ".join(["harbour", "quiet"] * 60)})

    assert texts(search_page(client, " ".join(["harbour", "quiet"] * 60))) == ["Near the quiet harbour, or not."]
    assert "were searched" not in response.page


def test_control_characters_pasted_into_a_post_are_dropped_and_cannot_fake_a_highlight(client, app):
    # \x02 and \x03 are the engines' own highlight markers (forum/search/terms.py).
    make_user("ana", role="listener")
    thread = make_thread("Pasted \x1b[1mnotes\x1b[0m")
    client.login("ana")
    client.submit(f"/threads/{thread.id}/posts", {"body": "\x02Calm\x03 by the\r\nharbour\x07 tonight"})

    post = db.session.scalar(select(Post).where(Post.thread_id == thread.id))
    assert post.body_md == "Calm by the\nharbour tonight"
    assert db.session.get(Thread, thread.id).title == "Pasted [1mnotes[0m"
    [shown] = search_page(client, "harbour")
    assert shown.snippet_html.count("<mark>") == 1
    assert "<mark>harbour</mark>" in shown.snippet_html
