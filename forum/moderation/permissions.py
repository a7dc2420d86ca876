"""Who may moderate, flag and block. Pure predicates (except `is_blocked`, which looks
the block up); views, services and templates ask the same ones."""
from sqlalchemy import bindparam, select

from forum.accounts.permissions import (
    Standing, is_admin, is_signed_in, is_staff, is_suspended, moderator_refusal, standing_of,
)
from forum.clock import utcnow
from forum.extensions import db
from forum.models.moderation import Block


def can_moderate(user) -> bool:
    return is_staff(user)


def can_read_audit_log(user) -> bool:
    return is_staff(user)


def can_delete_permanently(user) -> bool:
    return is_admin(user)


def can_flag_post(user, post) -> bool:
    return may_flag(standing_of(user, utcnow()), post)


def may_flag(reader: Standing, post) -> bool:
    """`can_flag_post` for a reader whose standing is known (see `Standing`)."""
    return reader.taking_part and reader.user_id != post.author_id and not post.is_removed


def can_flag_profile(user, profile_user) -> bool:
    return (is_signed_in(user) and user.id != profile_user.id and profile_user.closed_at is None
            and not is_suspended(user, utcnow()))


# The words for a moderator whose own post or profile is flagged or hidden (see `own_flags_refusal`).
OWN_POST = "This post is yours: another moderator decides what happens to it."
OWN_PROFILE = "This profile is yours: another moderator decides what happens to it."


def own_flags_refusal(user, concerns) -> str | None:
    """Why `user` may not act on flags on, or hide or restore, something that concerns them,
    or None. `concerns` pairs each person it is about with the refusal in their words:
    `post_concerns(post)`, a flag target's `concerns`. Staff, admins included, leave their
    own case to another moderator: dismissing a flag on their own post, or restoring it after
    a colleague hid it, would be judging themselves."""
    return own_refusal_of(user.id if is_signed_in(user) else None, concerns)


def own_refusal_of(user_id: int | None, concerns) -> str | None:
    """`own_flags_refusal` for a reader whose id is known (a page's `Standing`)."""
    return next((words for person_id, words in concerns if user_id is not None and person_id == user_id), None)


def post_concerns(post) -> tuple[tuple[int, str], ...]:
    return ((post.author_id, OWN_POST),)


def can_block(user, other) -> bool:
    """Anyone may block another member; staff stay reachable, so they cannot be blocked."""
    return is_signed_in(user) and user.id != other.id and not is_staff(other)


def can_act_as_moderator(user) -> bool:
    """Staff who are not suspended (see `moderator_refusal`): the queue's and people's
    pages offer them their actions."""
    return moderator_refusal(user, utcnow()) is None


def can_suspend(actor, target) -> bool:
    """Moderators suspend members; only admins suspend moderators; nobody suspends an admin,
    nor a closed account (nobody is there to tell, and the log would fill with nothing)."""
    if not can_act_as_moderator(actor) or actor.id == target.id or is_admin(target) or target.closed_at:
        return False
    return is_admin(actor) or not is_staff(target)


def can_clear_profile(actor, target) -> bool:
    """Removing an offensive bio or display name, as with suspensions: moderators for
    members, admins for moderators too, nobody for an admin or themselves (their own
    profile they edit), nor for a closed account (it has neither left)."""
    return can_suspend(actor, target)


def can_lift_suspension(actor, target) -> bool:
    """Ending a suspension early: moderators for members, admins for anyone, admins
    included (a suspended moderator made an admin keeps the suspension, and nobody could
    end it if lifting asked `can_suspend`). Never the suspended person themselves: while
    suspended they act on nothing, their own suspension included."""
    if not can_act_as_moderator(actor):
        return False
    return is_admin(actor) or not is_staff(target)


def can_change_age_group(actor, target) -> bool:
    """As with suspensions: moderators move members, admins move anyone, nobody themselves.
    Not a closed account: nobody is left in either space."""
    if not can_act_as_moderator(actor) or actor.id == target.id or target.closed_at is not None:
        return False
    return is_admin(actor) or not is_staff(target)


# Asked on every mentor's page: made once, the two people bound when it runs.
_BLOCK_BETWEEN = select(Block.id).where(Block.blocker_id == bindparam("blocker_id"),
                                        Block.blocked_id == bindparam("blocked_id"))


def is_blocked(blocker, blocked) -> bool:
    """Whether `blocker` has blocked `blocked`. The blocked person is never told, so a
    refusal built on this should read like any other ("not available right now")."""
    if not is_signed_in(blocker) or blocked is None:
        return False
    return db.session.scalar(_BLOCK_BETWEEN, {"blocker_id": blocker.id, "blocked_id": blocked.id}) is not None
