"""Whatever is typed into the box, search answers with a page, never a 500: engine syntax
is read as plain words."""
import pytest
from flask_login import AnonymousUserMixin

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


def test_long_queries_search_their_first_words_and_say_so(client, a_post):
    response = client.get("/search", query_string={"q": "harbour " + " ".join(f"w{n}" for n in range(30))})

    assert f"Only the first {TERM_LIMIT} words were searched." in response.page
    assert len(search_terms("a b c d e f g h i j k l")) == TERM_LIMIT


def test_a_long_query_of_few_words_is_searched_whole_and_says_nothing_was_left_out(client, a_post):
    response = client.get("/search", query_string={"q": " ".join(["harbour", "quiet"] * 60)})

    assert texts(search_page(client, " ".join(["harbour", "quiet"] * 60))) == ["Near the quiet harbour, or not."]
    assert "were searched" not in response.page
