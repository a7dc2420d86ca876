"""Training: programs of ordered discussions, enrolments and completions.

Each discussion owns a thread of kind "discussion" in the posts engine; responses and
replies are ordinary posts there. These tables only record the program's structure and
each trainee's progress through it.
"""
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.clock import utcnow
from forum.extensions import db
from forum.models.accounts import Badge, User
from forum.models.posts import Thread


class Program(db.Model):
    __tablename__ = "programs"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    title: Mapped[str] = mapped_column(String(120))
    summary_md: Mapped[str] = mapped_column(Text, default="")
    summary_html: Mapped[str] = mapped_column(Text, default="")
    # Who may enrol: "everyone", "teen" or "adult"; copied onto each discussion's thread.
    audience: Mapped[str] = mapped_column(String(10), default="everyone")
    required_badge_id: Mapped[int | None] = mapped_column(ForeignKey("badges.id", ondelete="SET NULL"))
    awarded_badge_id: Mapped[int | None] = mapped_column(ForeignKey("badges.id", ondelete="SET NULL"))
    published: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    required_badge: Mapped[Badge | None] = relationship(foreign_keys=[required_badge_id], lazy="joined")
    awarded_badge: Mapped[Badge | None] = relationship(foreign_keys=[awarded_badge_id], lazy="joined")
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])


class Discussion(db.Model):
    __tablename__ = "discussions"
    __table_args__ = (
        # Positions run 1..n within a program; services keep them contiguous.
        UniqueConstraint("program_id", "position"),
        CheckConstraint("min_words >= 1", name="min_words_positive"),
        CheckConstraint("required_peer_replies >= 1", name="peer_replies_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(120))
    lesson_md: Mapped[str] = mapped_column(Text, default="")
    lesson_html: Mapped[str] = mapped_column(Text, default="")
    prompt: Mapped[str] = mapped_column(String(500))
    response_template: Mapped[str] = mapped_column(Text, default="")
    min_words: Mapped[int] = mapped_column(default=30)
    required_peer_replies: Mapped[int] = mapped_column(default=2)
    # Others' responses stay hidden until the trainee has posted their own.
    post_first: Mapped[bool] = mapped_column(Boolean, default=False)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="RESTRICT"), unique=True)

    program: Mapped[Program] = relationship(lazy="joined", innerjoin=True)
    thread: Mapped[Thread] = relationship()


class Enrollment(db.Model):
    __tablename__ = "enrollments"
    __table_args__ = (UniqueConstraint("user_id", "program_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The unique (user, program) key serves lookups by user; programs get their own index.
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"), index=True)
    enrolled_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None]
    # When they first completed the program. A trainer reopening one of their discussions
    # takes completed_at back until it is done again; this stays, and with it that the
    # discussions added since are offered to them, never asked of them (progress.py).
    first_completed_at: Mapped[datetime | None]
    # When the trainee left the program (None: taking part). The row stays: their
    # completions are kept for if they enrol again, and their fellows' replies to them
    # still count. Trainers' counts, notices and lists leave them out meanwhile.
    left_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    @property
    def has_left(self) -> bool:
        return self.left_at is not None


class DiscussionCompletion(db.Model):
    """A discussion's requirements met, with the time: it stays even if posts go later."""

    __tablename__ = "discussion_completions"
    __table_args__ = (
        UniqueConstraint("enrollment_id", "discussion_id"),
        Index("ix_discussion_completions_discussion", "discussion_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollments.id", ondelete="CASCADE"))
    discussion_id: Mapped[int] = mapped_column(ForeignKey("discussions.id", ondelete="CASCADE"))
    completed_at: Mapped[datetime] = mapped_column(default=utcnow)


class DiscussionReopening(db.Model):
    """A trainer took a completion back: the trainee does the discussion again.

    Only posts written after the latest reopening count towards completing it again.
    """

    __tablename__ = "discussion_reopenings"
    __table_args__ = (Index("ix_discussion_reopenings_enrollment_discussion", "enrollment_id", "discussion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollments.id", ondelete="CASCADE"))
    discussion_id: Mapped[int] = mapped_column(ForeignKey("discussions.id", ondelete="CASCADE"))
    reopened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(300), default="")
    previously_completed_at: Mapped[datetime]
    reopened_at: Mapped[datetime] = mapped_column(default=utcnow)

    reopened_by: Mapped[User | None] = relationship(lazy="joined")


class KeptOpenDiscussion(db.Model):
    """A discussion open to a trainee that a trainer's new order would have locked (it came
    to sit after one they have not done): it stays open to them, so a response and replies
    they started can be finished (forum/training/reordering.py)."""

    __tablename__ = "kept_open_discussions"
    __table_args__ = (
        UniqueConstraint("enrollment_id", "discussion_id"),
        Index("ix_kept_open_discussions_discussion", "discussion_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollments.id", ondelete="CASCADE"))
    discussion_id: Mapped[int] = mapped_column(ForeignKey("discussions.id", ondelete="CASCADE"))
    kept_at: Mapped[datetime] = mapped_column(default=utcnow)
