"""training: trainees reopened before 3c8f1a6d2e57 get back when they first completed the program

3c8f1a6d2e57 copied completed_at into first_completed_at, so a trainee a trainer had
reopened by then (completed_at taken back) was left as if they had never completed the
program: the discussions added since were asked of them again and locked until they got
there, and the trainers' dashboard counted them as working through every discussion.

What is inferred: the program completes itself at the moment its last discussion is done
(completion.py records both with the same time). A trainer's reopening keeps when the
discussion had been done (previously_completed_at) and when it was taken back
(reopened_at); completions not taken back stay. So for each trainee left without
first_completed_at and with a reopening, every moment one of their discussions was done is
tried, earliest first: the program was complete then if each discussion whose thread
existed at that moment was done by it and not yet taken back. The first such moment is
first_completed_at. Only trainees not complete now and with a reopening are read: anyone
else who completed was given first_completed_at by 3c8f1a6d2e57 or by completing since.

What cannot be known, and is left alone: a discussion whose thread was created later than
the discussion (none is: authoring makes both at once) would be missed at moments before
its thread existed. Badges and notifications are not read: a badge exists only for programs
that award one, its awarded_at is a moment later than the completion, and its reason names
the program by a title that may have changed. A trainee the records don't show complete
stays as they were: nothing is guessed.

Revision ID: b6e2d4f8a1c3
Revises: 9f3a6c1d2e85
Create Date: 2026-12-06 03:20:00

"""
from alembic import op
import sqlalchemy as sa

revision = "b6e2d4f8a1c3"
down_revision = "9f3a6c1d2e85"
branch_labels = None
depends_on = None

enrollments = sa.table("enrollments", sa.column("id", sa.Integer), sa.column("program_id", sa.Integer),
                       sa.column("completed_at", sa.DateTime), sa.column("first_completed_at", sa.DateTime))
discussions = sa.table("discussions", sa.column("id", sa.Integer), sa.column("program_id", sa.Integer),
                       sa.column("thread_id", sa.Integer))
threads = sa.table("threads", sa.column("id", sa.Integer), sa.column("created_at", sa.DateTime))
completions = sa.table("discussion_completions", sa.column("enrollment_id", sa.Integer),
                       sa.column("discussion_id", sa.Integer), sa.column("completed_at", sa.DateTime))
reopenings = sa.table("discussion_reopenings", sa.column("enrollment_id", sa.Integer),
                      sa.column("discussion_id", sa.Integer), sa.column("previously_completed_at", sa.DateTime),
                      sa.column("reopened_at", sa.DateTime))


def _first_completed(spans: dict, program_discussions: list):
    """The earliest moment every discussion that existed then was done, or None.
    `spans`: discussion id -> [(done at, taken back at or None)]."""
    for moment in sorted(done for taken in spans.values() for done, _ in taken):
        if all(any(done <= moment and (back is None or back > moment) for done, back in spans.get(discussion, ()))
               for discussion, created in program_discussions if created <= moment):
            return moment
    return None


def upgrade():
    bind = op.get_bind()
    reopened = sa.select(reopenings.c.enrollment_id)
    candidates = bind.execute(sa.select(enrollments.c.id, enrollments.c.program_id).where(
        enrollments.c.first_completed_at.is_(None), enrollments.c.completed_at.is_(None),
        enrollments.c.id.in_(reopened))).all()
    for enrollment_id, program_id in candidates:
        program_discussions = bind.execute(
            sa.select(discussions.c.id, threads.c.created_at).join(threads, threads.c.id == discussions.c.thread_id)
            .where(discussions.c.program_id == program_id)).all()
        spans = {}
        for discussion_id, done in bind.execute(sa.select(completions.c.discussion_id, completions.c.completed_at)
                                                .where(completions.c.enrollment_id == enrollment_id)):
            spans.setdefault(discussion_id, []).append((done, None))
        for discussion_id, done, back in bind.execute(
                sa.select(reopenings.c.discussion_id, reopenings.c.previously_completed_at, reopenings.c.reopened_at)
                .where(reopenings.c.enrollment_id == enrollment_id)):
            spans.setdefault(discussion_id, []).append((done, back))
        first = _first_completed(spans, program_discussions)
        if first is not None:
            bind.execute(enrollments.update().where(enrollments.c.id == enrollment_id)
                         .values(first_completed_at=first))


def downgrade():
    # Nothing to undo: the column stays (3c8f1a6d2e57 owns it), and which values this
    # revision filled in is not recorded. They are true either way.
    pass
