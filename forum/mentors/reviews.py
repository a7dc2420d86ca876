"""Reviews of mentors: written by their mentees, answered once by the mentor (who may edit that reply).
Edits keep what the review or reply said before (ReviewRevision), as posts keep theirs.

Reporting a review flags it for the moderators' queue, and moderators hide it from there
(see forum.mentors.review_flags)."""
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from forum.errors import Conflict, DomainError, Forbidden, NotFound
from forum.extensions import db
from forum.links import path_for
from forum.mentors.permissions import (
    can_see_mentor, can_see_review, edit_reply_refusal, edit_review_refusal, hears_from, reply_refusal,
    review_refusal,
)
from forum.models.accounts import User
from forum.models.mentors import MentorProfile, MentorshipRequest, Review, ReviewRevision
from forum.models.posts import Notification
from forum.posts.notifications import notify
from forum.text import render_markdown
from forum.text.bidi import isolate
from forum.text.typed import typed_text

REVIEW_LIMIT = 5000
REPLY_LIMIT = 3000
RATINGS = (1, 2, 3, 4, 5)


def clean_rating(rating) -> int:
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if rating not in RATINGS:
        raise DomainError("Choose a rating from 1 to 5 stars.", "rating")
    return rating


def _clean_text(text: str | None, limit: int, field: str, empty_message: str) -> str:
    text = typed_text(text)
    if not text:
        raise DomainError(empty_message, field)
    if len(text) > limit:
        raise DomainError(f"Keep it under {limit:,} characters (this is {len(text):,}).", field)
    return text


def _profile_of(mentor_id: int) -> MentorProfile:
    return db.session.scalar(select(MentorProfile).where(MentorProfile.user_id == mentor_id))


def profile_of(review: Review) -> MentorProfile | None:
    """The reviewed mentor's profile, which says whether they may answer a teen."""
    return _profile_of(review.mentor_id)


def review_link(review: Review) -> str:
    # Through a page that finds which page of the profile the review is on when it is opened:
    # newer reviews push it onto later pages after the notification is written.
    return path_for("mentors.review_permalink", review_id=review.id)


def write_review(author, request: MentorshipRequest, rating, body: str, now: datetime) -> Review:
    refusal = review_refusal(author, request, now)
    if refusal:
        raise (Conflict if request.review is not None else Forbidden)(refusal)
    rating = clean_rating(rating)
    body = _clean_text(body, REVIEW_LIMIT, "body", "Say a few words about how the mentorship went.")
    review = Review(request_id=request.id, mentor_id=request.mentor_id, author_id=author.id, rating=rating,
                    body_md=body, body_html=render_markdown(body), created_at=now)
    db.session.add(review)
    try:
        db.session.flush()
    except IntegrityError:
        # The same review sent twice at once: the first one stands.
        db.session.rollback()
        raise Conflict("You have reviewed this mentorship already.") from None
    db.session.execute(update(MentorProfile).where(MentorProfile.user_id == request.mentor_id).values(
        rating_sum=MentorProfile.rating_sum + rating, review_count=MentorProfile.review_count + 1))
    if hears_from(request.mentor, author):
        notify(request.mentor, "mentor_review", f"{isolate(author.display_name)} reviewed your mentorship ({rating}/5)",
               review_link(review), actor=author)
    db.session.commit()
    return review


def edit_review(author, review: Review, rating, body: str, now: datetime) -> Review:
    refusal = edit_review_refusal(author, review, now)
    if refusal:
        raise Forbidden(refusal)
    rating = clean_rating(rating)
    body = _clean_text(body, REVIEW_LIMIT, "body", "Say a few words about how the mentorship went.")
    if (rating, body) == (review.rating, review.body_md):
        return review  # nothing changed: no edit to show or keep
    db.session.add(ReviewRevision(review_id=review.id, part="review", editor_id=author.id, rating=review.rating,
                                  body_md=review.body_md, created_at=now))
    db.session.execute(update(MentorProfile).where(MentorProfile.user_id == review.mentor_id).values(
        rating_sum=MentorProfile.rating_sum + (rating - review.rating)))
    review.rating = rating
    review.body_md = body
    review.body_html = render_markdown(body)
    review.edited_at = now
    # The mentor was told of the stars first given, and a reply of theirs may now answer other words.
    if hears_from(review.mentor, author):
        notify(review.mentor, "mentor_review",
               f"{isolate(author.display_name)} edited their review of your mentorship (now {rating}/5)",
               review_link(review), actor=author)
    db.session.commit()
    return review


