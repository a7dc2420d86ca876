"""The full-text engine of the database in use: FTS5 on SQLite, tsvector on PostgreSQL.

A backend answers, for each searchable source (posts, calls for ideas, mentor profiles),
a `Match`: the FROM clause that brings in the index, the condition that a row matches,
and a score where lower is better. It also makes highlighted snippets for the few rows
of one page. Everything else (visibility, filters, ranking across sources, paging) is
the same on both databases and lives in forum/search/services.py.
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
class Snippets:
    """Highlighted text by id: `title` for what has a title of its own, `text` for the body."""

    title: dict[int, str]
    text: dict[int, str]


def backend_for_session():
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from forum.search.backends.postgresql import PostgresSearch

        return PostgresSearch()
    from forum.search.backends.sqlite import SqliteSearch

    return SqliteSearch()
