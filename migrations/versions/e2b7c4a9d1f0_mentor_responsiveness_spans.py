"""mentors: responsiveness kept as spans read at the time shown, not one number that went stale

Revision ID: e2b7c4a9d1f0
Revises: 5b7e2d9c4a16
Create Date: 2026-12-05 19:20:00

"""
from bisect import bisect_right
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

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
    """Every mentor's course from now, from their requests, so no label waits for a new one."""
    now = datetime.now(UTC).replace(tzinfo=None)
    waits = {}
    requests = sa.text(
        "SELECT mentor_id, status, created_at, answered_at, closed_at, closed_by_id, mentee_id, end_reason"
        " FROM mentorship_requests"
        " WHERE created_at > :since AND created_at <= :now"
    ).bindparams(sa.bindparam("since", type_=sa.DateTime()), sa.bindparam("now", type_=sa.DateTime())).columns(
        created_at=sa.DateTime(), answered_at=sa.DateTime(), closed_at=sa.DateTime())
    for request in op.get_bind().execute(requests, {"since": now - WINDOW, "now": now}):
        wait = _wait_of(request)
        if wait is not None:
            waits.setdefault(request.mentor_id, []).append(wait)
    rows = [_span_row(mentor_id, span) for mentor_id, found in waits.items() for span in _course_of(found, now)]
    if rows:
        op.bulk_insert(spans, rows)


# The forum's rule for the median wait, copied from forum/mentors/responsiveness.py as it
# stood when this migration stopped importing it: replaying the migration must give the
# same spans whatever the forum's rule becomes later, and must not break when it moves.
# Change it only to fix this migration itself.

WINDOW = timedelta(days=90)
MINIMUM_REQUESTS = 3
EPOCH = datetime(1970, 1, 1)  # times are naive UTC


@dataclass(frozen=True)
class _Wait:
    """One counted request: answered after a fixed time, or still waiting (None)."""
    created_at: datetime
    answered_after: float | None

    @property
    def growth(self) -> int:
        return 0 if self.answered_after is not None else 1

    @property
    def leaves_at(self) -> datetime:
        return self.created_at + WINDOW

    def seconds_at(self, moment: datetime) -> float:
        if self.answered_after is not None:
            return self.answered_after
        return (moment - self.created_at).total_seconds()


@dataclass
class _Span:
    starts_at: datetime
    ends_at: datetime
    seconds_at_start: float
    growth: float

    def seconds_at(self, moment: datetime) -> float:
        return self.seconds_at_start + self.growth * (moment - self.starts_at).total_seconds()

    @property
    def base_seconds(self) -> float:
        return self.seconds_at_start - self.growth * (self.starts_at - EPOCH).total_seconds()


def _wait_of(request) -> _Wait | None:
    """The request's wait, or None for one its mentee withdrew before any answer; one
    anyone else closed unanswered waited until it was closed."""
    if request.answered_at is not None:
        return _Wait(request.created_at, (request.answered_at - request.created_at).total_seconds())
    if request.status == "pending":
        return _Wait(request.created_at, None)
    if request.closed_by_id is not None:
        ended_by_another = request.closed_by_id != request.mentee_id
    else:  # a command line change, or a closer whose account is gone: only changes give reasons
        ended_by_another = bool(request.end_reason)
    if ended_by_another and request.closed_at is not None:
        return _Wait(request.created_at, (request.closed_at - request.created_at).total_seconds())
    return None


def _course_of(waits: list[_Wait], now: datetime) -> list[_Span]:
    """The median of `waits` from `now` on, as spans; none where there are too few to tell.

    A wait counts from when its request was made until it turns 90 days old; between two
    such changes the same waits count, and _middle_course follows the middle among them."""
    changes = sorted({now} | {moment for wait in waits for moment in (wait.created_at, wait.leaves_at)
                              if moment > now})
    spans: list[_Span] = []
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
                spans.append(_Span(moment, until, seconds, growth))
    return spans


def _middle_course(present: list[_Wait], start: datetime, end: datetime) -> list[tuple[datetime, list[_Wait]]]:
    """Where the one or two waits in the middle of `present` change between start and end,
    and which they are from there: (moment, middle waits), the first at start."""
    half = len(present) // 2
    ranks = (half,) if len(present) % 2 else (half - 1, half)
    courses = [_course_of_rank(present, rank, start, end) for rank in ranks]
    moments = sorted({moment for course in courses for moment, _ in course})
    return [(moment, [_holding(course, moment) for course in courses]) for moment in moments]


def _holding(course: list[tuple[datetime, _Wait]], moment: datetime) -> _Wait:
    return course[bisect_right(course, moment, key=lambda entry: entry[0]) - 1][1]


def _course_of_rank(present: list[_Wait], rank: int, start: datetime, end: datetime) -> list[tuple[datetime, _Wait]]:
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


def _span_row(mentor_id: int, span: _Span) -> dict:
    return {"mentor_id": mentor_id, "starts_at": span.starts_at, "ends_at": span.ends_at,
            "base_seconds": span.base_seconds, "growth": span.growth}


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
