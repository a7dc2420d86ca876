"""Search shows nothing from a space the reader cannot enter: each story hides a word
somewhere, then checks that one reader finds it and another does not."""
import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models.accounts import User, user_by_username
from forum.models.posts import Post, Thread
from forum.models.training import Program
from forum.posts.visibility import reader_id_sets, visible_posts_clause, visible_threads_clause
from tests.search.pages import search
from tests.search.stories import SIGNED_OUT, STORIES, post_first_discussion
from tests.training.factories import respond

def found_by(client, username, words) -> bool:
    if username:
        client.login(username)
    try:
        return bool(search(client, words))
    finally:
        if username:
            client.logout()


@pytest.mark.parametrize("story", STORIES, ids=[story.__name__ for story in STORIES])
def test_search_shows_only_what_the_reader_may_enter(client, story):
    words, allowed, refused = story()

    assert [reader for reader in allowed if not found_by(client, reader, words)] == []
    assert [reader for reader in refused if found_by(client, reader, words)] == []


def test_a_post_first_discussion_opens_to_search_once_the_trainee_has_responded(client):
    words, _, (late,) = post_first_discussion()
    assert not found_by(client, late, words)

    respond(db.session.scalar(user_by_username(late)), db.session.scalar(select(Program)), 1)

    assert found_by(client, late, words)


@pytest.mark.parametrize("story", STORIES, ids=[story.__name__ for story in STORIES])
def test_visibility_with_the_readers_sets_bound_means_what_its_subqueries_mean(client, story):
    # Search on PostgreSQL reads the reader's badges and open discussions first and binds
    # them (forum/posts/visibility.py's reader_id_sets); pages and counts use subqueries.
    # Both forms are checked here on whichever database runs the suite.
    story()
    for reader in [SIGNED_OUT, *db.session.scalars(select(User).order_by(User.id))]:
        sets = reader_id_sets(reader)
        for clause, source in ((visible_posts_clause, Post.id), (visible_threads_clause, Thread.id)):
            as_subqueries = set(db.session.scalars(select(source).where(clause(reader))))
            bound = set(db.session.scalars(select(source).where(clause(reader, bound=True)), sets))
            assert bound == as_subqueries, (getattr(reader, "username", "signed out"), clause.__name__)
