"""Search on SQLite: the FTS5 tables the search migration made, ranked by bm25."""
from sqlalchemy import Column, Integer, MetaData, Table, Text, func, literal_column, select

from forum.extensions import db
from forum.models.ideas import IdeaCall
from forum.models.mentors import MentorProfile
from forum.models.posts import Post
from forum.search.backends import Match, Snippets
from forum.search.terms import MARK_START, MARK_STOP, fts5_match

# Described here only to be queried; their own MetaData keeps them out of create_all and
# of the migration drift check (the migration makes them with raw SQL).
_fts = MetaData()
post_search = Table("post_search", _fts, Column("rowid", Integer), Column("body_md", Text))
call_search = Table("idea_call_search", _fts, Column("rowid", Integer), Column("title", Text),
                    Column("question", Text))
mentor_search = Table("mentor_search", _fts, Column("rowid", Integer), Column("headline", Text),
                      Column("sections", Text))

SNIPPET_TOKENS = 24
# bm25 column weights: a word in a call's title or a mentor's headline counts for more.
TITLE_WEIGHT, BODY_WEIGHT = 3.0, 1.0


def _matches(table, terms):
    return literal_column(table.name).op("MATCH")(fts5_match(terms))


def _snippet(table, column: int):
    return func.snippet(literal_column(table.name), column, MARK_START, MARK_STOP, "…", SNIPPET_TOKENS)


def _highlight(table, column: int):
    return func.highlight(literal_column(table.name), column, MARK_START, MARK_STOP)


class SqliteSearch:
    name = "sqlite"
    # FTS5 gives matches newest first (by rowid) and stops at the LIMIT.
    finds_older_posts_late = False

    def plan_for_these_words(self) -> None:
        """SQLite plans every statement as it runs: nothing to do."""

    def posts(self, terms) -> Match:
        return Match(post_search.join(Post, Post.id == post_search.c.rowid), _matches(post_search, terms),
                     func.bm25(literal_column(post_search.name)), newest_first=post_search.c.rowid.desc())

    def calls(self, terms) -> Match:
        return Match(call_search.join(IdeaCall, IdeaCall.thread_id == call_search.c.rowid),
                     _matches(call_search, terms),
                     func.bm25(literal_column(call_search.name), TITLE_WEIGHT, BODY_WEIGHT))

    def mentors(self, terms) -> Match:
        return Match(mentor_search.join(MentorProfile, MentorProfile.id == mentor_search.c.rowid),
                     _matches(mentor_search, terms),
                     func.bm25(literal_column(mentor_search.name), TITLE_WEIGHT, BODY_WEIGHT))

    def post_snippets(self, terms, ids) -> Snippets:
        return self._snippets(post_search, terms, ids, title=None, text=_snippet(post_search, 0))

    def call_snippets(self, terms, ids) -> Snippets:
        return self._snippets(call_search, terms, ids, title=_highlight(call_search, 0),
                              text=_snippet(call_search, 1))

    def mentor_snippets(self, terms, ids) -> Snippets:
        return self._snippets(mentor_search, terms, ids, title=_highlight(mentor_search, 0),
                              text=_snippet(mentor_search, 1))

    def _snippets(self, table, terms, ids, *, title, text) -> Snippets:
        if not ids:
            return Snippets({}, {})
        columns = [table.c.rowid, text, title if title is not None else literal_column("NULL")]
        rows = db.session.execute(select(*columns).where(_matches(table, terms), table.c.rowid.in_(ids))).all()
        return Snippets(title={row[0]: row[2] for row in rows}, text={row[0]: row[1] for row in rows})
