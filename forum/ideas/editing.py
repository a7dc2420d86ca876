"""Editing a call for ideas after it opened: its title and question in any phase, and who
may take part only while nobody has written in it."""
import hashlib
import json

from sqlalchemy import select

from forum.clock import utcnow
from forum.errors import Conflict, DomainError, Forbidden, Problems
from forum.extensions import db
from forum.ideas.permissions import can_edit_call
from forum.ideas.services import badge_or_none, clean_question, refuse_while_suspended
from forum.models.ideas import IdeaCall
from forum.models.moderation import audit_entry
from forum.models.posts import AUDIENCES, Post
from forum.posts.page_cache import thread_changed
from forum.posts.services import clean_title
from forum.posts.text import mentioned_users, render_post_body

AUDIENCE_LABELS = {"everyone": "Everyone", "teen": "Teens only", "adult": "Adults only"}

CHANGED_MEANWHILE = ("Someone else changed this call since you opened this page (another moderator, or you in "
                     "another tab). Here is how it reads now; what you typed is still in the form below it. "
                     "Save again to put yours in its place.")
AUDIENCE_SETTLED = ("Ideas have been written in this call, so who may take part can no longer change: what people "
                    "wrote for some is never shown to more. To ask others, open a new call.")


def call_version(call: IdeaCall) -> str:
    """A short fingerprint of what the call's edit form holds. The form carries the one it
    was opened with, so saving can tell that someone else edited the call since."""
    thread = call.thread
    held = [thread.title, call.question_md, thread.audience, thread.required_badge_id,
            call.hide_reactions_while_collecting]
    return hashlib.sha256(json.dumps(held).encode()).hexdigest()[:16]


def audience_is_settled(call: IdeaCall) -> bool:
    """Whether anyone has written in `call` (even what was removed since): from then on who
    may take part stays as it was, as teen and adult spaces stay apart."""
    return db.session.scalar(select(Post.id).where(Post.thread_id == call.thread_id).limit(1)) is not None


def edit_call(staff, call: IdeaCall, *, title: str, question: str, audience: str, badge_slug: str = "",
              hide_reactions_while_collecting: bool = False, based_on: str | None = None) -> bool:
    """Save the call's fields as the edit form sends them, in any phase; False when they
    read so already. `based_on`, the call_version the form was opened at, refuses to undo
    unseen an edit made since (without it the last save wins)."""
    if not can_edit_call(staff, call):
        raise Forbidden("Only moderators and admins can edit a call for ideas.")
    refuse_while_suspended(staff)
    thread, hide = call.thread, bool(hide_reactions_while_collecting)
    problems = Problems()
    title = problems.check(clean_title, title)
    question = problems.check(clean_question, question)
    if audience not in AUDIENCES:
        problems.add("Choose who may take part: everyone, teens or adults.", "audience")
    badge = problems.check(badge_or_none, badge_slug)
    badge_id = badge.id if badge else None
    changed_meanwhile = bool(based_on) and based_on != call_version(call)
    # Told with the rest, unless the form is out of date: then it first shows how the call reads now.
    if not (changed_meanwhile or problems.about("audience") or problems.about("required_badge")):
        problems.check(_refuse_settled_audience, call, audience, badge_id)
    problems.refuse_any()
    if (title, question, audience, badge_id, hide) == (thread.title, call.question_md, thread.audience,
                                                       thread.required_badge_id, call.hide_reactions_while_collecting):
        return False  # sent again (a double-click), or saved unchanged: no edit
    if changed_meanwhile:
        raise Conflict(CHANGED_MEANWHILE)
    _refuse_settled_audience(call, audience, badge_id)
    audit_entry(staff, "call_edit", "call", call.id, label=f"“{title}”",
                details="; ".join(_edits(call, title, question, audience, badge, hide)))
    if (title, question) != (thread.title, call.question_md):
        call.edited_at = utcnow()
    thread.title, thread.audience, thread.required_badge_id = title, audience, badge_id
    call.question_md = question
    call.question_html = render_post_body(question, mentioned_users(question))
    call.hide_reactions_while_collecting = hide
    thread_changed(call.thread_id)
    db.session.commit()
    return True


def _refuse_settled_audience(call: IdeaCall, audience: str, badge_id: int | None) -> None:
    thread = call.thread
    if (audience, badge_id) != (thread.audience, thread.required_badge_id) and audience_is_settled(call):
        raise DomainError(AUDIENCE_SETTLED, "audience" if audience != thread.audience else "required_badge")


def _edits(call: IdeaCall, title: str, question: str, audience: str, badge, hide: bool) -> list[str]:
    """What an edit changed, in the audit log's words."""
    thread, edits = call.thread, []
    if title != thread.title:
        edits.append(f"Title: “{thread.title}” → “{title}”")
    if question != call.question_md:
        edits.append("The question was changed")
    if audience != thread.audience:
        edits.append(f"Who may take part: {AUDIENCE_LABELS[thread.audience]} → {AUDIENCE_LABELS[audience]}")
    if (badge.id if badge else None) != thread.required_badge_id:
        before = thread.required_badge.name if thread.required_badge else "no badge needed"
        edits.append(f"Badge: {before} → {badge.name if badge else 'no badge needed'}")
    if hide != call.hide_reactions_while_collecting:
        edits.append("Reaction counts " + ("hidden while ideas are collected" if hide else "shown while collecting"))
    return edits
