"""merge training and mentors

Revision ID: 2be09befc8c1
Revises: 120610a12d1d, c46b42aaf867
Create Date: 2026-11-21 05:55:03.688213

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '2be09befc8c1'
down_revision = ('120610a12d1d', 'c46b42aaf867')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
