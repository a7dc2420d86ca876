"""merge ideas

Revision ID: fd0c204c3a57
Revises: 2be09befc8c1, a4d1d6719194
Create Date: 2026-11-21 05:57:00.880651

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'fd0c204c3a57'
down_revision = ('2be09befc8c1', 'a4d1d6719194')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
