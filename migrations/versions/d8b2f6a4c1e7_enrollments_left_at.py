"""trainees can leave a program; their enrolment keeps when they left

Revision ID: d8b2f6a4c1e7
Revises: c9e4a7b2d6f1
Create Date: 2026-12-20 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd8b2f6a4c1e7'
down_revision = 'c9e4a7b2d6f1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('enrollments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('left_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('enrollments', schema=None) as batch_op:
        batch_op.drop_column('left_at')
