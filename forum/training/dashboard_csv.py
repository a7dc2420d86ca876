"""A program's progress as a CSV file for its trainers: one row per trainee, with when
each discussion was done and what they still lack for the one they are on.

Read by the same grouped queries as the dashboard (forum.training.dashboard), so it runs a
fixed number of statements whatever the number of trainees or posts.
"""
from sqlalchemy import select

from forum.extensions import db
from forum.models.accounts import User
from forum.models.training import DiscussionCompletion, Enrollment
from forum.spreadsheets import csv_text
from forum.training.dashboard import (
    TAKING_PART, activity, current_position, discussions_of, require_trainer, waiting_since,
)
from forum.training.records import completions_by_enrollment


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def still_missing(discussion, words: int | None, peers: int) -> str:
    """What a trainee still lacks to complete `discussion`, in words: `words` of their best
    counted response (None: no response), `peers` fellow trainees replied to (as the
    dashboard's table counts them)."""
    lacking = []
    if words is None:
        lacking.append(f"a response of at least {_plural(discussion.min_words, 'word', 'words')}")
    elif words < discussion.min_words:
        lacking.append(f"{_plural(discussion.min_words - words, 'more word', 'more words')} in their response "
                       f"({words} of {discussion.min_words})")
    needed = discussion.required_peer_replies
    if peers <= 0:
        lacking.append("a reply to a fellow trainee" if needed == 1
                       else f"replies to {needed} different fellow trainees")
    elif peers < needed:
        lacking.append("a reply to 1 more fellow trainee" if needed - peers == 1
                       else f"replies to {needed - peers} more fellow trainees")
    # Met but not recorded yet: their next post (or a trainer's save) records it.
    return " and ".join(lacking) or "nothing more: it is recorded as done at their next post"


def csv_export(trainer, program) -> str:
    """Every trainee of the program, one row each, with the time each discussion was done
    and what they still lack for the one they are on."""
    require_trainer(trainer)
    discussions = discussions_of(program)
    at = {d.position: d for d in discussions}
    done = completions_by_enrollment(DiscussionCompletion.enrollment_id.in_(
        select(Enrollment.id).where(Enrollment.program_id == program.id, TAKING_PART)))
    rows = db.session.execute(
        select(Enrollment.id, User.id, User.username, User.display_name, Enrollment.enrolled_at,
               Enrollment.completed_at, current_position(), waiting_since())
        .join(User, User.id == Enrollment.user_id).where(Enrollment.program_id == program.id, TAKING_PART)
        .order_by(Enrollment.enrolled_at, Enrollment.id))
    responses, peers = activity(program, discussions,
                                 select(Enrollment.user_id).where(Enrollment.program_id == program.id, TAKING_PART))
    # Times are UTC, as stored; the headers say so, since a spreadsheet would take them as local.
    header = (["username", "display name", "enrolled at (UTC)", "discussions done", "current discussion",
               "still missing", "last progress at (UTC)", "program completed at (UTC)"]
              + [f"{d.position}. {d.title} completed at (UTC)" for d in discussions])
    return csv_text(header, (
        [username, name, enrolled_at, len(done.get(enrollment_id, {})), current or "",
         _missing_at(at.get(current), user_id, responses, peers), since, completed_at]
        + [done.get(enrollment_id, {}).get(d.id) for d in discussions]
        for enrollment_id, user_id, username, name, enrolled_at, completed_at, current, since in rows))


def _missing_at(discussion, user_id, responses, peers) -> str:
    if discussion is None:  # no current discussion: nothing is left that they must do
        return "nothing: they completed the program"
    key = (user_id, discussion.thread_id)
    return still_missing(discussion, responses.get(key), peers.get(key, 0))
