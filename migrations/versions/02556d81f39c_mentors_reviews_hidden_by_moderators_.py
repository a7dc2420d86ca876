"""mentors: reviews hidden by moderators; review reports become flags

Reports of reviews go to the moderators' queue as flags (target type "review"), so the
mentors part's own report table goes; the reports it holds become flags first.

Revision ID: 02556d81f39c
Revises: 8284507f6419
Create Date: 2026-11-21 06:52:45.413538

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '02556d81f39c'
down_revision = '8284507f6419'
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        "INSERT INTO flags (reporter_id, target_type, target_id, reason, created_at, status, resolution_note) "
        "SELECT reporter_id, 'review', review_id, reason, created_at, "
        "CASE WHEN resolved THEN 'resolved' ELSE 'open' END, '' FROM mentor_review_reports"
    )
    with op.batch_alter_table('mentor_review_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentor_review_reports_resolved'))
        batch_op.drop_index(batch_op.f('ix_mentor_review_reports_review_id'))
    op.drop_table('mentor_review_reports')

    with op.batch_alter_table('mentor_reviews', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hidden_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('hidden_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('hidden_reason', sa.String(length=500), nullable=False, server_default=''))
        batch_op.create_foreign_key(batch_op.f('fk_mentor_reviews_hidden_by_id_users'), 'users', ['hidden_by_id'],
                                    ['id'], ondelete='SET NULL')
    with op.batch_alter_table('mentor_reviews', schema=None) as batch_op:
        batch_op.alter_column('hidden_reason', server_default=None)


def downgrade():
    with op.batch_alter_table('mentor_reviews', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_mentor_reviews_hidden_by_id_users'), type_='foreignkey')
        batch_op.drop_column('hidden_reason')
        batch_op.drop_column('hidden_by_id')
        batch_op.drop_column('hidden_at')

    op.create_table('mentor_review_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('resolved', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['reporter_id'], ['users.id'], name=op.f('fk_mentor_review_reports_reporter_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['review_id'], ['mentor_reviews.id'], name=op.f('fk_mentor_review_reports_review_id_mentor_reviews'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentor_review_reports')),
    sa.UniqueConstraint('review_id', 'reporter_id', name=op.f('uq_mentor_review_reports_review_id'))
    )
    with op.batch_alter_table('mentor_review_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentor_review_reports_resolved'), ['resolved'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentor_review_reports_review_id'), ['review_id'], unique=False)
    # The earliest flag of each reporter on each review that still exists, back as a report.
    op.execute(
        "INSERT INTO mentor_review_reports (review_id, reporter_id, reason, created_at, resolved) "
        "SELECT f.target_id, f.reporter_id, f.reason, f.created_at, f.status <> 'open' FROM flags f "
        "WHERE f.id IN (SELECT MIN(id) FROM flags WHERE target_type = 'review' AND reporter_id IS NOT NULL "
        "GROUP BY target_id, reporter_id) "
        "AND f.target_id IN (SELECT id FROM mentor_reviews)"
    )
    op.execute("DELETE FROM flags WHERE target_type = 'review'")
