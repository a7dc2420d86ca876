"""search: on SQLite, the range of post ids written each day, so a search filtered by date reads only the matches of those days

FTS5 hands a word's matches over newest first (by post id) and knows nothing of dates, so
a search up to an old date walked every match newer than it to find none: “listening” up
to 1 December 2025, at 200,000 posts, read 31,000 matches for 12 results (42 ms against
5 ms without the date). Post ids do not follow creation times (imports, seeds and the
clocks of several servers), so a date cannot be turned into an id by looking at one post.

`post_search_days` keeps, for each day (UTC), the lowest and the highest id of the posts
written that day, kept by triggers as posts are written or their date changes. A search
up to a day then reads only the ids up to the highest of that day and the days before;
from a day, only those from the lowest on (forum/search/backends/sqlite.py). A range only
ever widens: a deleted post leaves it as it was, which can make a search read a few
matches more, never miss one. PostgreSQL keeps no such table: it checks the dates of a
word's matches, and an old date costs it about twice a search without one (18 against 8.5 ms), and there a row for today, updated by every new post and
held until each commit, would make every post wait its turn.

Revision ID: c7d1e5a9b2f4
Revises: b6e2d4f8a1c3
Create Date: 2026-12-06 06:30:00

"""
from alembic import op

revision = "c7d1e5a9b2f4"
down_revision = "b6e2d4f8a1c3"
branch_labels = None
depends_on = None

WIDEN = """INSERT INTO post_search_days (day, first_id, last_id) VALUES (date(new.created_at), new.id, new.id)
               ON CONFLICT (day) DO UPDATE SET first_id = min(first_id, excluded.first_id),
                                               last_id = max(last_id, excluded.last_id);"""


def upgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("""CREATE TABLE post_search_days (
                      day TEXT PRIMARY KEY, first_id INTEGER NOT NULL, last_id INTEGER NOT NULL
                  ) WITHOUT ROWID""")
    op.execute(f"CREATE TRIGGER post_search_days_insert AFTER INSERT ON posts BEGIN {WIDEN} END")
    op.execute(f"CREATE TRIGGER post_search_days_update AFTER UPDATE OF created_at ON posts BEGIN {WIDEN} END")
    op.execute("""INSERT INTO post_search_days (day, first_id, last_id)
                  SELECT date(created_at), min(id), max(id) FROM posts GROUP BY date(created_at)""")


def downgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP TRIGGER post_search_days_update")
    op.execute("DROP TRIGGER post_search_days_insert")
    op.execute("DROP TABLE post_search_days")
