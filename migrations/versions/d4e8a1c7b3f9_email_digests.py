"""notification emails: one email a day with the chosen kinds, for those who choose it

Revision ID: d4e8a1c7b3f9
Revises: d7f2b9c4e6a1
Create Date: 2026-12-07 18:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd4e8a1c7b3f9'
down_revision = 'd7f2b9c4e6a1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'email_digests',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('chosen_at', sa.DateTime(), nullable=False),
        sa.Column('last_sent_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_email_digests_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', name=op.f('pk_email_digests')),
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('digested_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_column('digested_at')
    op.drop_table('email_digests')
