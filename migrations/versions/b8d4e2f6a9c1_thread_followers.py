"""members can follow a thread and be told of its new posts

Revision ID: b8d4e2f6a9c1
Revises: a5e9d3c7b1f2
Create Date: 2026-12-06 18:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b8d4e2f6a9c1'
down_revision = 'a5e9d3c7b1f2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'thread_followers',
        sa.Column('thread_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], name=op.f('fk_thread_followers_thread_id_threads'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_thread_followers_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('thread_id', 'user_id', name=op.f('pk_thread_followers')),
    )
    with op.batch_alter_table('thread_followers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_thread_followers_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('thread_followers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_thread_followers_user_id'))
    op.drop_table('thread_followers')
