"""Search: what a reader may find, ranked across posts, calls for ideas and mentor profiles.

A page costs a fixed number of statements: one for the ranked page of ids with how many
results there are (forum/search/ranking.py), then per kind of result on the page one that
loads and highlights it (forum/search/results.py).
"""
import re
from dataclasses import dataclass, field
from datetime import date

from flask_sqlalchemy.pagination import Pagination

from forum.accounts.permissions import is_signed_in
from forum.errors import DomainError
from forum.extensions import db
from forum.text.typed import typed_line
from forum.mentors.permissions import takes_part_in_mentoring
from forum.models.accounts import User, open_accounts_named, user_by_username
from forum.search.backends import backend_for_session
from forum.search.ranking import RESULT_CAP, part_threads_for, ranked_page, reader_sets_for
from forum.search.results import PARTS, SearchResult, results_for
from forum.search.terms import QUERY_LIMIT, quoted, search_terms, words_left_out
from forum.training.pages import offers_programs
from forum.training.permissions import sees_every_discussion

PER_PAGE = 20
MAX_PAGE = RESULT_CAP // PER_PAGE
# How results can be ordered, as the form offers the choice.
ORDERS = {"": "Best matches first", "newest": "Newest first"}


def reads_training(user) -> bool:
    """Training discussions are for signed-in readers (training's open_discussion_threads)
    of a program open to them; trainers and staff read every one, drafts' too."""
    return sees_every_discussion(user) or (is_signed_in(user) and offers_programs(user))


# The parts only some readers can have anything in, by the parts' own rules: a visitor
# reads no training discussion, nor does a teen whose forum holds only programs for adults,
# and mentorship conversations are between mentors and the listeners who may ask them.
PART_READERS = {"training": reads_training, "conversations": takes_part_in_mentoring}


def parts_offered_to(user, asked: str = "") -> dict[str, str]:
    """The places the search form offers `user`, so none of them always finds nothing; and
    `asked`, a part a link named, so the form shows where that search looked."""
    return {part: label for part, label in PARTS.items()
            if part == asked or part not in PART_READERS or PART_READERS[part](user)}


@dataclass
class SearchQuery:
    text: str = ""
    terms: list[str] = field(default_factory=list)
    part: str = ""
    author: User | None = None
    since: date | None = None
    until: date | None = None
    order: str = ""
    notes: list[str] = field(default_factory=list)
    # Words the engine does not index, so not searched (see `Plan`).
    too_common: list[str] = field(default_factory=list)

    @property
    def searched_terms(self) -> list[str]:
        return [term for term in self.terms if term not in self.too_common]


@dataclass
class SearchPage:
    query: SearchQuery
    pagination: Pagination | None
    results: list[SearchResult]

    @property
    def capped(self) -> bool:
        return self.pagination is not None and self.pagination.found_more


def _date(args, name: str) -> date | None:
    value = (args.get(name) or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value, re.ASCII):
            # Written the right way, but no such day (2026-02-30): asking for the format again puzzles.
            raise DomainError(f"There is no day {value} in the calendar: check the month and the day.",
                              name) from None
        raise DomainError("Write the date as year-month-day, for example 2026-03-01.", name) from None


def parse_query(args) -> SearchQuery:
    """Read the search form from the query string; a bad filter says which and why."""
    text = (args.get("q") or "").replace("\x00", "")
    query = SearchQuery(text=text[:QUERY_LIMIT], terms=search_terms(text))
    if words_left_out(text):
        query.notes.append(f"Only the first {len(query.terms)} words were searched.")
    typed = " ".join(query.text.split())
    if typed and not query.terms:
        # Only emoji, symbols or punctuation: something was typed, so "type a few words"
        # would read as if the box were empty. Say what search can use instead.
        query.notes.append(f"Nothing to search for in “{typed}”: search finds words and numbers.")
    query.part = args.get("part", "")
    if query.part not in PARTS:
        raise DomainError("Choose where to search from the list.", "part")
    # typed_line: an invisible character alone is no name ("Nobody here is called “”").
    author = " ".join(typed_line(args.get("author") or "").split())[:40]
    if author:
        query.author = _author_named(author)
    query.since, query.until = _date(args, "since"), _date(args, "until")
    if query.since and query.until and query.since > query.until:
        raise DomainError("The “from” date comes after the “to” date.", "until")
    query.order = args.get("order", "")
    if query.order not in ORDERS:
        raise DomainError("Choose how to order the results from the list.", "order")
    return query


def _author_named(author: str) -> User:
    """The person with the username typed, or else the one open account showing that name
    (results and posts show names, not usernames)."""
    if (user := db.session.scalar(user_by_username(author.lstrip("@")))) is not None:
        return user
    named = db.session.scalars(open_accounts_named(author).limit(2)).all()
    if len(named) == 1:
        return named[0]
    said = "More than one person here is called" if named else "Nobody here is called"
    raise DomainError(f"{said} “{author}”. Use the @username shown on their profile.", "author")


class RankedPagination(Pagination):
    """One page of (kind, ref_id) rows of the ranked matches, for the shared pagination
    macro. The page's rows carry the number of results; the pager counts at most
    RESULT_CAP of them, and `found_more` says there were more. A page past the last has no
    rows, and nothing to count."""

    found_more = False

    def _query_items(self) -> list:
        backend, user, query = self._query_args["backend"], self._query_args["user"], self._query_args["query"]
        statement, params = ranked_page(backend, user, query, self._query_args["planned"],
                                        self._query_args["reader_sets"], self._query_args["part_threads"],
                                        self.per_page, self._query_offset)
        rows = db.session.execute(statement, params).all()
        found = rows[0].total if rows else 0
        self._query_args["total"] = min(found, RESULT_CAP)
        self.found_more = found > RESULT_CAP
        return rows

    def _query_count(self) -> int:
        return self._query_args["total"]


def search(user, query: SearchQuery, page: int) -> SearchPage:
    if not query.terms:
        return SearchPage(query, None, [])
    backend = backend_for_session()
    reader_sets = reader_sets_for(backend, user, query)
    part_threads = part_threads_for(user, query)
    with backend.planned_for_these_words(query.terms) as plan:
        if plan.too_common:
            query.too_common = plan.too_common
            query.notes.append(_too_common_note(query))
            if not query.searched_terms:
                return SearchPage(query, None, [])

        def page_of(number: int) -> RankedPagination:
            return RankedPagination(backend=backend, user=user, query=query, planned=plan.params,
                                    reader_sets=reader_sets, part_threads=part_threads, page=number,
                                    per_page=PER_PAGE, error_out=False)

        pagination = page_of(min(max(page, 1), MAX_PAGE))
        if not pagination.items and pagination.page > 1:
            # A page past the last (an old link, a number typed in): the first page tells
            # how many there are, and the last is shown, rather than "nothing matches".
            last = min(page_of(1).pages, MAX_PAGE)
            if last:
                pagination = page_of(last)
                query.notes.append("There is only one page of results." if last == 1
                                   else f"There are only {last} pages of results; this is the last.")
    return SearchPage(query, pagination, results_for(backend, backend.words(query.terms), pagination.items, user))


def _too_common_note(query: SearchQuery) -> str:
    words, one = quoted(query.too_common), len(query.too_common) == 1
    if not query.searched_terms:
        return (f"{words} {'is' if one else 'are'} too common to search for on {'its' if one else 'their'} own. "
                "Add a word that says more about what you are looking for.")
    return f"{words} {'is' if one else 'are'} too common to search for, so {'it was' if one else 'they were'} left out."

