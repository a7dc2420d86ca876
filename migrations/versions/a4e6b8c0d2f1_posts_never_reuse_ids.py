"""posts: on SQLite a post deleted for good never gives its number to the next post

SQLite numbers a new row one past the highest number in the table. When the newest post
was deleted for good (spam, removed the minute it was written), the next post took its
number: the audit log's entry for the spam then led to that post, and a link to the spam
kept in an email or a browser showed it. AUTOINCREMENT makes SQLite remember the highest
number ever given. PostgreSQL's sequences never went back, so it needs nothing.

SQLite cannot add AUTOINCREMENT to a table, so the table is copied (batch mode, with the
same columns, indexes and foreign keys) and the copy takes its name. Dropping the old table
drops the triggers on it, which keep the search indexes up to date (the words of each post,
the range of post ids written each day): they are read before and made again after, as
they stand, whichever migration last wrote them.

Revision ID: a4e6b8c0d2f1
Revises: 55d32ad8e624
Create Date: 2026-12-07 04:00:00

"""
from alembic import op


revision = 'a4e6b8c0d2f1'
down_revision = '55d32ad8e624'
branch_labels = None
depends_on = None


def _copy_posts(autoincrement: bool) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    triggers = bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'posts' ORDER BY name").scalars().all()
    with op.batch_alter_table("posts", recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}):
        pass
    for trigger in triggers:
        op.execute(trigger)


def upgrade():
    _copy_posts(autoincrement=True)


def downgrade():
    _copy_posts(autoincrement=False)
