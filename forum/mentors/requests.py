"""Mentorship requests: a listener asks, the mentor accepts or declines, either of them closes."""
from datetime import datetime

from sqlalchemy import bindparam, case, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from forum.errors import Conflict, DomainError, Forbidden, NotFound
from forum.extensions import db
from forum.links import path_for
from forum.mentors.permissions import (
    answer_refusal, audience_refusal, can_close_request, hears_from, is_mentor, is_party_to, no_longer_waiting,
    request_refusal,
)
from forum.mentors.responsiveness import recompute_responsiveness
from forum.models.mentors import OPEN_STATUSES, REQUEST_STATUSES, MentorProfile, MentorshipRequest
from forum.models.posts import Thread
from forum.posts.notifications import notify
from forum.posts.services import new_thread
from forum.text.bidi import isolate
from forum.text.typed import typed_text

MESSAGE_LIMIT = 2000
NOTE_LIMIT = 1000
CONVERSATION_KIND = "conversation"


def _clean(text: str | None, limit: int, field: str, what: str, required: bool) -> str:
    text = typed_text(text)
    if required and not text:
        raise DomainError(f"Write {what} before sending.", field)
    if len(text) > limit:
        raise DomainError(f"Keep {what} under {limit:,} characters (this is {len(text):,}).", field)
    return text


def open_request_between(mentee_id: int, mentor_id: int) -> MentorshipRequest | None:
    """The pending or running mentorship between the two, if any."""
    return db.session.scalar(select(MentorshipRequest).where(
        MentorshipRequest.mentee_id == mentee_id, MentorshipRequest.mentor_id == mentor_id,
        MentorshipRequest.status.in_(OPEN_STATUSES)))


def request_link(request: MentorshipRequest) -> str:
    return path_for("mentors.request_page", request_id=request.id)


def send_request(mentee, profile: MentorProfile, message: str, now: datetime) -> MentorshipRequest:
    message = _clean(message, MESSAGE_LIMIT, "message", "a message to the mentor", required=True)
    existing = open_request_between(mentee.id, profile.user_id)
    refusal = request_refusal(mentee, profile, existing, now=now)
    if refusal:
        raise (Conflict if existing is not None else Forbidden)(refusal)
    request = MentorshipRequest(mentee_id=mentee.id, mentor_id=profile.user_id, message=message,
                                status="pending", created_at=now)
    db.session.add(request)
    try:
        db.session.flush()
    except IntegrityError:
        # The same request sent twice at the same moment: the first one stands.
        db.session.rollback()
        raise Conflict(f"You already asked {profile.user.display_name}; their answer will come "
                       "to your notifications.") from None
    notify(profile.user, "mentorship", f"{isolate(mentee.display_name)} asks you to be their mentor",
           request_link(request), actor=mentee)
    recompute_responsiveness(profile.user_id, now)
    db.session.commit()
    return request


def get_request_for(user, request_id: int) -> MentorshipRequest:
    """The request, or NotFound for anyone but its mentee and mentor."""
    request = db.session.get(MentorshipRequest, request_id)
    if request is None or not is_party_to(user, request):
        raise NotFound("That request can't be found.")
    return request


def _answer(request: MentorshipRequest, now: datetime, **values) -> None:
    """Move a pending request on, once: a second click or a second tab finds it answered."""
    done = db.session.execute(update(MentorshipRequest).where(
        MentorshipRequest.id == request.id, MentorshipRequest.status == "pending",
    ).values(answered_at=now, **values)).rowcount
    if not done:
        db.session.rollback()
        db.session.refresh(request)
        raise Conflict(no_longer_waiting(request))
    db.session.refresh(request)


def conversation_title(mentee_name: str, mentor_name: str) -> str:
    return f"Mentorship: {mentee_name} and {mentor_name}"


def answer_note(note: str | None) -> str:
    """The note to send with an answer, or a DomainError naming the limit and the count. Also
    checked before Decline asks its question without JavaScript, so a note too long is refused
    at once, not after the mentor has answered the question."""
    return _clean(note, NOTE_LIMIT, "note", "your note", required=False)


def accept_request(mentor, request: MentorshipRequest, note: str, now: datetime) -> MentorshipRequest:
    """Accepting opens a private conversation only the two of them can read.

    The conversation is a new thread, but not one the mentor chose to start: it is not
    counted against the one-new-thread-per-15-seconds limit (forum.rate_limits), so a
    mentor answering a queue of requests is never told to slow down."""
    _refuse_answer(mentor, request, now)
    if not is_mentor(mentor):
        raise Forbidden("You no longer hold the mentor role, so you can't take on mentees; decline with a note.")
    note = answer_note(note)
    profile = db.session.scalar(select(MentorProfile).where(MentorProfile.user_id == mentor.id))
    refusal = profile and audience_refusal(request.mentee, profile)
    if profile is None or refusal:
        raise Forbidden(f"{refusal or 'You have no mentor profile.'} Change whom you mentor first, "
                        "or decline with a note.")
    thread = new_thread(kind=CONVERSATION_KIND, author=mentor,
                        title=conversation_title(request.mentee.display_name, mentor.display_name),
                        members=[request.mentee, mentor])
    _answer(request, now, status="accepted", note=note, thread_id=thread.id)
    notify(request.mentee, "mentorship", f"{isolate(mentor.display_name)} accepted your mentorship request",
           path_for("mentors.conversation", thread_id=thread.id), actor=mentor)
    recompute_responsiveness(mentor.id, now)
    db.session.commit()
    return request


