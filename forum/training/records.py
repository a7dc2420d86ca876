"""Trainees' records read for many enrolments at once: their completions, and the
discussions trainers opened for them (reopened, or kept open through a new order, and of
those, the ones the trainee had started: posted in).

The trainers' dashboard and a reorder read them for a page of trainees or a whole program,
and a trainee's own pages for one enrolment, all in one statement each.
"""
from datetime import datetime

from sqlalchemy import bindparam, exists, literal, or_, select, union_all

from forum.extensions import db
from forum.models.posts import Post
from forum.models.training import (
    Discussion, DiscussionCompletion, DiscussionReopening, Enrollment, KeptOpenDiscussion,
)

REOPENED, KEPT_OPEN, STARTED = "reopened", "kept open", "started"
# For an enrolment a trainer opened nothing for.
NOTHING_OPENED = (frozenset(), frozenset(), frozenset())


def has_posted_in(discussion, user_id):
    """SQL: the trainee has a live post (a response or a reply) in the discussion."""
    return exists().where(Post.thread_id == discussion.thread_id, Post.author_id == user_id,
                          Post.deleted_at.is_(None), Post.hidden_at.is_(None))


def asked_of_enrolled(discussion_id):
    """SQL, per Enrollment row: the discussion is still asked of its trainee (Progress.is_required):
    every one until they complete the program; after, only one a trainer reopened for them, as
    the rest they did, or a trainer added since (offered to them, never asked)."""
    reopened = exists().where(DiscussionReopening.enrollment_id == Enrollment.id,
                              DiscussionReopening.discussion_id == discussion_id)
    return or_(Enrollment.first_completed_at.is_(None), reopened.correlate_except(DiscussionReopening))


# Made once with its ids as a parameter: a trainee's pages run it when a trainer opened
# something for them (see services.progress_in).
_OPENED_BY_TRAINERS = union_all(
    select(DiscussionReopening.enrollment_id, DiscussionReopening.discussion_id, literal(REOPENED))
    .where(DiscussionReopening.enrollment_id.in_(bindparam("enrollment_ids", expanding=True))),
    select(KeptOpenDiscussion.enrollment_id, KeptOpenDiscussion.discussion_id, literal(KEPT_OPEN))
    .where(KeptOpenDiscussion.enrollment_id.in_(bindparam("enrollment_ids", expanding=True))),
    select(KeptOpenDiscussion.enrollment_id, KeptOpenDiscussion.discussion_id, literal(STARTED))
    .join(Enrollment, Enrollment.id == KeptOpenDiscussion.enrollment_id)
    .join(Discussion, Discussion.id == KeptOpenDiscussion.discussion_id)
    .where(KeptOpenDiscussion.enrollment_id.in_(bindparam("enrollment_ids", expanding=True)),
           has_posted_in(Discussion, Enrollment.user_id)))


def completions_by_enrollment(where) -> dict[int, dict[int, datetime]]:
    """Enrolment id -> {discussion id: when it was done}, for the completions `where` picks."""
    done: dict[int, dict[int, datetime]] = {}
    for enrollment_id, discussion_id, completed_at in db.session.execute(select(
            DiscussionCompletion.enrollment_id, DiscussionCompletion.discussion_id,
            DiscussionCompletion.completed_at).where(where)):
        done.setdefault(enrollment_id, {})[discussion_id] = completed_at
    return done


def opened_by_trainers(enrollment_ids) -> dict[int, tuple[frozenset[int], frozenset[int], frozenset[int]]]:
    """Enrolment id -> (the discussions a trainer reopened, those a new order kept open,
    those of the kept open the trainee has posted in); enrolments with none are left out."""
    found: dict[int, dict[str, set[int]]] = {}
    for enrollment_id, discussion_id, kind in db.session.execute(
            _OPENED_BY_TRAINERS, {"enrollment_ids": list(enrollment_ids)}):
        found.setdefault(enrollment_id, {REOPENED: set(), KEPT_OPEN: set(), STARTED: set()})[kind].add(discussion_id)
    return {enrollment_id: (frozenset(kinds[REOPENED]), frozenset(kinds[KEPT_OPEN]), frozenset(kinds[STARTED]))
            for enrollment_id, kinds in found.items()}
