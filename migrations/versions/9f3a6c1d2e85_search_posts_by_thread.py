"""search: posts' full-text index knows each post's thread and author, so a search in one part or by one person reads only their matches

A search in one part (training discussions, ideas, mentor conversations) used to walk every
post that held the words, newest first, and drop those outside the part: “listening” in
ideas read 31,000 matches at 200,000 posts to keep 361 (50 ms on SQLite; 90 ms on
PostgreSQL for conversations). The search now names the part's threads, and the engine
intersects them with the words (forum/search/ranking.py's `part_threads_for`).

SQLite: the FTS5 table of posts gains the thread id and the author's id as columns,
which FTS5 indexes as words of their own; searches match the words against the text
column only. A search by one person named them in SQL alone, so it too walked every match
of the words (“listening” by someone with 73 posts: 37 ms); now FTS5 intersects. Neither
id changes while a post lives. The table is rebuilt from the shown posts, as the search
migration built it. PostgreSQL needs nothing for posts: its indexes on (thread_id, …) and
author_id serve `thread_id IN (…)` and `author_id = …`.

Both: threads are indexed by kind and privacy together, so the public threads of a part
are read from the index alone (a part's private threads, such as conversations, are read
from the reader's memberships instead of from every conversation).

Revision ID: 9f3a6c1d2e85
Revises: 3c8f1a6d2e57
Create Date: 2026-12-05 22:00:00

"""
from alembic import op

revision = "9f3a6c1d2e85"
down_revision = "3c8f1a6d2e57"
branch_labels = None
depends_on = None

SHOWN = "{row}.deleted_at IS NULL AND {row}.hidden_at IS NULL"
TOKENIZE = "tokenize='porter unicode61 remove_diacritics 2'"


def _post_search(columns: tuple[str, ...]) -> list[str]:
    """The FTS5 table of posts over `columns` of posts, its triggers, and its rows."""
    names = ", ".join(columns)
    old_values, new_values = (", ".join(f"{row}.{column}" for column in columns) for row in ("old", "new"))
    return [
        *[f"DROP TRIGGER IF EXISTS post_search_{event}" for event in ("insert", "delete", "update")],
        "DROP TABLE IF EXISTS post_search",
        f"CREATE VIRTUAL TABLE post_search USING fts5({names}, content='posts', content_rowid='id', {TOKENIZE})",
        f"""CREATE TRIGGER post_search_insert AFTER INSERT ON posts WHEN {SHOWN.format(row='new')} BEGIN
               INSERT INTO post_search(rowid, {names}) VALUES (new.id, {new_values});
           END""",
        f"""CREATE TRIGGER post_search_delete AFTER DELETE ON posts WHEN {SHOWN.format(row='old')} BEGIN
               INSERT INTO post_search(post_search, rowid, {names}) VALUES ('delete', old.id, {old_values});
           END""",
        # An external-content index must forget the old values before it learns the new
        # ones. A post never changes thread or author, so only its text and whether it
        # shows matter.
        f"""CREATE TRIGGER post_search_update AFTER UPDATE OF body_md, deleted_at, hidden_at ON posts BEGIN
               INSERT INTO post_search(post_search, rowid, {names})
                   SELECT 'delete', old.id, {old_values} WHERE {SHOWN.format(row='old')};
               INSERT INTO post_search(rowid, {names})
                   SELECT new.id, {new_values} WHERE {SHOWN.format(row='new')};
           END""",
        f"INSERT INTO post_search(rowid, {names}) SELECT id, {names} FROM posts WHERE {SHOWN.format(row='posts')}",
    ]


def upgrade():
    op.drop_index("ix_threads_kind", table_name="threads")
    op.create_index("ix_threads_kind_private", "threads", ["kind", "is_private"])
    if op.get_bind().dialect.name == "sqlite":
        for statement in _post_search(("body_md", "thread_id", "author_id")):
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for statement in _post_search(("body_md",)):
            op.execute(statement)
    op.drop_index("ix_threads_kind_private", table_name="threads")
    op.create_index("ix_threads_kind", "threads", ["kind"])
