"""What the profile and conversation pages show, loaded in a fixed number of queries."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import lazyload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from forum.accounts.permissions import is_signed_in
from forum.errors import NotFound
from forum.extensions import db
from forum.local_time import UTC_NAME, zone_label, zone_of
from forum.mentors import availability
from forum.mentors.permissions import can_review, request_refusal
from forum.mentors.responsiveness import responsiveness_at
from forum.mentors.review_page import review_counts, reviews_page
from forum.mentors.services import get_profile_for, visible_sections
from forum.models.mentors import OPEN_STATUSES, MentorProfile, MentorshipRequest, ProfileSection, Review
from forum.posts.reading import load_thread_page
from forum.posts.services import get_thread_for


@dataclass
class ProfilePage:
    profile: MentorProfile
    sections: list[ProfileSection]
    hours: list[availability.ShownSlot]
    hours_column: str  # "UTC", or "Your time (Kolkata)"
    reviews: object  # KnownPagination of review_page.ShownReview
    distribution: dict[int, int]
    open_request: MentorshipRequest | None
    reviewable: list[MentorshipRequest]
    request_refusal: str | None
    responsiveness_seconds: float | None  # the median wait now (responsiveness.py)


# The two people are the viewer and the mentor, already loaded: no need to join them again.
# Made once, with the ids as parameters (see services.get_profile_for).
_REQUESTS_BETWEEN = (
    select(MentorshipRequest).options(lazyload(MentorshipRequest.mentee), lazyload(MentorshipRequest.mentor),
                                      selectinload(MentorshipRequest.review).lazyload(Review.author))
    .where(MentorshipRequest.mentee_id == bindparam("mentee_id"), MentorshipRequest.mentor_id == bindparam("mentor_id"))
    .order_by(MentorshipRequest.created_at.desc()))


def _viewer_requests(viewer, profile: MentorProfile) -> list[MentorshipRequest]:
    """The viewer's own requests to this mentor, newest first (few: one per mentorship)."""
    if not is_signed_in(viewer) or viewer.id == profile.user_id:
        return []
    mine = list(db.session.scalars(_REQUESTS_BETWEEN, {"mentee_id": viewer.id, "mentor_id": profile.user_id}))
    for request in mine:
        set_committed_value(request, "mentor_profile", profile)  # the one on this page: no query to find it
    return mine


def _hours_column(reader_zone: str) -> str:
    """The heading of weekly hours on the reader's clock: UTC, named so, until they chose a zone."""
    return UTC_NAME if reader_zone == UTC_NAME else f"Your time ({zone_label(reader_zone).removesuffix(' time')})"


def profile_page(viewer, username: str, page: int, now: datetime) -> ProfilePage:
    profile = get_profile_for(viewer, username)
    mine = _viewer_requests(viewer, profile)
    open_request = next((r for r in mine if r.status in OPEN_STATUSES), None)
    distribution, shown_total = review_counts(profile.user_id, viewer)
    reader_zone = zone_of(viewer)
    return ProfilePage(
        profile=profile,
        sections=visible_sections(profile),
        hours=availability.show_slots(profile.slots, profile.timezone, now, reader_zone),
        hours_column=_hours_column(reader_zone),
        reviews=reviews_page(profile.user_id, viewer, page, shown_total),
        distribution=distribution,
        open_request=open_request,
        reviewable=[r for r in mine if can_review(viewer, r, now)],
        request_refusal=request_refusal(viewer, profile, open_request, now=now),
        responsiveness_seconds=responsiveness_at(profile.user_id, now),
    )


@dataclass
class ConversationPage:
    request: MentorshipRequest
    view: object  # forum.posts.reading.ThreadPage


def conversation_page(viewer, thread_id: int, page: int, order: str) -> ConversationPage:
    """The conversation of a mentorship; anyone but its two members gets NotFound."""
    thread = get_thread_for(viewer, thread_id)
    request = db.session.scalar(select(MentorshipRequest).where(MentorshipRequest.thread_id == thread.id))
    if thread.kind != "conversation" or request is None:
        raise NotFound("That conversation can't be found.")
    return ConversationPage(request=request, view=load_thread_page(viewer, thread, page, order=order))
