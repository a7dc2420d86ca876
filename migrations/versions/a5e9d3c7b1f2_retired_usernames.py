"""the usernames of closed accounts are retired

Revision ID: a5e9d3c7b1f2
Revises: f3a8c1d2e4b5
Create Date: 2026-12-06 11:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a5e9d3c7b1f2'
down_revision = 'f3a8c1d2e4b5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'retired_usernames',
        sa.Column('username_key', sa.String(length=20), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('username_key'),
    )
    with op.batch_alter_table('retired_usernames', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_retired_usernames_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('retired_usernames', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_retired_usernames_user_id'))
    op.drop_table('retired_usernames')
