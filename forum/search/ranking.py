"""The ranked statement of a search: the matches a reader may see across posts, calls for
ideas and mentor profiles, best first (or newest first), one page of them and how many
there are.

Results obey the same rules as pages (forum/posts/visibility.py for posts and calls, the
directory's listing rules for mentors), so nothing turns up from a space the reader cannot
enter. Building the statement cost more than running it for a rare word (about 2 ms of
SQLAlchemy, to make it and to walk it for its cache key), so it is built once per kind of
reader and shape of search and reused, as the visibility clauses are: the words and the
filters' values are bound parameters, and SQL expressions are immutable.
"""
from dataclasses import dataclass
from datetime import datetime, time
from functools import lru_cache

from sqlalchemy import DateTime, Integer, String, and_, bindparam, exists, func, literal_column, or_, select, union_all
from sqlalchemy.orm import aliased

from forum.extensions import db
from forum.local_time import stored_moment, zone_of
from forum.mentors.directory import listing_rules
from forum.models.ideas import IdeaCall
from forum.models.mentors import MentorProfile
from forum.models.moderation import blocked_ids_of
from forum.models.posts import Post, Thread, ThreadMember
from forum.posts.visibility import (
    Viewer, own_closed_posts_clause, reader_id_sets, viewer_of, visible_posts_clause, visible_threads_clause,
)
from forum.search.results import PART_OF_THREAD_KIND

# Counting every match of a common word costs as much as ranking them; nobody pages that far.
RESULT_CAP = 1000
# As many posts as the pager can show are ranked, and one more: every ranked post can be
# reached, and the one past the cap tells "exactly 1,000" from "more than 1,000". A post
# ranked far beyond RESULT_CAP (half of them, when 2,000 were ranked) only cost time.
POST_CANDIDATES = RESULT_CAP + 1
# Searched first where the index cannot give the newest matches first (PostgreSQL).
RECENT_POSTS = 20_000
POST_PARTS = ("", "training", "ideas", "conversations", "threads")
# A search in a part with more threads than this for the reader walks the words' matches
# and keeps the part's, as a search in "Other threads" always does: a list this long
# already costs what walking them does.
PART_THREADS_LIMIT = 500


@dataclass(frozen=True)
class Shape:
    """What a ranked statement is built for, besides the reader: where to search and which
    filters are set (their values are bound when it runs)."""
    part: str
    by_author: bool
    since: bool
    until: bool
    # Posts are searched in the part's threads only, bound as `part_threads`.
    in_part_threads: bool = False
    # Newest first rather than best first: nothing is scored.
    newest_first: bool = False


class _Params:
    """The statement's bound parameters, one object each however often it is used."""

    def __init__(self):
        self.words = bindparam("words", type_=String)
        self.author_id = bindparam("author_id", type_=Integer)
        self.since = bindparam("since", type_=DateTime)
        self.until = bindparam("until", type_=DateTime)


def ranked_page(backend, user, query, planned: dict, reader_sets: dict, part_threads: list[int] | None,
                per_page: int, skip: int):
    """The statement and its parameters for one page of (kind, ref_id, total) rows, where
    total is how many results there are in all (more than RESULT_CAP means "more than").
    `planned` is what the backend's `planned_for_these_words` gave to bind, `reader_sets`
    what `reader_sets_for` read (before that, which would plan it afresh too), and
    `part_threads` what `part_threads_for` read."""
    start, end = _moments_of_days(query, zone_of(user))
    shape = Shape(query.part, query.author is not None, start is not None, end is not None,
                  in_part_threads=part_threads is not None, newest_first=query.order == "newest")
    params = {**planned, **reader_sets, "words": backend.words(query.terms), "per_page": per_page, "skip": skip}
    if part_threads is not None:
        params.update(backend.part_threads_params(part_threads))
    if query.author is not None:
        params.update(author_id=query.author.id, **backend.author_params(query.author.id))
    if start:
        params["since"] = start
    if end:
        params["until"] = end
    # Posts are filed under the UTC days they were written on, so the index reads the UTC
    # days of the reader's first and last moment.
    params.update(backend.date_params(start and start.date(), end and end.date()))
    return _ranked_statement(backend, viewer_of(user), shape), params


def _moments_of_days(query, zone_name: str) -> tuple[datetime | None, datetime | None]:
    """The first and last stored moment of the days searched, as the reader's clock reads
    them (pages show times in their zone). None where no day was given, or where the day
    reaches past the calendar in UTC (year 1, year 9999), which bounds nothing."""
    start = stored_moment(query.since, time.min, zone_name) if query.since else None
    # The whole day, to its last microsecond: the day after 31 December 9999 does not exist.
    end = stored_moment(query.until, time.max, zone_name) if query.until else None
    return start, end


