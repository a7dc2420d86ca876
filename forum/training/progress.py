"""A trainee's place in a program, worked out from rows already loaded (no queries here).

The rule for opening discussions: the first is open on enrolment, and each later one
opens once the one before it is complete. A completed discussion stays open. When a
trainer reopens a discussion, the ones after it that were already open stay open; only
the reopened one has to be done again before the program counts as complete.

"Already open" is read from the reopenings: a reopened discussion was complete once, so
it and the one after it were open then, and stay open (the SQL twin is
services._opened_discussions).

A trainer's new order never closes a discussion either: one that was open to the trainee
and would sit after one they have not done is recorded as kept open for them
(reordering.py), so they can finish a response and replies they started there. Where
they carry on (`current`) is such a discussion they had started, until it is done; then
they meet the new order.

Once the trainee has completed the program every discussion is open: one a trainer adds
later is offered to the graduate, and their completion, and what their certificate states,
stay. That holds when a trainer reopens one of their discussions too: everything stays
open, and only the discussions they had done are asked of them again (`is_required`), so
doing the reopened one again completes the program again.
"""
from dataclasses import dataclass, field
from datetime import datetime

DONE, CURRENT, OPEN, LOCKED = "done", "current", "open", "locked"


@dataclass
class Progress:
    program: object
    discussions: list  # in position order, positions 1..n
    enrollment: object | None = None
    completed_at: dict[int, datetime] = field(default_factory=dict)
    # The discussions a trainer reopened for this enrolment (ids), done again or not.
    reopened: frozenset[int] = frozenset()
    # The discussions a new order would have locked for them (ids): they stay open.
    kept_open: frozenset[int] = frozenset()
    # Of those, the ones they had started: they have a live post there.
    started: frozenset[int] = frozenset()
    # The enrolment of someone who left the program (then `enrollment` is None: they take
    # no part), and how many discussions they had done: kept for if they enrol again.
    left: object | None = None
    left_done: int = 0

    def __post_init__(self):
        self._index = {discussion.id: number for number, discussion in enumerate(self.discussions)}

    @property
    def is_enrolled(self) -> bool:
        return self.enrollment is not None

    @property
    def is_complete(self) -> bool:
        return self.enrollment is not None and self.enrollment.completed_at is not None

    @property
    def total(self) -> int:
        return len(self.discussions)

    @property
    def has_completed_once(self) -> bool:
        """Completed the program, now or before a trainer reopened a discussion for them."""
        return self.is_complete or (self.enrollment is not None and self.enrollment.first_completed_at is not None)

    def is_required(self, discussion) -> bool:
        """Asked of the trainee to complete the program: every discussion, but of someone who
        completed it once only the ones they did (some a trainer may have reopened); the
        others were added since, offered, never required."""
        return not self.has_completed_once or self.was_ever_done(discussion)

    @property
    def required_left(self) -> list:
        """The discussions still asked of the trainee before the program is complete."""
        if not self.is_enrolled or self.is_complete:
            return []
        return [d for d in self.discussions if self.is_required(d) and not self.is_done(d)]

    @property
    def done_count(self) -> int:
        return sum(1 for discussion in self.discussions if discussion.id in self.completed_at)

    @property
    def done_at_completion(self) -> int:
        """How many discussions the trainee had done when they completed the program: what
        their certificate states, whatever trainers add after (0 until it is complete).
        Completing the last one and the program record the same moment."""
        if not self.is_complete:
            return 0
        finished = self.enrollment.completed_at
        return sum(1 for at in self.completed_at.values() if at <= finished)

    @property
    def added_since_completion(self) -> list:
        """The discussions trainers added after the trainee completed the program (they have
        not done them): offered, never required, also while a trainer has reopened one of
        theirs."""
        return [discussion for discussion in self.discussions if not self.is_required(discussion)]

    @property
    def percent(self) -> int:
        return round(100 * self.done_count / self.total) if self.total else 0

    def at(self, position: int):
        """The discussion at `position` (1-based), or None."""
        if 1 <= position <= len(self.discussions):
            return self.discussions[position - 1]
        return None

    def previous(self, discussion):
        number = self._index[discussion.id]
        return self.discussions[number - 1] if number > 0 else None

    def next(self, discussion):
        number = self._index[discussion.id]
        return self.discussions[number + 1] if number + 1 < len(self.discussions) else None

    def is_done(self, discussion) -> bool:
        return discussion.id in self.completed_at

    def was_reopened(self, discussion) -> bool:
        return discussion.id in self.reopened

    def was_ever_done(self, discussion) -> bool:
        """Done now, or done once before a trainer reopened it."""
        return self.is_done(discussion) or self.was_reopened(discussion)

    def is_open(self, discussion) -> bool:
        if not self.is_enrolled:
            return False
        if self.has_completed_once:
            return True
        before = self.previous(discussion)
        return (before is None or discussion.id in self.kept_open or self.was_ever_done(discussion)
                or self.was_ever_done(before))

    @property
    def current(self):
        """Where the trainee carries on, if enrolled: the discussion they are working on.
        That is the first one asked of them and not done, unless a new order put one they had
        started (and have not done) after it: they finish that one first. None once the
        program is complete: nothing is left that they must do. (The SQL twin is
        dashboard.current_position.)"""
        left = self.required_left
        return next((d for d in left if d.id in self.started), left[0] if left else None)

    def state(self, discussion) -> str:
        if self.is_done(discussion):
            return DONE
        if not self.is_open(discussion):
            return LOCKED
        return CURRENT if discussion is self.current else OPEN

    def locked_reason(self, discussion) -> str | None:
        """Why the discussion is not open yet, in plain words, or None when it is."""
        if self.is_open(discussion):
            return None
        if self.left is not None:
            return f"You left “{self.program.title}”. Enrol again to open its discussions: you carry on where you were."
        if not self.is_enrolled:
            return f"Enrol in “{self.program.title}” to open its discussions."
        before = self.previous(discussion)
        return f"“{discussion.title}” opens when you complete “{before.title}”."
