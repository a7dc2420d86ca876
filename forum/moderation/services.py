"""What moderators and admins do: act on posts, suspend people, move them between the
teen and adult spaces. Every action writes an audit entry in the same transaction."""
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, select, update

from forum.accounts.permissions import moderator_refusal
from forum.clock import utcnow
from forum.errors import DomainError, Forbidden, NotFound
from forum.extensions import db
from forum.links import path_for
from forum.local_time import UTC_NAME, local_datetime
from forum.models.accounts import AGE_GROUPS, User
from forum.models.moderation import REASON_LIMIT, AuditEntry, Flag, Suspension, active_suspension_of, audit_entry
from forum.models.posts import Post, Thread
from forum.moderation import flag_outcomes, flags
from forum.moderation.permissions import (
    can_change_age_group, can_clear_profile, can_delete_permanently, can_lift_suspension, can_suspend, own_flags_refusal, post_concerns,
)
from forum.posts import services as post_services
from forum.posts.notifications import notify
from forum.posts.page_cache import thread_changed
from forum.text.typed import typed_line

SUSPENSION_DAYS = (1, 3, 7, 14, 30, 90, 365)
# The same suspension sent again this soon is one suspension (a double-click).
RESENT_WITHIN = timedelta(minutes=2)

# Parts whose rules keep teens and adults apart in their own way (mentorships) act on a move
# between the groups in the same transaction: hook(moderator, user, now) ends what the move
# puts across the line and says what, in a sentence for the moderator ("" for nothing).
AgeGroupHook = Callable[[User, User, datetime], str]
_AGE_GROUP_HOOKS: list[AgeGroupHook] = []
# And asked before the move, nothing changed: preview(user, age_group) -> (key, words), what the
# hook would end, as a key the form carries back (to see the moderator agreed to that, not to
# more begun since) and in sentences going on from "Moving @kit to the adult group" ("ends 1
# mentorship: the mentorship between Kit and Indigo. Both people ... reopens none of them.");
# ("", "") for nothing. Moving back gives nothing back, so the page asks first.
AgeGroupPreview = Callable[[User, str], tuple[str, str]]
_AGE_GROUP_PREVIEWS: list[AgeGroupPreview] = []
# And said under the form, before any group is chosen: hint = (could_end, words), a sentence on
# what a move may end, said of those for whom could_end(user), SQL true or false, holds (a mentor
# profile, a program of their group): the rest have none of it. One statement asks them all.
# `words` may be words(user), the sentence as it fits them (moving a teen ends other things than
# moving an adult), from what the page has of them already: it runs no statement.
AgeGroupHint = tuple[Callable[[User], ColumnElement[bool]], str | Callable[[User], str]]
_AGE_GROUP_HINTS: list[AgeGroupHint] = []


def register_age_group_hook(hook: AgeGroupHook, preview: AgeGroupPreview | None = None,
                            hint: AgeGroupHint | None = None) -> None:
    _AGE_GROUP_HOOKS.append(hook)
    if preview is not None:
        _AGE_GROUP_PREVIEWS.append(preview)
    if hint is not None:
        _AGE_GROUP_HINTS.append(hint)


def age_group_hints(user: User) -> list[str]:
    """The registered hints' sentences that could apply to moving `user`, in the order registered."""
    if not _AGE_GROUP_HINTS:
        return []
    applies = db.session.execute(select(*(could_end(user) for could_end, _ in _AGE_GROUP_HINTS))).one()
    return [words if isinstance(words, str) else words(user)
            for (_, words), could in zip(_AGE_GROUP_HINTS, applies) if could]


def _reason(reason: str | None, message: str) -> str:
    reason = typed_line(reason)
    if not reason:
        raise DomainError(message, "reason")
    return reason[:REASON_LIMIT]


def refuse_unless_acting_moderator(user) -> None:
    """Forbidden, in plain words, unless `user` is staff and not suspended."""
    if refusal := moderator_refusal(user, utcnow()):
        raise Forbidden(refusal)


def flag_for_staff(moderator, flag_id: int) -> Flag:
    refuse_unless_acting_moderator(moderator)
    flag = db.session.get(Flag, flag_id)
    if flag is None:
        raise NotFound("That flag can't be found.")
    return flag


def post_for_staff(moderator, post_id: int) -> Post:
    """Any post, private conversations included: moderators act on what members flag."""
    refuse_unless_acting_moderator(moderator)
    post = db.session.get(Post, post_id)
    if post is None:
        raise NotFound("That post can't be found.")
    return post


def hide_post(moderator, post: Post, reason: str) -> None:
    """Hide with a reason the author is told, and close the flags on the post as handled."""
    refuse_unless_acting_moderator(moderator)  # before a write, even one rolled back
    closed = flags.close_flags(moderator, "post", [post.id], "resolved", f"Hidden: {reason or ''}",
                               outcome=flag_outcomes.TAKEN_DOWN)
    try:
        # Commits, with the flags; its log entry says what they were (were any about danger?).
        post_services.hide_post(moderator, post, reason, details=flags.closed_in_words(*closed))
    except DomainError:
        db.session.rollback()
        raise


