"""Reviews in the moderators' queue.

Reporting a review is flagging it (forum.moderation.flags, target type "review"): one
mechanism for posts, profiles and reviews. The queue shows the review with its context
(the mentor, the author, the mentor's reply) and offers what fits a review: hide it (its
author is told why; it leaves the mentor's rating), dismiss the flags, or suspend the
author. Hiding and restoring are logged in the audit log.
"""
from datetime import datetime

from markupsafe import Markup
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from forum.accounts.permissions import is_staff, moderator_refusal
from forum.clock import utcnow
from forum.errors import DomainError, Forbidden, NotFound
from forum.extensions import db
from forum.links import path_for
from forum.mentors.permissions import can_see_mentor, can_see_review, hide_review_refusal, review_concerns
from forum.mentors.reviews import review_link
from forum.models.mentors import MentorProfile, Review
from forum.models.moderation import REASON_LIMIT, audit_entry
from forum.moderation.audit import register_audit_action, register_audit_target_type
from forum.moderation.flag_outcomes import TAKEN_DOWN
from forum.moderation.flags import FlagTarget, close_flags, closed_in_words, register_flag_target
from forum.posts.notifications import notify
from forum.text.bidi import isolate
from forum.text.typed import typed_line

register_audit_action("hide_review", "Hid a review")
register_audit_action("restore_review", "Restored a review")


def _review_links(ids: set[int]) -> dict[int, str]:
    """The audit log links a review to its place on the mentor's page (one statement), through
    review_link: the page it is on moves as newer reviews come."""
    return {review_id: path_for("mentors.review_permalink", review_id=review_id)
            for review_id in db.session.scalars(select(Review.id).where(Review.id.in_(ids)))}


register_audit_target_type("review", "Review", links=_review_links)


def review_label(review: Review) -> str:
    """How a review is named in the audit log."""
    return f"review {review.id} by @{review.author.username} of @{review.mentor.username}"


def _shown_with_reply(review: Review) -> Markup:
    if not review.replied_at:
        return Markup(review.body_html)
    return Markup('{}<p class="meta">{} replied:</p>{}').format(
        Markup(review.body_html), review.mentor.display_name, Markup(review.mentor_reply_html))


def review_targets(viewer, ids: list[int]) -> dict[int, FlagTarget]:
    """The reviews among `ids` that `viewer` may see (moderators: all), ready for the queue."""
    rows = db.session.execute(
        select(Review, MentorProfile).join(MentorProfile, MentorProfile.user_id == Review.mentor_id)
        .options(joinedload(Review.mentor)).where(Review.id.in_(ids)))
    targets = {}
    for review, profile in rows:
        if not (is_staff(viewer) or (can_see_mentor(viewer, profile) and can_see_review(viewer, review))):
            continue
        mentor = review.mentor
        targets[review.id] = FlagTarget(
            kind_label="Review", title=f"of {mentor.display_name} (@{mentor.username}), {review.rating} of 5 stars",
            link=review_link(review), body_html=_shown_with_reply(review), author=review.author,
            removed_note=f"Hidden by a moderator: {review.hidden_reason}" if review.hidden_at else "",
            actions_template="mentors/_review_flag_actions.html", extra={"review": review, "mentor": mentor},
            concerns=review_concerns(review), audit_label=review_label(review),
            # Only its author and moderators still see it: the page says so before a flag is typed.
            gone="This review was hidden by a moderator, so there is nothing left to flag." if review.hidden_at else "")
    return targets


register_flag_target("review", review_targets)


def review_for_staff(moderator, review_id: int) -> Review:
    """The review for a moderator to hide or restore: Forbidden for a suspended one, NotFound
    when it is gone. Whether it is theirs to decide, hiding and restoring ask (`_refuse_own`)."""
    if refusal := moderator_refusal(moderator, utcnow()):
        raise Forbidden(refusal)
    review = db.session.get(Review, review_id)
    if review is None:
        raise NotFound("That review can't be found.")
    return review


def _refuse_own(moderator, review: Review) -> None:
    """A review of their mentoring or one they wrote is for another moderator: a plain
    refusal (the button answers with a message on the page), nothing changed."""
    if refusal := hide_review_refusal(moderator, review):
        raise DomainError(refusal)


def _move_rating(review: Review, sign: int) -> None:
    db.session.execute(update(MentorProfile).where(MentorProfile.user_id == review.mentor_id).values(
        rating_sum=MentorProfile.rating_sum + sign * review.rating,
        review_count=MentorProfile.review_count + sign))


def hide_review(moderator, review: Review, reason: str, now: datetime) -> None:
    """Hide with a reason the author is told; it leaves the rating, and its flags close as handled."""
    if refusal := moderator_refusal(moderator, now):
        raise Forbidden(refusal)
    _refuse_own(moderator, review)
    reason = typed_line(reason)[:REASON_LIMIT]
    if not reason:
        raise DomainError("Say why the review is hidden; its author is told.", "reason")
    # Once, even when two moderators act at the same moment: the rating moves once.
    done = db.session.execute(update(Review).where(Review.id == review.id, Review.hidden_at.is_(None)).values(
        hidden_at=now, hidden_by_id=moderator.id, hidden_reason=reason)).rowcount
    if not done:
        db.session.rollback()
        raise DomainError("This review is hidden already.")
    _move_rating(review, -1)
    closed = close_flags(moderator, "review", [review.id], "resolved", f"Hidden: {reason}", outcome=TAKEN_DOWN)
    audit_entry(moderator, "hide_review", "review", review.id, label=review_label(review), reason=reason,
                subject_id=review.author_id, details=closed_in_words(*closed))
    notify(review.author, "moderation",
           f"A moderator hid your review of {isolate(review.mentor.display_name)}: {reason}",
           review_link(review), actor=moderator)
    db.session.commit()
    db.session.refresh(review)


def restore_review(moderator, review: Review) -> None:
    if refusal := moderator_refusal(moderator, utcnow()):
        raise Forbidden(refusal)
    _refuse_own(moderator, review)
    done = db.session.execute(update(Review).where(Review.id == review.id, Review.hidden_at.is_not(None)).values(
        hidden_at=None, hidden_by_id=None, hidden_reason="")).rowcount
    if not done:
        db.session.rollback()
        raise DomainError("This review is not hidden.")
    _move_rating(review, +1)
    audit_entry(moderator, "restore_review", "review", review.id, label=review_label(review),
                subject_id=review.author_id)
    notify(review.author, "moderation",
           f"A moderator brought back your review of {isolate(review.mentor.display_name)}: "
           "it shows on their page again.", review_link(review), actor=moderator)
    db.session.commit()
    db.session.refresh(review)
