"""Roles and badges: granted by admins or awarded by the forum itself.

Every change by a person is written to the audit log (`by` None: the command line, or
the forum itself), and is refused, in plain words, unless that person may act as an admin
now (`admin_refusal`: a suspended admin changes nothing).

For other parts: `register_role_change_hook(hook)` to act on a change of someone's roles."""
import re
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import exists, func, or_, select

from forum.accounts.permissions import admin_refusal
from forum.accounts.services import ensure_role
from forum.clock import utcnow
from forum.errors import Conflict, DomainError, Forbidden, NotFound, refuse_any
from forum.extensions import db
from forum.models.accounts import ROLE_NAMES, Badge, Role, User, UserBadge
from forum.models.moderation import AuditEntry, audit_entry
from forum.text.bidi import isolate, without_direction_controls
from forum.text.typed import typed_line, typed_text

BADGE_SLUG = re.compile(r"[a-z0-9-]{2,40}")
# A badge sent again this soon, with the same fields, by the admin who made it is the same
# badge (a double-click, or a send repeated after a slow answer).
BADGE_RESENT_WITHIN = timedelta(minutes=2)

# Parts that hang something on a role act on its change in the same transaction, without
# accounts importing them (mentors: a new mentor gets a profile; one who loses the role
# stops mentoring). hook(by, user, roles_before, now) says what the change ended, in a
# sentence for the admin ("" for nothing); `by` is None from the command line.
RoleChangeHook = Callable[[User | None, User, set[str], datetime], str]
_ROLE_CHANGE_HOOKS: list[RoleChangeHook] = []


def register_role_change_hook(hook: RoleChangeHook) -> None:
    _ROLE_CHANGE_HOOKS.append(hook)


def refuse_unless_acting_admin(by: User | None) -> None:
    """Forbidden, in plain words, unless `by` is an admin and not suspended; None (the
    command line, or the forum itself) always may."""
    if by is not None and (refusal := admin_refusal(by, utcnow())):
        raise Forbidden(refusal)


CLOSED_ACCOUNT = "This account is closed: it can't be given roles or badges."


def refuse_if_closed(user: User, field: str) -> None:
    # Nobody signs in to a closed account again: a role or badge there would only put
    # "Former member" in staff lists and notices nobody reads.
    if user.closed_at is not None:
        raise DomainError(CLOSED_ACCOUNT, field)


def users_matching(query: str):
    """Users whose username, display name or email contains `query`, for the admin search."""
    # "@pebble", as every page writes a username: without its leading @ a search finds all
    # it found with it ("example.org" finds every "@example.org"), and the usernames too.
    query = " ".join(query.lower().split()).removeprefix("@")
    statement = select(User).order_by(User.username_key)
    if query:
        pattern = _containing(query)
        statement = statement.where(or_(
            # Usernames have no spaces: "wren teen" is how a person says wren_teen.
            User.username_key.like(_containing(query.replace(" ", "_")), escape="\\"),
            func.lower(User.display_name).like(pattern, escape="\\"),
            User.email.like(pattern, escape="\\"),
        ))
    return statement


def _containing(text: str) -> str:
    """A LIKE pattern for `text` anywhere, its wildcards escaped: "%" finds a percent sign, not everyone."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _roles_changed(by: User | None, user: User, before: set[str]) -> str:
    """Let the parts act on the change and audit it with what it ended; that, for the admin."""
    ended = " ".join(filter(None, (hook(by, user, before, utcnow()) for hook in _ROLE_CHANGE_HOOKS)))
    after = user.role_names
    if after != before:
        audit_entry(by, "roles", "user", user.id, label=f"@{user.username}",
                    details=f"{', '.join(sorted(before)) or 'none'} → {', '.join(sorted(after)) or 'none'}"
                    + (f". {ended}" if ended else ""))
    return ended


def _roles_in_words(names: list[str], joiner: str) -> str:
    named = [f"{'an' if name == 'admin' else 'a'} {name}" for name in names]
    return f" {joiner} ".join(filter(None, [", ".join(named[:-1]), named[-1]]))


def roles_change_in_words(user: User, before: set[str]) -> str:
    """What saving `user`'s roles changed, for the admin who saved: "Moss is now a moderator."
    A bare "Roles saved" left them to compare the boxes with what they remembered."""
    after = user.role_names
    gained = [name for name in ROLE_NAMES if name in after - before]
    lost = [name for name in ROLE_NAMES if name in before - after]
    if not gained and not lost:
        return "Nothing changed."
    changes = [f"now {_roles_in_words(gained, 'and')}" if gained else "",
               f"no longer {_roles_in_words(lost, 'or')}" if lost else ""]
    return f"{isolate(user.display_name)} is {', and '.join(filter(None, changes))}."


def roles_version(user: User) -> str:
    """`user`'s roles as a roles form carries them from when it was opened."""
    return ",".join(sorted(user.role_names))


