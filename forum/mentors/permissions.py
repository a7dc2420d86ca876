"""Who may do what on the mentor page. Pure predicates: views, services and templates ask these.

Functions named `*_refusal` say why not in plain words (or None); `can_*` are their yes/no.
Everything that writes takes `now`: time windows, and suspensions (a suspended person
reads, but sends no requests and writes no reviews until it ends).
"""
from datetime import datetime, timedelta
from typing import NamedTuple

from forum.accounts.permissions import can_see_last_seen, has_role, is_signed_in, is_staff, suspension_refusal
from forum.moderation.permissions import is_blocked, own_flags_refusal

REVIEW_EDIT_WINDOW = timedelta(days=7)


def is_mentor(user) -> bool:
    return has_role(user, "mentor")


def may_ask_mentors(user) -> bool:
    """Mentors guide listeners: only a listener asks one to be their mentor (request_refusal
    says why not to anyone else; the front page tells them before they try)."""
    return has_role(user, "listener")


def takes_part_in_mentoring(user) -> bool:
    """Mentors, and the listeners who may ask them (request_refusal): whom mentorships,
    their messages, reviews and replies to reviews can concern."""
    return has_role(user, "listener", "mentor")


def is_teen(user) -> bool:
    return is_signed_in(user) and user.age_group == "teen"


def needs_teen_approval(mentor) -> bool:
    """A private conversation between an adult and a teen is vetted first: an adult mentors
    teens once an admin approved it (forum.mentors.teen_approval); a teen needs no approval."""
    return mentor.age_group != "teen"


def approved_for_teens(profile) -> bool:
    return not needs_teen_approval(profile.user) or profile.teens_approved_at is not None


def mentors_teens_now(profile) -> bool:
    """Teens may find and ask this mentor: they ticked teens, and may mentor them."""
    return bool(profile.mentors_teens) and approved_for_teens(profile)


TEEN_APPROVAL_NEEDED = ("An admin approves adults before they mentor teens: mentorship conversations are private, "
                        "and teen spaces are kept apart.")


def teen_mentoring_refusal(mentor, profile) -> str | None:
    """Why `mentor` may not tick "I mentor teen listeners" on `profile`, or None."""
    if approved_for_teens(profile):
        return None
    return (f"{TEEN_APPROVAL_NEEDED} To mentor teens, ask an admin to approve you; you will be told in your "
            "notifications when they do.")


def teen_approval_ask_refusal(user, profile, now: datetime) -> str | None:
    """Why `user` may not ask an admin to approve them to mentor teens (or withdraw that
    ask) at `now`, or None: the adult mentor of `profile`, not approved yet, not suspended."""
    if not is_mentor(user) or user.id != profile.user_id:
        return "Only the mentor can ask to be approved to mentor teens."
    if not needs_teen_approval(user):
        return "As a teen, you mentor teens without an approval."
    if profile.teens_approved_at is not None:
        return "An admin has approved you to mentor teens already."
    if user.closed_at is not None:
        return "This account is closed."
    return suspension_refusal(user, now)


def can_see_mentor(user, profile) -> bool:
    """A profile is listed while its owner holds the mentor role; teens see the mentors who
    mentor teens only (an adult once an admin approved it)."""
    if not profile.user.has_role("mentor"):
        return False
    # Their own page too: a teen mentor who paused (ticked neither group) goes there to
    # tick one again.
    return mentors_teens_now(profile) or not is_teen(user) or user.id == profile.user_id


def can_edit_mentor_profile(user, profile) -> bool:
    return is_mentor(user) and user.id == profile.user_id


def profile_edit_refusal(user, profile, now: datetime) -> str | None:
    """Why `user` may not change `profile` (settings, sections, "available now") at `now`.

    A suspended mentor's profile stays as it is: it is writing others read."""
    if not can_edit_mentor_profile(user, profile):
        return "Only the mentor can change this profile."
    return suspension_refusal(user, now)


def audience_refusal(mentee, profile, *, to_the_mentor: bool = False) -> str | None:
    """Teens talk only with mentors who mentor teens; adults with mentors who mentor adults.

    `to_the_mentor`: worded for the mentor, who is told about their own settings as "you"."""
    name, is_, mentors = ("you", "are", "mentor") if to_the_mentor else (profile.user.display_name, "is", "mentors")
    # An adult not (or no longer) approved to mentor teens mentors adults only, whatever is ticked.
    takes_teens = mentors_teens_now(profile)
    if not (takes_teens or profile.mentors_adults):
        # Neither ticked (the mentor paused): "mentors teens only" would be untrue.
        return f"{name} {is_} not mentoring anyone at the moment."
    if mentee.age_group == "teen" and not takes_teens:
        return f"{name} {mentors} adults only."
    if mentee.age_group == "adult" and not profile.mentors_adults:
        return f"{name} {mentors} teens only."
    return None


