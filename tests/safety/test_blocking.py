"""Blocking: no mentions, replies or reactions reach the blocker, posts fold away, and
the blocked person is not told."""
import re

import pytest
from sqlalchemy import func, select

from forum.errors import Forbidden
from forum.extensions import db
from forum.models.moderation import Block
from forum.models.posts import Notification
from forum.moderation import member_views
from forum.moderation.permissions import is_blocked
from forum.posts.services import toggle_reaction
from tests.factories import make_post, make_thread, make_user
from tests.forms_on_page import landed, send_from
from tests.safety.factories import make_block, make_moderator


def notifications_of(user) -> int:
    return db.session.scalar(select(func.count(Notification.id)).where(Notification.user_id == user.id))


@pytest.fixture
def ana_blocks_ben(app):
    ana, ben = make_user("ana"), make_user("ben")
    make_block(ana, ben)
    return ana, ben


def test_blocking_from_the_profile_and_unblocking(client):
    ana, ben = make_user("ana"), make_user("ben")
    client.login("ana")
    assert "Block Ben" in client.get("/users/ben").page
    response = client.submit("/users/ben/block")
    assert response.location.endswith("/users/ben")
    assert is_blocked(ana, ben) and not is_blocked(ben, ana)
    assert "Unblock Ben" in client.get("/users/ben").page
    client.submit("/users/ben/unblock")
    assert not is_blocked(ana, ben)


def test_blocking_twice_keeps_one_block(app, ana_blocks_ben):
    ana, ben = ana_blocks_ben
    make_block(ana, ben)
    assert db.session.scalar(select(func.count(Block.id))) == 1


def test_nobody_blocks_themselves_or_a_moderator(app):
    ana = make_user("ana")
    moss = make_moderator()
    for blocked in (ana, moss):
        with pytest.raises(Forbidden):
            make_block(ana, blocked)


def test_mentions_replies_and_reactions_from_a_blocked_person_notify_nothing(app, ana_blocks_ben):
    ana, ben = ana_blocks_ben
    cyd = make_user("cyd")
    post = make_post(ana, make_thread("Highs and lows"))
    make_post(ben, post.thread, "@ana what about you?")
    make_post(ben, post.thread, "replying to you", parent=post)
    toggle_reaction(ben, post, "heart")
    assert notifications_of(ana) == 0
    make_post(cyd, post.thread, "@ana and a reply", parent=post)  # everyone else still reaches her
    assert notifications_of(ana) == 1


def test_an_edit_that_adds_a_mention_of_the_blocker_notifies_nothing(client, ana_blocks_ben):
    ana, ben = ana_blocks_ben
    post = make_post(ben, make_thread(), "plain words")
    client.login("ben")
    client.submit(f"/posts/{post.id}/edit", {"body": "plain words @ana"})
    assert notifications_of(ana) == 0


def test_blocked_posts_are_folded_away_for_the_blocker_only(client, ana_blocks_ben):
    ana, ben = ana_blocks_ben
    thread = make_thread()
    bens = make_post(ben, thread, "Ben's words")
    make_post(ana, thread, "Ana's words")
    make_post(ana, thread, "Ana's answer", parent=bens)
    client.login("ana")
    page = client.get(f"/threads/{thread.id}").page
    folded = page.split('<details class="blocked-post">')[1].split("</details>")[0]
    assert "You blocked this person" in folded and "Ben's words" in folded
    assert "Ana's words" not in folded
    # Not named outside the fold either, not even to a screen reader ("Replies to Ben").
    assert "Ben" not in re.sub(r'<details class="blocked-post">.*?</details>', "", page, flags=re.S)
    # Nor on the page its "See all replies" opens, above the same folded card.
    page = client.get(f"/posts/{bens.id}/replies").page
    assert "Ben" not in re.sub(r'<details class="blocked-post">.*?</details>', "", page, flags=re.S)
    assert "<h1>Replies to someone you blocked</h1>" in page
    # Nor in the heading of the page listing who reacted to the post.
    assert "<h1>Who reacted to the post of someone you blocked</h1>" in client.get(f"/posts/{bens.id}/reactions").page
    client.logout()
    client.login("ben")
    page = client.get(f"/threads/{thread.id}").page
    assert "blocked" not in page.lower()  # the blocked person is not told
    assert "blocked" not in client.get("/users/ana").page.lower()


