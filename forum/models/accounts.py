"""Accounts: users, their roles and their badges."""
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Column, ForeignKey, String, Table, Text, UniqueConstraint, func, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.clock import utcnow
from forum.extensions import db

AGE_GROUPS = ("teen", "adult")
ROLE_NAMES = ("member", "listener", "mentor", "trainer", "moderator", "admin")
# Roles that may act on other people's content or accounts.
STAFF_ROLES = ("moderator", "admin")

user_roles = Table(
    "user_roles",
    db.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("role_id", ForeignKey("roles.id", ondelete="CASCADE"), primary_key=True),
)


class Role(db.Model):
    __tablename__ = "roles"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(20), unique=True)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(20))
    # Lower-cased copy so "Sam" and "sam" cannot both register, on every database.
    username_key: Mapped[str] = mapped_column(String(20), unique=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(50))
    bio_md: Mapped[str] = mapped_column(Text, default="")
    bio_html: Mapped[str] = mapped_column(Text, default="")
    age_group: Mapped[str] = mapped_column(String(5))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime | None] = mapped_column(index=True)
    # Bumped to end every other session: part of the id kept in session cookies.
    session_epoch: Mapped[int] = mapped_column(default=0)
    # Kept in step with the suspensions table, so "may this person post?" needs no query.
    suspended_until: Mapped[datetime | None]
    # Set when the person closed their account (forum/accounts/closing.py): what identified
    # them is gone, and what they wrote that stays is signed "Former member".
    closed_at: Mapped[datetime | None]
    # The zone every time is shown in for this person (forum/local_time.py): an IANA name.
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC", server_default="UTC")
    # While ahead, no notification email and no daily email goes to this person; once past,
    # when their emails came back (forum/posts/email_pause.py).
    emails_paused_until: Mapped[datetime | None]

    roles: Mapped[list[Role]] = relationship(secondary=user_roles, lazy="selectin", order_by=Role.name)
    badges: Mapped[list["UserBadge"]] = relationship(
        back_populates="user", lazy="selectin", cascade="all, delete-orphan",
        order_by="UserBadge.awarded_at", foreign_keys="UserBadge.user_id",
    )

    def get_id(self) -> str:
        return f"{self.id}:{self.session_epoch}"

    @property
    def role_names(self) -> set[str]:
        return {role.name for role in self.roles}

    @property
    def has_bio(self) -> bool:
        return bool(self.bio_md or self.bio_html)

    @property
    def has_own_display_name(self) -> bool:
        """Shown by a name other than their username: one a moderator could put back."""
        return self.display_name != self.username

    def has_role(self, *names: str) -> bool:
        # Asked by most permission checks: answered without building a set.
        return any(role.name in names for role in self.roles)

    @property
    def badge_slugs(self) -> set[str]:
        return {held.badge.slug for held in self.badges}

    @property
    def shown_roles(self) -> tuple[str, ...]:
        """The roles a byline names (everyone is a member), in name order."""
        return tuple(role.name for role in self.roles if role.name != "member")

    @property
    def badge_marks(self) -> tuple[tuple[str, str], ...]:
        """(icon, name) of each badge held, as a byline shows them."""
        return tuple((held.badge.icon, held.badge.name) for held in self.badges)

    def __repr__(self) -> str:
        return f"<User {self.username}>"


class Badge(db.Model):
    __tablename__ = "badges"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    description: Mapped[str] = mapped_column(String(300), default="")
    # A short emoji or symbol: badges need no uploaded images.
    icon: Mapped[str] = mapped_column(String(8), default="★")


class UserBadge(db.Model):
    __tablename__ = "user_badges"
    __table_args__ = (UniqueConstraint("user_id", "badge_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    badge_id: Mapped[int] = mapped_column(ForeignKey("badges.id", ondelete="CASCADE"), index=True)
    awarded_at: Mapped[datetime] = mapped_column(default=utcnow)
    awarded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(200), default="")

    user: Mapped[User] = relationship(back_populates="badges", foreign_keys=[user_id])
    badge: Mapped[Badge] = relationship(lazy="joined")


class RetiredUsername(db.Model):
    """The username of a closed account, never given to anyone else: @mentions and quotes in
    others' posts still link to it, and must not lead to a newcomer taken for the person."""

    __tablename__ = "retired_usernames"

    username_key: Mapped[str] = mapped_column(String(20), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)


class PendingRegistration(db.Model):
    """A registration waiting for its email link: the account exists only once it is opened,
    so the registration form answers the same whether or not the address has an account."""

    __tablename__ = "pending_registrations"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Only a hash of the emailed token is stored: a copy of the table opens no accounts.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    username: Mapped[str] = mapped_column(String(20))
    email: Mapped[str] = mapped_column(String(254), index=True)
    display_name: Mapped[str] = mapped_column(String(50))
    age_group: Mapped[str] = mapped_column(String(5))
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


def user_by_login(login: str):
    """Select the user whose username or email matches `login`, ignoring case. A username
    may come with the "@" the forum writes it with everywhere (profiles, mentions, emails)."""
    key = login.strip().lower()
    return select(User).where((User.username_key == key.removeprefix("@")) | (User.email == key))


def user_by_username(username: str):
    return select(User).where(User.username_key == username.strip().lower())


def open_accounts_named(display_name: str):
    """Select the open accounts whose display name is `display_name`, ignoring case."""
    return select(User).where(func.lower(User.display_name) == display_name.strip().lower(),
                              User.closed_at.is_(None))


def retired_username_owner(username: str):
    """Select the closed account that once had `username`."""
    return select(User).join(RetiredUsername, RetiredUsername.user_id == User.id).where(
        RetiredUsername.username_key == username.strip().lower())


def username_taken(username: str) -> bool:
    """Whether someone has `username`, or had it and closed their account."""
    key = username.strip().lower()
    return (db.session.scalar(select(User.id).where(User.username_key == key)) is not None
            or db.session.get(RetiredUsername, key) is not None)
