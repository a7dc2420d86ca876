"""mentorship requests: why a change (not either of the two) ended one

Revision ID: 8d4a6e1f2b3c
Revises: 7c3e91d2a4b8
Create Date: 2026-12-05 18:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = "8d4a6e1f2b3c"
down_revision = "7c3e91d2a4b8"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("mentorship_requests",
                  sa.Column("end_reason", sa.String(300), nullable=False, server_default=""))


def downgrade():
    # Plain ALTER TABLE on both databases, as for threads.content_version: no batch rebuild.
    op.execute("ALTER TABLE mentorship_requests DROP COLUMN end_reason")
