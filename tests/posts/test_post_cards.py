"""Post cards are rendered once and reused (forum/posts/cards.py): what one reader sees of
a post must never reach another, and a card must change as soon as what it shows does."""
import re

import pytest

from forum.extensions import db
from forum.models.posts import Post
from tests.factories import make_post, make_thread, make_user

_FORM_TOKENS = re.compile(r'name="csrf_token" value="([^"]+)"')
_META_TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


@pytest.fixture
def post(app):
    make_user("ben")
    make_user("cora", role="moderator")
    return make_post(make_user("ana"), make_thread("Evenings"), "Walking after dinner helps me wind down.")


def card_of(page: str, post_id: int) -> str:
    start = page.index(f'id="post-{post_id}"')
    return page[start:page.index("</article>", start)]


def test_each_reader_gets_their_own_actions_and_their_own_token(client, post):
    path = f"/threads/{post.thread_id}"
    client.login("ana")
    authors_view = client.get(path).get_data(as_text=True)
    client.logout()
    client.login("ben")
    readers_view = client.get(path).get_data(as_text=True)

    assert f"/posts/{post.id}/edit" in card_of(authors_view, post.id)
    assert f"/posts/{post.id}/edit" not in card_of(readers_view, post.id)
    assert f'/posts/{post.id}/react"' not in card_of(authors_view, post.id)  # nobody reacts to their own post
    assert f'/posts/{post.id}/react"' in card_of(readers_view, post.id)
    # Every form on the reader's page carries the reader's token, none the author's.
    token = _META_TOKEN.search(readers_view).group(1)
    assert set(_FORM_TOKENS.findall(readers_view)) == {token}
    assert _META_TOKEN.search(authors_view).group(1) != token


def test_a_card_seen_before_shows_reactions_edits_and_hiding_at_once(client, post):
    path = f"/threads/{post.thread_id}"
    client.login("ben")
    assert "Walking after dinner" in client.get(path).page

    client.submit(f"/posts/{post.id}/react", {"kind": "hug"}, page=path)
    card = card_of(client.get(path).page, post.id)
    assert 'aria-pressed="true"' in card and "Hug: Ben" in card

    client.logout()
    client.login("ana")
    client.submit(f"/posts/{post.id}/edit", {"body": "Walking after dinner, without my phone."})
    client.logout()
    client.login("ben")
    card = card_of(client.get(path).page, post.id)
    assert "without my phone" in card and "edited" in card

    client.logout()
    client.login("cora")
    client.submit(f"/posts/{post.id}/hide", {"reason": "Testing"}, page=path)
    moderators_card = card_of(client.get(path).page, post.id)
    assert "Hidden by a moderator: Testing" in moderators_card and "without my phone" in moderators_card
    client.logout()
    client.login("ben")
    card = card_of(client.get(path).page, post.id)
    assert "This post was hidden by a moderator." in card and "without my phone" not in card
    assert db.session.get(Post, post.id).hidden_at is not None


def test_a_new_name_or_role_shows_on_cards_already_rendered(client, post):
    path = f"/threads/{post.thread_id}"
    assert "Ana" in card_of(client.get(path).page, post.id)
    author = post.author
    author.display_name = "Ana Lucia"
    db.session.commit()
    assert "Ana Lucia" in card_of(client.get(path).page, post.id)


def test_a_long_post_too_long_to_keep_is_shown_in_full_with_its_actions(client, post):
    from forum.posts.cards import LONGEST_CACHED

    long_text = "A long evening walk along the river. " * (LONGEST_CACHED // 30)
    long_post = make_post(post.author, post.thread, long_text)
    client.login("ben")
    card = card_of(client.get(f"/threads/{post.thread_id}").get_data(as_text=True), long_post.id)
    assert len(card) > LONGEST_CACHED and card.count("A long evening walk") == LONGEST_CACHED // 30
    assert f'/posts/{long_post.id}/react"' in card
