"""Telling people when an admin gives them a role or badge, or takes one away.

Roles change through accounts' role-change hook, so the admin page and the command line
(`flask grant-role`, `remove-role`) both tell the person. Badges an admin gives or takes
go through award_badge_and_tell and revoke_badge_and_tell; badges the forum awards
itself (a finished program) are not an admin's doing and are not announced here.
Nobody is told about a change they made to themselves."""
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select

from forum.accounts import staff
from forum.extensions import db
from forum.links import path_for
from forum.models.accounts import ROLE_NAMES, Badge, User, UserBadge
from forum.posts.notifications import notify, register_notification_kind
from forum.text.bidi import isolate
from forum.text.typed import typed_line

KIND = "roles_and_badges"
register_notification_kind(KIND, "An admin gives you a role or badge, or takes one away")

# "You are now {a mentor} here": each role as a member would say it.
ROLE_WORDS = {"member": "a member", "listener": "a listener", "mentor": "a mentor",
              "trainer": "a trainer", "moderator": "a moderator", "admin": "an admin"}
# Losing the mentor role ends that person's mentorships, and each ending already tells
# them why ("...ended because you are no longer a mentor here"): mentors' endings tell
# them when nothing ended (tell_role_lost), so they never hear it twice.
TOLD_ELSEWHERE_WHEN_LOST = {"mentor"}


def _profile_link(user: User) -> str:
    return path_for("accounts.profile", username=user.username)


def _told(user: User, by: User | None) -> bool:
    return by is None or by.id != user.id


def _listed(roles: set[str]) -> str:
    words = [ROLE_WORDS[name] for name in ROLE_NAMES if name in roles]
    return " and ".join(filter(None, (", ".join(words[:-1]), words[-1])))


def tell_role_lost(user: User, role: str, *, by: User | None) -> None:
    """"You are no longer a mentor here", for a part that tells about losing a role itself."""
    if _told(user, by):
        notify(user, KIND, f"You are no longer {ROLE_WORDS[role]} here.", _profile_link(user), actor=by)


def _after_role_change(by: User | None, user: User, roles_before: set[str], now: datetime) -> str:
    gained, lost = user.role_names - roles_before, roles_before - user.role_names - TOLD_ELSEWHERE_WHEN_LOST
    if _told(user, by):
        if gained:
            notify(user, KIND, f"You are now {_listed(gained)} here.", _profile_link(user), actor=by)
        if lost:
            notify(user, KIND, f"You are no longer {_listed(lost)} here.", _profile_link(user), actor=by)
    return ""  # ends nothing: the admin has nothing more to read


staff.register_role_change_hook(_after_role_change)


def award_badge_and_tell(user: User, badge: Badge, *, by: User | None, reason: str = "") -> bool:
    """As staff.award_badge, and the person reads which badge and why, in the same commit."""
    awarded = staff.award_badge(user, badge, by=by, reason=reason, commit=False)
    if awarded and _told(user, by):
        why = typed_line(reason)[:200]
        given = f"You were given the badge {badge.icon} {isolate(badge.name)}."
        notify(user, KIND, given + (f" Why: {why}" if why else ""), _profile_link(user), actor=by)
    db.session.commit()
    return awarded


# Parts whose spaces a badge opens say what losing it closes to the person: each hook
# (user, badge) -> a sentence for their notice, or "".
BadgeLossHook = Callable[[User, Badge], str]
_BADGE_LOSS_HOOKS: list[BadgeLossHook] = []


def register_badge_loss_hook(hook: BadgeLossHook) -> None:
    _BADGE_LOSS_HOOKS.append(hook)


def revoke_badge_and_tell(user: User, badge: Badge, *, by: User | None, reason: str = "") -> bool:
    """As staff.revoke_badge, and the person reads which badge was taken away, what it
    closes to them and why; False when they did not hold it (a double-click, another admin first)."""
    staff.refuse_unless_acting_admin(by)  # refused before anything is written
    held = db.session.scalar(select(UserBadge.id).where(UserBadge.user_id == user.id, UserBadge.badge_id == badge.id))
    if held is not None and _told(user, by):
        closed = " ".join(filter(None, (hook(user, badge) for hook in _BADGE_LOSS_HOOKS)))
        taken = f"The badge {badge.icon} {isolate(badge.name)} was taken away from you."
        # Last, as when a badge is given: a reason need not end in a full stop.
        why = typed_line(reason)[:200]
        told = " ".join(filter(None, (taken, closed, why and f"Why: {why}")))
        notify(user, KIND, told, _profile_link(user), actor=by)
    staff.revoke_badge(user, badge, by=by, reason=reason)  # commits the notification with the change
    return held is not None
