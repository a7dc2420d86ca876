"""Search shows nothing from a space the reader cannot enter: each story hides a word
somewhere, then checks that one reader finds it and another does not."""
import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models.accounts import User, user_by_username
from forum.models.posts import Post, Thread
from forum.models.training import Program
from forum.posts.services import delete_own_post
from forum.posts.visibility import reader_id_sets, visible_posts_clause, visible_threads_clause
from tests.factories import make_user
from tests.forms_on_page import landed
from tests.search.pages import search
from tests.search.stories import SIGNED_OUT, STORIES, post_first_discussion
from tests.training.factories import respond
from tests.training.closed_programs import left_after_writing, lost_the_badge_after_writing


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


@pytest.mark.parametrize("closed_to_them", [left_after_writing, lost_the_badge_after_writing])
def test_a_trainee_finds_their_own_posts_in_a_program_closed_to_them_and_nobody_elses(client, closed_to_them):
    program, posts, _ = closed_to_them(client)  # signed in as Ana, who wrote there
    program_page = f"/programs/{program.slug}"

    [response] = search(client, "anatwoword0")
    assert response.title == "Discussion 2" and "anatwoword0" in response.snippet
    # The link leads where they read it: the program page, at the post.
    second = posts["ana_second"].id
    assert landed(client.get(response.link)) == (program_page, {}, f"post-{second}")
    assert [hit.link for hit in search(client, "anatwoword0", part="training")] == [response.link]
    # What a moderator hid is searched by nobody, its author included, as in open threads.
    assert search(client, "Ana's reply to Ben") == []
    # Their fellow trainees' posts there stay out of reach.
    assert search(client, "benword0") == [] and search(client, "Ben again") == []
    # What they removed themselves is gone from their profile, and from search.
    delete_own_post(posts["ana_first"].author, posts["ana_first"])
    assert search(client, "anaword0") == []
    # Nobody else finds them through Ana's way in.
    client.logout()
    make_user("cleo")
    assert not found_by(client, "cleo", "anatwoword0")
