"""mentor profiles: an adult mentor asks an admin to approve them to mentor teens

Until now a mentor read "ask an admin to approve you" and had no way to ask in the forum.
The ask is kept on the profile, when and with an optional note for the admins, until an
admin approves them or they withdraw it; nothing is filled in for the profiles already
there (nobody has asked yet).

On SQLite dropping the columns copies the table (batch mode), which drops the triggers on
it that keep the mentors' search index up to date: they are read before and made again
after, as c9e4a7b2d6f3 does.

Revision ID: d7f2b9c4e6a1
Revises: d8b2f6a4c1e7
Create Date: 2026-12-08 09:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'd7f2b9c4e6a1'
down_revision = 'd8b2f6a4c1e7'
branch_labels = None
depends_on = None


def _triggers_on_profiles(bind) -> list[str]:
    if bind.dialect.name != "sqlite":
        return []
    return bind.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'trigger' "
                                "AND tbl_name = 'mentor_profiles' ORDER BY name").scalars().all()


def upgrade():
    bind = op.get_bind()
    triggers = _triggers_on_profiles(bind)
    with op.batch_alter_table('mentor_profiles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('teens_asked_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('teens_ask_note', sa.String(length=300), nullable=False, server_default=''))
    for trigger in triggers:
        if not bind.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND sql = ?",
                                    (trigger,)).first():
            op.execute(trigger)


def downgrade():
    bind = op.get_bind()
    triggers = _triggers_on_profiles(bind)
    with op.batch_alter_table('mentor_profiles', schema=None) as batch_op:
        batch_op.drop_column('teens_ask_note')
        batch_op.drop_column('teens_asked_at')
    for trigger in triggers:
        if not bind.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND sql = ?",
                                    (trigger,)).first():
            op.execute(trigger)
