"""flags: a flagger can say someone may be in danger; such flags go first in the queue

Revision ID: c9e4a7b2d6f1
Revises: c9e4a7b2d6f3
Create Date: 2026-12-07 04:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c9e4a7b2d6f1'
down_revision = 'c9e4a7b2d6f3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.add_column(sa.Column('urgent', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.drop_column('urgent')
