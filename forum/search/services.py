"""Search: what a reader may find, ranked across posts, calls for ideas and mentor profiles.

Results obey the same rules as pages (forum/posts/visibility.py for posts and calls, the
directory's listing rules for mentors), so nothing turns up from a space the reader
cannot enter. A page costs a fixed number of statements: one count (capped), one ranked
page of ids, then per kind of result one load and one snippet query for that page only.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask_sqlalchemy.pagination import Pagination
from markupsafe import Markup, escape
from sqlalchemy import exists, func, literal_column, select, union_all
from sqlalchemy.orm import aliased, defaultload

from forum.errors import DomainError
from forum.extensions import db
from forum.links import path_for
from forum.mentors.directory import listing_rules
from forum.models.accounts import User, user_by_username
from forum.models.ideas import IdeaCall
from forum.models.mentors import MentorProfile
from forum.models.posts import Post, Thread
from forum.posts.visibility import visible_posts_clause, visible_threads_clause
from forum.search.backends import backend_for_session
from forum.search.terms import QUERY_LIMIT, TERM_LIMIT, highlighted, search_terms, searched_only_part

PER_PAGE = 20
# Counting every match of a common word costs as much as ranking them; nobody pages that far.
RESULT_CAP = 1000
MAX_PAGE = RESULT_CAP // PER_PAGE
POST_CANDIDATES = 2000
# Searched first where the index cannot give the newest matches first (PostgreSQL).
RECENT_POSTS = 20_000
PARTS = {
    "": "Everything",
    "training": "Training discussions",
    "ideas": "Ideas",
    "mentors": "Mentors",
    "conversations": "Mentor conversations",
    "threads": "Other threads",
}
PART_OF_THREAD_KIND = {"discussion": "training", "idea_call": "ideas", "conversation": "conversations"}
POST_PARTS = ("", "training", "ideas", "conversations", "threads")


@dataclass
class SearchQuery:
    text: str = ""
    terms: list[str] = field(default_factory=list)
    part: str = ""
    author: User | None = None
    since: date | None = None
    until: date | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class SearchResult:
    kind: str  # "post", "call" or "mentor"
    part: str
    title: Markup
    snippet: Markup
    link: str
    author: User | None
    created_at: datetime | None
    is_reply: bool = False


@dataclass
class SearchPage:
    query: SearchQuery
    pagination: Pagination | None
    results: list[SearchResult]

    @property
    def capped(self) -> bool:
        return self.pagination is not None and self.pagination.total >= RESULT_CAP


def _date(args, name: str) -> date | None:
    value = (args.get(name) or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise DomainError("Write the date as year-month-day, for example 2026-03-01.", name) from None


def parse_query(args) -> SearchQuery:
    """Read the search form from the query string; a bad filter says which and why."""
    text = (args.get("q") or "").replace("\x00", "")
    query = SearchQuery(text=text[:QUERY_LIMIT], terms=search_terms(text))
    if searched_only_part(text):
        query.notes.append(f"Only the first {TERM_LIMIT} words were searched.")
    query.part = args.get("part", "")
    if query.part not in PARTS:
        raise DomainError("Choose where to search from the list.", "part")
    author = " ".join((args.get("author") or "").replace("\x00", "").split())[:40]
    if author:
        query.author = db.session.scalar(user_by_username(author.lstrip("@")))
        if query.author is None:
            raise DomainError(f"Nobody here is called “{author}”.", "author")
    query.since, query.until = _date(args, "since"), _date(args, "until")
    if query.since and query.until and query.since > query.until:
        raise DomainError("The “from” date comes after the “to” date.", "until")
    return query


def _in_range(column, query: SearchQuery) -> list:
    clauses = []
    if query.since:
        clauses.append(column >= datetime.combine(query.since, time.min))
    if query.until:
        clauses.append(column < datetime.combine(query.until + timedelta(days=1), time.min))
    return clauses


def _hits(kind: str, match, ref_id, created_at, *where):
    return (select(literal_column(f"'{kind}'").label("kind"), ref_id.label("ref_id"),
                   match.score.label("score"), created_at.label("created_at"))
            .select_from(match.from_clause).where(match.condition, *where))


def _post_hits(backend, user, query: SearchQuery):
    """Posts the reader may see that match, newest POST_CANDIDATES of them, with their score.

    Ranking every post that holds a common word costs as much as the number of such posts
    (tens of thousands at 200,000 posts); ranking the newest few thousand keeps a search's
    cost flat as the forum grows, and a rare word still finds all its posts.
    """
    match = backend.posts(query.terms)
    where = [match.condition, visible_posts_clause(user), *_in_range(Post.created_at, query)]
    if query.author:
        where.append(Post.author_id == query.author.id)
    candidates = select(Post.id.label("ref_id"), match.score.label("score"), Post.created_at.label("created_at"))
    candidates = candidates.select_from(match.from_clause)
    if query.part:
        # An alias: the visibility clause's own subquery over threads must not correlate with it.
        topic = aliased(Thread)
        kinds = [kind for kind, part in PART_OF_THREAD_KIND.items() if part == query.part]
        candidates = candidates.join(topic, topic.id == Post.thread_id).where(
            topic.kind.in_(kinds) if kinds else topic.kind.not_in(PART_OF_THREAD_KIND))
    newest = _newest(backend, candidates.where(*where), match).subquery("post_hits")
    return select(literal_column("'post'").label("kind"), newest.c.ref_id, newest.c.score, newest.c.created_at)


def _newest(backend, candidates, match):
    """The newest POST_CANDIDATES of `candidates`.

    SQLite's FTS5 hands matches over newest first and stops early. PostgreSQL's GIN index
    hands over every match (31,655 posts for "listening" at 200,000 posts) before the
    newest are kept, so there the newest RECENT_POSTS posts are searched first, walking
    the primary key backwards, and the older ones only if those held too few: a common
    word then costs the same at any size, and a rare word still finds all its posts.
    (A plain Append, as PostgreSQL runs a UNION ALL, reads its second branch only when
    the first ran out; `plan_for_these_words` turns off the parallel kind.)"""
    if not backend.finds_older_posts_late:
        return candidates.order_by(match.newest_first).limit(POST_CANDIDATES)
    boundary = select(func.max(Post.id)).scalar_subquery() - RECENT_POSTS
    recent = candidates.where(Post.id > boundary).order_by(match.newest_first).limit(POST_CANDIDATES)
    older = candidates.where(Post.id <= boundary).order_by(match.newest_first).limit(POST_CANDIDATES)
    return select(union_all(recent, older).subquery()).limit(POST_CANDIDATES)


def _call_hits(backend, user, query: SearchQuery):
    # Correlated, as for posts: the cost follows the matching calls, not the number of threads.
    where = [exists().where(Thread.id == IdeaCall.thread_id, visible_threads_clause(user)),
             *_in_range(IdeaCall.created_at, query)]
    if query.author:
        where.append(IdeaCall.opened_by_id == query.author.id)
    return _hits("call", backend.calls(query.terms), IdeaCall.thread_id, IdeaCall.created_at, *where)


def _mentor_hits(backend, user, query: SearchQuery):
    where = [*listing_rules(user), *_in_range(MentorProfile.created_at, query)]
    if query.author:
        where.append(MentorProfile.user_id == query.author.id)
    return _hits("mentor", backend.mentors(query.terms), MentorProfile.id, MentorProfile.created_at, *where)


class RankedPagination(Pagination):
    """Pages of (kind, ref_id) rows of the ranked union, for the shared pagination macro.

    One query fetches the ids of up to RESULT_CAP best results; the page is a slice of them
    and the total their number, so ranking is not done twice (once to count, once to page).
    """

    def _ranked(self) -> list:
        if "ranked" not in self._query_args:
            statement = self._query_args["statement"].limit(RESULT_CAP)
            self._query_args["ranked"] = list(db.session.execute(statement))
        return self._query_args["ranked"]

    def _query_items(self) -> list:
        return self._ranked()[self._query_offset:self._query_offset + self.per_page]

    def _query_count(self) -> int:
        return len(self._ranked())


def search(user, query: SearchQuery, page: int) -> SearchPage:
    if not query.terms:
        return SearchPage(query, None, [])
    backend = backend_for_session()
    backend.plan_for_these_words()
    selects = []
    if query.part in POST_PARTS:
        selects.append(_post_hits(backend, user, query))
    if query.part in ("", "ideas"):
        selects.append(_call_hits(backend, user, query))
    if query.part in ("", "mentors"):
        selects.append(_mentor_hits(backend, user, query))
    ranked = (union_all(*selects) if len(selects) > 1 else selects[0]).subquery("ranked")
    statement = select(ranked.c.kind, ranked.c.ref_id).order_by(
        ranked.c.score, ranked.c.created_at.desc(), ranked.c.kind, ranked.c.ref_id)
    pagination = RankedPagination(statement=statement, page=min(max(page, 1), MAX_PAGE), per_page=PER_PAGE,
                                  error_out=False)
    return SearchPage(query, pagination, _results(backend, query.terms, pagination.items))


def _people_only(relationship):
    """Results show people's names: their roles and badges need not be loaded."""
    person = defaultload(relationship)
    return person.lazyload(User.roles), person.lazyload(User.badges)


