"""Reading the audit log. Rows are written with `forum.models.moderation.audit_entry`
in the same transaction as the action they record."""
from collections.abc import Callable
from datetime import date, time

from sqlalchemy import select

from forum.extensions import db
from forum.links import path_for
from forum.local_time import UTC_NAME, stored_moment
from forum.models.accounts import User, retired_username_owner, user_by_username
from forum.models.moderation import AuditEntry
from forum.models.posts import Post

AUDIT_ACTIONS: dict[str, str] = {
    "hide": "Hid a post",
    "restore": "Restored a post",
    "edit": "Edited someone's post",
    "delete": "Deleted a post for good",
    "dismiss": "Dismissed flags",
    "reopen": "Reopened dismissed flags",
    "resolve": "Marked flags handled",
    "suspend": "Suspended someone",
    "lift": "Lifted a suspension",
    "age_group": "Changed an age group",
    "clear_profile": "Cleared the profile",
    "roles": "Changed roles",
    "badge_award": "Awarded a badge",
    "badge_revoke": "Took a badge away",
    "badge_create": "Created a badge",
    "close_account": "Closed their account",
}
AUDIT_TARGET_TYPES: dict[str, str] = {
    "post": "Post",
    "user": "Person",
    "profile": "Profile",
    "badge": "Badge",
    "review": "Review",
}


# Target type -> links(ids) for the types that other parts register (calls, reviews).
TARGET_LINKERS: dict[str, Callable[[set[int]], dict[int, str]]] = {}


def register_audit_action(action: str, label: str) -> None:
    AUDIT_ACTIONS[action] = label


def register_audit_target_type(target_type: str, label: str, links=None) -> None:
    """`links(ids)`, if given, returns {id: path} of the targets that have a page: the log
    links them, with one call per target type on a page of entries."""
    AUDIT_TARGET_TYPES[target_type] = label
    if links is not None:
        TARGET_LINKERS[target_type] = links


def _user_id_named(username: str) -> int:
    # A closed account's old name still finds it: the name is retired, not reused.
    user = db.session.scalar(user_by_username(username)) or db.session.scalar(retired_username_owner(username))
    return user.id if user else -1


def is_known_name(username: str) -> bool:
    """Whether someone has (or had, before closing their account) this username."""
    return _user_id_named(username) != -1


def audit_log(*, actor: str = "", about: str = "", action: str = "", target_type: str = "",
              since: date | None = None, until: date | None = None, zone_name: str = UTC_NAME):
    """Select audit entries, newest first, narrowed by whichever filters are given.

    `actor` and `about` are usernames (who acted; whom it was about, as on the person's
    moderation page); an unknown one matches nothing rather than everything. `since` and
    `until` are whole days in `zone_name`, the reader's, as the log shows its times."""
    statement = select(AuditEntry).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    if actor:
        statement = statement.where(AuditEntry.actor_id == _user_id_named(actor))
    if about:
        statement = statement.where(_about_user(_user_id_named(about)))
    if action:
        statement = statement.where(AuditEntry.action == action)
    if target_type:
        statement = statement.where(AuditEntry.target_type == target_type)
    if since and (start := stored_moment(since, time.min, zone_name)):
        statement = statement.where(AuditEntry.created_at >= start)
    if until and (end := stored_moment(until, time.max, zone_name)):
        # The whole day, to its last microsecond: the day after 31 December 9999 does not exist.
        statement = statement.where(AuditEntry.created_at <= end)
    return statement


def target_links(entries: list[AuditEntry]) -> dict[int, str]:
    """Where each entry's target can be seen, by entry id, for those that have a page.

    A person is linked by who they are now (one statement for the page), not by the name
    the entry was written with: a closed account's old name is retired, and the moderators'
    page of the person is found by their current one."""
    person_ids = {entry.target_id for entry in entries
                  if entry.target_type in ("user", "profile") and entry.target_id is not None}
    usernames = dict(db.session.execute(select(User.id, User.username).where(User.id.in_(person_ids))).all()
                     ) if person_ids else {}
    # A post deleted for good has no page left: its entries name it, unlinked, not a 404.
    post_ids = {entry.target_id for entry in entries if entry.target_type == "post" and entry.target_id is not None}
    posts_left = set(db.session.scalars(select(Post.id).where(Post.id.in_(post_ids)))) if post_ids else set()
    links = {}
    for entry in entries:
        if entry.target_id is None:
            continue
        if entry.target_type == "post" and entry.target_id in posts_left:
            links[entry.id] = path_for("posts.permalink", post_id=entry.target_id)
        elif entry.target_type in ("user", "profile") and entry.target_id in usernames:
            links[entry.id] = path_for("moderation.user", username=usernames[entry.target_id])
    for target_type, linker in TARGET_LINKERS.items():
        ids = {entry.target_id for entry in entries if entry.target_type == target_type and entry.target_id}
        paths = linker(ids) if ids else {}
        links.update({entry.id: paths[entry.target_id] for entry in entries
                      if entry.target_type == target_type and entry.target_id in paths})
    return links


def _about_user(user_id: int):
    """Whether an entry is about the person, their profile or what they wrote: each entry
    keeps whom it is about, so what staff did to a post deleted for good stays theirs."""
    return AuditEntry.subject_id == user_id


def entries_about_user(user_id: int, limit: int = 20):
    """Staff actions about the person, their profile and what they wrote: the newest
    `limit`, for their page; the audit log filtered by `about` has them all."""
    return (select(AuditEntry).where(_about_user(user_id))
            .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc()).limit(limit))
