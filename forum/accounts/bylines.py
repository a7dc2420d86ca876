"""Bylines of people as plain values, for lists that show someone's name next to what they
wrote but need nothing else of the account (templates/_macros/people.html, `byline`)."""
from sqlalchemy import DateTime, bindparam, cast, literal, null, select, union_all

from forum.extensions import db
from forum.models.accounts import Badge, Role, UserBadge, user_roles
from forum.posts.shown import Author


def bylines(names: dict[int, tuple[str, str]]) -> dict[int, Author]:
    """The bylines of the people of `names` (id -> username, display name) with the roles
    and badges a byline shows, read in one statement.

    Loading the accounts as `User` objects instead took a select-in for their roles and
    another for their badges, each filling ORM objects that a byline only reads two
    names from."""
    if not names:
        return {}
    roles: dict[int, list[str]] = {person: [] for person in names}
    badges: dict[int, list[tuple]] = {person: [] for person in names}
    for person, kind, first, second, awarded_at, held_id in db.session.execute(_MARKS, {"people": list(names)}):
        if kind == "role":
            roles[person].append(first)
        else:
            badges[person].append(((awarded_at, held_id), (first, second)))
    return {person: Author(person, username, display_name,
                           # The order of User.shown_roles (by name) and User.badge_marks (as awarded).
                           tuple(sorted(name for name in roles[person] if name != "member")),
                           tuple(mark for _, mark in sorted(badges[person])))
            for person, (username, display_name) in names.items()}


def _marks_statement():
    """Select (person, "role", role name, "", None, None) and (person, "badge", icon, badge
    name, awarded at, id) for each role and badge the `people` hold.

    Made once: working out a fresh statement's cache key cost as much as running it."""
    people = bindparam("people", expanding=True)
    held_roles = (select(user_roles.c.user_id, literal("role"), Role.name, literal(""),
                         cast(null(), DateTime), cast(null(), UserBadge.id.type))
                  .join(Role, Role.id == user_roles.c.role_id).where(user_roles.c.user_id.in_(people)))
    held_badges = (select(UserBadge.user_id, literal("badge"), Badge.icon, Badge.name, UserBadge.awarded_at,
                          UserBadge.id)
                   .join(Badge, Badge.id == UserBadge.badge_id).where(UserBadge.user_id.in_(people)))
    return union_all(held_roles, held_badges)


_MARKS = _marks_statement()