def reply_to_review(mentor, review: Review, body: str, now: datetime) -> Review:
    profile = _profile_of(review.mentor_id)
    refusal = reply_refusal(mentor, review, profile, now)
    if refusal:
        raise (Conflict if mentor.id == review.mentor_id and review.replied_at else Forbidden)(refusal)
    body = _clean_text(body, REPLY_LIMIT, "body", "Write your reply before sending it.")
    done = db.session.execute(update(Review).where(Review.id == review.id, Review.replied_at.is_(None)).values(
        mentor_reply_md=body, mentor_reply_html=render_markdown(body), replied_at=now)).rowcount
    if not done:
        db.session.rollback()
        raise Conflict("You have replied to this review already; a review gets one reply.")
    # Not to an author who can no longer open the mentor's page: a teen whose mentor an admin
    # no longer approves for teens (or who now mentors adults only) hears nothing more from
    # them, and the link would lead to "That review can't be found."
    if hears_from(review.author, mentor) and profile is not None and can_see_mentor(review.author, profile):
        notify(review.author, "mentor_review", f"{isolate(mentor.display_name)} replied to your review",
               review_link(review), actor=mentor)
    db.session.commit()
    db.session.refresh(review)
    return review


def take_back_replies_teens_cannot_open(mentor_id: int) -> None:
    """After the mentor stopped mentoring teens (not committed): teens' unread "… replied to
    your review" from them is emptied (count 0: not listed, not counted, in no daily email),
    as reply_to_review tells a teen nothing once they may not open the mentor's page. Told
    while the mentor was approved and read after, it was a word from an adult no longer
    vetted for teens, and its link answered "That review can't be found."."""
    db.session.execute(update(Notification).where(
        Notification.kind == "mentor_review", Notification.actor_id == mentor_id, Notification.read_at.is_(None),
        Notification.user_id.in_(select(User.id).where(User.age_group == "teen"))).values(count=0))


def edit_reply(mentor, review: Review, body: str, now: datetime) -> Review:
    """The mentor corrects their reply: the same rules as writing it; readers see it was edited."""
    refusal = edit_reply_refusal(mentor, review, _profile_of(review.mentor_id), now)
    if refusal:
        raise Forbidden(refusal)
    body = _clean_text(body, REPLY_LIMIT, "body", "Write your reply before sending it.")
    if body != review.mentor_reply_md:
        db.session.add(ReviewRevision(review_id=review.id, part="reply", editor_id=mentor.id,
                                      body_md=review.mentor_reply_md, created_at=now))
        review.mentor_reply_md = body
        review.mentor_reply_html = render_markdown(body)
        review.reply_edited_at = now
    db.session.commit()
    return review


def revisions_of(review: Review, part: str):
    """What the review ("review") or its reply ("reply") said before each edit, newest first."""
    return (select(ReviewRevision).where(ReviewRevision.review_id == review.id, ReviewRevision.part == part)
            .order_by(ReviewRevision.created_at.desc(), ReviewRevision.id.desc()))


def get_review_for(viewer, review_id: int) -> Review:
    """The review, or NotFound when it does not exist, its mentor is not visible to `viewer`,
    or a moderator hid it (from everyone but its author and moderators)."""
    review = db.session.get(Review, review_id)
    profile = review and _profile_of(review.mentor_id)
    if profile is None or not can_see_mentor(viewer, profile) or not can_see_review(viewer, review):
        raise NotFound("That review can't be found.")
    return review
