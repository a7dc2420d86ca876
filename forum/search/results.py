"""One page of search results, loaded and highlighted together.

Each kind of result on the page (posts, calls for ideas, mentor profiles) is one statement
that brings the highlighted text with what a result shows of its source: a title, a name,
a date and what to link to. Plain columns, no ORM objects: loading each post with its
thread, author and their relations cost more than the rest of the page. The statements
are the same for every search, so each is built once and reused.
"""
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import NamedTuple

from markupsafe import Markup, escape
from sqlalchemy import Integer, String, and_, bindparam, case, select

from forum.accounts.permissions import is_signed_in
from forum.extensions import db
from forum.links import path_for
from forum.models.accounts import User
from forum.models.ideas import IdeaCall
from forum.models.mentors import MentorProfile
from forum.models.posts import Post, Thread
from forum.posts.authored import excerpt_of
from forum.posts.policies import policy_for
from forum.search.snippets import plain_snippet
from forum.search.terms import highlighted

PARTS = {
    "": "Everything",
    "training": "Training discussions",
    "ideas": "Ideas",
    "mentors": "Mentors",
    "conversations": "Mentor conversations",
    "threads": "Other threads",
}
PART_OF_THREAD_KIND = {"discussion": "training", "idea_call": "ideas", "conversation": "conversations"}


class Author(NamedTuple):
    """Who wrote a result, as much as its line shows and the template's `can_see_last_seen`
    asks of them: a teen's dates are not for every adult to read."""
    id: int
    display_name: str
    age_group: str


@dataclass
class SearchResult:
    kind: str  # "post", "call" or "mentor"
    part: str
    title: Markup
    snippet: Markup
    link: str
    author: Author | None  # None: an account gone for good
    created_at: datetime | None
    # What the part's pages call it: "idea", "response", "reply", "message", "post".
    name: str = ""


# Ids apart, at most, for a page's highlights to be read in one pass over the matches. A
# word in every post makes that pass read 20,000 matches (about 2 ms, measured with "the"
# at 200,000 posts), at worst twice what the seeks cost; for most words it is far fewer.
NARROW_SPAN = 20_000


def results_for(backend, words: str, rows, reader) -> list[SearchResult]:
    """The page's ranked (kind, ref_id) rows as results, in ranked order, as `reader` reads them."""
    found = {}
    own = {"reader_id": None, "reader_age_group": None}
    if is_signed_in(reader):
        own = {"reader_id": reader.id, "reader_age_group": reader.age_group}
    for kind, statement, as_result in _KINDS:
        ids = [row.ref_id for row in rows if row.kind == kind]
        if ids:
            first, last = min(ids), max(ids)
            narrowed = backend.narrows_highlights and last - first <= NARROW_SPAN
            params = {"words": words, "ids": ids, "first_id": first, "last_id": last, **own}
            for source in db.session.execute(statement(backend, narrowed), params):
                found[kind, source.id] = as_result(source, reader)
    return [found[row.kind, row.ref_id] for row in rows if (row.kind, row.ref_id) in found]


def _where(highlights, narrowed: bool) -> list:
    """The engine's condition, and the page's ids.

    FTS5 answers `rowid IN (...)` by searching for the words afresh for each id (about
    30 µs an id, 0.7 ms a page). Narrowed, it reads the matches between the page's first
    and last id once, and the ids are checked on what it returns (`+ 0` keeps the IN from
    being handed to FTS5): a quarter of the time, where those ids are NARROW_SPAN apart
    or less."""
    ids = bindparam("ids", expanding=True)
    clauses = [] if highlights.condition is None else [highlights.condition]
    if not narrowed:
        return [*clauses, highlights.ref_id.in_(ids)]
    between = highlights.ref_id.between(bindparam("first_id", type_=Integer), bindparam("last_id", type_=Integer))
    return [*clauses, between, (highlights.ref_id + 0).in_(ids)]


_AUTHOR = (User.id.label("author_id"), User.display_name.label("author_name"), User.age_group.label("author_age_group"))


def _author(row) -> Author | None:
    return None if row.author_id is None else Author(row.author_id, row.author_name, row.author_age_group)


# The reader's own post in a thread for the other age group (one they were moved from): its part
# may leave some of it out to them (`ThreadPolicy.as_read_by_author`), so its HTML comes along.
_OWN_ACROSS_THE_LINE = and_(Post.author_id == bindparam("reader_id", type_=Integer), Thread.audience != "everyone",
                            Thread.audience != bindparam("reader_age_group", type_=String))


@cache
def _post_rows(backend, narrowed: bool):
    shown = backend.post_highlights(bindparam("words", type_=String))
    return (select(shown.ref_id.label("id"), shown.text.label("text"), Post.parent_id, Post.created_at,
                   Thread.title, Thread.kind, Thread.audience,
                   case((_OWN_ACROSS_THE_LINE, Post.body_html)).label("own_html"), *_AUTHOR)
            .select_from(shown.from_clause).join(Thread, Thread.id == Post.thread_id)
            .outerjoin(User, User.id == Post.author_id).where(*_where(shown, narrowed)))


def _post_result(row, reader) -> SearchResult:
    policy = policy_for(row.kind)
    snippet = highlighted(plain_snippet(row.text))
    if row.own_html is not None:
        html = policy.as_read_by_author(reader, row.audience, row.own_html)
        if html != row.own_html:
            # The engine cuts its snippet anywhere, words left out to them too: the start of what they read instead.
            snippet = escape(excerpt_of(html))
    return SearchResult("post", PARTS[PART_OF_THREAD_KIND.get(row.kind, "threads")], escape(row.title), snippet,
                        path_for("posts.permalink", post_id=row.id), _author(row), row.created_at,
                        name=policy.name_of_post(row))


@cache
def _call_rows(backend, narrowed: bool):
    shown = backend.call_highlights(bindparam("words", type_=String))
    return (select(shown.ref_id.label("id"), shown.title.label("highlighted_title"), shown.text.label("text"),
                   Thread.title, IdeaCall.created_at, *_AUTHOR)
            .select_from(shown.from_clause).join(Thread, Thread.id == IdeaCall.thread_id)
            .outerjoin(User, User.id == IdeaCall.opened_by_id).where(*_where(shown, narrowed)))


def _call_result(row, reader) -> SearchResult:
    return SearchResult("call", PARTS["ideas"], highlighted(row.highlighted_title or row.title),
                        highlighted(plain_snippet(row.text)), path_for("ideas.call", call_id=row.id), _author(row),
                        row.created_at)


@cache
def _mentor_rows(backend, narrowed: bool):
    shown = backend.mentor_highlights(bindparam("words", type_=String))
    return (select(shown.ref_id.label("id"), shown.title.label("highlighted_title"), shown.text.label("text"),
                   MentorProfile.headline, User.username, *_AUTHOR)
            .select_from(shown.from_clause).join(User, User.id == MentorProfile.user_id).where(*_where(shown, narrowed)))


def _mentor_result(row, reader) -> SearchResult:
    headline, sections = highlighted(row.highlighted_title or row.headline), highlighted(plain_snippet(row.text))
    # A profile with no section text gives back blanks (the sections joined by spaces).
    return SearchResult("mentor", PARTS["mentors"], escape(row.author_name),
                        Markup(" — ").join(text for text in (headline, sections) if text.strip()),
                        path_for("mentors.profile", username=row.username), _author(row), None)


_KINDS = (("post", _post_rows, _post_result), ("call", _call_rows, _call_result),
          ("mentor", _mentor_rows, _mentor_result))