def set_roles(user: User, role_names, *, by: User | None = None, based_on: str | None = None) -> str:
    """Give `user` exactly these roles; what losing one ended is returned in a sentence.
    `based_on` (a roles_version): refused with Conflict if their roles changed since."""
    check_roles(user, role_names, by=by, based_on=based_on)
    before = user.role_names
    user.roles = [ensure_role(name) for name in ROLE_NAMES if name in role_names]
    ended = _roles_changed(by, user, before)
    db.session.commit()
    return ended


def check_roles(user: User, role_names, *, by: User | None = None, based_on: str | None = None) -> None:
    """Raise what `set_roles` would refuse, changing nothing: the admin page asks what taking
    the mentor role ends only once saving would go through, or an admin who agreed to end
    them would only then be refused."""
    refuse_unless_acting_admin(by)
    unknown = set(role_names) - set(ROLE_NAMES)
    if unknown:
        raise DomainError(f"Unknown role: {', '.join(sorted(unknown))}.", "roles")
    refuse_if_closed(user, "roles")
    if based_on and based_on != roles_version(user):
        now = ", ".join(name for name in ROLE_NAMES if name in user.role_names)
        raise Conflict(f"Someone else changed {user.username}'s roles since you opened this page: they are now "
                       f"{now}. Your choice is below: save again to give them exactly these.", "roles")
    if by is not None and by.id == user.id and "admin" in user.role_names and "admin" not in role_names:
        # The admin page is the only way back to the role: taking it from yourself locks
        # you out of the page you are on, and could leave the forum with no admin at all.
        raise DomainError("You can't take the admin role from yourself. Another admin can, "
                          "or someone with the server's command line (flask remove-role).", "roles")


def grant_role(user: User, role_name: str, *, by: User | None = None) -> bool:
    """Give `user` the role; False when they held it already. Granting twice is harmless."""
    refuse_unless_acting_admin(by)
    if role_name not in ROLE_NAMES:
        raise DomainError(f"Unknown role {role_name!r}; roles are {', '.join(ROLE_NAMES)}.", "role")
    refuse_if_closed(user, "role")
    before = user.role_names
    if role_name in before:
        return False
    user.roles.append(ensure_role(role_name))
    _roles_changed(by, user, before)  # adding a role ends nothing
    db.session.commit()
    return True


def remove_role(user: User, role_name: str, *, by: User | None = None) -> str:
    """Take one role from `user` as the admin page would (set_roles: hooks, audit);
    what losing it ended is returned in a sentence."""
    if role_name not in ROLE_NAMES:
        raise DomainError(f"Unknown role {role_name!r}; roles are {', '.join(ROLE_NAMES)}.", "role")
    held = user.role_names
    if role_name not in held:
        roles = ", ".join(name for name in ROLE_NAMES if name in held) or "none"
        raise DomainError(f"{user.username} does not have the role {role_name} (their roles: {roles}).", "role")
    return set_roles(user, held - {role_name}, by=by)


def open_admins():
    """Select the admins whose accounts are open, by name: whom a member asks for what only an admin gives."""
    return select(User).where(User.closed_at.is_(None), User.roles.any(Role.name == "admin")).order_by(User.username_key)


def admin_count() -> int:
    """Admins whose accounts are open: the people who can reach the admin pages."""
    return db.session.scalar(select(func.count(User.id)).where(
        User.closed_at.is_(None), User.roles.any(Role.name == "admin")))


def create_badge(*, slug: str, name: str, description: str = "", icon: str = "★", by: User | None = None) -> Badge:
    refuse_unless_acting_admin(by)
    slug = slug.strip().lower()
    name, description, icon = _badge_line(name), _badge_text(description), _badge_line(icon)
    existing = db.session.scalar(select(Badge).where(Badge.slug == slug))
    if existing is not None and _just_created(existing, by, name, description, icon or "★"):
        return existing  # the same form sent again (a double-click): one badge, made once
    refuse_any(badge_problems(slug=slug, name=name))
    badge = Badge(slug=slug, name=name, description=description, icon=icon or "★")
    db.session.add(badge)
    db.session.flush()
    audit_entry(by, "badge_create", "badge", badge.id, label=f"{badge.name} ({badge.slug})")
    db.session.commit()
    return badge


