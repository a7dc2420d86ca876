"""Who may do what with accounts. Pure predicates; templates ask the same ones."""
from typing import NamedTuple

from sqlalchemy import or_

from forum.local_time import local_datetime, zone_of
from forum.models.accounts import User


def is_signed_in(user) -> bool:
    return bool(user and getattr(user, "is_authenticated", False))


def has_role(user, *roles: str) -> bool:
    return is_signed_in(user) and user.has_role(*roles)


def is_admin(user) -> bool:
    return has_role(user, "admin")


def is_staff(user) -> bool:
    return has_role(user, "moderator", "admin")


def can_edit_profile(user, profile_user) -> bool:
    return is_signed_in(user) and (user.id == profile_user.id or is_admin(user))


def profile_edit_refusal(user, profile_user, now) -> str | None:
    """Why `user` may not change `profile_user`'s display name and bio at `now`, or None.

    A suspended person's profile stays as it is, as a suspended mentor's does: a display
    name and a bio are writing others read, on every post and notification that names them."""
    if not can_edit_profile(user, profile_user):
        return "You can't edit this profile."
    return suspension_refusal(user, now, still=PROFILE_WAITS)


def can_see_last_seen(user, profile_user) -> bool:
    """When someone was last here is shown on their profile, except a teen's to anyone but
    teens, staff and themselves: who is online when is not for every stranger to know of a
    minor, and a profile is open to people signed out."""
    if profile_user.age_group != "teen":
        return True
    return sees_when_teens_are_here(user) or (is_signed_in(user) and user.id == profile_user.id)


def sees_when_teens_are_here(user) -> bool:
    """Whether `user` may know when any teen was last here (see can_see_last_seen)."""
    return is_signed_in(user) and (user.age_group == "teen" or is_staff(user))


def can_manage_users(user) -> bool:
    return is_admin(user)


# What a suspended person may still do, said after until when: the words fit what was refused.
TAKING_PART = "You can read, but not post, react, flag, send requests or write reviews until then."
MODERATING = ("Until then you can read the queue, the audit log and people's pages but not hide or restore, "
              "act on flags, or suspend or move anyone.")
PROFILE_WAITS = "Until then you can read, but not change your display name or bio."
ADMINISTERING = "Until then you can read the admin pages but not change roles or badges."


def suspension_refusal(user, now, *, still: str = TAKING_PART) -> str | None:
    """Why a suspended `user` may not take part at `now` (post, react, request, review), or None.

    The one check every part asks before letting someone write: posts, reactions, and the
    mentors part's requests and reviews. Suspended people can still read and sign in.
    `still` says what they can and can't do until then, for a refusal of staff's actions
    (`moderator_refusal`, `admin_refusal`)."""
    until = getattr(user, "suspended_until", None) if is_signed_in(user) else None
    if until is None or until <= now:
        return None
    return f"Your account is suspended until {local_datetime(until, zone_of(user))}. {still}"


def is_suspended(user, now) -> bool:
    return suspension_refusal(user, now) is not None


def not_suspended_at(now):
    """SQL: the person is not suspended at `now` (a time, or a bound parameter standing for
    one): `suspension_refusal`'s rule, for lists of the people who act now."""
    return or_(User.suspended_until.is_(None), User.suspended_until <= now)


def moderator_refusal(user, now) -> str | None:
    """Why `user` may not act as a moderator at `now` (hide, restore, edit others' posts,
    dismiss flags, suspend, move between age groups), or None.

    A suspended moderator still reads the queue, the audit log and people's pages, but
    acts on nothing until the suspension ends: a suspension pauses taking part, staff's
    included."""
    if not is_staff(user):
        return "Only moderators can do that."
    return suspension_refusal(user, now, still=MODERATING)


def admin_refusal(user, now) -> str | None:
    """Why `user` may not act as an admin at `now` (roles, badges), or None.

    Nobody suspends an admin, but a suspended moderator can be given the role, and keeps
    the suspension: they read the admin pages and change nothing until it ends, as a
    suspended moderator acts on nothing."""
    if not is_admin(user):
        return "Only admins can do that."
    return suspension_refusal(user, now, still=ADMINISTERING)


class Standing(NamedTuple):
    """What the post predicates ask of a reader before looking at any post.

    A thread page asks half a dozen predicates of each of forty posts, and each predicate
    asked again whether the reader is signed in, staff and suspended: a sixth of the
    page's time. The post predicates are written against this (`may_edit(standing, post,
    ...)`), so a page works it out once and the single-post `can_*` wrappers build it per
    call: one rule, asked either way."""
    user_id: int | None  # None when signed out
    staff: bool
    suspension: str | None  # why they may not take part now (see `suspension_refusal`), or None

    @property
    def taking_part(self) -> bool:
        """Signed in and not suspended: may post, react and flag."""
        return self.user_id is not None and self.suspension is None

    @property
    def moderating(self) -> bool:
        """What `moderator_refusal` allows: staff, not suspended."""
        return self.staff and self.suspension is None


def standing_of(user, now) -> Standing:
    signed_in = is_signed_in(user)
    return Standing(user.id if signed_in else None, signed_in and is_staff(user), suspension_refusal(user, now))
