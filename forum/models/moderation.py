"""Safety: flags, the audit log, suspensions and blocks.

Flags point at what they are about by type and id, not by foreign key: reviews belong
to the mentors part, and a flag must outlive a post an admin deletes for good.
"""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, false, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.clock import utcnow
from forum.extensions import db
from forum.models.accounts import User
from forum.text.typed import typed_line

FLAG_TARGET_TYPES = ("post", "profile", "review")
FLAG_STATUSES = ("open", "resolved", "dismissed")
REASON_LIMIT = 500


class Flag(db.Model):
    __tablename__ = "flags"
    __table_args__ = (
        Index("ix_flags_status_created", "status", "created_at"),
        Index("ix_flags_target", "target_type", "target_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    target_type: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int]
    reason: Mapped[str] = mapped_column(String(REASON_LIMIT))
    # The flagger said someone may be in danger: the queue puts it first and moderators are told.
    urgent: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(10), default="open")
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    resolved_at: Mapped[datetime | None]
    resolution_note: Mapped[str] = mapped_column(String(REASON_LIMIT), default="")

    reporter: Mapped[User | None] = relationship(foreign_keys=[reporter_id], lazy="joined")
    resolved_by: Mapped[User | None] = relationship(foreign_keys=[resolved_by_id])


class AuditEntry(db.Model):
    """One moderator or admin action: who did what, to what, why and when."""

    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_created", "created_at"),
        Index("ix_audit_entries_action_created", "action", "created_at"),
        Index("ix_audit_entries_actor_created", "actor_id", "created_at"),
        Index("ix_audit_entries_target", "target_type", "target_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # None: done from the command line or by the forum itself.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(30))
    target_type: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int | None]
    # Whom it is about: the person, or whoever wrote the post or review. Kept apart from the
    # target, which an admin may delete for good, so the person's history keeps the entry.
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    # How the target read when the action happened: it may be deleted or renamed later.
    target_label: Mapped[str] = mapped_column(String(200), default="")
    reason: Mapped[str] = mapped_column(String(REASON_LIMIT), default="")
    details: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id], lazy="joined")


PERSON_TARGET_TYPES = ("user", "profile")


def audit_entry(actor, action: str, target_type: str, target_id: int | None = None, *,
                label: str = "", reason: str = "", details: str = "", subject_id: int | None = None) -> AuditEntry:
    """A new audit row, added to the session (the caller commits with its own change).

    `subject_id`: whom it is about, for a person's thing (the author of a post or review);
    a person or their profile is the target itself."""
    if subject_id is None and target_type in PERSON_TARGET_TYPES:
        subject_id = target_id
    entry = AuditEntry(actor_id=actor.id if actor is not None else None, action=action,
                       target_type=target_type, target_id=target_id, subject_id=subject_id, target_label=label[:200],
                       reason=typed_line(reason)[:REASON_LIMIT], details=details,
                       created_at=utcnow())
    db.session.add(entry)
    return entry


class Suspension(db.Model):
    __tablename__ = "suspensions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(REASON_LIMIT))
    starts_at: Mapped[datetime] = mapped_column(default=utcnow)
    ends_at: Mapped[datetime]
    lifted_at: Mapped[datetime | None]
    lifted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    by: Mapped[User | None] = relationship(foreign_keys=[by_id], lazy="joined")


class Block(db.Model):
    """`blocker` hears nothing from `blocked` and sees their posts folded away."""

    __tablename__ = "blocks"
    __table_args__ = (UniqueConstraint("blocker_id", "blocked_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    blocker_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    blocked_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    blocked: Mapped[User] = relationship(foreign_keys=[blocked_id], lazy="joined")


def blocked_ids_of(blocker_id: int):
    """Select the ids of the people `blocker_id` has blocked."""
    return select(Block.blocked_id).where(Block.blocker_id == blocker_id)


def blockers_among(blocked_id: int, candidate_ids):
    """Select which of `candidate_ids` have blocked `blocked_id` (one query for a whole post)."""
    return select(Block.blocker_id).where(Block.blocked_id == blocked_id, Block.blocker_id.in_(list(candidate_ids)))


def active_suspension_of(user_id: int, now: datetime):
    """Select the user's suspensions in force at `now`, the longest first."""
    return (select(Suspension).where(Suspension.user_id == user_id, Suspension.lifted_at.is_(None),
                                     Suspension.starts_at <= now, Suspension.ends_at > now)
            .order_by(Suspension.ends_at.desc()))