def request_refusal(user, profile, open_request=None, *, now: datetime) -> str | None:
    """Why `user` may not ask `profile`'s mentor for mentorship at `now`, or None.

    `open_request` is the user's pending or accepted request with this mentor, if any.
    Someone the mentor blocked reads the same words as when the mentor takes no one: the
    blocked person is never told.
    """
    if not is_signed_in(user):
        return "Sign in to ask for a mentor."
    if user.id == profile.user_id:
        return "You can't ask yourself for mentorship."
    if suspended := suspension_refusal(user, now):
        return suspended
    if not may_ask_mentors(user):
        return ("Mentors guide listeners, and you are a member here. An admin can make you a listener;"
                " you will be told when they do, and can ask a mentor then.")
    if not profile.user.has_role("mentor"):
        return "This person is not a mentor at the moment."
    refusal = audience_refusal(user, profile)
    if refusal:
        return refusal
    if open_request is not None:
        if open_request.status == "pending":
            return f"You already asked {profile.user.display_name}; their answer will come to your notifications."
        return f"{profile.user.display_name} is already your mentor."
    # A suspended mentor could not answer; neither they nor the blocked person are named as such.
    if not profile.accepting or is_blocked(profile.user, user) or suspension_refusal(profile.user, now):
        return f"{profile.user.display_name} isn't taking new mentees right now."
    return None


def can_request_mentor(user, profile, open_request=None, *, now: datetime) -> bool:
    return request_refusal(user, profile, open_request, now=now) is None


def hears_from(user, actor) -> bool:
    """Whether `user` is told of what `actor` did (a message, a review, a reply, a closing):
    not when `user` blocked `actor`. The blocked person is not told either way."""
    return not is_blocked(user, actor)


def is_party_to(user, request) -> bool:
    return is_signed_in(user) and user.id in (request.mentee_id, request.mentor_id)


def answer_refusal(user, request, now: datetime) -> str | None:
    """Why `user` may not accept or decline `request` at `now`, or None."""
    if not is_signed_in(user) or user.id != request.mentor_id:
        return "Only the mentor asked can answer this request."
    if request.status != "pending":
        return no_longer_waiting(request)
    return suspension_refusal(user, now)


def no_longer_waiting(request) -> str:
    """Why a request takes no answer any more, for the mentor who has it open: "answered
    already" would tell them they had answered one the listener withdrew or a change ended."""
    if request.status == "closed" and not request.was_accepted:
        if request.end_reason:
            return f"This request ended because {request.end_reason}."
        if request.closed_by_id == request.mentee_id:
            return f"{request.mentee.display_name} withdrew this request."
    return "This request was answered already."


def can_answer_request(user, request, now: datetime) -> bool:
    return answer_refusal(user, request, now) is None


def can_close_request(user, request) -> bool:
    """Either of the two ends a running mentorship; the mentee may also withdraw a waiting request."""
    if request.status == "accepted":
        return is_party_to(user, request)
    return request.status == "pending" and is_signed_in(user) and user.id == request.mentee_id


def review_refusal(user, request, now: datetime) -> str | None:
    """Why `user` may not review the mentor of `request` at `now`, or None."""
    if not is_signed_in(user):
        return "Sign in to write a review."
    if request.mentee_id == request.mentor_id or user.id == request.mentor_id:
        return "You can't review yourself."
    if user.id != request.mentee_id:
        return "Only the mentee of a mentorship can review it."
    if suspended := suspension_refusal(user, now):
        return suspended
    if not request.was_accepted:
        return "You can review a mentor once they have accepted your request."
    # Before the review written or a message asked for: neither is any use, or can be
    # reached to edit, when there is no page for the review to show on.
    if no_page := review_page_refusal(user, request):
        return no_page
    if request.review is not None:
        return "You have reviewed this mentorship already; you can edit your review for 7 days."
    if request.mentee_wrote_at is None:
        if request.status == "closed":  # the conversation takes no more messages
            return "Reviews come from real conversations, and this mentorship ended before you wrote in it."
        return "Write to your mentor in your conversation first: reviews come from real conversations."
    return None


def review_page_refusal(user, request) -> str | None:
    """A review shows on the mentor's page; written where its author can't go, it could be
    neither read nor edited by them (a teen whose mentor now mentors adults only). Someone
    who is no longer a mentor has no page listed for anyone: that is the reason to give."""
    name, profile = request.mentor.display_name, request.mentor_profile
    if not request.mentor.has_role("mentor"):
        return f"{name} is no longer a mentor, so there is no mentor page for a review to show on."
    if profile is None:
        return f"Reviews show on a mentor's page, and {name} has none."
    if not can_see_mentor(user, profile):
        return f"Reviews show on {name}'s mentor page, which is not open to you any more."
    return None


