"""The discussion engine's tables: threads, posts, revisions, reactions, mentions, notifications."""
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.clock import utcnow
from forum.extensions import db
from forum.models.accounts import Badge, User

AUDIENCES = ("everyone", "teen", "adult")
REACTION_KINDS = {
    "heart": ("❤️", "Heart"),
    "hug": ("🤗", "Hug"),
    "high_five": ("🙌", "High five"),
    "lightbulb": ("💡", "Great idea"),
    "thumbs_up": ("👍", "Thumbs up"),
}

# A form's one-time token (forum.posts.forms.new_submission_token gives 32 characters).
SUBMISSION_TOKEN_LIMIT = 64


class Thread(db.Model):
    __tablename__ = "threads"
    # A part's public threads straight off the index, for a search in that part
    # (forum/search/ranking.py's `part_threads_for`), without reading its private ones.
    __table_args__ = (Index("ix_threads_kind_private", "kind", "is_private"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Which part owns the thread: "discussion", "idea_call", "conversation", "general".
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    audience: Mapped[str] = mapped_column(String(10), default="everyone")
    required_badge_id: Mapped[int | None] = mapped_column(ForeignKey("badges.id", ondelete="SET NULL"))
    # Private threads (mentor conversations) are readable by their members only.
    is_private: Mapped[bool] = mapped_column(Boolean, default=False)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_post_at: Mapped[datetime | None] = mapped_column(index=True)
    # Counters kept on write so lists never count rows per page view.
    post_count: Mapped[int] = mapped_column(default=0)
    top_level_count: Mapped[int] = mapped_column(default=0)
    # Goes up with every change to what the thread's pages show of its posts (posts,
    # reactions, their authors' bylines): pages are kept per worker under this number
    # (forum/posts/page_cache.py), so a change is seen at once by every worker and host.
    content_version: Mapped[int] = mapped_column(default=0, server_default="0")

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    required_badge: Mapped[Badge | None] = relationship(lazy="joined")
    members: Mapped[list["ThreadMember"]] = relationship(
        back_populates="thread", cascade="all, delete-orphan")

    @property
    def member_ids(self) -> set[int]:
        return {member.user_id for member in self.members}


class ThreadMember(db.Model):
    __tablename__ = "thread_members"

    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)

    thread: Mapped[Thread] = relationship(back_populates="members")


class ThreadFollower(db.Model):
    """Someone who chose to be told of new posts in a thread (forum/posts/following.py)."""

    __tablename__ = "thread_followers"

    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    thread: Mapped[Thread] = relationship()


class PostFacts:
    """What a post says of itself from its columns: on Post, and on the plain copy a
    thread page keeps (forum/posts/shown.py)."""
    __slots__ = ()

    @property
    def is_reply(self) -> bool:
        return self.parent_id is not None

    @property
    def is_removed(self) -> bool:
        return self.deleted_at is not None or self.hidden_at is not None


class Post(PostFacts, db.Model):
    __tablename__ = "posts"
    __table_args__ = (
        Index("ix_posts_thread_top_level", "thread_id", "parent_id", "created_at"),
        Index("ix_posts_parent_created", "parent_id", "created_at"),
        UniqueConstraint("author_id", "submission_token"),
        # SQLite otherwise gives the number of the newest post, deleted for good, to the
        # next one, and old links to it lead there.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    # A reply points at a top-level post; replies to replies attach to the same top post.
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    body_md: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    # Indexed for searches filtered by date (PostgreSQL intersects it with the words' matches).
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    edited_at: Mapped[datetime | None]
    # Set by the author: shown as "this post was removed", replies stay.
    deleted_at: Mapped[datetime | None]
    # Set by a moderator, with a reason the author is told.
    hidden_at: Mapped[datetime | None]
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    hidden_reason: Mapped[str] = mapped_column(String(500), default="")
    # The one-time token of the form that created it: a double-click posts once.
    submission_token: Mapped[str | None] = mapped_column(String(SUBMISSION_TOKEN_LIMIT))
    reply_count: Mapped[int] = mapped_column(default=0)
    reaction_count: Mapped[int] = mapped_column(default=0)
    last_reply_at: Mapped[datetime | None]

    thread: Mapped[Thread] = relationship(lazy="joined", innerjoin=True)
    author: Mapped[User] = relationship(foreign_keys=[author_id], lazy="joined", innerjoin=True)
    parent: Mapped["Post | None"] = relationship(remote_side=[id], foreign_keys=[parent_id])


class PostRevision(db.Model):
    """The text a post had before an edit."""

    __tablename__ = "post_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body_md: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    editor: Mapped[User | None] = relationship(lazy="joined")


class Reaction(db.Model):
    __tablename__ = "reactions"
    __table_args__ = (
        UniqueConstraint("post_id", "user_id", "kind"),
        # Counts per kind, and the first few names of each kind, straight off the index:
        # a popular idea holds thousands of reactions and the page shows five names.
        Index("ix_reactions_post_kind_created", "post_id", "kind", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(lazy="joined")


class Mention(db.Model):
    __tablename__ = "mentions"
    __table_args__ = (UniqueConstraint("post_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)


class Notification(db.Model):
    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_unread", "user_id", "read_at", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # "mention", "reply", "reaction", and the kinds other parts add.
    kind: Mapped[str] = mapped_column(String(30))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    message: Mapped[str] = mapped_column(String(300))
    link: Mapped[str] = mapped_column(String(300))
    # A reaction notification counts the people it stands for (forum/posts/reaction_notices.py).
    count: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    # When a daily email told of it (forum/posts/digests.py): no daily email tells of it again.
    digested_at: Mapped[datetime | None]

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id], lazy="joined")


class EmailPreference(db.Model):
    """A row means: also send this kind of notification by email."""

    __tablename__ = "email_preferences"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), primary_key=True)


class EmailDigest(db.Model):
    """A row means: the kinds this person chose by email come together in one email a day
    (forum/posts/digests.py), but those that always come at once."""

    __tablename__ = "email_digests"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    # A daily email tells of notifications from this time on: those before it were emailed
    # one by one when they came (or not at all), and a backlog of months is no daily news.
    chosen_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The last daily email sent: the next waits a day after it, whoever runs the command.
    last_sent_at: Mapped[datetime | None]
