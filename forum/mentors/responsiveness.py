"""How quickly a mentor answers: the median wait from request to answer, as it is when read.

Counted over requests made in the last 90 days, once there are at least 3. A request
still waiting counts with its wait so far, so not answering cannot look fast; one the
mentee withdrew before any answer is left out.

That median moves with no one writing: waiting requests wait longer, and requests turn
90 days old. Kept as one number, worked out when a request was sent, answered or
withdrawn, it stayed what it was then: a mentor who never answered three requests kept
"Usually answers within an hour" and the top of "Most responsive".

So each of those writes stores the whole course the median will take until the next
one, as spans (ResponsivenessSpan). Within a span the same one or two requests are in
the middle, so the median is a straight line in time: it grows a second a second while
the middle request waits, half that when one of two middle requests waits, not at all
when they were answered. A span ends where the middle changes: a waiting request's wait
passes an answered one's, or a request turns 90 days old; all end within 90 days.

The directory and the profile read the span holding the moment they are shown, with a
join in the statement they already run, so a page stays a read (no write, no lock) and
"Most responsive" orders every mentor by their median of that moment. Refreshing a stale
stored median on read instead would have written on GET, and to sort truthfully would
have had to refresh every stale mentor, not only the page's.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median

from sqlalchemy import and_, bindparam, delete, insert, select

from forum.extensions import db
from forum.models.mentors import MentorProfile, MentorshipRequest, ResponsivenessSpan

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
EPOCH = datetime(1970, 1, 1)  # times are naive UTC (forum.clock)


def label(seconds: float | None) -> str:
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


def epoch_seconds(moment: datetime) -> float:
    return (moment - EPOCH).total_seconds()


@dataclass(frozen=True)
class Wait:
    """One counted request: answered after a fixed time, or still waiting (None)."""
    created_at: datetime
    answered_after: float | None

    @property
    def growth(self) -> int:
        return 0 if self.answered_after is not None else 1

    @property
    def leaves_at(self) -> datetime:
        """When it is no longer one of the last 90 days' requests."""
        return self.created_at + WINDOW

    def seconds_at(self, moment: datetime) -> float:
        if self.answered_after is not None:
            return self.answered_after
        return (moment - self.created_at).total_seconds()


@dataclass
class Span:
    starts_at: datetime
    ends_at: datetime
    seconds_at_start: float
    growth: float

    def seconds_at(self, moment: datetime) -> float:
        return self.seconds_at_start + self.growth * (moment - self.starts_at).total_seconds()

    @property
    def base_seconds(self) -> float:
        return self.seconds_at_start - self.growth * epoch_seconds(self.starts_at)


def wait_of(status: str, created_at: datetime, answered_at: datetime | None) -> Wait | None:
    """The request's wait, or None for one withdrawn before any answer."""
    if answered_at is not None:
        return Wait(created_at, (answered_at - created_at).total_seconds())
    return Wait(created_at, None) if status == "pending" else None


def course_of(waits: list[Wait], now: datetime) -> list[Span]:
    """The median of `waits` from `now` on, as spans; none where there are too few to tell."""
    counted = [wait for wait in waits if wait.created_at <= now < wait.leaves_at]
    answered = [wait.answered_after for wait in counted if wait.answered_after is not None]
    # Where the middle may change: a request leaves, or a waiting one's wait passes an answered one.
    moments = {now} | {wait.leaves_at for wait in counted}
    moments |= {wait.created_at + timedelta(seconds=seconds) for wait in counted if wait.answered_after is None
                for seconds in answered}
    moments = sorted(moment for moment in moments if now <= moment <= max(moments))
    spans: list[Span] = []
    for start, end in zip(moments, moments[1:]):
        present = [wait for wait in counted if start < wait.leaves_at]
        if len(present) < MINIMUM_REQUESTS:
            break  # requests only leave from here on
        middle = _middle(present, start + (end - start) / 2)
        seconds = sum(wait.seconds_at(start) for wait in middle) / len(middle)
        growth = sum(wait.growth for wait in middle) / len(middle)
        last = spans[-1] if spans else None
        if last and last.growth == growth and abs(last.seconds_at(start) - seconds) < 0.001:
            last.ends_at = end  # the same line goes on
        else:
            spans.append(Span(start, end, seconds, growth))
    return spans


def _middle(waits: list[Wait], moment: datetime) -> list[Wait]:
    """The one or two waits in the middle at `moment`, which no crossing falls on."""
    ordered = sorted(waits, key=lambda wait: wait.seconds_at(moment))
    half = len(ordered) // 2
    return ordered[half:half + 1] if len(ordered) % 2 else ordered[half - 1:half + 1]


def recompute_responsiveness(mentor_id: int, now: datetime) -> int | None:
    """Store the course of the mentor's median wait from `now` (no commit); return it at `now`."""
    # Two writes for one mentor at once take turns here (a no-op on SQLite, which has one
    # writer): each then reads the other's request, and never leaves both sets of spans.
    db.session.execute(select(MentorProfile.id).where(MentorProfile.user_id == mentor_id).with_for_update())
    rows = db.session.execute(select(
        MentorshipRequest.status, MentorshipRequest.created_at, MentorshipRequest.answered_at,
    ).where(MentorshipRequest.mentor_id == mentor_id, MentorshipRequest.created_at > now - WINDOW,
            MentorshipRequest.created_at <= now))
    spans = course_of([wait for row in rows if (wait := wait_of(*row)) is not None], now)
    db.session.execute(delete(ResponsivenessSpan).where(ResponsivenessSpan.mentor_id == mentor_id))
    if spans:
        db.session.execute(insert(ResponsivenessSpan), [span_row(mentor_id, span) for span in spans])
    return int(spans[0].seconds_at_start) if spans else None


def span_row(mentor_id: int, span: Span) -> dict:
    return {"mentor_id": mentor_id, "starts_at": span.starts_at, "ends_at": span.ends_at,
            "base_seconds": span.base_seconds, "growth": span.growth}


# Statements read the median for the moment in these two parameters (made once and kept,
# like the directory's): the time, and the same time in seconds since 1970.
NOW, NOW_SECONDS = bindparam("now"), bindparam("now_seconds")


def reading_parameters(now: datetime) -> dict:
    return {"now": now, "now_seconds": epoch_seconds(now)}


def holds_now(mentor_id_column):
    """SQL: the span is the mentor's, and holds at NOW (a mentor's spans never overlap)."""
    return and_(ResponsivenessSpan.mentor_id == mentor_id_column, ResponsivenessSpan.starts_at <= NOW,
                ResponsivenessSpan.ends_at > NOW)


def seconds_now():
    """SQL: the median wait at NOW, from the span joined with holds_now; NULL without one."""
    return ResponsivenessSpan.base_seconds + ResponsivenessSpan.growth * NOW_SECONDS


def responsiveness_at(mentor_id: int, now: datetime) -> float | None:
    """The mentor's median wait at `now`, for a page about one mentor."""
    return db.session.scalar(select(seconds_now()).where(holds_now(mentor_id)), reading_parameters(now))
