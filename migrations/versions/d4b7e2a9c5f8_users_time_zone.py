"""members choose the time zone the forum shows times in

Revision ID: d4b7e2a9c5f8
Revises: 7a1d3f5b9c2e
Create Date: 2026-12-07 12:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd4b7e2a9c5f8'
down_revision = '7a1d3f5b9c2e'
branch_labels = None
depends_on = None


def upgrade():
    # Everyone read times in UTC until now: that stays their zone until they choose one.
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('time_zone', sa.String(length=64), nullable=False, server_default='UTC'))


def downgrade():
    # On SQLite dropping the column copies the table (batch mode), which drops the trigger on
    # it that keeps mentors' names in the search index: read before, made again after.
    bind = op.get_bind()
    triggers = [] if bind.dialect.name != "sqlite" else bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'users' ORDER BY name").scalars().all()
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('time_zone')
    for trigger in triggers:
        if not bind.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND sql = ?",
                                    (trigger,)).first():
            op.execute(trigger)
