"""How quickly a mentor answers: the median wait from request to answer, as it is when read.

Counted over requests made in the last 90 days, once there are at least 3. A request
still waiting counts with its wait so far, so not answering cannot look fast; one the
mentee withdrew before any answer is left out, and one anyone else closed unanswered (a
change ending it: endings.py) counts with its wait until then.

That median moves with no one writing: waiting requests wait longer, and requests turn
90 days old. Kept as one number, worked out when a request was sent, answered or
withdrawn, it stayed what it was then: a mentor who never answered three requests kept
"Usually answers within an hour" and the top of "Most responsive".

So each of those writes (and each closing of a waiting request) stores the whole course
the median will take until the next one, as spans (ResponsivenessSpan), from the write's
moment on: spans before it stay, so a page that took its moment a little earlier still
finds its span, and those that ended a day ago go. Within a span the same one or two
requests are in the middle, so the median is a straight line in time: it grows a second a
second while the middle request waits, half that when one of two middle requests waits,
not at all when they were answered. A span ends where the middle changes: a waiting
request's wait passes an answered one's, or a request turns 90 days old; all end within
90 days.

The directory and the profile read the span holding the moment they are shown, with a
join in the statement they already run, so a page stays a read (no write, no lock) and
"Most responsive" orders every mentor by their median of that moment. Refreshing a stale
stored median on read instead would have written on GET, and to sort truthfully would
have had to refresh every stale mentor, not only the page's.
"""
from bisect import bisect_right
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median

from sqlalchemy import and_, bindparam, delete, insert, or_, select, update

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
UNKNOWN_LABEL = "Answer time shown after 3 requests in 90 days"  # says why nothing shows yet
KEEP_ENDED = timedelta(days=1)  # how long a write keeps spans that have ended
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


def wait_of(request) -> Wait | None:
    """The request's wait (a MentorshipRequest or a row with its columns), or None for one
    its mentee withdrew before any answer.

    One closed unanswered by anyone else (the mentor's change of whom they mentor, an admin
    taking the role away, a command) waited until it was closed: leaving it out made a
    mentor look fast again the moment their waiting requests ended."""
    if request.answered_at is not None:
        return Wait(request.created_at, (request.answered_at - request.created_at).total_seconds())
    if request.status == "pending":
        return Wait(request.created_at, None)
    if request.closed_by_id is not None:
        ended_by_another = request.closed_by_id != request.mentee_id
    else:  # a command line change, or a closer whose account is gone: only changes give reasons
        ended_by_another = bool(request.end_reason)
    if ended_by_another and request.closed_at is not None:
        return Wait(request.created_at, (request.closed_at - request.created_at).total_seconds())
    return None


def course_of(waits: list[Wait], now: datetime) -> list[Span]:
    """The median of `waits` from `now` on, as spans; none where there are too few to tell.

    A wait counts from when its request was made until it turns 90 days old; between two
    such changes the same waits count, and _middle_course follows the middle among them."""
    changes = sorted({now} | {moment for wait in waits for moment in (wait.created_at, wait.leaves_at)
                              if moment > now})
    spans: list[Span] = []
    for start, end in zip(changes, changes[1:]):
        present = [wait for wait in waits if wait.created_at <= start < wait.leaves_at]
        if len(present) < MINIMUM_REQUESTS:
            continue
        pieces = _middle_course(present, start, end)
        for (moment, middle), (until, _) in zip(pieces, pieces[1:] + [(end, None)]):
            seconds = sum(wait.seconds_at(moment) for wait in middle) / len(middle)
            growth = sum(wait.growth for wait in middle) / len(middle)
            last = spans[-1] if spans else None
            if last and last.ends_at == moment and last.growth == growth \
                    and abs(last.seconds_at(moment) - seconds) < 0.001:
                last.ends_at = until  # the same line goes on
            else:
                spans.append(Span(moment, until, seconds, growth))
    return spans


def _middle_course(present: list[Wait], start: datetime, end: datetime) -> list[tuple[datetime, list[Wait]]]:
    """Where the one or two waits in the middle of `present` change between start and end,
    and which they are from there: (moment, middle waits), the first at start."""
    half = len(present) // 2
    ranks = (half,) if len(present) % 2 else (half - 1, half)
    courses = [_course_of_rank(present, rank, start, end) for rank in ranks]
    moments = sorted({moment for course in courses for moment, _ in course})
    return [(moment, [_holding(course, moment) for course in courses]) for moment in moments]


