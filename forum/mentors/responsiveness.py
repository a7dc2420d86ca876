"""How quickly a mentor answers: the median wait from request to answer, kept on the profile.

Counted over requests made in the last 90 days, once there are at least 3. A request
still waiting counts with its wait so far, so not answering cannot look fast; one the
mentee withdrew before any answer is left out.
"""
from datetime import datetime, timedelta
from statistics import median

from sqlalchemy import select, update

from forum.extensions import db
from forum.models.mentors import MentorProfile, MentorshipRequest

WINDOW = timedelta(days=90)
MINIMUM_REQUESTS = 3
HOUR = 3600
DAY = 24 * HOUR
LABELS = (
    (HOUR, "Usually answers within an hour"),
    (DAY, "Usually answers within a day"),
    (3 * DAY, "Usually answers within 3 days"),
)
SLOW_LABEL = "Usually takes longer than 3 days to answer"
UNKNOWN_LABEL = "Answer time not known yet"


def label(seconds: int | None) -> str:
    if seconds is None:
        return UNKNOWN_LABEL
    for limit, text in LABELS:
        if seconds <= limit:
            return text
    return SLOW_LABEL


def median_wait(waits: list[float]) -> int | None:
    if len(waits) < MINIMUM_REQUESTS:
        return None
    return int(median(waits))


def recompute_responsiveness(mentor_id: int, now: datetime) -> int | None:
    """Store the mentor's median wait on their profile (no commit) and return it."""
    rows = db.session.execute(select(
        MentorshipRequest.status, MentorshipRequest.created_at, MentorshipRequest.answered_at,
    ).where(MentorshipRequest.mentor_id == mentor_id, MentorshipRequest.created_at >= now - WINDOW,
            MentorshipRequest.created_at <= now))
    waits = []
    for status, created_at, answered_at in rows:
        if answered_at is not None:
            waits.append((answered_at - created_at).total_seconds())
        elif status == "pending":
            waits.append((now - created_at).total_seconds())
    seconds = median_wait(waits)
    db.session.execute(update(MentorProfile).where(MentorProfile.user_id == mentor_id)
                       .values(responsiveness_seconds=seconds))
    return seconds