def badge_problems(*, slug: str, name: str) -> list[DomainError]:
    """Every reason a new badge may not have this short name or name, each naming its field."""
    problems = []
    slug, name = slug.strip().lower(), _badge_line(name)
    if not BADGE_SLUG.fullmatch(slug):
        problems.append(DomainError("Use 2 to 40 lower-case letters, digits or dashes.", "slug"))
    elif db.session.scalar(select(Badge.id).where(Badge.slug == slug)) is not None:
        problems.append(DomainError("A badge with that short name exists already.", "slug"))
    if not name:
        problems.append(DomainError("Give the badge a name.", "name"))
    elif _badge_name_taken(name):
        # The Award list and profiles show badges by name: two of one name would read as
        # one badge, and an admin could give the wrong one.
        problems.append(DomainError("A badge with that name exists already.", "name"))
    return problems


def _badge_line(text: str) -> str:
    # As typed text: a name of zero-width spaces passed `strip()`, a badge nobody could see.
    # Without direction controls, as display names (names.clean_display_name): an override
    # made "\u202eevil" read "live" on every profile and Award list.
    return typed_line(without_direction_controls(text))


def _badge_text(text: str) -> str:
    return typed_text(without_direction_controls(text))


def _just_created(badge: Badge, by: User | None, name: str, description: str, icon: str) -> bool:
    """Whether `by` created `badge`, as these very fields, within BADGE_RESENT_WITHIN."""
    if by is None or (badge.name, badge.description, badge.icon) != (name, description, icon):
        return False
    return db.session.scalar(select(AuditEntry.id).where(
        AuditEntry.action == "badge_create", AuditEntry.target_type == "badge", AuditEntry.target_id == badge.id,
        AuditEntry.actor_id == by.id, AuditEntry.created_at >= utcnow() - BADGE_RESENT_WITHIN).limit(1)) is not None


def _badge_name_taken(name: str) -> bool:
    # Compared in Python: SQLite's lower() folds only ASCII letters, and badges are few.
    wanted = name.strip().casefold()
    return any(taken.strip().casefold() == wanted for taken in db.session.scalars(select(Badge.name)))


def badge_by_slug(slug: str) -> Badge:
    badge = db.session.scalar(select(Badge).where(Badge.slug == slug.strip().lower()))
    if badge is None:
        raise NotFound(f"There is no badge called {slug!r}.", "badge")
    return badge


def award_badge(user: User, badge: Badge, *, by: User | None = None, reason: str = "",
                commit: bool = True) -> bool:
    """Give `user` the badge; False when they already hold it. Awarding twice is harmless."""
    refuse_unless_acting_admin(by)
    refuse_if_closed(user, "badge")
    held = db.session.scalar(select(UserBadge).where(UserBadge.user_id == user.id, UserBadge.badge_id == badge.id))
    if held is not None:
        return False
    reason = typed_line(reason)[:200]  # one line, as the other reasons staff give
    user.badges.append(UserBadge(badge=badge, awarded_by_id=by.id if by else None, reason=reason))
    if by is not None:
        # Awards the forum makes itself (a finished program) are not a person's action.
        audit_entry(by, "badge_award", "user", user.id, label=f"@{user.username}", reason=reason,
                    details=_audit_details(badge))
    if commit:
        db.session.commit()
    return True


def revoke_badge(user: User, badge: Badge, *, by: User | None = None, reason: str = "") -> None:
    refuse_unless_acting_admin(by)
    held = [held for held in user.badges if held.badge_id != badge.id]
    if len(held) != len(user.badges):
        audit_entry(by, "badge_revoke", "user", user.id, label=f"@{user.username}",
                    reason=typed_line(reason)[:200], details=_audit_details(badge))
    user.badges = held
    db.session.commit()


def was_taken_from(user: User, badge: Badge) -> bool:
    """Whether `badge` was ever taken away from `user`, rather than never given. Taking it
    deletes the badge held, so its audit entry is the only record (badges are never renamed)."""
    return db.session.scalar(select(exists().where(
        AuditEntry.action == "badge_revoke", AuditEntry.target_type == "user", AuditEntry.target_id == user.id,
        AuditEntry.details == _audit_details(badge)))) or False


def _audit_details(badge: Badge) -> str:
    return f"{badge.name} ({badge.slug})"


def all_badges():
    return select(Badge).order_by(Badge.name)


def badges_to_award(user: User, *, chosen: str | None = None):
    """The badges `user` does not hold, by name: what the award form offers them; and
    `chosen` (a slug), held or not, for a form sent back with an error to show what was sent."""
    lacking = Badge.id.not_in(select(UserBadge.badge_id).where(UserBadge.user_id == user.id))
    return all_badges().where(or_(lacking, Badge.slug == chosen) if chosen else lacking)
