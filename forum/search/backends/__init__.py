"""The full-text engine of the database in use: FTS5 on SQLite, tsvector on PostgreSQL.

A backend answers, for each searchable source (posts, calls for ideas, mentor profiles),
a `Match`: the FROM clause that brings in the index, the condition that a row matches,
and a score where lower is better. For the few rows of one page it answers `Highlights`:
where the highlighted title and text come from. The words searched are a bound parameter
(`words`, whose value `words(terms)` gives), so statements can be built once and reused.
`planned_for_these_words(terms)` readies the engine for one search and gives a `Plan`:
what to bind, and which of the words it does not index at all; `too_common(terms)` names
those words alone. `merge_index_parts` folds
recent writes into the main index, for the nightly job (forum/search/maintenance.py).
`posts_in_threads()`, with what `part_threads_params(ids)` gives to bind, keeps posts to
some threads, in the index where the engine can, for a search in one part
(forum/search/ranking.py's `part_threads_for`); `posts_by_author()`, with what
`author_params(id)` gives, does the same for one person's posts where the engine needs
telling (None where the database's own index on the author suffices);
`posts_in_dates(since, until)`, with what `date_params(since, until)` gives, keeps the
engine to the ids of posts written in a range of (UTC) days, where it cannot read dates itself.
`mentors_matching(words)` keeps the directory's profiles to those that match, without a score.
`binds_reader_sets` says whether the ranked statement takes the sets of ids the reader's
visibility reads (badges, open discussions) as bound lists, read first, rather than as
subqueries (forum/posts/visibility.py's `reader_id_sets`).
Everything else (visibility, filters, ranking across sources, paging) is the same on both
databases and lives in forum/search/ranking.py and forum/search/results.py.
"""
from dataclasses import dataclass

from forum.extensions import db


@dataclass
class Match:
    from_clause: object
    condition: object
    score: object
    # Newest first, in the order the index gives cheaply (FTS5: its own rowid).
    newest_first: object = None


@dataclass
class Plan:
    """What an engine read before a search: parameters for the ranked statement, and the
    words it leaves out as too common to mean anything (PostgreSQL's English stop words:
    "the", "and", "how"...), in the order they were typed."""

    params: dict
    too_common: list[str]


@dataclass
class Highlights:
    """One kind's highlighted columns, for the rows of a page.

    `from_clause` brings in the searched table (and its index where the engine needs it to
    highlight); `ref_id` is the id the ranked rows name; `title` (or None, for what has no
    title of its own) and `text` are highlighted; `condition` is what the engine must be
    given to know the words. The columns may name the thread of a post or call, which the
    caller joins."""

    from_clause: object
    ref_id: object
    title: object
    text: object
    condition: object = None


def backend_for_session():
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from forum.search.backends.postgresql import POSTGRES_SEARCH

        return POSTGRES_SEARCH
    from forum.search.backends.sqlite import SQLITE_SEARCH

    return SQLITE_SEARCH
