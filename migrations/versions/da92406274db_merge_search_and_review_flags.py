"""merge search and review flags

Revision ID: da92406274db
Revises: 02556d81f39c, 3504974c0f34
Create Date: 2026-11-21 07:11:09.535288

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'da92406274db'
down_revision = ('02556d81f39c', '3504974c0f34')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