def delete_post_permanently(admin, post: Post, reason: str) -> int:
    """Delete a post and its replies for good; the audit log keeps who, what and why.
    Returns how many replies went with it."""
    if not can_delete_permanently(admin):
        raise Forbidden("Only admins can delete posts for good.")
    if refusal := own_flags_refusal(admin, post_concerns(post)):
        raise DomainError(refusal)
    reason = _reason(reason, "Say why it must go for good.")
    reply_ids = list(db.session.scalars(select(Post.id).where(Post.parent_id == post.id)))
    gone = 1 + len(reply_ids)
    counts = {"post_count": Thread.post_count - gone}
    if post.parent_id is None:
        counts["top_level_count"] = Thread.top_level_count - 1
    else:
        db.session.execute(update(Post).where(Post.id == post.parent_id).values(reply_count=Post.reply_count - 1))
    db.session.execute(update(Thread).where(Thread.id == post.thread_id).values(**counts))
    closed = flags.close_flags(admin, "post", [post.id, *reply_ids], "resolved", f"Deleted for good: {reason}",
                               outcome=flag_outcomes.TAKEN_DOWN, gone=True)
    flag_outcomes.lead_to_thread([post.id, *reply_ids], post.thread_id)
    # Replies are counted only when some went with it: "with 0 replies" tells the reader nothing.
    replies = f"with {len(reply_ids)} repl{'y' if len(reply_ids) == 1 else 'ies'}" if reply_ids else ""
    audit_entry(admin, "delete", "post", post.id, label=post_services.post_label(post), reason=reason,
                subject_id=post.author_id, details="; ".join(filter(None, (replies, flags.closed_in_words(*closed)))))
    # Replies, reactions, mentions, revisions and notifications go with it (ON DELETE CASCADE),
    # which the session never sees: the thread's kept pages are told here.
    thread_changed(post.thread_id)
    db.session.execute(delete(Post).where(Post.id == post.id))
    db.session.commit()
    return len(reply_ids)


def deleted_for_good(post_id: int) -> bool:
    """Whether the post numbered `post_id` was deleted for good (the audit log keeps that)."""
    return db.session.scalar(select(AuditEntry.id).where(
        AuditEntry.action == "delete", AuditEntry.target_type == "post", AuditEntry.target_id == post_id)
        .limit(1)) is not None


def current_suspension(user, now: datetime) -> Suspension | None:
    if user.suspended_until is None or user.suspended_until <= now:
        return None
    return db.session.scalars(active_suspension_of(user.id, now).limit(1)).first()


def suspend(moderator, user: User, *, days: int, reason: str, now: datetime | None = None) -> Suspension:
    """Suspend for `days`: they can read but not write, are told why and until when,
    and every session they have ends."""
    refuse_unless_acting_moderator(moderator)
    if not can_suspend(moderator, user):
        raise Forbidden("You can't suspend this person.")
    if days not in SUSPENSION_DAYS:
        raise DomainError("Choose how long the suspension lasts.", "days")
    reason = _reason(reason, "Say why; the person is told.")
    now = now or utcnow()
    if earlier := _same_suspension_just_made(moderator, user, days, reason, now):
        return earlier
    ends = now + timedelta(days=days)
    suspension = Suspension(user_id=user.id, by_id=moderator.id, reason=reason, starts_at=now, ends_at=ends)
    db.session.add(suspension)
    # A shorter suspension on top of a longer one shortens nothing: the person is told the
    # end that holds, not the new one's (which would tell them they are back too soon).
    until = user.suspended_until = max(ends, user.suspended_until or ends)
    user.session_epoch += 1
    audit_entry(moderator, "suspend", "user", user.id, label=f"@{user.username}", reason=reason,
                details=f"{days} day{'s' if days != 1 else ''}, until {local_datetime(ends, UTC_NAME)}")
    # Kept, and maybe emailed: in the person's zone, named, for it is read later and elsewhere.
    shown_until = local_datetime(until, user.time_zone, named=True)
    message = f"Your account is suspended until {shown_until}: {reason}"
    if until > ends:
        message = (f"Your account is suspended until {shown_until}, as an earlier suspension runs "
                   f"until then. A moderator also suspended you for {days} day{'s' if days != 1 else ''}: {reason}")
    notify(user, "moderation", message, path_for("home.index"), actor=moderator)
    db.session.commit()
    return suspension


def _same_suspension_just_made(moderator, user: User, days: int, reason: str, now: datetime) -> Suspension | None:
    """The suspension `moderator` gave `user` for these days and this reason in the last
    RESENT_WITHIN, still in force, or None."""
    recent = db.session.scalars(select(Suspension).where(
        Suspension.user_id == user.id, Suspension.by_id == moderator.id, Suspension.reason == reason,
        Suspension.lifted_at.is_(None), Suspension.starts_at >= now - RESENT_WITHIN))
    return next((earlier for earlier in recent if earlier.ends_at - earlier.starts_at == timedelta(days=days)), None)