def _holding(course: list[tuple[datetime, Wait]], moment: datetime) -> Wait:
    return course[bisect_right(course, moment, key=lambda entry: entry[0]) - 1][1]


def _course_of_rank(present: list[Wait], rank: int, start: datetime, end: datetime) -> list[tuple[datetime, Wait]]:
    """The wait `rank` places from the bottom as time goes from start to end, where it changes.

    Answered waits stay put and waiting ones all grow a second a second, so waiting ones
    keep their order (the newest lowest) and the ones below the rank only ever pass it
    upwards. At and below the rank are the `waiting` newest waiting ones and the `answered`
    shortest answers; the wait at the rank is the highest of those, and changes only when
    the highest of the waiting ones reaches the answer at the rank (it takes the rank) or
    the next answer up (it leaves the rank to that answer and the next waiting one down)."""
    # Just after start, a waiting request level with an answer is above it: it grows.
    ordered = sorted(present, key=lambda wait: (wait.seconds_at(start), wait.growth))
    answers = sorted((wait for wait in present if not wait.growth), key=lambda wait: wait.answered_after)
    growing = sorted((wait for wait in present if wait.growth), key=lambda wait: wait.created_at, reverse=True)
    waiting = sum(wait.growth for wait in ordered[:rank + 1])
    answered = rank + 1 - waiting
    at_rank = ordered[rank]
    course = [(start, at_rank)]
    while True:
        if at_rank.growth:  # it goes on growing until it reaches the next answer up
            if answered == len(answers):
                return course
            moment = at_rank.created_at + timedelta(seconds=answers[answered].answered_after)
            if moment >= end:
                return course
            waiting, answered = waiting - 1, answered + 1
            below = growing[waiting - 1] if waiting else None
            above = answers[answered - 1]
            at_rank = below if below and below.seconds_at(moment) >= above.answered_after else above
        else:  # it stays until the highest waiting one below reaches it
            if not waiting:
                return course
            moment = growing[waiting - 1].created_at + timedelta(seconds=at_rank.answered_after)
            if moment >= end:
                return course
            at_rank = growing[waiting - 1]
        course.append((moment, at_rank))


def recompute_responsiveness(mentor_id: int, now: datetime) -> int | None:
    """Store the course of the mentor's median wait (no commit); return it at that course's start.

    The course starts at `now`, or later: at the latest moment another write stamped on one
    of the mentor's requests. A write that took its `now` first can get here last; the
    rows it then reads hold the other write's request, and a course from before that
    request was made would leave it out for weeks."""
    # Two writes for one mentor at once take turns here (a no-op on SQLite, which has one
    # writer): each then reads the other's request, and never leaves both sets of spans.
    db.session.execute(select(MentorProfile.id).where(MentorProfile.user_id == mentor_id).with_for_update())
    rows = db.session.execute(select(
        MentorshipRequest.status, MentorshipRequest.created_at, MentorshipRequest.answered_at,
        MentorshipRequest.closed_at, MentorshipRequest.closed_by_id, MentorshipRequest.mentee_id,
        MentorshipRequest.end_reason,
    ).where(MentorshipRequest.mentor_id == mentor_id, MentorshipRequest.created_at > now - WINDOW)).all()
    now = max([now, *(moment for row in rows for moment in (row.created_at, row.answered_at, row.closed_at)
                      if moment is not None)])
    spans = course_of([wait for row in rows if (wait := wait_of(row)) is not None], now)
    _keep_course_until(mentor_id, now)
    if spans:
        db.session.execute(insert(ResponsivenessSpan), [span_row(mentor_id, span) for span in spans])
    return int(spans[0].seconds_at_start) if spans and spans[0].starts_at == now else None


def _keep_course_until(mentor_id: int, now: datetime) -> None:
    """End the stored course at `now`: a page that took its moment just before this write
    still finds the span for it. Spans that ended a day ago no page reads; they go."""
    mine = ResponsivenessSpan.mentor_id == mentor_id
    db.session.execute(delete(ResponsivenessSpan).where(
        mine, or_(ResponsivenessSpan.starts_at >= now, ResponsivenessSpan.ends_at < now - KEEP_ENDED)))
    db.session.execute(update(ResponsivenessSpan).where(
        mine, ResponsivenessSpan.starts_at < now, ResponsivenessSpan.ends_at > now).values(ends_at=now))


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
