"""reviews and their replies keep their history: the earlier words, who and when

Revision ID: f3b8d1c6a2e4
Revises: e7a2c5b9d3f1
Create Date: 2026-12-06 20:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'f3b8d1c6a2e4'
down_revision = 'e7a2c5b9d3f1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('mentor_review_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('part', sa.String(length=10), nullable=False),
    sa.Column('editor_id', sa.Integer(), nullable=True),
    sa.Column('rating', sa.Integer(), nullable=True),
    sa.Column('body_md', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("part IN ('review', 'reply')", name=op.f('ck_mentor_review_revisions_revision_part')),
    sa.ForeignKeyConstraint(['editor_id'], ['users.id'], name=op.f('fk_mentor_review_revisions_editor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['review_id'], ['mentor_reviews.id'], name=op.f('fk_mentor_review_revisions_review_id_mentor_reviews'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentor_review_revisions'))
    )
    with op.batch_alter_table('mentor_review_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentor_review_revisions_review_id'), ['review_id'], unique=False)


def downgrade():
    with op.batch_alter_table('mentor_review_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentor_review_revisions_review_id'))

    op.drop_table('mentor_review_revisions')
