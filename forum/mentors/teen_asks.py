"""An adult mentor asks an admin to approve them to mentor teens; the admins see who waits.

The ask is kept on the profile (when, and a short note for the admins) until an admin
approves them (forum.mentors.teen_approval), they withdraw it, or it stops being theirs to
ask: losing the mentor role or moving to the teens clears it (forum.mentors.endings), and
the admins' list reads only adult mentors whose accounts are open, in case one slipped by.

Each acting admin (not suspended, account open, not the mentor) is told once per ask: one
notice each, which an ask made again while it is unread brings back rather than adds to,
so withdrawing and asking again cannot fill an admin's notifications. Once the ask is
answered, withdrawn or cleared, the admins' unread notices of it are emptied (count 0: not
listed, not counted), as the danger flags' notices are (forum.moderation.danger).
"""
from datetime import datetime

from sqlalchemy import func, select, update

from forum.accounts.permissions import is_admin, not_suspended_at
from forum.accounts.staff import open_admins
from forum.errors import DomainError, Forbidden
from forum.extensions import db
from forum.links import path_for
from forum.mentors.permissions import teen_approval_ask_refusal
from forum.models.accounts import Role, User, user_roles
from forum.models.mentors import MentorProfile
from forum.models.posts import Notification
from forum.posts.notifications import notify_each, register_notification_kind
from forum.text.bidi import isolate
from forum.text.typed import typed_note

NOTE_LIMIT = 300
KIND = "teens_asked"
register_notification_kind(KIND, "A mentor asks to be approved to mentor teens (admins only)", offered_to=is_admin)


def acting_admins(now: datetime):
    """Select the admins who can approve at `now`: account open (staff.open_admins), not suspended."""
    return open_admins().where(not_suspended_at(now))


def ask(mentor: User, profile: MentorProfile, note: str, now: datetime) -> tuple[bool, int]:
    """Record `mentor`'s ask to be approved for teens and tell the acting admins. Returns
    whether it was recorded now (False: it waits already, a double-click or a second tab)
    and how many admins were told."""
    if refusal := teen_approval_ask_refusal(mentor, profile, now):
        raise Forbidden(refusal)
    note = typed_note(note)  # shown with its line breaks, as typed
    if len(note) > NOTE_LIMIT:
        raise DomainError(f"Keep the note under {NOTE_LIMIT} characters (this is {len(note)}).", "note")
    if profile.teens_asked_at is not None:
        return False, 0
    profile.teens_asked_at, profile.teens_ask_note = now, note
    told = _tell_admins(mentor, now)
    db.session.commit()
    return True, told


def withdraw_ask(mentor: User, profile: MentorProfile, now: datetime) -> bool:
    """`mentor` takes their ask back; False when none waited (withdrawn or answered already)."""
    if refusal := teen_approval_ask_refusal(mentor, profile, now):
        raise Forbidden(refusal)
    if profile.teens_asked_at is None:
        return False
    clear_ask(profile)
    db.session.commit()
    return True


def clear_ask(profile: MentorProfile | None) -> None:
    """The ask is answered or no longer stands (not committed): forgotten, and the admins'
    unread notices of it emptied."""
    if profile is None or profile.teens_asked_at is None:
        return
    profile.teens_asked_at, profile.teens_ask_note = None, ""
    db.session.execute(update(Notification).where(
        Notification.kind == KIND, Notification.actor_id == profile.user_id,
        Notification.read_at.is_(None)).values(count=0))


def _message(mentor: User) -> str:
    return f"{isolate(mentor.display_name)} (@{mentor.username}) asks to be approved to mentor teen listeners."


def _tell_admins(mentor: User, now: datetime) -> int:
    admins = db.session.scalars(acting_admins(now).where(User.id != mentor.id)).all()
    if not admins:
        return 0
    link = path_for("admin.user", username=mentor.username)
    unread = {notice.user_id: notice for notice in db.session.scalars(select(Notification).where(
        Notification.kind == KIND, Notification.actor_id == mentor.id, Notification.read_at.is_(None),
        Notification.user_id.in_([admin.id for admin in admins])))}
    for notice in unread.values():
        notice.count, notice.created_at, notice.message, notice.link = 1, now, _message(mentor), link
    notify_each([admin for admin in admins if admin.id not in unread], KIND, _message(mentor), link, actor=mentor)
    return len(admins)


def _adult_mentors():
    mentor_ids = select(user_roles.c.user_id).join(Role, Role.id == user_roles.c.role_id).where(
        Role.name == "mentor")
    return (select(MentorProfile).join(MentorProfile.user)
            .where(User.id.in_(mentor_ids), User.age_group == "adult", User.closed_at.is_(None)))


def waiting_for_approval():
    """Select the adult mentors who asked to be approved for teens and wait, oldest ask first."""
    return (_adult_mentors().where(MentorProfile.teens_asked_at.is_not(None),
                                   MentorProfile.teens_approved_at.is_(None))
            .order_by(MentorProfile.teens_asked_at, MentorProfile.id))


def approved_by_nobody():
    """Select the adult mentors approved for teens by no admin: those the upgrade that began
    approvals approved because they mentored teens already (or the command line), for an
    admin to review; oldest approval first."""
    return (_adult_mentors().where(MentorProfile.teens_approved_at.is_not(None),
                                   MentorProfile.teens_approved_by_id.is_(None))
            .order_by(MentorProfile.teens_approved_at, MentorProfile.id))


def count_of(statement) -> int:
    return db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
