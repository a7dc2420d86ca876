"""merge moderation

Revision ID: 8284507f6419
Revises: 30a4d7b3e520, fd0c204c3a57
Create Date: 2026-11-21 06:16:46.276387

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8284507f6419'
down_revision = ('30a4d7b3e520', 'fd0c204c3a57')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
