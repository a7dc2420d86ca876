"""bench-seed fills an empty database with consistent data: every counter kept on write
equals a count of the rows, and the pages and search the benchmark reads work on it."""
import re
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum.clock import utcnow
from forum.extensions import db
from forum.mentors.responsiveness import recompute_responsiveness, responsiveness_at
from forum.models.accounts import User
from forum.models.ideas import IdeaCall
from forum.models.mentors import MentorProfile, Review
from forum.models.posts import Mention, Notification, Post, Reaction, Thread
from forum.models.training import Discussion, DiscussionCompletion, Enrollment, Program

SMALL = ["--posts", "3000", "--users", "300", "--mentors", "40", "--reviews", "400", "--top-mentor-reviews", "60",
         "--ideas", "100", "--idea-reactions", "600", "--responses", "120"]


@pytest.fixture
def seeded(app, runner):
    result = runner.invoke(args=["bench-seed", *SMALL])
    assert result.exit_code == 0, result.output
    return result


def test_it_makes_the_asked_shape(seeded):
    assert db.session.scalar(select(func.count(Post.id))) == 3000
    assert db.session.scalar(select(func.count(User.id))) == 300
    assert db.session.scalar(select(func.count(MentorProfile.id))) == 40
    assert db.session.scalar(select(func.count(Review.id))) == 400
    top = db.session.scalar(select(MentorProfile).join(MentorProfile.user).where(User.username == "bench_mentor"))
    assert top.review_count == 60
    main_discussion = db.session.scalar(select(Discussion).join(Program).where(
        Program.slug == "bench-listening-basics", Discussion.position == 1))
    assert main_discussion.thread.top_level_count == 120
    main_call = db.session.scalars(select(IdeaCall)).first()
    assert main_call.thread.top_level_count == 100
    reactions_on_main_call = db.session.scalar(select(func.count(Reaction.id)).join(Post).where(
        Post.thread_id == main_call.thread_id))
    assert reactions_on_main_call == 600
    assert db.session.scalar(select(func.count(Mention.id))) > 0
    assert db.session.scalar(select(func.count(Notification.id))) > 0
    assert "Seeded in" in seeded.output


def test_thread_and_post_counters_equal_the_rows(seeded):
    posts = db.session.execute(select(Post.id, Post.thread_id, Post.parent_id, Post.reply_count,
                                      Post.reaction_count, Post.created_at)).all()
    per_thread, top_level, replies = Counter(), Counter(), Counter()
    last = {}
    for post in posts:
        per_thread[post.thread_id] += 1
        last[post.thread_id] = max(last.get(post.thread_id, post.created_at), post.created_at)
        if post.parent_id is None:
            top_level[post.thread_id] += 1
        else:
            replies[post.parent_id] += 1
    reactions = Counter(dict(db.session.execute(select(Reaction.post_id, func.count()).group_by(Reaction.post_id)).all()))

    for thread in db.session.scalars(select(Thread)):
        assert (thread.post_count, thread.top_level_count) == (per_thread[thread.id], top_level[thread.id])
        assert thread.last_post_at == last.get(thread.id)
    assert [p.id for p in posts if p.reply_count != replies[p.id]] == []
    assert [p.id for p in posts if p.reaction_count != reactions[p.id]] == []


def test_graduates_completed_when_they_did_their_last_discussion(seeded):
    """As the forum stamps it: a certificate counts the discussions done by that moment."""
    last_done = dict(db.session.execute(select(
        DiscussionCompletion.enrollment_id, func.max(DiscussionCompletion.completed_at),
    ).group_by(DiscussionCompletion.enrollment_id)).all())
    graduates = db.session.scalars(select(Enrollment).where(Enrollment.completed_at.is_not(None))).all()
    assert graduates
    assert [e.id for e in graduates if e.completed_at != last_done[e.id]] == []


def test_mentor_caches_equal_the_reviews_and_requests(seeded):
    totals = {row.mentor_id: (row.total, row.count) for row in db.session.execute(
        select(Review.mentor_id, func.sum(Review.rating).label("total"), func.count().label("count"))
        .group_by(Review.mentor_id))}
    profiles = db.session.scalars(select(MentorProfile)).all()
    assert [p.id for p in profiles if (p.rating_sum, p.review_count) != totals.get(p.user_id, (0, 0))] == []

    # The spans seeded give, today and as requests leave the 90 days, what answering a
    # request would store.
    now = utcnow()
    moments = (now, now + timedelta(days=30), now + timedelta(days=60))
    kept = [{p.user_id: responsiveness_at(p.user_id, moment) for p in profiles} for moment in moments]
    for moment, seeded_then in zip(moments, kept):
        recomputed = {p.user_id: recompute_responsiveness(p.user_id, moment) for p in profiles}
        assert {mentor: _whole(seconds) for mentor, seconds in seeded_then.items()} == recomputed
    assert any(seconds is not None for seconds in kept[0].values())


def _whole(seconds: float | None) -> int | None:
    """As recompute_responsiveness gives it, past the float sums of the span's SQL."""
    return None if seconds is None else int(seconds + 1e-6)


def test_the_benchmarked_pages_and_search_answer_on_seeded_data(seeded, client):
    client.login("bench_reader", "bench-password")
    call = db.session.scalars(select(IdeaCall)).first()
    for path in ("/", "/programs", "/programs/bench-listening-basics/discussions/1",
                 "/programs/bench-listening-basics/discussions/1?page=6", f"/ideas/{call.thread_id}?sort=reactions",
                 "/mentors?track=night-shifts", "/mentors/bench_mentor", "/search?q=listening+support"):
        response = client.get(path)
        assert response.status_code == 200, path
    assert "result" in client.get("/search?q=listening").page


def test_it_refuses_a_database_with_people_in_it(seeded, runner):
    result = runner.invoke(args=["bench-seed", *SMALL])

    assert result.exit_code != 0
    assert "empty database" in result.output


def test_the_fewest_posts_it_asks_for_are_enough(app, runner):
    smaller = SMALL[2:]  # the same shape, posts aside
    refused = runner.invoke(args=["bench-seed", "--posts", "700", *smaller])
    assert refused.exit_code != 0
    fewest = int(re.search(r"--posts must be at least (\d+)", refused.output).group(1))

    result = runner.invoke(args=["bench-seed", "--posts", str(fewest), *smaller])

    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count(Post.id))) == fewest
