"""mentor profiles: an admin approves an adult mentor before they mentor teens

Any adult mentor could tick "I mentor teen listeners" and then hold private conversations
with teens. From now an admin approves it first; who approved and when is kept on the
profile (teen mentors need no approval).

What is filled in for the profiles already there: an adult holding the mentor role who
mentors teens now is approved as of this migration, by nobody (no admin vetted them: the
README asks admins to review them), so no running mentorship breaks. An adult who ticked
teens but no longer holds the mentor role is not listed anywhere; their tick is taken off,
as losing the role does from now, so giving the role back does not bring them before
teens unvetted (and, mentoring no one then, they take no mentees, as update_settings asks).

On SQLite the table is copied to add the foreign key (batch mode), which drops the
triggers on it that keep the mentors' search index up to date: they are read before and
made again after, as they stand.

Revision ID: c9e4a7b2d6f3
Revises: a4e6b8c0d2f1
Create Date: 2026-12-07 05:00:00

"""
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa


revision = 'c9e4a7b2d6f3'
down_revision = 'a4e6b8c0d2f1'
branch_labels = None
depends_on = None

profiles = sa.table("mentor_profiles", sa.column("user_id", sa.Integer), sa.column("mentors_teens", sa.Boolean),
                    sa.column("mentors_adults", sa.Boolean), sa.column("accepting", sa.Boolean),
                    sa.column("teens_approved_at", sa.DateTime))
users = sa.table("users", sa.column("id", sa.Integer), sa.column("age_group", sa.String))
roles = sa.table("roles", sa.column("id", sa.Integer), sa.column("name", sa.String))
user_roles = sa.table("user_roles", sa.column("user_id", sa.Integer), sa.column("role_id", sa.Integer))


def _triggers_on_profiles(bind) -> list[str]:
    if bind.dialect.name != "sqlite":
        return []
    return bind.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'trigger' "
                                "AND tbl_name = 'mentor_profiles' ORDER BY name").scalars().all()


def _approve_adults_mentoring_teens(bind) -> None:
    adults = sa.select(users.c.id).where(users.c.age_group == "adult")
    mentors = sa.select(user_roles.c.user_id).join(roles, roles.c.id == user_roles.c.role_id).where(
        roles.c.name == "mentor")
    mentoring_teens = sa.and_(profiles.c.mentors_teens.is_(True), profiles.c.user_id.in_(adults))
    bind.execute(profiles.update().where(mentoring_teens, profiles.c.user_id.in_(mentors))
                 .values(teens_approved_at=datetime.now(UTC).replace(tzinfo=None)))
    bind.execute(profiles.update().where(mentoring_teens, profiles.c.user_id.not_in(mentors))
                 .values(mentors_teens=False, accepting=sa.and_(profiles.c.accepting, profiles.c.mentors_adults)))


def upgrade():
    bind = op.get_bind()
    triggers = _triggers_on_profiles(bind)
    with op.batch_alter_table('mentor_profiles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('teens_approved_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('teens_approved_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_mentor_profiles_teens_approved_by_id_users'), 'users',
                                    ['teens_approved_by_id'], ['id'], ondelete='SET NULL')
    for trigger in triggers:
        op.execute(trigger)
    _approve_adults_mentoring_teens(bind)


def downgrade():
    # Going back, adults approved to mentor teens keep their tick (as before approvals were
    # asked for); who approved them is lost with the columns.
    bind = op.get_bind()
    triggers = _triggers_on_profiles(bind)
    with op.batch_alter_table('mentor_profiles', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_mentor_profiles_teens_approved_by_id_users'), type_='foreignkey')
        batch_op.drop_column('teens_approved_by_id')
        batch_op.drop_column('teens_approved_at')
    for trigger in triggers:
        op.execute(trigger)
