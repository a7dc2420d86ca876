"""Permalinks, pagination and the query budget of a thread page."""
import re

import pytest
from sqlalchemy import insert

from forum.clock import utcnow
from forum.extensions import db
from forum.models.posts import Mention, Post, Reaction, Thread
from forum.posts.reading import POSTS_PER_PAGE, REPLIES_SHOWN
from tests.factories import make_post, make_thread, make_user
from tests.spoken_text import spoken


def bulk_posts(thread, authors, count, *, replies_each=0, reactions_each=0):
    """Insert many posts quickly, with replies, reactions and mentions, as a busy thread has."""
    start = utcnow()
    rows = [dict(thread_id=thread.id, author_id=authors[i % len(authors)].id,
                 body_md=f"response {i} @{authors[0].username}", body_html=f"<p>response {i}</p>",
                 created_at=start.replace(microsecond=0) if False else start, reply_count=replies_each,
                 reaction_count=reactions_each) for i in range(count)]
    db.session.execute(insert(Post), rows)
    tops = db.session.scalars(db.select(Post.id).where(Post.thread_id == thread.id, Post.parent_id.is_(None))).all()
    replies = [dict(thread_id=thread.id, parent_id=top, author_id=authors[(j + 1) % len(authors)].id,
                    body_md="reply", body_html="<p>reply</p>", created_at=start)
               for top in tops for j in range(replies_each)]
    if replies:
        db.session.execute(insert(Post), replies)
    kinds = ["heart", "hug", "high_five", "lightbulb", "thumbs_up"]
    reactions = [dict(post_id=top, user_id=authors[k % len(authors)].id, kind=kinds[k // len(authors) % 5], created_at=start)
                 for top in tops for k in range(reactions_each)]
    if reactions:
        db.session.execute(insert(Reaction), reactions)
    db.session.execute(insert(Mention), [dict(post_id=top, user_id=authors[0].id) for top in tops])
    thread_row = db.session.get(Thread, thread.id)
    thread_row.top_level_count = len(tops)
    thread_row.post_count = len(tops) + len(replies)
    db.session.commit()


def statements_for_page(client, count_queries, path):
    client.get(path)  # warm caches that are not per request
    with count_queries() as counter:
        response = client.get(path)
    assert response.status_code == 200
    return counter.count


def test_thread_page_costs_the_same_with_10_or_1000_posts(client, count_queries):
    authors = [make_user(f"trainee{i}") for i in range(6)]
    small, big = make_thread("Small"), make_thread("Big")
    bulk_posts(small, authors[:2], 10, replies_each=1, reactions_each=2)
    bulk_posts(big, authors, 1000, replies_each=12, reactions_each=6)
    client.login("trainee5")
    small_count = statements_for_page(client, count_queries, f"/threads/{small.id}")
    big_count = statements_for_page(client, count_queries, f"/threads/{big.id}")
    last_page = statements_for_page(client, count_queries, f"/threads/{big.id}?page=50")
    assert small_count == big_count == last_page
    assert big_count <= 16  # 15, and one for the people the reader blocked (folded away)


def test_pages_show_twenty_posts_and_link_to_the_next(client):
    authors = [make_user(f"trainee{i}") for i in range(2)]
    thread = make_thread("Busy")
    bulk_posts(thread, authors, POSTS_PER_PAGE + 5)
    first = client.get(f"/threads/{thread.id}").page
    assert first.count('class="post"') == POSTS_PER_PAGE
    assert 'rel="next" href="/threads/' in first and "page=2" in first
    second = client.get(f"/threads/{thread.id}?page=2").page
    assert second.count('class="post"') == 5
    pager = re.search(r'<nav class="pagination".*?</nav>', second, flags=re.S)[0]
    assert "← Previous" in " ".join(re.sub(r"<[^>]+>", "", pager).split())  # the arrow is there for the eye
    assert spoken(pager) == "Previous 1 2"  # but not read out as "left arrow Previous"


def test_the_pager_follows_posts_written_and_deleted_for_good(client):
    # The page count comes from the thread's counter of top-level posts, kept on write.
    from forum.moderation.services import delete_post_permanently

    ana, ada = make_user("ana"), make_user("ada", role=("member", "admin"))
    thread = make_thread("Busy")
    posts = [make_post(ana, thread, f"response {i}") for i in range(POSTS_PER_PAGE)]
    assert "page=2" not in client.get(f"/threads/{thread.id}").page
    make_post(ana, thread, "one more")
    assert 'rel="next" href="/threads/' in client.get(f"/threads/{thread.id}").page
    delete_post_permanently(ada, posts[0], "posted twice")
    page = client.get(f"/threads/{thread.id}").page
    assert "page=2" not in page and "one more" in page and "response 0<" not in page


@pytest.mark.parametrize("page", ["0", "-3", "abc", "99999"])
def test_odd_page_numbers_never_fail(client, page):
    thread = make_thread()
    make_post(make_user("ana"), thread)
    assert client.get(f"/threads/{thread.id}?page={page}").status_code == 200


def test_a_page_past_the_last_says_how_many_there_are_not_that_nothing_was_posted(client):
    thread = make_thread("Busy")
    bulk_posts(thread, [make_user("ana")], POSTS_PER_PAGE + 5)
    page = client.get(f"/threads/{thread.id}?page=9&order=newest").page
    assert "No posts yet" not in page
    assert "There are only 2 pages:" in page
    assert f'<a href="/threads/{thread.id}?page=2&amp;order=newest">go to the last</a>' in client.get(
        f"/threads/{thread.id}?page=9&order=newest").text
    empty = make_thread("Quiet")
    assert "No posts yet. Be the first." in client.get(f"/threads/{empty.id}?page=3").page


def test_permalink_goes_to_the_right_page_and_anchor(client):
    authors = [make_user(f"trainee{i}") for i in range(2)]
    thread = make_thread("Busy")
    bulk_posts(thread, authors, POSTS_PER_PAGE + 3)
    late = make_post(authors[0], thread, "the newest one")
    response = client.get(f"/posts/{late.id}")
    assert response.status_code == 302
    assert response.location.endswith(f"/threads/{thread.id}?page=2#post-{late.id}")
    first = db.session.scalar(db.select(Post).where(Post.thread_id == thread.id).order_by(Post.id))
    assert client.get(f"/posts/{first.id}").location.endswith(f"/threads/{thread.id}#post-{first.id}")


def test_long_reply_lists_link_to_their_own_pages(client):
    ana, ben = make_user("ana"), make_user("ben")
    thread = make_thread()
    top = make_post(ana, thread, "top")
    replies = [make_post(ben, thread, f"reply number {i}", parent=top) for i in range(REPLIES_SHOWN + 2)]
    page = client.get(f"/threads/{thread.id}").page
    assert "reply number 9" in page and "reply number 11" not in page
    assert f"See all {REPLIES_SHOWN + 2} replies" in page
    location = client.get(f"/posts/{replies[-1].id}").location
    assert location.endswith(f"/posts/{top.id}/replies?page=1#post-{replies[-1].id}")
    replies_page = client.get(f"/posts/{top.id}/replies").page
    assert "reply number 11" in replies_page
    back = re.search(rf'<a href="/posts/{top.id}">.*?</a>', replies_page, flags=re.S)[0]
    assert " ".join(re.sub(r"<[^>]+>", "", back).split()) == "← Back to “A place to talk”"
    assert spoken(back) == "Back to “A place to talk”"  # not "left arrow Back to…"


def test_a_page_of_replies_past_the_last_says_how_many_there_are_not_that_nobody_replied(client):
    ana, ben = make_user("ana"), make_user("ben")
    top = make_post(ana, make_thread(), "top")
    make_post(ben, top.thread, "the only reply", parent=top)
    page = client.get(f"/posts/{top.id}/replies?page=4").page
    assert "No replies yet" not in page
    assert "There is only 1 page:" in page
    assert f'<a href="/posts/{top.id}/replies?page=1">go to the last</a>' in client.get(
        f"/posts/{top.id}/replies?page=4").text
    quiet = make_post(ben, top.thread, "nobody answered this")
    assert "No replies yet." in client.get(f"/posts/{quiet.id}/replies").page
