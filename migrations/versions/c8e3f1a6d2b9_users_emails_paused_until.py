"""members can pause all their emails for a while

Revision ID: c8e3f1a6d2b9
Revises: b6e1d4a8c2f7
Create Date: 2026-12-23 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c8e3f1a6d2b9'
down_revision = 'b6e1d4a8c2f7'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('emails_paused_until', sa.DateTime(), nullable=True))


def downgrade():
    # On SQLite dropping the column copies the table (batch mode), which drops the trigger on
    # it that keeps mentors' names in the search index: read before, made again after.
    bind = op.get_bind()
    triggers = [] if bind.dialect.name != "sqlite" else bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'users' ORDER BY name").scalars().all()
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('emails_paused_until')
    for trigger in triggers:
        if not bind.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND sql = ?",
                                    (trigger,)).first():
            op.execute(trigger)
