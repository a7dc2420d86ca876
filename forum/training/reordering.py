"""What a trainer's new order of discussions does to trainees already in the program:
nothing that was open to them closes.

A discussion opens once the one before it is complete (progress.py), so a new order could
put the discussion a trainee is working in after one they have not done, and lock them
out of the response they posted and the replies they still owe. Before the order
changes, each discussion it would close for a trainee is recorded as kept open for them.
Trainees who had not reached a discussion meet it in the new order.
"""
from sqlalchemy import insert, select

from forum.clock import utcnow
from forum.extensions import db
from forum.models.training import DiscussionCompletion, Enrollment, KeptOpenDiscussion
from forum.training.progress import Progress
from forum.training.records import NOTHING_OPENED, completions_by_enrollment, opened_by_trainers


def keep_open_through_new_order(program, old_order: list, new_order: list) -> int:
    """Record, for each trainee still working through `program`, the discussions open to
    them in `old_order` that `new_order` would lock. Returns how many trainees keep one.
    The caller commits, with the new order."""
    # Graduates have every discussion open (Progress.is_open), also once a trainer reopened
    # one of theirs: nothing closes for them.
    enrollments = db.session.scalars(select(Enrollment).where(
        Enrollment.program_id == program.id, Enrollment.first_completed_at.is_(None))).all()
    if not enrollments:
        return 0
    ids = [enrollment.id for enrollment in enrollments]
    done = completions_by_enrollment(DiscussionCompletion.enrollment_id.in_(ids))
    opened = opened_by_trainers(ids)
    now, kept, trainees = utcnow(), [], 0
    for enrollment in enrollments:
        records = (done.get(enrollment.id, {}), *opened.get(enrollment.id, NOTHING_OPENED))
        before = Progress(program, old_order, enrollment, *records)
        after = Progress(program, new_order, enrollment, *records)
        closing = [d for d in old_order if before.is_open(d) and not after.is_open(d)]
        kept += [dict(enrollment_id=enrollment.id, discussion_id=d.id, kept_at=now) for d in closing]
        trainees += bool(closing)
    if kept:
        db.session.execute(insert(KeptOpenDiscussion), kept)
    return trainees