def decline_request(mentor, request: MentorshipRequest, note: str, now: datetime) -> MentorshipRequest:
    _refuse_answer(mentor, request, now)
    note = answer_note(note)
    _answer(request, now, status="declined", note=note)
    notify(request.mentee, "mentorship", f"{isolate(mentor.display_name)} can't take on your mentorship request",
           request_link(request), actor=mentor)
    recompute_responsiveness(mentor.id, now)
    db.session.commit()
    return request


def _refuse_answer(user, request: MentorshipRequest, now: datetime) -> None:
    refusal = answer_refusal(user, request, now)
    if refusal:
        answered = user.id == request.mentor_id and request.status != "pending"
        raise (Conflict if answered else Forbidden)(refusal)


def close_request(user, request: MentorshipRequest, now: datetime) -> MentorshipRequest:
    """End a running mentorship (the conversation stays, read-only) or withdraw a waiting request."""
    if not can_close_request(user, request):
        if request.status == "declined":
            raise Conflict(f"{request.mentor.display_name} declined this request; there is nothing to withdraw.")
        if request.status == "closed":
            raise Conflict("This mentorship is closed already." if request.was_accepted
                           else "This request is no longer waiting; there is nothing to withdraw.")
        raise Forbidden("Only the mentee can withdraw a request that is waiting for an answer.")
    withdrawn = request.status == "pending"
    if not end_request(request, user, now):
        db.session.rollback()
        raise Conflict("This mentorship changed in the meantime; look again.")
    other = request.mentor if user.id == request.mentee_id else request.mentee
    verb = "withdrew their request" if withdrawn else "closed your mentorship"
    if hears_from(other, user):
        notify(other, "mentorship", f"{isolate(user.display_name)} {verb}", request_link(request), actor=user)
    db.session.commit()
    return request


def end_request(request: MentorshipRequest, closer, now: datetime, reason: str = "") -> bool:
    """Close a waiting or running request as `closer` (not committed): its conversation locks
    and stays for the two to read. `reason` says why, when a change ended it rather than
    either of them (`closer` None: a change made from the command line). False when it was
    no longer what the caller saw."""
    was_pending = request.status == "pending"
    done = db.session.execute(update(MentorshipRequest).where(
        MentorshipRequest.id == request.id, MentorshipRequest.status == request.status,
    ).values(status="closed", closed_at=now, closed_by_id=closer.id if closer is not None else None,
             end_reason=reason[:300])).rowcount
    if not done:
        return False
    db.session.refresh(request)
    if request.thread_id is not None:
        db.session.execute(update(Thread).where(Thread.id == request.thread_id).values(locked=True))
    if was_pending:
        recompute_responsiveness(request.mentor_id, now)
    return True


# Waiting requests first, then running mentorships, then the rest; newest first within each.
_STATUS_ORDER = case({"pending": 0, "accepted": 1, "declined": 2, "closed": 2}, value=MentorshipRequest.status)


_WAITING_FOR_ANSWER = select(func.count(MentorshipRequest.id)).where(
    MentorshipRequest.mentor_id == bindparam("user_id"), MentorshipRequest.status == "pending")


def waiting_for_answer(user) -> int:
    """How many requests wait for `user`'s answer as a mentor: their front page says so."""
    return db.session.scalar(_WAITING_FOR_ANSWER, {"user_id": user.id})


_ASKED_TO_MENTOR = select(MentorshipRequest.id).where(MentorshipRequest.mentor_id == bindparam("user_id")).limit(1)


def was_asked_to_mentor(user) -> bool:
    """Whether anyone ever asked `user` to mentor them: someone no longer a mentor still has
    those requests and conversations to read on their list of mentees."""
    return db.session.scalar(_ASKED_TO_MENTOR, {"user_id": user.id}) is not None


def check_status_filter(status: str | None) -> str | None:
    if status in (None, ""):
        return None
    if status not in REQUEST_STATUSES:
        raise DomainError(f"There is no request status called “{status[:30]}”.")
    return status


def mentorships_of(user, side: str, status: str | None = None):
    """Select the requests `user` sent (side "mentee") or received (side "mentor")."""
    column = MentorshipRequest.mentee_id if side == "mentee" else MentorshipRequest.mentor_id
    statement = select(MentorshipRequest).where(column == user.id)
    if side == "mentee":
        # The list links to a mentor's page only while the mentee may see it.
        statement = statement.options(selectinload(MentorshipRequest.mentor_profile))
    if status:
        statement = statement.where(MentorshipRequest.status == status)
    return statement.order_by(_STATUS_ORDER, MentorshipRequest.created_at.desc(), MentorshipRequest.id.desc())
