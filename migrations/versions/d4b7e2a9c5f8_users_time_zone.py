"""members choose the time zone the forum shows times in

Revision ID: d4b7e2a9c5f8
Revises: 7a1d3f5b9c2e
Create Date: 2026-12-07 12:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd4b7e2a9c5f8'
down_revision = '7a1d3f5b9c2e'
branch_labels = None
depends_on = None


def upgrade():
    # Everyone read times in UTC until now: that stays their zone until they choose one.
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('time_zone', sa.String(length=64), nullable=False, server_default='UTC'))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('time_zone')
