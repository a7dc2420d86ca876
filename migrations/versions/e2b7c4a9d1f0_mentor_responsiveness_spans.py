"""mentors: responsiveness kept as spans read at the time shown, not one number that went stale

Revision ID: e2b7c4a9d1f0
Revises: 5b7e2d9c4a16
Create Date: 2026-12-05 19:20:00

"""
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa

revision = "e2b7c4a9d1f0"
down_revision = "5b7e2d9c4a16"
branch_labels = None
depends_on = None


def upgrade():
    spans = op.create_table(
        "mentor_responsiveness_spans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mentor_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=False),
        sa.Column("base_seconds", sa.Float(), nullable=False),
        sa.Column("growth", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["mentor_id"], ["users.id"],
                                name=op.f("fk_mentor_responsiveness_spans_mentor_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentor_responsiveness_spans")),
    )
    op.create_index("ix_mentor_responsiveness_spans_mentor", "mentor_responsiveness_spans",
                    ["mentor_id", "starts_at"], unique=False)
    _fill_spans(spans)
    # Plain ALTER TABLE on both databases, as for threads.content_version: no batch rebuild.
    op.execute("ALTER TABLE mentor_profiles DROP COLUMN responsiveness_seconds")


def _fill_spans(spans):
    """Every mentor's course from now, from their requests, so no label waits for a new one.
    Worked out by the forum's own rule (a pure function of the rows): the median is that
    rule's, and a copy here could only drift from it."""
    from forum.mentors.responsiveness import WINDOW, course_of, span_row, wait_of

    now = datetime.now(UTC).replace(tzinfo=None)
    waits = {}
    requests = sa.text(
        "SELECT mentor_id, status, created_at, answered_at, closed_at, closed_by_id, mentee_id, end_reason"
        " FROM mentorship_requests"
        " WHERE created_at > :since AND created_at <= :now"
    ).bindparams(sa.bindparam("since", type_=sa.DateTime()), sa.bindparam("now", type_=sa.DateTime())).columns(
        created_at=sa.DateTime(), answered_at=sa.DateTime(), closed_at=sa.DateTime())
    for request in op.get_bind().execute(requests, {"since": now - WINDOW, "now": now}):
        wait = wait_of(request)
        if wait is not None:
            waits.setdefault(request.mentor_id, []).append(wait)
    rows = [span_row(mentor_id, span) for mentor_id, found in waits.items() for span in course_of(found, now)]
    if rows:
        op.bulk_insert(spans, rows)


def downgrade():
    op.add_column("mentor_profiles", sa.Column("responsiveness_seconds", sa.Integer(), nullable=True))
    # The median as it is now, the one number the older schema keeps, in whole seconds cut
    # down as the forum cut it (CAST rounds on PostgreSQL and cuts on SQLite).
    now = datetime.now(UTC).replace(tzinfo=None)
    bind = op.get_bind()
    medians = bind.execute(sa.text(
        "SELECT mentor_id, base_seconds + growth * :now_seconds FROM mentor_responsiveness_spans"
        " WHERE starts_at <= :now AND ends_at > :now"
    ).bindparams(sa.bindparam("now", type_=sa.DateTime())),
        {"now": now, "now_seconds": (now - datetime(1970, 1, 1)).total_seconds()}).all()
    if medians:
        bind.execute(sa.text("UPDATE mentor_profiles SET responsiveness_seconds = :seconds"
                             " WHERE user_id = :mentor_id"),
                     [{"mentor_id": mentor_id, "seconds": int(seconds)} for mentor_id, seconds in medians])
    op.drop_index("ix_mentor_responsiveness_spans_mentor", table_name="mentor_responsiveness_spans")
    op.drop_table("mentor_responsiveness_spans")
