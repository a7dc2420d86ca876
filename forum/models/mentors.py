"""The mentor page: profiles with sections and tags, weekly hours, requests, reviews."""
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, Float, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.clock import utcnow
from forum.extensions import db
from forum.models.accounts import User

SECTION_KINDS = ("about", "tracks", "knowledge", "situations", "how_i_help", "availability")
SECTION_TITLES = {
    "about": "About",
    "tracks": "Tracks",
    "knowledge": "Knowledge areas",
    "situations": "Situations I know well",
    "how_i_help": "How I can help",
    "availability": "Availability",
}
TAG_KINDS = ("track", "knowledge", "language")
REQUEST_STATUSES = ("pending", "accepted", "declined", "closed")
# A mentee has at most one request with a mentor that is waiting or running.
OPEN_STATUSES = ("pending", "accepted")


class MentorProfile(db.Model):
    __tablename__ = "mentor_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    headline: Mapped[str] = mapped_column(String(120), default="")
    mentors_teens: Mapped[bool] = mapped_column(Boolean, default=False)
    mentors_adults: Mapped[bool] = mapped_column(Boolean, default=True)
    # A private conversation between an adult and a teen is vetted first: an adult mentor
    # mentors teens only once an admin approved it (forum.mentors.teen_approval), who and
    # when kept here; teen mentors need no approval. `mentors_teens` is True for an adult
    # only while approved (update_settings refuses it before, withdrawing unticks it), so
    # lists read it alone.
    teens_approved_at: Mapped[datetime | None]
    teens_approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # An adult mentor not yet approved asks for it (forum.mentors.teen_asks): when, and a
    # note for the admins; cleared once approved, withdrawn, or no longer theirs to ask.
    teens_asked_at: Mapped[datetime | None]
    teens_ask_note: Mapped[str] = mapped_column(String(300), default="", server_default="")
    accepting: Mapped[bool] = mapped_column(Boolean, default=True)
    # "I'm available now" is a flag with an end, so a forgotten flag expires by itself.
    available_now: Mapped[bool] = mapped_column(Boolean, default=False)
    available_until: Mapped[datetime | None]
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # Kept on write so a directory card needs no query of its own.
    rating_sum: Mapped[int] = mapped_column(default=0)
    review_count: Mapped[int] = mapped_column(default=0)
    # How quickly they answer is not a column: it moves on with time (ResponsivenessSpan).

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined", innerjoin=True)
    # Read on the admin's page of the mentor only.
    teens_approved_by: Mapped[User | None] = relationship(foreign_keys=[teens_approved_by_id])
    sections: Mapped[list["ProfileSection"]] = relationship(
        back_populates="profile", cascade="all, delete-orphan", order_by="ProfileSection.position")
    tag_links: Mapped[list["ProfileTag"]] = relationship(
        cascade="all, delete-orphan", order_by="ProfileTag.position")
    slots: Mapped[list["AvailabilitySlot"]] = relationship(
        cascade="all, delete-orphan", order_by=lambda: (AvailabilitySlot.weekday, AvailabilitySlot.start_minute))

    @property
    def average_rating(self) -> float | None:
        return self.rating_sum / self.review_count if self.review_count else None

    def tags_of(self, kind: str) -> list["Tag"]:
        return [link.tag for link in self.tag_links if link.tag.kind == kind]


