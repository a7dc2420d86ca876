"""Closing an account: the person leaves, and what identified them goes with them.

The row stays, so what others wrote in answer keeps its place and every counter stays
true: replies to a post of theirs, reactions, a mentor's rating. What made it theirs goes:
the name (retired, so no one else takes it), the address, the bio, the password, the roles and badges, every session, their
notifications and the choices of what to mail them. What they wrote stays signed
"Former member", or is removed as if they had removed each post themselves, as they chose.

For other parts: `register_account_closing_hook(hook)`; hook(user, now) ends what the
part holds for the person (mentors: their mentorships end and their profile goes), in
the same transaction, before the person's name is gone.
"""
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from forum.accounts.names import FORMER_MEMBER
from forum.accounts.permissions import is_admin, suspension_refusal
from forum.accounts.services import check_current_password
from forum.clock import utcnow
from forum.errors import DomainError
from forum.extensions import db
from forum.mail import send_mail
from forum.models.accounts import RetiredUsername, Role, User, user_roles
from forum.models.moderation import Block, audit_entry
from forum.models.posts import EmailDigest, EmailPreference, Notification, Post, ThreadFollower
from forum.posts.policies import policy_for
from forum.posts.services import remove_own_post

# Never the result of hashing a password, so no password signs in again.
NO_PASSWORD = "closed"
WRONG_PASSWORD = "That password is not right, so your account is still open."

AccountClosingHook = Callable[[User, datetime], None]
_CLOSING_HOOKS: list[AccountClosingHook] = []


def register_account_closing_hook(hook: AccountClosingHook) -> None:
    _CLOSING_HOOKS.append(hook)


ONLY_ADMIN = ("You are the only admin here. Give the admin role to someone else first, "
              "so the forum is not left without one.")


def _other_admins(user: User, *, lock: bool) -> int:
    """Admins but `user` still here. `lock` when closing: two admins closing at once wait
    for each other on the admin role's row, so the second counts after the first has gone.
    Not for showing the page, which would hold that row until the page is sent."""
    if lock:
        db.session.execute(select(Role.id).where(Role.name == "admin").with_for_update())
    return db.session.scalar(
        select(func.count()).select_from(User)
        .join(user_roles, user_roles.c.user_id == User.id).join(Role, Role.id == user_roles.c.role_id)
        .where(Role.name == "admin", User.id != user.id, User.closed_at.is_(None)))


def closing_refusal(user: User, now: datetime, *, lock: bool = False) -> str | None:
    """Why `user` may not close their account yet, or None; the closing page says it first,
    rather than after the form is filled in. Closing frees the address: closing and joining
    again must not be a way out of a suspension. `lock`: see `_other_admins`."""
    if refusal := suspension_refusal(user, now, still="You can close it once the suspension ends."):
        return refusal
    if is_admin(user) and not _other_admins(user, lock=lock):
        return ONLY_ADMIN
    return None


def password_problems(user: User, password: str) -> list[DomainError]:
    """A wrong password, told with the form's own refusals (a box not ticked) in one round,
    rather than once those are mended. It counts against the limit as any wrong one does."""
    try:
        check_current_password(user, password, message=WRONG_PASSWORD, field="password")
    except DomainError as wrong:  # a RateLimited too: told beside the password
        return [wrong]
    return []


def close_account(user: User, password: str, *, remove_writing: bool) -> None:
    """Close `user`'s account for good (committed), after checking their password.

    `remove_writing`: their posts and ideas are removed, as each would be by its author;
    otherwise they stay, signed "Former member"."""
    # A second press (a double-click, another tab) waits here for the first to finish
    # (PostgreSQL; SQLite runs one writer at a time), then finds the account closed.
    # (The user's row alone: PostgreSQL locks no row an outer join, as of their badges, reads.)
    if db.session.scalar(select(User.closed_at).where(User.id == user.id).with_for_update()) is not None:
        return
    now = utcnow()
    # Before the password: the page said it already, and no password changes it.
    if refusal := closing_refusal(user, now, lock=True):
        raise DomainError(refusal)
    check_current_password(user, password, message=WRONG_PASSWORD, field="password")
    for hook in _CLOSING_HOOKS:
        hook(user, now)
    if remove_writing:
        _remove_writing_of(user, now)
    address, username = user.email, user.username
    audit_entry(user, "close_account", "user", user.id, label=f"@{username}",
                details="their posts removed" if remove_writing else "their posts kept, signed Former member")
    _forget_who_they_were(user, now)
    try:
        db.session.commit()
    except IntegrityError:  # the first press retired the name meanwhile (SQLite's race)
        db.session.rollback()
        return
    send_mail(address, "Your account is closed",
              f"Your account @{username} was closed, as you asked. This address is no longer "
              "linked to anything on the forum.\n\nIf you did not close it, someone knew your "
              "password: tell the people who run this forum.\n")


def _remove_writing_of(user: User, now: datetime) -> None:
    """Remove each post as its author would (`remove_own_post`), so each part hears of it
    (staff who put an idea on the shortlist are told it went) and each thread's pages are
    read afresh. The titles of threads they started stay, as when an author removes a
    thread's first post; the closing page says so.

    Not the messages of mentorship conversations: the closing page promises they stay for
    the other person, who may need them (the only record of what was said to them)."""
    posts = db.session.scalars(select(Post).where(Post.author_id == user.id, Post.deleted_at.is_(None))).all()
    for post in posts:
        if not policy_for(post.thread.kind).kept_when_author_leaves(post.thread):
            remove_own_post(user, post, now)


def _forget_who_they_were(user: User, now: datetime) -> None:
    user.closed_at = now
    # The name is retired, never anyone else's: @mentions of it in others' posts lead to
    # this closed account, not to a newcomer taken for the person. The address is freed.
    db.session.add(RetiredUsername(username_key=user.username_key, user_id=user.id))
    user.username = user.username_key = f"former-{user.id}"
    user.email = f"former-{user.id}@closed.invalid"
    user.display_name = FORMER_MEMBER
    user.bio_md = user.bio_html = ""
    user.password_hash = NO_PASSWORD
    user.last_seen_at = None
    user.roles = []
    user.badges = []
    user.session_epoch += 1  # every session and "keep me signed in" cookie ends
    for table, column in ((Notification, Notification.user_id), (EmailPreference, EmailPreference.user_id),
                          (EmailDigest, EmailDigest.user_id), (ThreadFollower, ThreadFollower.user_id), (Block, Block.blocker_id)):
        db.session.execute(delete(table).where(column == user.id))
