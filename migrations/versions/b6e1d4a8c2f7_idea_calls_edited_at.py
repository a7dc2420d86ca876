"""calls for ideas: staff can edit a call after it is open; the call keeps when it was last edited

Revision ID: b6e1d4a8c2f7
Revises: e4c2a8f6b1d9
Create Date: 2026-12-22 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b6e1d4a8c2f7'
down_revision = 'e4c2a8f6b1d9'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('idea_calls', schema=None) as batch_op:
        batch_op.add_column(sa.Column('edited_at', sa.DateTime(), nullable=True))


def downgrade():
    # On SQLite dropping the column copies the table (batch mode), which drops the triggers
    # on it that keep calls in the search index: read before, made again after.
    bind = op.get_bind()
    triggers = [] if bind.dialect.name != "sqlite" else bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'idea_calls' ORDER BY name"
    ).scalars().all()
    with op.batch_alter_table('idea_calls', schema=None) as batch_op:
        batch_op.drop_column('edited_at')
    for trigger in triggers:
        if not bind.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND sql = ?",
                                    (trigger,)).first():
            op.execute(trigger)
