"""Calls for ideas and the status of each idea.

Both tables extend a row of the posts engine and share its key: a call *is* its thread
(`IdeaCall.thread_id`), an idea *is* a top-level post of that thread (`IdeaStatus.post_id`).
Sharing the key lets the thread policy find them with `session.get`, which the identity
map answers without SQL once a page has loaded them.
"""
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.clock import utcnow
from forum.extensions import db
from forum.models.accounts import User
from forum.models.posts import Post, Thread

CALL_KIND = "idea_call"
PHASES = {
    "collecting": "Collecting ideas",
    "evaluating": "Evaluating",
    "shortlisted": "Shortlist published",
    "closed": "Closed",
}
IDEA_STATUSES = {
    "new": "New",
    "under_review": "Under review",
    "shortlisted": "Shortlisted",
    "planned": "Planned",
    "done": "Done",
    "declined": "Declined",
    "merged": "Merged",
}
# The statuses that put an idea on the call's shortlist, in the order the page shows them.
SHORTLIST_STATUSES = ("done", "planned", "shortlisted")


def _one_of(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(value) for value in values)})"


class IdeaCall(db.Model):
    __tablename__ = "idea_calls"
    __table_args__ = (CheckConstraint(_one_of("phase", PHASES), name="phase"),)

    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"), primary_key=True)
    question_md: Mapped[str] = mapped_column(Text)
    question_html: Mapped[str] = mapped_column(Text)
    phase: Mapped[str] = mapped_column(String(12), default="collecting", index=True)
    # Judgement is deferred: while collecting, nobody sees how many reactions an idea has.
    hide_reactions_while_collecting: Mapped[bool] = mapped_column(Boolean, default=False)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    phase_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When staff last changed its title or question: the call page says it was edited.
    edited_at: Mapped[datetime | None]

    thread: Mapped[Thread] = relationship(lazy="joined", innerjoin=True)
    opened_by: Mapped[User | None] = relationship(lazy="joined")

    @property
    def id(self) -> int:
        return self.thread_id

    @property
    def title(self) -> str:
        return self.thread.title

    @property
    def phase_label(self) -> str:
        return PHASES[self.phase]

    @property
    def reaction_counts_hidden(self) -> bool:
        return self.phase == "collecting" and self.hide_reactions_while_collecting


class IdeaStatus(db.Model):
    """Where staff stand on one idea. Written as "new" when the idea is posted."""

    __tablename__ = "idea_statuses"
    __table_args__ = (CheckConstraint(_one_of("status", IDEA_STATUSES), name="status"),)

    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True)
    status: Mapped[str] = mapped_column(String(12), default="new", index=True)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="SET NULL"), index=True)
    note: Mapped[str] = mapped_column(String(1000), default="")
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    post: Mapped[Post] = relationship(foreign_keys=[post_id])
    merged_into: Mapped[Post | None] = relationship(foreign_keys=[merged_into_id])
    set_by: Mapped[User | None] = relationship(foreign_keys=[set_by_id])

    @property
    def label(self) -> str:
        return IDEA_STATUSES[self.status]
