"""Who may do what on the mentor page. Pure predicates: views, services and templates ask these.

Functions named `*_refusal` say why not in plain words (or None); `can_*` are their yes/no.
Time windows take `now` so a test can stand at any moment.
"""
from datetime import datetime, timedelta

from forum.accounts.permissions import has_role, is_signed_in

REVIEW_EDIT_WINDOW = timedelta(days=7)


def is_mentor(user) -> bool:
    return has_role(user, "mentor")


def is_teen(user) -> bool:
    return is_signed_in(user) and user.age_group == "teen"


def can_see_mentor(user, profile) -> bool:
    """A profile is listed while its owner holds the mentor role; teens see teen mentors only."""
    if not profile.user.has_role("mentor"):
        return False
    return profile.mentors_teens or not is_teen(user)


def can_edit_mentor_profile(user, profile) -> bool:
    return is_mentor(user) and user.id == profile.user_id


def audience_refusal(mentee, profile) -> str | None:
    """Teens talk only with mentors who mentor teens; adults with mentors who mentor adults."""
    name = profile.user.display_name
    if mentee.age_group == "teen" and not profile.mentors_teens:
        return f"{name} mentors adults only."
    if mentee.age_group == "adult" and not profile.mentors_adults:
        return f"{name} mentors teens only."
    return None


def request_refusal(user, profile, open_request=None) -> str | None:
    """Why `user` may not ask `profile`'s mentor for mentorship now, or None.

    `open_request` is the user's pending or accepted request with this mentor, if any.
    """
    if not is_signed_in(user):
        return "Sign in to ask for a mentor."
    if user.id == profile.user_id:
        return "You can't ask yourself for mentorship."
    if not has_role(user, "listener"):
        return "Mentors guide listeners: ask for a mentor once you are a listener."
    if not profile.user.has_role("mentor"):
        return "This person is not a mentor at the moment."
    refusal = audience_refusal(user, profile)
    if refusal:
        return refusal
    if open_request is not None:
        if open_request.status == "pending":
            return f"You already asked {profile.user.display_name}; their answer will come to your notifications."
        return f"{profile.user.display_name} is already your mentor."
    if not profile.accepting:
        return f"{profile.user.display_name} isn't taking new mentees right now."
    return None


def can_request_mentor(user, profile, open_request=None) -> bool:
    return request_refusal(user, profile, open_request) is None


def is_party_to(user, request) -> bool:
    return is_signed_in(user) and user.id in (request.mentee_id, request.mentor_id)


def can_answer_request(user, request) -> bool:
    return is_signed_in(user) and user.id == request.mentor_id and request.status == "pending"


def can_close_request(user, request) -> bool:
    """Either of the two ends a running mentorship; the mentee may also withdraw a waiting request."""
    if request.status == "accepted":
        return is_party_to(user, request)
    return request.status == "pending" and is_signed_in(user) and user.id == request.mentee_id


def review_refusal(user, request) -> str | None:
    """Why `user` may not review the mentor of `request`, or None."""
    if not is_signed_in(user):
        return "Sign in to write a review."
    if request.mentee_id == request.mentor_id or user.id == request.mentor_id:
        return "You can't review yourself."
    if user.id != request.mentee_id:
        return "Only the mentee of a mentorship can review it."
    if not request.was_accepted:
        return "You can review a mentor once they have accepted your request."
    if request.mentee_wrote_at is None:
        return "Write to your mentor in your conversation first: reviews come from real conversations."
    if request.review is not None:
        return "You have reviewed this mentorship already; you can edit your review for 7 days."
    return None


def can_review(user, request) -> bool:
    return review_refusal(user, request) is None


def can_edit_review(user, review, now: datetime) -> bool:
    return (is_signed_in(user) and user.id == review.author_id
            and now - review.created_at <= REVIEW_EDIT_WINDOW)


def can_reply_to_review(user, review) -> bool:
    """The reviewed mentor answers once."""
    return is_signed_in(user) and user.id == review.mentor_id and review.replied_at is None


def can_report_review(user, review) -> bool:
    return is_signed_in(user) and user.id != review.author_id
