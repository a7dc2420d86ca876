"""A thread read newest first (or on a later page): replying, quoting, reacting and
flagging from there come back to that same view, at the post, not to the oldest-first
page the post would be on."""
from datetime import datetime, timedelta

import pytest

from forum.extensions import db
from tests.factories import make_post, make_thread, make_user
from tests.forms_on_page import landed, send_from


@pytest.fixture
def thread(app):
    """45 posts: the newest is on page 3 oldest first, on page 1 newest first."""
    ana = make_user("ana")
    thread = make_thread("Getting through the week")
    start = datetime(2026, 3, 1, 9, 0)
    posts = [make_post(ana, thread, f"Post number {n} of the week.") for n in range(45)]
    for n, post in enumerate(posts):
        post.created_at = start + timedelta(minutes=n)
    db.session.commit()
    thread.posts_made = posts
    make_user("ben")
    return thread


def test_a_reply_from_newest_first_lands_back_on_newest_first(client, thread):
    client.login("ben")
    newest = thread.posts_made[-1]
    path, query, anchor = landed(send_from(client, f"/threads/{thread.id}?order=newest", f"/posts/{newest.id}/replies",
                                           body="Same here, hang in there."))
    assert path == f"/threads/{thread.id}" and query == {"order": "newest"}
    assert "Same here, hang in there." in client.get(f"/threads/{thread.id}?order=newest").page


def test_the_reply_page_opened_from_newest_first_sends_back_there(client, thread):
    """Without JavaScript, Reply and Quote open a page of their own: its form carries the view on."""
    client.login("ben")
    newest = thread.posts_made[-1]
    page = client.get(f"/threads/{thread.id}?order=newest").page
    assert f'href="/posts/{newest.id}/reply?order=newest"' in page
    assert f'href="/posts/{newest.id}/reply?quote={newest.id}&order=newest"' in page
    path, query, anchor = landed(send_from(client, f"/posts/{newest.id}/reply?quote={newest.id}&order=newest",
                                           f"/posts/{newest.id}/replies", body="Quoting you: me too."))
    assert query == {"order": "newest"}


def test_a_reply_refused_on_its_page_still_sends_back_to_the_view(client, thread):
    client.login("ben")
    newest = thread.posts_made[-1]
    refused = send_from(client, f"/posts/{newest.id}/reply?order=newest", f"/posts/{newest.id}/replies", body="  ")
    assert refused.status_code == 422
    assert 'name="query" value="order=newest"' in refused.get_data(as_text=True)


def test_flagging_from_newest_first_lands_back_on_newest_first(client, thread):
    client.login("ben")
    newest = thread.posts_made[-1]
    page = client.get(f"/threads/{thread.id}?order=newest").page
    assert f'href="/flag/post/{newest.id}?order=newest"' in page
    path, query, anchor = landed(send_from(client, f"/flag/post/{newest.id}?order=newest",
                                           f"/flag/post/{newest.id}?order=newest", reason="This reads like spam."))
    assert query == {"order": "newest"} and anchor == f"post-{newest.id}"


def test_a_reaction_sent_by_the_script_keeps_the_view_in_the_new_buttons(client, thread):
    """The script puts the reaction area it gets back in place of the old: a later press
    without the script (the page kept offline, the script failed) still comes back here."""
    client.login("ben")
    newest = thread.posts_made[-1]
    token = client.csrf_token()
    answer = client.post(f"/posts/{newest.id}/react", data={"kind": "hug", "csrf_token": token, "query": "order=newest"},
                         headers={"Accept": "application/json"})
    assert 'name="query" value="order=newest"' in answer.get_json()["html"]


def test_a_page_in_its_own_order_carries_no_view(client, thread):
    client.login("ben")
    page = client.get(f"/threads/{thread.id}").get_data(as_text=True)
    assert 'name="query"' not in page and "\x00" not in page
    signed_out = client.application.test_client().get(f"/threads/{thread.id}?order=newest").get_data(as_text=True)
    assert "\x00" not in signed_out
