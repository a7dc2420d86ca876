"""reactions: an index by post, kind and time, for counts and the first names of each kind

Revision ID: 5b1f0c2e9a7d
Revises: da92406274db
Create Date: 2026-11-21 08:50:00

"""
from alembic import op

revision = "5b1f0c2e9a7d"
down_revision = "da92406274db"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_reactions_post_kind_created", "reactions", ["post_id", "kind", "created_at", "id"])


def downgrade():
    op.drop_index("ix_reactions_post_kind_created", table_name="reactions")
