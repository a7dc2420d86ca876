"""Search on SQLite: the FTS5 tables the search migration made, ranked by bm25."""
from contextlib import contextmanager

from sqlalchemy import Column, Integer, MetaData, String, Table, Text, bindparam, func, literal_column, select, text

from forum.extensions import db
from forum.models.ideas import IdeaCall
from forum.models.mentors import MentorProfile
from forum.models.posts import Post
from forum.search.backends import Highlights, Match, Plan
from forum.search.terms import MARK_START, MARK_STOP, fts5_match

# Described here only to be queried; their own MetaData keeps them out of create_all and
# of the migration drift check (the migration makes them with raw SQL).
_fts = MetaData()
post_search = Table("post_search", _fts, Column("rowid", Integer), Column("body_md", Text),
                    Column("thread_id", Text), Column("author_id", Text))
call_search = Table("idea_call_search", _fts, Column("rowid", Integer), Column("title", Text),
                    Column("question", Text))
mentor_search = Table("mentor_search", _fts, Column("rowid", Integer), Column("headline", Text),
                      Column("sections", Text), Column("name", Text), Column("tags", Text))
# The lowest and highest id of the posts written each day (UTC), kept by triggers
# (migrations/versions/c7d1e5a9b2f4_search_post_days.py).
post_search_days = Table("post_search_days", _fts, Column("day", Text), Column("first_id", Integer),
                         Column("last_id", Integer))

SNIPPET_TOKENS = 24
# bm25 column weights: a word in a call's title or a mentor's headline or name counts for more
# (than in a mentor's sections or tags).
TITLE_WEIGHT, BODY_WEIGHT = 3.0, 1.0
# A post's thread and author ids are indexed only to narrow a search to a part's threads
# or one person's posts: they must add nothing to a post's score.
ID_WEIGHT = 0.0
# No thread has this id, so a part with no threads for the reader matches no post.
NO_THREAD = '"0"'


def _matches(table, words):
    return literal_column(table.name).op("MATCH")(words)


def _post_text_matches(words):
    # The text column only: the words typed never match a thread's or an author's id ("12"
    # finds the posts that say 12, not those in thread 12).
    return post_search.c.body_md.op("MATCH")(words)


def _snippet(table, column: int):
    return func.snippet(literal_column(table.name), column, MARK_START, MARK_STOP, "…", SNIPPET_TOKENS)


def _highlight(table, column: int):
    return func.highlight(literal_column(table.name), column, MARK_START, MARK_STOP)


