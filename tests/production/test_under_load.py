"""Under load, nothing lost: 64 signed-in people read and post at once through a served
forum (gunicorn, several workers) for FORUM_LOAD_SECONDS, on whichever database this run
uses. No 5xx, every acknowledged post stored exactly once, and every counter true."""
import os

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models.posts import Post, Thread
from tests.factories import make_post, make_thread, make_user
from tests.live_server import serve_forum
from tests.production.crowd import BODY_PREFIX, run_crowd

CONNECTIONS = 64
THREADS = 4
# Production's workers (gunicorn.conf.py): one request at a time each, so most of the 64
# connections wait in the kernel's queue, as they would behind the proxy.
SERVER_WORKERS = 5


def load_seconds() -> float:
    default = "30" if os.environ.get("CI") == "true" else "8"
    return float(os.environ.get("FORUM_LOAD_SECONDS", default))


@pytest.mark.load
def test_under_load_every_acknowledged_post_is_stored_once(app, migrated_database, tmp_path):
    people = [make_user(f"crowd{number}") for number in range(CONNECTIONS)]
    threads = [make_thread(f"Crowded room {number}", author=people[number]) for number in range(THREADS)]
    for thread in threads:
        make_post(thread.author, thread, "Welcome, everyone: say hello.")
    thread_ids = [thread.id for thread in threads]

    with serve_forum(migrated_database, log_dir=tmp_path, workers=SERVER_WORKERS) as server:
        report = run_crowd(server.base_url, [person.username for person in people], thread_ids, load_seconds())
    print(f"{report.requests} requests, statuses {dict(report.statuses)}, {len(report.acknowledged)} posts "
          f"acknowledged, {report.resent} sent twice, {report.reconnects} reconnections")

    assert report.server_errors == []
    assert report.surprises == []
    assert len(report.acknowledged) >= CONNECTIONS // 4, "too little happened to judge"

    db.session.expire_all()
    stored: dict[str, list[int]] = {}
    for body, post_id in db.session.execute(select(Post.body_md, Post.id).where(Post.body_md.startswith(BODY_PREFIX))):
        stored.setdefault(body, []).append(post_id)
    assert {body: [post_id] for body, post_id in report.acknowledged.items()} == stored
    assert_counters_match_the_posts()


def assert_counters_match_the_posts() -> None:
    def counts(column, *where):
        return dict(db.session.execute(select(column, func.count()).where(*where).group_by(column)).all())

    all_posts = counts(Post.thread_id)
    top_level = counts(Post.thread_id, Post.parent_id.is_(None))
    replies = counts(Post.parent_id, Post.parent_id.is_not(None))
    threads = db.session.scalars(select(Thread)).all()
    assert {t.id: (t.post_count, t.top_level_count) for t in threads} == {
        t.id: (all_posts.get(t.id, 0), top_level.get(t.id, 0)) for t in threads}
    wrong = db.session.execute(select(Post.id, Post.reply_count)).all()
    assert [(post_id, count) for post_id, count in wrong if count != replies.get(post_id, 0)] == []
