"""training: discussions a new order would have locked for a trainee who had them open

Revision ID: 5b7e2d9c4a16
Revises: 8d4a6e1f2b3c
Create Date: 2026-12-11 09:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = "5b7e2d9c4a16"
down_revision = "8d4a6e1f2b3c"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('kept_open_discussions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enrollment_id', sa.Integer(), nullable=False),
    sa.Column('discussion_id', sa.Integer(), nullable=False),
    sa.Column('kept_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['discussion_id'], ['discussions.id'], name=op.f('fk_kept_open_discussions_discussion_id_discussions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['enrollment_id'], ['enrollments.id'], name=op.f('fk_kept_open_discussions_enrollment_id_enrollments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kept_open_discussions')),
    sa.UniqueConstraint('enrollment_id', 'discussion_id', name=op.f('uq_kept_open_discussions_enrollment_id'))
    )
    with op.batch_alter_table('kept_open_discussions', schema=None) as batch_op:
        batch_op.create_index('ix_kept_open_discussions_discussion', ['discussion_id'], unique=False)


def downgrade():
    with op.batch_alter_table('kept_open_discussions', schema=None) as batch_op:
        batch_op.drop_index('ix_kept_open_discussions_discussion')

    op.drop_table('kept_open_discussions')
