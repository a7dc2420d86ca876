"""mentors can edit their reply to a review; readers see it was edited

Revision ID: e7a2c5b9d3f1
Revises: d5c3a7e9f1b2
Create Date: 2026-12-06 19:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'e7a2c5b9d3f1'
down_revision = 'd5c3a7e9f1b2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('mentor_reviews', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reply_edited_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('mentor_reviews', schema=None) as batch_op:
        batch_op.drop_column('reply_edited_at')