def can_review(user, request, now: datetime) -> bool:
    return review_refusal(user, request, now) is None


def edit_review_refusal(user, review, now: datetime) -> str | None:
    if not is_signed_in(user) or user.id != review.author_id:
        return "Only the author can edit a review."
    if review.hidden_at is not None:
        return "A moderator hid this review, so it can't be edited."
    if now - review.created_at > REVIEW_EDIT_WINDOW:
        return "A review can be edited for 7 days after it was written; this one can't be any more."
    return suspension_refusal(user, now)


def can_edit_review(user, review, now: datetime) -> bool:
    return edit_review_refusal(user, review, now) is None


def teen_reviewer_refusal(review, profile) -> str | None:
    """Why the mentor of `profile` may not answer `review` because a teen wrote it, or None:
    a reply is words from the mentor under a teen's name, and an adult reaches teens only
    while an admin approves them. A reply written while approved stays, as their conversations
    with teens do (forum.mentors.endings)."""
    if review.author_age_group != "teen" or approved_for_teens(profile):
        return None
    return (f"{review.author.display_name} is a teen, and an adult mentor answers a teen's review only while an "
            "admin approves them to mentor teens. You can ask an admin to approve you in your mentor settings.")


def reply_refusal(user, review, profile, now: datetime) -> str | None:
    """The reviewed mentor (of `profile`) answers once."""
    if not is_signed_in(user) or user.id != review.mentor_id:
        return "Only the reviewed mentor can reply to a review."
    if review.replied_at is not None:
        return "You have replied to this review already; a review gets one reply."
    if review.hidden_at is not None:
        return "A moderator hid this review, so it takes no reply."
    return teen_reviewer_refusal(review, profile) or suspension_refusal(user, now)


def can_reply_to_review(user, review, profile, now: datetime) -> bool:
    return reply_refusal(user, review, profile, now) is None


def edit_reply_refusal(user, review, profile, now: datetime) -> str | None:
    """The mentor who replied (of `profile`) may correct their reply, as anyone may edit their posts."""
    if not is_signed_in(user) or user.id != review.mentor_id:
        return "Only the reviewed mentor can edit their reply."
    if review.replied_at is None:
        return "There is no reply to this review to edit yet."
    if review.hidden_at is not None:
        return "A moderator hid this review, so its reply can't be edited."
    return teen_reviewer_refusal(review, profile) or suspension_refusal(user, now)


def can_edit_reply(user, review, profile, now: datetime) -> bool:
    return edit_reply_refusal(user, review, profile, now) is None


def can_see_review_history(user, review) -> bool:
    """As with a post's history: the review's author and moderators."""
    return is_signed_in(user) and (user.id == review.author_id or is_staff(user))


class _Reviewer(NamedTuple):
    """What can_see_last_seen reads of a person, as a page's review (review_page.ShownReview) holds it."""
    id: int
    age_group: str


def can_see_when_reviewed(user, review) -> bool:
    """Whether `user` is shown when `review` (a ShownReview) was written: it says when its
    author was here, so a teen's shows only to teens, staff and themselves, as their last
    seen does. The mentor's reply says the same of the mentor: can_see_last_seen of them."""
    return can_see_last_seen(user, _Reviewer(review.author_id, review.author_age_group))


def can_see_reply_history(user, review) -> bool:
    """The mentor who wrote the reply, and moderators."""
    return (review.replied_at is not None and is_signed_in(user)
            and (user.id == review.mentor_id or is_staff(user)))


def can_report_review(user, review, now: datetime) -> bool:
    """Reports go to the moderators' queue as flags (see forum.mentors.review_flags)."""
    return (is_signed_in(user) and user.id != review.author_id and review.hidden_at is None
            and suspension_refusal(user, now) is None)


def can_see_review(user, review) -> bool:
    """A hidden review is gone for readers; its author and moderators still see it."""
    return review.hidden_at is None or is_staff(user) or (is_signed_in(user) and user.id == review.author_id)


def hide_review_refusal(user, review) -> str | None:
    """Why `user` may not hide or restore `review`, or None. A moderator who mentors, or who
    wrote the review, leaves it to another moderator: hiding a review of themselves would
    take it off their own page and rating, and restoring their own would undo a colleague."""
    if not is_staff(user):
        return "Only moderators can hide or restore reviews."
    return own_flags_refusal(user, review_concerns(review))


def review_concerns(review) -> tuple[tuple[int, str], ...]:
    """Whom a review is about, for `own_flags_refusal`: the mentor, then its author."""
    return ((review.mentor_id, "This review is of your own mentoring: another moderator decides whether it stays."),
            (review.author_id, "You wrote this review: another moderator decides whether it stays."))


def can_hide_review(user, review) -> bool:
    return hide_review_refusal(user, review) is None
