"""Taking a break: every email of a member's choosing paused for a while, the choices kept.

Someone who needs a break should not have to close their account, or untick each email
choice and then forget which they had. A pause stops the notification emails and the daily
email (forum/posts/digests.py) for a day, a week, a month or until they turn them back on;
the notifications still arrive in the forum, so nothing is lost. Emails they asked for
themselves (a password reset, a new address to confirm) still come.

A pause is one time on the member, `User.emails_paused_until`: emails are paused while it is
ahead, so a pause ends by itself with nothing to run at its end. Resuming moves it to now.
Once past it says when emails came back: the next daily email tells only of what came after
it, not of the whole break in one long email.
"""
from datetime import datetime, timedelta

from sqlalchemy import exists

from forum.errors import DomainError
from forum.extensions import db
from forum.models.accounts import User

PAUSE_LENGTHS: dict[str, tuple[str, timedelta | None]] = {
    "day": ("1 day", timedelta(days=1)),
    "week": ("1 week", timedelta(weeks=1)),
    "month": ("1 month", timedelta(days=30)),
    "until_resumed": ("Until I turn them back on", None),
}
# "Until I turn them back on": a time no pause reaches, so that one comparison, in Python and
# in SQL, tells whether emails are paused. Never shown as a date (nor moved into a time zone:
# the year 10000 does not exist).
UNTIL_RESUMED = datetime(9999, 1, 1)


def paused_until(user, now: datetime) -> datetime | None:
    """When `user`'s paused emails start again (UNTIL_RESUMED: when they say so), or None
    when they are not paused."""
    until = user.emails_paused_until
    return until if until is not None and until > now else None


def emails_resumed_at(user, now: datetime) -> datetime | None:
    """When `user`'s emails last came back from a pause, if they are not paused now."""
    until = user.emails_paused_until
    return until if until is not None and until <= now else None


def emails_paused_for(user_id_column, now: datetime):
    """An SQL condition: the person `user_id_column` names has paused their emails at `now`
    (part of the statement that picks who is emailed, however many they are)."""
    return exists().where(User.id == user_id_column, User.emails_paused_until > now)


def pause_emails(user, length: str, now: datetime) -> datetime:
    """Pause `user`'s emails for `length` (a key of PAUSE_LENGTHS) from `now`; a pause
    already on is replaced. When they start again."""
    if length not in PAUSE_LENGTHS:
        raise DomainError("Choose how long to pause emails for.", "pause_for")
    span = PAUSE_LENGTHS[length][1]
    user.emails_paused_until = UNTIL_RESUMED if span is None else now + span
    db.session.commit()
    return user.emails_paused_until


def resume_emails(user, now: datetime) -> None:
    """Emails start again at `now`. Pressed twice, or after the pause ended by itself, it
    changes nothing: the time they came back stays the true one."""
    if paused_until(user, now) is not None:
        user.emails_paused_until = now
        db.session.commit()