def test_the_settings_page_lists_blocked_people_with_unblock_buttons(client, ana_blocks_ben):
    ana, _ = ana_blocks_ben
    for n in range(12):
        make_block(ana, make_user(f"noisy{n}"))
    client.login("ana")
    page = client.get("/settings/account").page
    assert "People you blocked" in page and page.count(">Unblock<") == 10
    assert "See all 13" in page
    full = client.get("/settings/blocked").page
    assert full.count(">Unblock<") == 13
    # Each unblock comes back where it was pressed: the Settings page, or the list's own page.
    assert landed(send_from(client, "/settings/account", "/users/noisy3/unblock")) == ("/settings/account", {}, "")
    assert db.session.scalar(select(func.count(Block.id))) == 12


def test_unblocking_from_a_page_of_the_list_comes_back_to_that_page(client, ana_blocks_ben, monkeypatch):
    monkeypatch.setattr(member_views, "BLOCKED_PER_PAGE", 2)
    ana, _ = ana_blocks_ben
    for n in range(2):
        make_block(ana, make_user(f"noisy{n}"))
    client.login("ana")
    second = client.get("/settings/blocked?page=2").page
    (last,) = re.findall(r'action="/users/(\w+)/unblock"', second)
    assert landed(send_from(client, "/settings/blocked?page=2", f"/users/{last}/unblock")) == (
        "/settings/blocked", {"page": "2"}, "")
    # Its last one gone, the page is no more: the list's last page shows, and the message with it.
    emptied = client.get("/settings/blocked?page=2", follow_redirects=True)
    assert emptied.page.count(">Unblock<") == 2 and "You unblocked" in emptied.page
    # An address elsewhere is not followed: the person's profile, as from its own button.
    outside = client.submit("/users/noisy0/unblock", {"back": "//elsewhere.example/"})
    assert landed(outside) == ("/users/noisy0", {}, "")


def test_a_thread_page_loads_blocks_once_whatever_its_size(client, count_queries, ana_blocks_ben):
    ana, ben = ana_blocks_ben
    thread = make_thread()

    def add_posts(count):
        for n in range(count):
            top = make_post(ben if n % 2 else make_user(f"other{count}_{n}"), thread, f"post {n}")
            make_post(ben, thread, f"reply {n}", parent=top)

    add_posts(2)
    client.login("ana")
    with count_queries() as small:
        client.get(f"/threads/{thread.id}")
    add_posts(15)
    with count_queries() as large:
        page = client.get(f"/threads/{thread.id}").page
    assert page.count('class="blocked-post"') == (1 + 2) + (7 + 15)
    assert large.count == small.count
    # The header's unread count leaves out notices from people blocked in its own statement.
    assert sum("blocks" in statement and "notifications" not in statement for statement in large.statements) == 1


def test_other_parts_ask_is_blocked(app, ana_blocks_ben):
    ana, ben = ana_blocks_ben
    assert is_blocked(ana, ben) is True
    assert is_blocked(ben, ana) is False
    assert is_blocked(None, ben) is False


def test_what_a_person_said_before_being_blocked_leaves_the_blocker_s_notifications(client):
    ana, ben, cyd = make_user("ana"), make_user("ben"), make_user("cyd")
    post = make_post(ana, make_thread("Highs"))
    make_post(ben, post.thread, "@ana what about you?")
    make_post(cyd, post.thread, "Lovely", parent=post)
    client.login("ana")
    assert "Ben mentioned you" in client.get("/notifications").page
    client.submit("/users/ben/block")
    page = client.get("/notifications").page
    assert "Ben mentioned you" not in page
    assert "Cyd replied to your post" in page  # everyone else's stay
    client.submit("/users/ben/unblock")
    assert "Ben mentioned you" in client.get("/notifications").page  # kept, not deleted


def test_a_blocked_person_s_notices_leave_the_unread_count(app):
    from forum.posts.notifications import unread_count

    ana, ben = make_user("ana"), make_user("ben")
    post = make_post(ana, make_thread("Highs"))
    make_post(ben, post.thread, "replying", parent=post)
    assert unread_count(ana) == 1
    make_block(ana, ben)
    assert unread_count(ana) == 0
