"""ideas: calls for ideas and idea statuses

Both tables share the key of the engine row they extend: a call is its thread, an
idea's status is keyed by the idea's post.

Revision ID: a4d1d6719194
Revises: a370695c880c
Create Date: 2026-11-21 05:09:49.705445

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a4d1d6719194'
down_revision = 'a370695c880c'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('idea_calls',
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('question_md', sa.Text(), nullable=False),
    sa.Column('question_html', sa.Text(), nullable=False),
    sa.Column('phase', sa.String(length=12), nullable=False),
    sa.Column('hide_reactions_while_collecting', sa.Boolean(), nullable=False),
    sa.Column('opened_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('phase_changed_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("phase IN ('collecting', 'evaluating', 'shortlisted', 'closed')", name=op.f('ck_idea_calls_phase')),
    sa.ForeignKeyConstraint(['opened_by_id'], ['users.id'], name=op.f('fk_idea_calls_opened_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], name=op.f('fk_idea_calls_thread_id_threads'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('thread_id', name=op.f('pk_idea_calls'))
    )
    with op.batch_alter_table('idea_calls', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_idea_calls_phase'), ['phase'], unique=False)

    op.create_table('idea_statuses',
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=1000), nullable=False),
    sa.Column('set_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("status IN ('new', 'under_review', 'shortlisted', 'planned', 'done', 'declined', 'merged')", name=op.f('ck_idea_statuses_status')),
    sa.ForeignKeyConstraint(['merged_into_id'], ['posts.id'], name=op.f('fk_idea_statuses_merged_into_id_posts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_idea_statuses_post_id_posts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['set_by_id'], ['users.id'], name=op.f('fk_idea_statuses_set_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('post_id', name=op.f('pk_idea_statuses'))
    )
    with op.batch_alter_table('idea_statuses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_idea_statuses_merged_into_id'), ['merged_into_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_idea_statuses_status'), ['status'], unique=False)


def downgrade():
    with op.batch_alter_table('idea_statuses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_idea_statuses_status'))
        batch_op.drop_index(batch_op.f('ix_idea_statuses_merged_into_id'))

    op.drop_table('idea_statuses')
    with op.batch_alter_table('idea_calls', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_idea_calls_phase'))

    op.drop_table('idea_calls')