def _ids(rows, kind: str) -> list[int]:
    return [row.ref_id for row in rows if row.kind == kind]


def _results(backend, terms, rows) -> list[SearchResult]:
    """The page's rows as results, loaded and highlighted together, in ranked order."""
    found = {}
    post_ids, call_ids, mentor_ids = _ids(rows, "post"), _ids(rows, "call"), _ids(rows, "mentor")
    if post_ids:
        snippets = backend.post_snippets(terms, post_ids)
        for post in db.session.scalars(
                select(Post).where(Post.id.in_(post_ids)).options(*_people_only(Post.author))):
            found["post", post.id] = SearchResult(
                "post", PARTS[PART_OF_THREAD_KIND.get(post.thread.kind, "threads")], escape(post.thread.title),
                highlighted(snippets.text.get(post.id)), path_for("posts.permalink", post_id=post.id),
                post.author, post.created_at, is_reply=post.parent_id is not None)
    if call_ids:
        snippets = backend.call_snippets(terms, call_ids)
        for call in db.session.scalars(select(IdeaCall).where(
                IdeaCall.thread_id.in_(call_ids)).options(*_people_only(IdeaCall.opened_by))):
            found["call", call.id] = SearchResult(
                "call", PARTS["ideas"], highlighted(snippets.title.get(call.id) or call.title),
                highlighted(snippets.text.get(call.id)), path_for("ideas.call", call_id=call.id),
                call.opened_by, call.created_at)
    if mentor_ids:
        snippets = backend.mentor_snippets(terms, mentor_ids)
        for profile in db.session.scalars(select(MentorProfile).where(
                MentorProfile.id.in_(mentor_ids)).options(*_people_only(MentorProfile.user))):
            headline = highlighted(snippets.title.get(profile.id) or profile.headline)
            sections = highlighted(snippets.text.get(profile.id))
            found["mentor", profile.id] = SearchResult(
                "mentor", PARTS["mentors"], escape(profile.user.display_name),
                Markup(" — ").join(text for text in (headline, sections) if text),
                path_for("mentors.profile", username=profile.user.username), profile.user, None)
    return [found[row.kind, row.ref_id] for row in rows if (row.kind, row.ref_id) in found]
