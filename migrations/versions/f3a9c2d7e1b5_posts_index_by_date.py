"""posts: an index by date, for searches filtered by date

A search from or up to a date on PostgreSQL intersected the words' matches with the posts
of those dates read from ix_posts_thread_top_level, whose dates come third: it read the
whole index (0.4–0.6 ms at 20,000 posts, growing with the table) to find a hundred posts.
With an index of its own the same intersection reads only the posts of those dates
(0.01 ms). A wide, recent range is still checked on the words' matches, as before.

Revision ID: f3a9c2d7e1b5
Revises: c7d1e5a9b2f4
Create Date: 2026-12-06 10:20:00

"""
from alembic import op

revision = "f3a9c2d7e1b5"
down_revision = "c7d1e5a9b2f4"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_posts_created_at", "posts", ["created_at"])


def downgrade():
    op.drop_index("ix_posts_created_at", table_name="posts")
