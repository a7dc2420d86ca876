"""Flags saying someone may be in danger: every acting moderator is told at once.

Told, not mailed by the dozen: one unread notification per moderator gathers every such
flag until they read it (then the next makes a new one). A new one is emailed, and so is
one that gathers a flag on another thing (post, profile, review) than those already
waiting as danger flags: a moderator who read the email but works the queue from a
bookmark, never opening the notice, still hears of a second person in danger. Flags on a
thing that waits already are only counted: ten members flagging one post send no ten emails.
It never names the flagger: a moderator the flagged thing is about would learn who it was,
and the others read the name in the queue.
"""
from sqlalchemy import exists, select, update

from forum.accounts.permissions import is_staff, not_suspended_at
from forum.clock import utcnow
from forum.extensions import db
from forum.links import path_for
from forum.models.accounts import STAFF_ROLES, Role, User, user_roles
from forum.models.moderation import Flag
from forum.models.posts import Notification
from forum.posts.notifications import email_again, notify_each, register_notification_kind

KIND = "urgent_flag"
register_notification_kind(KIND, "A flag says someone may be in danger (moderators only)", offered_to=is_staff,
                           always_at_once=True)


def acting_moderators(now):
    """Select the staff who can act on the queue at `now`: not suspended, account open."""
    staff_ids = (select(user_roles.c.user_id).join(Role, Role.id == user_roles.c.role_id)
                 .where(Role.name.in_(STAFF_ROLES)))
    return select(User).where(User.id.in_(staff_ids), User.closed_at.is_(None), not_suspended_at(now))


def _to_tell(reporter_ids, concerns, leave_out=()):
    # None (an account row gone: a reporter, or whom the thing is about) left out: NOT IN with a NULL matches no one.
    left_out = ({person_id for person_id, _ in concerns} | {*reporter_ids, *leave_out}) - {None}
    return acting_moderators(utcnow()).where(User.id.not_in(left_out))


def anyone_to_tell(reporter, concerns) -> bool:
    """Whether a flag by `reporter` on a thing about `concerns` saying someone may be in
    danger reaches a moderator at once: not when the only acting ones are the flagger and
    the people it is about (a small forum's one moderator writing that they can't go on)."""
    return db.session.scalar(select(_to_tell([reporter.id], concerns).exists())) is True


def tell_moderators(flags: list[Flag], concerns, *, leave_out=()) -> None:
    """After `flags`, all on one thing, came to say someone may be in danger (not committed):
    tell each acting moderator but their flaggers and the people it is about (`concerns`, see
    `own_flags_refusal`), whose flags wait for another moderator. `leave_out`: ids of others
    who know already (the moderator who reopened them). As many statements for one
    moderator as for fifty."""
    moderators = db.session.scalars(_to_tell({flag.reporter_id for flag in flags}, concerns, leave_out)).all()
    now = utcnow()
    if not moderators:
        return
    unread = {notice.user_id: notice for notice in db.session.scalars(select(Notification).where(
        Notification.kind == KIND, Notification.read_at.is_(None), Notification.count > 0,
        Notification.user_id.in_([moderator.id for moderator in moderators])))}
    for notice in unread.values():
        notice.count += len(flags)
        notice.message, notice.created_at = _message(notice.count), now
    if unread and not _waits_already(flags):
        email_again([(moderator, unread[moderator.id]) for moderator in moderators if moderator.id in unread], KIND)
    notify_each([moderator for moderator in moderators if moderator.id not in unread], KIND, _message(len(flags)),
                path_for("moderation.queue", urgent=1), count=len(flags))


def _waits_already(flags: list[Flag]) -> bool:
    """Whether another open flag says someone may be in danger on the thing `flags` are on:
    the moderators were told of it when it came, and it still waits in their queue."""
    db.session.flush()  # a new flag's id
    first = flags[0]
    return db.session.scalar(select(exists().where(
        Flag.status == "open", Flag.urgent, Flag.target_type == first.target_type,
        Flag.target_id == first.target_id, Flag.id.not_in([flag.id for flag in flags])))) is True


def retire_notices_when_none_wait() -> None:
    """After flags were closed (not committed): once no open flag says someone may be in
    danger, the unread notices saying so are emptied (count 0: not listed, not counted, as
    a reaction notice nobody is left in), so a moderator back from a break is not sent to a
    queue with nothing in danger, and the next such flag starts a notice of its own."""
    db.session.execute(update(Notification).where(
        Notification.kind == KIND, Notification.read_at.is_(None), Notification.count > 0,
        ~exists().where(Flag.status == "open", Flag.urgent)).values(count=0))


def _message(count: int) -> str:
    if count == 1:
        return "A flag says someone may be in danger. It waits first in the moderation queue."
    return f"{count:,} flags say someone may be in danger. They wait first in the moderation queue."