def reader_sets_for(backend, user, query) -> dict:
    """The sets of ids the visibility clauses of posts and calls read for `user`, where the
    backend's ranked statement binds them (forum/posts/visibility.py's `reader_id_sets`)."""
    return reader_id_sets(user) if backend.binds_reader_sets and query.part != "mentors" else {}


def _thread_kinds_of(part: str) -> list[str]:
    """The kinds of thread that make up a part of posts; none for "Other threads" (the rest)."""
    return [kind for kind, part_of_kind in PART_OF_THREAD_KIND.items() if part_of_kind == part]


def part_threads_for(user, query) -> list[int] | None:
    """The threads a search in a part of posts may find posts in, or None to search the
    words' matches and keep the part's (everywhere, in "Other threads", or a part with
    more than PART_THREADS_LIMIT threads for the reader).

    A part of few threads (a few calls for ideas, a few programs' discussions, a reader's
    own conversations) holds few of a common word's matches: "listening" in ideas kept 361
    of 31,000 at 200,000 posts, after reading them all. Named, its threads narrow the
    search in the index. The list may hold threads the reader cannot see (a call locked
    by a badge): the ranked statement's visibility still decides, as for every search."""
    kinds = _thread_kinds_of(query.part)
    if not kinds:
        return None
    # Private threads are read from the reader's memberships, not from every one of them.
    statement = select(Thread.id).where(Thread.kind.in_(kinds), Thread.is_private.is_(False))
    viewer = viewer_of(user)
    if viewer is not None:
        member_of = (select(ThreadMember.thread_id).join(Thread, Thread.id == ThreadMember.thread_id)
                     .where(ThreadMember.user_id == viewer.id, Thread.kind.in_(kinds), Thread.is_private.is_(True)))
        statement = union_all(statement, member_of)
    thread_ids = db.session.scalars(statement.limit(PART_THREADS_LIMIT + 1)).all()
    return None if len(thread_ids) > PART_THREADS_LIMIT else list(thread_ids)


# About 100 KiB each (the statement and its cache key, beside the reader's visibility
# clauses, which forum/posts/visibility.py keeps anyway): 128 readers' searches, 12 MiB a
# worker. A reader who falls out is built again, as every search was before.
@lru_cache(maxsize=128)
def _ranked_statement(backend, viewer: Viewer | None, shape: Shape):
    params = _Params()
    selects = []
    if shape.part in POST_PARTS:
        selects.append(_post_hits(backend, viewer, shape, params))
    if shape.part in ("", "ideas"):
        selects.append(_call_hits(backend, viewer, shape, params))
    if shape.part in ("", "mentors"):
        selects.append(_mentor_hits(backend, viewer, shape, params))
    # Materialized once, then counted and paged: the count rides along with the page, with
    # no second search to count, and no fetching of every ranked id to count them in Python
    # (a window count, over every row with its score, cost three times as much on SQLite).
    ranked = (union_all(*selects) if len(selects) > 1 else selects[0]).cte("ranked").prefix_with("MATERIALIZED")
    total = select(func.count()).select_from(ranked).scalar_subquery()
    # A mentor profile says nothing of when it was written: newest first, profiles follow
    # the posts and calls, which do.
    order = ((ranked.c.kind == "mentor", ranked.c.created_at.desc()) if shape.newest_first
             else (ranked.c.score, ranked.c.created_at.desc()))
    return (select(ranked.c.kind, ranked.c.ref_id, total.label("total"))
            .order_by(*order, ranked.c.kind, ranked.c.ref_id)
            .limit(bindparam("per_page", type_=Integer)).offset(bindparam("skip", type_=Integer)))


def _score(match, shape: Shape):
    """The engine's score, or none when results come newest first: ranking the newest
    thousand posts cost more than finding them (bm25 for "listening" was 1.5 of 3.7 ms)."""
    return literal_column("0") if shape.newest_first else match.score


def _in_range(column, shape: Shape, params: _Params) -> list:
    clauses = []
    if shape.since:
        clauses.append(column >= params.since)
    if shape.until:
        clauses.append(column <= params.until)
    return clauses


def _hits(kind: str, match, shape: Shape, ref_id, created_at, *where):
    return (select(literal_column(f"'{kind}'").label("kind"), ref_id.label("ref_id"),
                   _score(match, shape).label("score"), created_at.label("created_at"))
            .select_from(match.from_clause).where(match.condition, *where))


