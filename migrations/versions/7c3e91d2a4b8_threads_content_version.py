"""threads: a content version, raised by every change to what a thread's pages show

Revision ID: 7c3e91d2a4b8
Revises: 5b1f0c2e9a7d
Create Date: 2026-12-02 08:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = "7c3e91d2a4b8"
down_revision = "5b1f0c2e9a7d"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("threads", sa.Column("content_version", sa.Integer(), nullable=False, server_default="0"))


def downgrade():
    # Plain ALTER TABLE on both databases (SQLite has dropped columns since 3.35): a batch
    # rebuild of threads would trip the search index's triggers that name the table.
    op.execute("ALTER TABLE threads DROP COLUMN content_version")