def lift_suspension(moderator, user: User, *, now: datetime | None = None) -> None:
    refuse_unless_acting_moderator(moderator)
    if not can_lift_suspension(moderator, user):
        raise Forbidden("You can't change this person's suspension.")
    now = now or utcnow()
    active = db.session.scalars(active_suspension_of(user.id, now)).all()
    if not active:
        raise DomainError(f"@{user.username} is not suspended.")
    for suspension in active:
        suspension.lifted_at = now
        suspension.lifted_by_id = moderator.id
    user.suspended_until = None
    audit_entry(moderator, "lift", "user", user.id, label=f"@{user.username}")
    notify(user, "moderation", "Your suspension was lifted. Welcome back.", path_for("home.index"), actor=moderator)
    db.session.commit()


def clear_profile(moderator, user: User, *, remove_bio: bool, reset_name: bool, reason: str) -> None:
    """Remove an offensive bio and put the display name back to the username. The member
    keeps their account and is told why; the open flags on the profile are handled."""
    refuse_unless_acting_moderator(moderator)
    if not can_clear_profile(moderator, user):
        raise Forbidden("You can't clear this person's profile.")
    if not (remove_bio or reset_name):
        # The page offers only what applies (moderation/user.html): the message goes beside it.
        if not (user.has_bio or user.has_own_display_name):
            raise DomainError("Nothing to clear: they have no bio, and their display name is their username.")
        if not user.has_bio:
            raise DomainError("Tick this to clear the profile (they have no bio).", "reset_name")
        if not user.has_own_display_name:
            raise DomainError("Tick this to clear the profile (their display name is their username).", "remove_bio")
        raise DomainError("Choose what to remove: the bio, the display name or both.", "remove_bio")
    # Otherwise they would be told of a change that changed nothing (a page opened before it was so).
    if remove_bio and not user.has_bio:
        raise DomainError("They have no bio to remove.", "remove_bio")
    if reset_name and not user.has_own_display_name:
        raise DomainError("Their display name is already their username.", "reset_name")
    reason = _reason(reason, "Say why; the person is told.")
    done = []
    if remove_bio:
        user.bio_md = user.bio_html = ""
        done.append("bio removed")
    if reset_name:
        # Kept in the log: notifications others received still name them by it.
        done.append(f"display name “{user.display_name}” reset to {user.username}"[:200])
        user.display_name = user.username
    closed = flags.close_flags(moderator, "profile", [user.id], "resolved", f"Profile cleared: {reason}",
                               outcome=flag_outcomes.TAKEN_DOWN)
    audit_entry(moderator, "clear_profile", "profile", user.id, label=f"@{user.username}", reason=reason,
                details="; ".join(filter(None, (*done, flags.closed_in_words(*closed)))))
    what = " and ".join(filter(None, ("removed your bio" if remove_bio else "",
                                      "reset your display name to your username" if reset_name else "")))
    notify(user, "moderation", f"A moderator {what}: {reason}", path_for("accounts.profile", username=user.username),
           actor=moderator)
    db.session.commit()


def may_remove_bio(moderator, user: User) -> bool:
    """Whether `moderator` may remove `user`'s bio now and there is one: the bio is kept
    nowhere after, so the page asks first, but only when there is something to lose."""
    return (moderator_refusal(moderator, utcnow()) is None and can_clear_profile(moderator, user)
            and user.has_bio)


def ending_after_age_group_change(moderator, user: User, age_group: str) -> tuple[str, str]:
    """What moving `user` to `age_group` would end, as (key, words) (see AgeGroupPreview):
    ("", "") when nothing would, or when the move would be refused anyway (it says why)."""
    if (moderator_refusal(moderator, utcnow()) or not can_change_age_group(moderator, user)
            or age_group not in AGE_GROUPS or age_group == user.age_group):
        return "", ""
    previews = [preview(user, age_group) for preview in _AGE_GROUP_PREVIEWS]
    ending = [(key, words) for key, words in previews if key]
    return ";".join(key for key, _ in ending), " ".join(words for _, words in ending)


def change_age_group(moderator, user: User, age_group: str, reason: str) -> str:
    """Move someone between the teen and adult spaces; only staff can, never the person.

    What the move puts across the teen/adult line ends with it (see register_age_group_hook);
    what ended is returned for the moderator, and kept in the audit entry."""
    refuse_unless_acting_moderator(moderator)
    if not can_change_age_group(moderator, user):
        raise Forbidden("You can't change this person's age group.")
    if age_group not in AGE_GROUPS:
        raise DomainError("Choose teen or adult.", "age_group")
    if age_group == user.age_group:
        raise DomainError(f"@{user.username} is already in the {age_group} group.", "age_group")
    reason = _reason(reason, "Say why; it goes in the audit log.")
    before = user.age_group
    user.age_group = age_group
    now = utcnow()
    ended = " ".join(filter(None, (hook(moderator, user, now) for hook in _AGE_GROUP_HOOKS)))
    audit_entry(moderator, "age_group", "user", user.id, label=f"@{user.username}", reason=reason,
                details=f"{before} → {age_group}" + (f". {ended}" if ended else ""))
    notify(user, "moderation", f"A moderator moved your account to the {age_group} spaces.",
           path_for("home.index"), actor=moderator)
    db.session.commit()
    return ended
