"""training: when a trainee first completed a program, kept when a trainer reopens a discussion

Revision ID: 3c8f1a6d2e57
Revises: e2b7c4a9d1f0
Create Date: 2026-12-05 21:40:00

"""
from alembic import op
import sqlalchemy as sa

revision = "3c8f1a6d2e57"
down_revision = "e2b7c4a9d1f0"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("enrollments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("first_completed_at", sa.DateTime(), nullable=True))
    # Those who completed the program and have it now. Someone reopened since has no
    # record of having completed it: they are left as before, every discussion asked of them.
    op.execute("UPDATE enrollments SET first_completed_at = completed_at")


def downgrade():
    with op.batch_alter_table("enrollments", schema=None) as batch_op:
        batch_op.drop_column("first_completed_at")