def _post_hits(backend, viewer, shape: Shape, params: _Params):
    """Posts the reader may see that match, newest POST_CANDIDATES of them, with their score;
    and their own in threads closed to them that their profile lists.

    Ranking every post that holds a common word costs as much as the number of such posts
    (tens of thousands at 200,000 posts); ranking the newest thousand keeps a search's
    cost flat as the forum grows, and a word with fewer matches still finds all its posts.
    """
    match = backend.posts(params.words)
    visible = visible_posts_clause(viewer, backend.binds_reader_sets)
    if (own_closed := own_closed_posts_clause(viewer)) is not None:
        # What they wrote where they no longer read (a program they left) is still theirs to
        # find, as their profile lists it; its permalink leads them to where they read it
        # (`link_when_closed`). Not what a moderator hid, which search never shows (SQLite's
        # index holds none): said outside the OR, PostgreSQL still uses its partial index.
        visible = and_(Post.deleted_at.is_(None), Post.hidden_at.is_(None), or_(visible, own_closed))
    where = [match.condition, visible, *_in_range(Post.created_at, shape, params)]
    if viewer is not None:
        # Thread pages fold away the posts of people the reader blocked; search leaves them
        # out, since a folded result would show nothing to find.
        where.append(Post.author_id.not_in(blocked_ids_of(viewer.id)))
    if shape.by_author:
        where.append(Post.author_id == params.author_id)
        in_index = backend.posts_by_author()
        if in_index is not None:
            where.append(in_index)
    if shape.in_part_threads:
        where.append(backend.posts_in_threads())
    where.extend(backend.posts_in_dates(shape.since, shape.until))
    candidates = select(Post.id.label("ref_id"), _score(match, shape).label("score"),
                        Post.created_at.label("created_at"))
    candidates = candidates.select_from(match.from_clause)
    if shape.part:
        # An alias: the visibility clause's own subquery over threads must not correlate with it.
        topic = aliased(Thread)
        kinds = _thread_kinds_of(shape.part)
        candidates = candidates.join(topic, topic.id == Post.thread_id).where(
            topic.kind.in_(kinds) if kinds else topic.kind.not_in(PART_OF_THREAD_KIND))
    newest = _newest(backend, shape, candidates.where(*where), match).subquery("post_hits")
    return select(literal_column("'post'").label("kind"), newest.c.ref_id, newest.c.score, newest.c.created_at)


def _newest(backend, shape: Shape, candidates, match):
    """The newest POST_CANDIDATES of `candidates`.

    SQLite's FTS5 hands matches over newest first and stops early. PostgreSQL's GIN index
    hands over every match (31,655 posts for "listening" at 200,000 posts) before the
    newest are kept, so there the newest RECENT_POSTS posts are searched first and the
    older ones only if those held too few: a common word then costs the same at any size,
    and a rare word still finds all its posts. (A plain Append, as PostgreSQL runs a UNION
    ALL, reads its second branch only when the first ran out; `planned_for_these_words`
    turns off the parallel kind.) The newest post's id is bound, not a subquery: the
    planner then knows how many posts the window holds and how many of them match. With a
    subquery it guessed a third of the table and a sixth of the matches (520 of 3,118 for
    "listening"), so it read and sorted the whole window; now it walks back from the
    newest post and stops. The boundary only splits the search in two: a post written
    since it was read is searched too. Within a part's threads there is no window: the
    planner reads the posts of those threads, which are few, and sorts their matches."""
    if not backend.finds_older_posts_late or shape.in_part_threads:
        return candidates.order_by(match.newest_first).limit(POST_CANDIDATES)
    boundary = bindparam("newest_post_id", type_=Integer) - RECENT_POSTS
    recent = candidates.where(Post.id > boundary).order_by(match.newest_first).limit(POST_CANDIDATES)
    older = candidates.where(Post.id <= boundary).order_by(match.newest_first).limit(POST_CANDIDATES)
    return select(union_all(recent, older).subquery()).limit(POST_CANDIDATES)


def _call_hits(backend, viewer, shape: Shape, params: _Params):
    # Correlated, as for posts: the cost follows the matching calls, not the number of threads.
    visible = visible_threads_clause(viewer, backend.binds_reader_sets)
    where = [exists().where(Thread.id == IdeaCall.thread_id, visible),
             *_in_range(IdeaCall.created_at, shape, params)]
    if shape.by_author:
        where.append(IdeaCall.opened_by_id == params.author_id)
    return _hits("call", backend.calls(params.words), shape, IdeaCall.thread_id, IdeaCall.created_at, *where)


def _mentor_hits(backend, viewer, shape: Shape, params: _Params):
    where = [*listing_rules(viewer), *_in_range(MentorProfile.created_at, shape, params)]
    if shape.by_author:
        where.append(MentorProfile.user_id == params.author_id)
    return _hits("mentor", backend.mentors(params.words), shape, MentorProfile.id, MentorProfile.created_at, *where)
