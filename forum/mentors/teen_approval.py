"""Admins approve adult mentors before they mentor teens, and can withdraw it, or decline an ask.

A mentorship is a private conversation, and teen and adult spaces are kept apart: an adult
mentor's "I mentor teen listeners" takes effect only once an admin approved them (who and
when is kept on the profile; teen mentors need no approval). Withdrawing it unticks teens
and ends what runs or waits with teens, as the other endings do (forum.mentors.endings);
losing the mentor role forgets it (endings.forget_teen_approval), so giving the role back
does not bring them before teens unvetted. Each change by an admin goes in the audit log with their reason, and the mentor
is told; the reason stays between the admins, except a decline's: the mentor reads why, to
know what to do before asking again."""
from datetime import datetime

from sqlalchemy import select

from forum.accounts.notices import KIND as ROLES_KIND
from forum.accounts.staff import refuse_if_closed, refuse_unless_acting_admin
from forum.clock import utcnow
from forum.errors import DomainError
from forum.extensions import db
from forum.links import path_for
from forum.mentors import endings
from forum.mentors.permissions import approved_for_teens, is_mentor, needs_teen_approval
from forum.mentors.services import ensure_profile
from forum.mentors.teen_asks import clear_ask
from forum.models.accounts import User
from forum.models.mentors import MentorProfile
from forum.models.moderation import AuditEntry, audit_entry
from forum.moderation.audit import register_audit_action
from forum.posts.notifications import notify
from forum.text.typed import typed_line

REASON_LIMIT = 200
register_audit_action("teens_approve", "Approved a mentor for teens")
register_audit_action("teens_withdraw", "Withdrew an approval for teens")
register_audit_action("teens_decline", "Declined a request to mentor teens")


# What an admin decided about a mentor and teens, latest last in the audit log.
DECISIONS = ("teens_approve", "teens_withdraw", "teens_decline")


def last_decline(profile: MentorProfile) -> AuditEntry | None:
    """The decline of `profile`'s ask, with when and why, while it is the latest word on it:
    no ask waits again and no approval came since. The audit entry the decline wrote keeps
    both, and the mentor reads its reason anyway (the notification gives it)."""
    if profile.teens_asked_at is not None or approved_for_teens(profile):
        return None
    latest = db.session.scalar(
        select(AuditEntry).where(AuditEntry.subject_id == profile.user_id, AuditEntry.action.in_(DECISIONS))
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc()).limit(1))
    return latest if latest is not None and latest.action == "teens_decline" else None


def approval_subject_refusal(mentor: User) -> str | None:
    """Why `mentor` is not someone an admin approves (or withdraws) for teens, or None."""
    if not is_mentor(mentor):
        return f"{mentor.display_name} is not a mentor: give them the mentor role first."
    if not needs_teen_approval(mentor):
        return f"{mentor.display_name} is a teen: teen mentors mentor teens without an approval."
    return None


SELF_APPROVAL_REFUSAL = "Another admin approves you: nobody vets themselves to mentor teens."


def self_approval_refusal(admin, mentor: User) -> str | None:
    """Why `admin` may not approve `mentor` for teens because it is themselves, or None."""
    if admin is not None and admin.id == mentor.id:
        return SELF_APPROVAL_REFUSAL
    return None


def profile_of(mentor: User) -> MentorProfile | None:
    return db.session.scalar(select(MentorProfile).where(MentorProfile.user_id == mentor.id))


def _checked(admin, mentor: User, reason: str, missing: str = "Say why; it goes in the audit log.") -> str:
    refuse_unless_acting_admin(admin)
    # About the person, not the reason typed: said above the form (or where it would be).
    refuse_if_closed(mentor, None)
    if refusal := approval_subject_refusal(mentor):
        raise DomainError(refusal)
    reason = typed_line(reason)
    if not reason:
        raise DomainError(missing, "reason")
    if len(reason) > REASON_LIMIT:
        raise DomainError(f"Keep the reason under {REASON_LIMIT} characters (this is {len(reason)}).", "reason")
    return reason


def approve(admin, mentor: User, reason: str, now: datetime | None = None) -> bool:
    """Approve `mentor` to mentor teens; False when approved already (a double-click, or
    another admin first). They tick teens themselves, when they are ready."""
    reason = _checked(admin, mentor, reason)
    if refusal := self_approval_refusal(admin, mentor):
        raise DomainError(refusal)
    profile = ensure_profile(mentor)
    if profile.teens_approved_at is not None:
        return False
    profile.teens_approved_at, profile.teens_approved_by_id = now or utcnow(), admin.id if admin else None
    clear_ask(profile)  # answered: off the admins' list, and their unread notices of it emptied
    audit_entry(admin, "teens_approve", "user", mentor.id, label=f"@{mentor.username}", reason=reason)
    if admin is None or admin.id != mentor.id:
        notify(mentor, ROLES_KIND, "An admin approved you to mentor teen listeners: tick “I mentor teen listeners” "
               "in your mentor settings to take teen mentees.", path_for("mentors.edit"), actor=admin)
    db.session.commit()
    return True


def check_withdrawal(admin, mentor: User, reason: str) -> None:
    """Raise what `withdraw` would refuse, changing nothing: the admin page asks what
    withdrawing ends only once withdrawing would go through."""
    _checked(admin, mentor, reason)


def withdraw(admin, mentor: User, reason: str, now: datetime | None = None) -> tuple[bool, str]:
    """Withdraw `mentor`'s approval to mentor teens: teens are unticked, and their
    mentorships and waiting requests with teens end, both people told. Returns whether
    there was an approval to withdraw, and what ended in a sentence for the admin."""
    reason = _checked(admin, mentor, reason)
    profile = profile_of(mentor)
    if profile is None or profile.teens_approved_at is None:
        return False, ""
    profile.teens_approved_at = profile.teens_approved_by_id = None
    endings.stop_mentoring_teens(profile)
    ended = endings.describe_ended_counted(endings.end_after_teen_approval_withdrawn(admin, mentor, now or utcnow()))
    audit_entry(admin, "teens_withdraw", "user", mentor.id, label=f"@{mentor.username}", reason=reason,
                details=ended)
    db.session.commit()
    return True, ended


def decline(admin, mentor: User, reason: str) -> bool:
    """Decline `mentor`'s ask to be approved for teens: it leaves the admins' list, and the
    mentor reads why and may ask again. False when no ask waits (answered, withdrawn or
    declined already: a double-click, or another admin first)."""
    reason = _checked(admin, mentor, reason, f"Say why: {mentor.display_name} reads it, and it goes in the audit log.")
    if refusal := self_approval_refusal(admin, mentor):
        raise DomainError(refusal)
    profile = profile_of(mentor)
    if profile is None or profile.teens_asked_at is None or profile.teens_approved_at is not None:
        return False
    clear_ask(profile)  # answered: off the admins' list, and their unread notices of it emptied
    audit_entry(admin, "teens_decline", "user", mentor.id, label=f"@{mentor.username}", reason=reason)
    # The reason last, as a badge's: it need not end in a full stop.
    notify(mentor, ROLES_KIND, "An admin declined your request to mentor teen listeners; you can ask again in your "
           f"mentor settings. Why: {reason}", path_for("mentors.edit"), actor=admin)
    db.session.commit()
    return True
