"""Dismissed flags, and taking a dismiss back.

A moderator who pressed "Dismiss: nothing wrong" on the wrong entry finds it among the
dismissed flags, newest first, and reopens it: the flags that one press dismissed wait in
the queue again, as they were, and the audit log says who reopened them. A flag saying
someone may be in danger is counted again at once, and the other moderators are told of it
again (their notice was emptied when it was dismissed). Its flaggers' unread "left it up"
notice is taken back: they hear of the decision that follows instead.
"""
from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload

from forum.errors import DomainError
from forum.extensions import db
from forum.models.moderation import Flag, audit_entry
from forum.moderation import danger, flag_outcomes
from forum.moderation.flags import FlagEntry, flag_entries, flagged_thing, flags_in_words, label_of, load_targets


def dismissals():
    """Select one flag of each press of "Dismiss" (the same thing, the same moment), the
    newest first: one entry each on the page of dismissed flags."""
    presses = (select(func.min(Flag.id).label("first_id")).where(Flag.status == "dismissed")
               .group_by(Flag.target_type, Flag.target_id, Flag.resolved_at).subquery())
    return (select(Flag).join(presses, Flag.id == presses.c.first_id)
            .options(joinedload(Flag.resolved_by)).order_by(Flag.resolved_at.desc(), Flag.id.desc()))


def _dismissed_with(flag: Flag):
    """The flags dismissed by the same press as `flag`."""
    return (Flag.status == "dismissed", Flag.target_type == flag.target_type, Flag.target_id == flag.target_id,
            Flag.resolved_at == flag.resolved_at)


def dismissal_entries(viewer, first_flags: list[Flag]) -> list[FlagEntry]:
    """The page's entries: the flags one press of "Dismiss" closed are one entry."""
    return flag_entries(viewer, first_flags, "dismissed",
                        lambda flag: (flag.target_type, flag.target_id, flag.resolved_at))


def reopen_dismissed(moderator, flag: Flag) -> tuple[int, str]:
    """Put the flags dismissed with `flag` back in the queue (the caller checked `moderator`
    may act on it). Returns how many, and what they are on, in words."""
    if flag.status != "dismissed":
        raise DomainError("Those flags are not dismissed: they are open, or were handled another way.")
    target = load_targets(moderator, flag.target_type, [flag.target_id]).get(flag.target_id)
    if target is None:
        raise DomainError("What was flagged is no longer here: there is nothing to put back in the queue.")
    dismissed_by = flag.resolved_by.username if flag.resolved_by else "someone"
    dismissed_at = flag.resolved_at
    reopened = db.session.execute(update(Flag).where(*_dismissed_with(flag)).values(
        status="open", resolved_by_id=None, resolved_at=None, resolution_note="")
        .returning(Flag.id, Flag.urgent, Flag.reporter_id)).all()
    if not reopened:  # another moderator reopened them a moment ago
        db.session.rollback()
        raise DomainError("Those flags are not dismissed: they are open, or were handled another way.")
    if urgent_ids := [flag_id for flag_id, urgent, _ in reopened if urgent]:
        urgent_flags = db.session.scalars(select(Flag).where(Flag.id.in_(urgent_ids))).all()
        danger.tell_moderators(urgent_flags, target.concerns, leave_out=(moderator.id,))
    flag_outcomes.take_back_dismissal_notices([reporter_id for _, _, reporter_id in reopened if reporter_id],
                                              flag.target_type, target, dismissed_at)
    urgent = sum(1 for _, was_urgent, _ in reopened if was_urgent)
    audit_entry(moderator, "reopen", flag.target_type, flag.target_id, label=label_of(flag, target),
                details=flags_in_words(len(reopened), urgent, by=f" dismissed by @{dismissed_by}"),
                subject_id=target.author.id if target.author is not None else None)
    db.session.commit()
    return len(reopened), flagged_thing(flag, target)
