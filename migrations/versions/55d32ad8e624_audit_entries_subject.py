"""audit entries keep whom they are about, so a post deleted for good stays in its author's history

Until now a person's moderation page and the log's "About whom" filter found what staff did
to their posts and reviews through the posts and reviews still there: once an admin
deleted a post for good, its hiding and its deletion left the author's history.

What is filled in for the entries already there: a person or their profile is that person
(if the account is there); a post or review still there is its author's. A post or review
gone since is its author's as the entry's label named them when it was written ("post 9 by
@sam in …", "review 3 by @lee of @kai"): usernames are never given to anyone else, and a
closed account's old name is kept among the retired ones. A label naming nobody known, and
the entries about calls, programs and badges, stay about nobody.

Revision ID: 55d32ad8e624
Revises: f3b8d1c6a2e4
Create Date: 2026-12-07 02:00:00

"""
import re

from alembic import op
import sqlalchemy as sa


revision = '55d32ad8e624'
down_revision = 'f3b8d1c6a2e4'
branch_labels = None
depends_on = None

audit_entries = sa.table("audit_entries", sa.column("id", sa.Integer), sa.column("target_type", sa.String),
                         sa.column("target_id", sa.Integer), sa.column("target_label", sa.String),
                         sa.column("subject_id", sa.Integer))
users = sa.table("users", sa.column("id", sa.Integer), sa.column("username_key", sa.String))
retired = sa.table("retired_usernames", sa.column("username_key", sa.String), sa.column("user_id", sa.Integer))
posts = sa.table("posts", sa.column("id", sa.Integer), sa.column("author_id", sa.Integer))
reviews = sa.table("mentor_reviews", sa.column("id", sa.Integer), sa.column("author_id", sa.Integer))

# As forum.posts.services.post_label, forum.ideas.services.idea_label,
# forum.mentors.review_flags.review_label and forum.moderation.flags._label wrote them.
AUTHOR_IN_LABEL = re.compile(r"^\w+ \d+ by @(\w+)")


def _fill_in(bind) -> None:
    bind.execute(audit_entries.update().where(
        audit_entries.c.target_type.in_(("user", "profile")), audit_entries.c.target_id.in_(sa.select(users.c.id))
    ).values(subject_id=audit_entries.c.target_id))
    for target_type, authored in (("post", posts), ("review", reviews)):
        author = sa.select(authored.c.author_id).where(authored.c.id == audit_entries.c.target_id).scalar_subquery()
        bind.execute(audit_entries.update().where(
            audit_entries.c.target_type == target_type, audit_entries.c.target_id.in_(sa.select(authored.c.id))
        ).values(subject_id=author))
    gone = bind.execute(sa.select(audit_entries.c.id, audit_entries.c.target_label).where(
        audit_entries.c.target_type.in_(("post", "review")), audit_entries.c.subject_id.is_(None))).all()
    for entry_id, label in gone:
        named = AUTHOR_IN_LABEL.match(label or "")
        if named is None:
            continue
        key = named.group(1).lower()
        person = (bind.execute(sa.select(users.c.id).where(users.c.username_key == key)).scalar()
                  or bind.execute(sa.select(retired.c.user_id).where(retired.c.username_key == key)).scalar())
        if person is not None:
            bind.execute(audit_entries.update().where(audit_entries.c.id == entry_id).values(subject_id=person))


def upgrade():
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('subject_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_audit_entries_subject_id'), ['subject_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_audit_entries_subject_id_users'), 'users', ['subject_id'],
                                    ['id'], ondelete='SET NULL')
    _fill_in(op.get_bind())


def downgrade():
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_audit_entries_subject_id_users'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_audit_entries_subject_id'))
        batch_op.drop_column('subject_id')
