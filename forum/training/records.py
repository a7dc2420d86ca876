"""Trainees' records read for many enrolments at once: their completions, and the
discussions trainers opened for them (reopened, or kept open through a new order).

The trainers' dashboard and a reorder read them for a page of trainees or a whole program,
and a trainee's own pages for one enrolment, all in one statement each.
"""
from datetime import datetime

from sqlalchemy import bindparam, literal, select, union_all

from forum.extensions import db
from forum.models.training import DiscussionCompletion, DiscussionReopening, KeptOpenDiscussion

REOPENED, KEPT_OPEN = "reopened", "kept open"

# Made once with its ids as a parameter: a trainee's pages run it when a trainer opened
# something for them (see services.progress_in).
_OPENED_BY_TRAINERS = union_all(
    select(DiscussionReopening.enrollment_id, DiscussionReopening.discussion_id, literal(REOPENED))
    .where(DiscussionReopening.enrollment_id.in_(bindparam("enrollment_ids", expanding=True))),
    select(KeptOpenDiscussion.enrollment_id, KeptOpenDiscussion.discussion_id, literal(KEPT_OPEN))
    .where(KeptOpenDiscussion.enrollment_id.in_(bindparam("enrollment_ids", expanding=True))))


def completions_by_enrollment(where) -> dict[int, dict[int, datetime]]:
    """Enrolment id -> {discussion id: when it was done}, for the completions `where` picks."""
    done: dict[int, dict[int, datetime]] = {}
    for enrollment_id, discussion_id, completed_at in db.session.execute(select(
            DiscussionCompletion.enrollment_id, DiscussionCompletion.discussion_id,
            DiscussionCompletion.completed_at).where(where)):
        done.setdefault(enrollment_id, {})[discussion_id] = completed_at
    return done


def opened_by_trainers(enrollment_ids) -> dict[int, tuple[frozenset[int], frozenset[int]]]:
    """Enrolment id -> (the discussions a trainer reopened, those a new order kept open);
    enrolments with neither are left out."""
    found: dict[int, tuple[set[int], set[int]]] = {}
    for enrollment_id, discussion_id, kind in db.session.execute(
            _OPENED_BY_TRAINERS, {"enrollment_ids": list(enrollment_ids)}):
        reopened, kept_open = found.setdefault(enrollment_id, (set(), set()))
        (reopened if kind == REOPENED else kept_open).add(discussion_id)
    return {enrollment_id: (frozenset(reopened), frozenset(kept_open))
            for enrollment_id, (reopened, kept_open) in found.items()}