class SqliteSearch:
    name = "sqlite"
    # FTS5 gives matches newest first (by rowid) and stops at the LIMIT.
    finds_older_posts_late = False
    # Highlights for a page read the matches between its first and last id in one pass
    # (forum/search/results.py).
    narrows_highlights = True
    # SQLite plans in microseconds and reads each subquery once a statement: binding the
    # reader's sets of ids first would cost a statement and save nothing.
    binds_reader_sets = False

    def words(self, terms) -> str:
        return fts5_match(terms)

    @contextmanager
    def planned_for_these_words(self, terms):
        """SQLite plans every statement as it runs: nothing to do, nothing to bind. FTS5
        indexes every word, so none is left out."""
        yield Plan({}, [])

    def too_common(self, terms) -> list[str]:
        """None: FTS5 indexes every word."""
        return []

    def posts_in_threads(self):
        """Only posts in the threads bound as `part_threads` (`part_threads_params`): FTS5
        intersects them with the words' matches, in the index, before any row is read."""
        return post_search.c.thread_id.op("MATCH")(bindparam("part_threads", type_=String))

    def part_threads_params(self, thread_ids: list[int]) -> dict:
        return {"part_threads": " OR ".join(f'"{thread_id}"' for thread_id in thread_ids) or NO_THREAD}

    def posts_by_author(self):
        """Only the posts of the author bound as `author_word` (`author_params`), in the index."""
        return post_search.c.author_id.op("MATCH")(bindparam("author_word", type_=String))

    def author_params(self, author_id: int) -> dict:
        return {"author_word": f'"{author_id}"'}

    def posts_in_dates(self, since: bool, until: bool) -> list:
        """Only the ids of posts written in the days bound as `since_day` and `until_day`
        (`date_params`), in the index: FTS5 knows no dates and hands matches over newest
        first, so a search up to an old date walked every newer match to find none (42 ms
        against 5 for "listening" at 200,000 posts). The posts' own dates still decide;
        this only keeps FTS5 from reading ids no post of those days has. No post in the
        range makes the bound NULL, which matches nothing, as it should."""
        days = post_search_days.c
        clauses = []
        if since:
            first = select(func.min(days.first_id)).where(days.day >= bindparam("since_day", type_=String))
            clauses.append(post_search.c.rowid >= first.scalar_subquery())
        if until:
            last = select(func.max(days.last_id)).where(days.day <= bindparam("until_day", type_=String))
            clauses.append(post_search.c.rowid <= last.scalar_subquery())
        return clauses

    def date_params(self, since, until) -> dict:
        """`since` and `until` (UTC dates, or None) as the days `posts_in_dates` reads."""
        return {name: day.isoformat() for name, day in (("since_day", since), ("until_day", until)) if day}

    def merge_index_parts(self) -> str:
        """Merge each full-text table's segments into one (forum/search/maintenance.py)."""
        for table in (post_search, call_search, mentor_search):
            # FTS5's own command: a row naming the table itself, with the command as its value.
            db.session.execute(text(f"INSERT INTO {table.name}({table.name}) VALUES ('optimize')"))
        return "SQLite: each full-text index merged into one segment"

    def posts(self, words) -> Match:
        return Match(post_search.join(Post, Post.id == post_search.c.rowid), _post_text_matches(words),
                     func.bm25(literal_column(post_search.name), BODY_WEIGHT, ID_WEIGHT, ID_WEIGHT),
                     newest_first=post_search.c.rowid.desc())

    def calls(self, words) -> Match:
        return Match(call_search.join(IdeaCall, IdeaCall.thread_id == call_search.c.rowid),
                     _matches(call_search, words),
                     func.bm25(literal_column(call_search.name), TITLE_WEIGHT, BODY_WEIGHT))

    def mentors(self, words) -> Match:
        return Match(mentor_search.join(MentorProfile, MentorProfile.id == mentor_search.c.rowid),
                     _matches(mentor_search, words),
                     func.bm25(literal_column(mentor_search.name), TITLE_WEIGHT, BODY_WEIGHT, TITLE_WEIGHT,
                               BODY_WEIGHT))

    def mentors_matching(self, words):
        """SQL: the profile's indexed words (headline, shown sections, name, tags) hold all of `words`,
        for the directory's words box (forum/mentors/directory.py): FTS5 gives the ids."""
        return MentorProfile.id.in_(select(mentor_search.c.rowid).where(_matches(mentor_search, words)))

    # FTS5 highlights only in a statement that searches its table for the words.
    def post_highlights(self, words) -> Highlights:
        return Highlights(post_search.join(Post, Post.id == post_search.c.rowid), post_search.c.rowid,
                          None, _snippet(post_search, 0), _post_text_matches(words))

    def call_highlights(self, words) -> Highlights:
        return Highlights(call_search.join(IdeaCall, IdeaCall.thread_id == call_search.c.rowid),
                          call_search.c.rowid, _highlight(call_search, 0), _snippet(call_search, 1),
                          _matches(call_search, words))

    def mentor_highlights(self, words) -> Highlights:
        return Highlights(mentor_search.join(MentorProfile, MentorProfile.id == mentor_search.c.rowid),
                          mentor_search.c.rowid, _highlight(mentor_search, 0), _snippet(mentor_search, 1),
                          _matches(mentor_search, words))


SQLITE_SEARCH = SqliteSearch()
