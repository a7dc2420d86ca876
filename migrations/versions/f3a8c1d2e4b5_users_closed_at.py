"""users can close their account

Revision ID: f3a8c1d2e4b5
Revises: f3a9c2d7e1b5
Create Date: 2026-12-06 10:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f3a8c1d2e4b5'
down_revision = 'f3a9c2d7e1b5'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closed_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('closed_at')