class ProfileSection(db.Model):
    __tablename__ = "mentor_profile_sections"
    __table_args__ = (UniqueConstraint("profile_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("mentor_profiles.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    body_md: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)

    profile: Mapped[MentorProfile] = relationship(back_populates="sections")

    @property
    def title(self) -> str:
        return SECTION_TITLES[self.kind]


class Tag(db.Model):
    """A track, knowledge area or language a mentor names; shared so the directory can filter."""

    __tablename__ = "mentor_tags"
    __table_args__ = (UniqueConstraint("kind", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(40))
    slug: Mapped[str] = mapped_column(String(40))


class ProfileTag(db.Model):
    """A tag on a profile; `position` is the mentor's own order, strongest first."""

    __tablename__ = "mentor_profile_tags"

    profile_id: Mapped[int] = mapped_column(ForeignKey("mentor_profiles.id", ondelete="CASCADE"), primary_key=True)
    tag_id: Mapped[int] = mapped_column(ForeignKey("mentor_tags.id", ondelete="CASCADE"), primary_key=True,
                                        index=True)
    position: Mapped[int] = mapped_column(default=0)

    tag: Mapped[Tag] = relationship(lazy="joined", innerjoin=True)


class AvailabilitySlot(db.Model):
    """Weekly hours in the mentor's own time zone: weekday 0 is Monday, minutes from midnight."""

    __tablename__ = "mentor_availability_slots"
    __table_args__ = (
        CheckConstraint("weekday >= 0 AND weekday <= 6", name="weekday_range"),
        CheckConstraint("start_minute >= 0 AND start_minute < end_minute AND end_minute <= 1440",
                        name="minute_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("mentor_profiles.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int]
    start_minute: Mapped[int]
    end_minute: Mapped[int]


class MentorshipRequest(db.Model):
    __tablename__ = "mentorship_requests"
    __table_args__ = (
        Index("ix_mentorship_requests_mentor", "mentor_id", "status", "created_at"),
        Index("ix_mentorship_requests_mentee", "mentee_id", "created_at"),
        # The database, too, refuses a second open request between the same two people.
        Index("uq_mentorship_requests_open_pair", "mentee_id", "mentor_id", unique=True,
              sqlite_where=text("status IN ('pending', 'accepted')"),
              postgresql_where=text("status IN ('pending', 'accepted')")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    mentee_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    mentor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    message: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    # The mentor's words when accepting or declining.
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Why it ended, when a change ended it rather than either of the two (see forum.mentors.endings).
    end_reason: Mapped[str] = mapped_column(String(300), default="", server_default="")
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("threads.id", ondelete="SET NULL"), index=True)
    # Stamped by the conversation policy: a review needs the mentee to have written.
    mentee_wrote_at: Mapped[datetime | None]
    last_message_at: Mapped[datetime | None]

    mentee: Mapped[User] = relationship(foreign_keys=[mentee_id], lazy="joined", innerjoin=True)
    mentor: Mapped[User] = relationship(foreign_keys=[mentor_id], lazy="joined", innerjoin=True)
    review: Mapped["Review | None"] = relationship(back_populates="request", uselist=False)
    # Reviews and links to the mentor's page ask whether the mentee may still see it.
    mentor_profile: Mapped[MentorProfile | None] = relationship(
        primaryjoin="MentorshipRequest.mentor_id == foreign(MentorProfile.user_id)", viewonly=True, uselist=False)

    @property
    def was_accepted(self) -> bool:
        return self.thread_id is not None


class ResponsivenessSpan(db.Model):
    """A stretch of time over which a mentor's median wait (forum.mentors.responsiveness)
    is `base_seconds + growth * t`, t in seconds since 1970: the span's own numbers, so
    the directory works it out for the moment it is read."""

    __tablename__ = "mentor_responsiveness_spans"
    __table_args__ = (Index("ix_mentor_responsiveness_spans_mentor", "mentor_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]  # the first moment it no longer holds
    base_seconds: Mapped[float] = mapped_column(Float)
    # Seconds of median wait gained each second: 0 (answered waits in the middle), 1 (a
    # waiting one) or 0.5 (one of each, with an even number of requests).
    growth: Mapped[float] = mapped_column(Float)


class Review(db.Model):
    __tablename__ = "mentor_reviews"
    __table_args__ = (
        CheckConstraint("rating >= 1 AND rating <= 5", name="rating_range"),
        Index("ix_mentor_reviews_mentor_created", "mentor_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("mentorship_requests.id", ondelete="CASCADE"), unique=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    rating: Mapped[int]
    body_md: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]
    mentor_reply_md: Mapped[str] = mapped_column(Text, default="")
    mentor_reply_html: Mapped[str] = mapped_column(Text, default="")
    replied_at: Mapped[datetime | None]
    reply_edited_at: Mapped[datetime | None]
    # Hidden by a moderator from the flags queue: gone for readers and from the rating;
    # its author is told why and still sees it.
    hidden_at: Mapped[datetime | None]
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    hidden_reason: Mapped[str] = mapped_column(String(500), default="")

    request: Mapped[MentorshipRequest] = relationship(back_populates="review")
    author: Mapped[User] = relationship(foreign_keys=[author_id], lazy="joined", innerjoin=True)
    mentor: Mapped[User] = relationship(foreign_keys=[mentor_id])

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def author_age_group(self) -> str:
        """As the profile page reads it with the author's name (forum.mentors.review_page)."""
        return self.author.age_group


REVISION_PARTS = ("review", "reply")


class ReviewRevision(db.Model):
    """What a review (its words and stars) or the mentor's reply to it said before an edit."""

    __tablename__ = "mentor_review_revisions"
    __table_args__ = (CheckConstraint("part IN ('review', 'reply')", name="revision_part"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("mentor_reviews.id", ondelete="CASCADE"), index=True)
    part: Mapped[str] = mapped_column(String(10))
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The stars the review had; None for a reply.
    rating: Mapped[int | None]
    body_md: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    editor: Mapped[User | None] = relationship(lazy="joined")
