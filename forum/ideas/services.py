"""The rules of calls for ideas: opening a call, moving it through phases, statuses and merges.

Ideas themselves are written by the posts engine (`write_post`); the call's policy decides
when the thread takes them. Everything here checks permission first, validates everything
before writing anything, and commits once.
"""
from datetime import timedelta

from sqlalchemy import bindparam, or_, select
from sqlalchemy.orm import joinedload, lazyload

from forum import rate_limits
from forum.accounts.staff import badge_by_slug
from forum.clock import utcnow
from forum.errors import DomainError, Forbidden, NotFound, Problems
from forum.extensions import db
from forum.ideas.permissions import (
    can_change_phase, can_open_call, can_set_status, idea_review_refusal, merge_refusal, merge_target_gone,
    staff_action_refusal,
)
from forum.ideas.policy import remember_statuses
from forum.ideas.reading import shortlist_is_empty
from forum.links import path_for
from forum.models import LARGEST_ID
from forum.models.accounts import User
from forum.models.ideas import CALL_KIND, IDEA_STATUSES, PHASES, IdeaCall, IdeaStatus
from forum.models.moderation import audit_entry
from forum.models.posts import Post, Reaction, Thread
from forum.moderation.audit import register_audit_action, register_audit_target_type
from forum.posts.notifications import notify
from forum.posts.page_cache import thread_changed
from forum.posts.services import clean_title, new_thread, post_label, post_link
from forum.posts.text import mentioned_users, render_post_body
from forum.posts.visibility import can_see_post, can_see_thread
from forum.text.bidi import isolate
from forum.text.typed import typed_line, typed_text

# Staff's work on calls goes in the audit log with the moderators' other actions.
register_audit_action("call_open", "Opened a call for ideas")
register_audit_action("call_edit", "Edited the call")
register_audit_action("call_phase", "Changed a call's phase")
register_audit_action("idea_status", "Set an idea's status")
register_audit_action("idea_merge", "Merged an idea")
register_audit_target_type("call", "Call for ideas",
                           links=lambda ids: {i: path_for("ideas.call", call_id=i) for i in ids})

QUESTION_LIMIT = 10_000
# A form sent again this soon with the same words is the same call (a double-click, or a
# send repeated after a slow answer).
RESENT_WITHIN = timedelta(minutes=2)
NOTE_LIMIT = 1000
PHASE_NEWS = {
    "collecting": "“{title}” is collecting ideas again",
    "evaluating": "“{title}” takes no new ideas now: staff are evaluating them, and discussion goes on",
    "shortlisted": "The shortlist of “{title}” is published",
    "closed": "“{title}” is closed. Thank you for taking part",
}


# A call's page names who opened it: their roles and badges are loaded only if asked for,
# not in two statements of their own on every view.
OPENER_BY_NAME = joinedload(IdeaCall.opened_by).options(lazyload(User.roles), lazyload(User.badges))
# Made once, the call's id bound when it runs: a get with options works out the cache key
# of its statement, options and all, on every page of a call.
_CALL_BY_ID = select(IdeaCall).where(IdeaCall.thread_id == bindparam("call_id")).options(OPENER_BY_NAME)


def get_call_for(user, call_id: int) -> IdeaCall:
    """The call, or NotFound when it does not exist or `user` may not see it."""
    call = db.session.scalar(_CALL_BY_ID, {"call_id": call_id})
    if call is None or not can_see_thread(user, call.thread):
        raise NotFound("That call for ideas can't be found.")
    return call


def get_idea_for(user, call: IdeaCall, idea_id: int) -> Post:
    """An idea (a top-level post) of `call`, or NotFound."""
    idea = db.session.get(Post, idea_id)
    if idea is None or idea.thread_id != call.thread_id or idea.parent_id is not None or not can_see_post(user, idea):
        raise NotFound("That idea can't be found in this call.")
    return idea


def clean_question(question: str | None) -> str:
    question = typed_text(question)
    if not question:
        raise DomainError("Ask the community a question: what ideas are you looking for?", "question")
    if len(question) > QUESTION_LIMIT:
        raise DomainError(f"Keep the question under {QUESTION_LIMIT:,} characters (this is {len(question):,}).",
                          "question")
    return question


def clean_note(note: str | None) -> str:
    note = typed_line(note)
    if len(note) > NOTE_LIMIT:
        raise DomainError(f"Keep the note under {NOTE_LIMIT:,} characters (this is {len(note):,}).", "note")
    return note


def refuse_while_suspended(staff) -> None:
    if refusal := staff_action_refusal(staff, utcnow()):
        raise Forbidden(refusal)


def badge_or_none(slug: str | None):
    if not slug:
        return None
    try:
        return badge_by_slug(slug)
    except NotFound:
        raise DomainError("Choose a badge from the list, or none.", "required_badge") from None


def open_call(staff, *, title: str, question: str, audience: str = "everyone", badge_slug: str = "",
              hide_reactions_while_collecting: bool = False) -> IdeaCall:
    if not can_open_call(staff):
        raise Forbidden("Only moderators and admins can open a call for ideas.")
    refuse_while_suspended(staff)
    problems = Problems()
    title = problems.check(clean_title, title)
    question = problems.check(clean_question, question)
    badge = problems.check(badge_or_none, badge_slug)
    problems.refuse_any()
    # A double-click sends the form twice: the second send answers with the call the first
    # opened, not with the rate limit's refusal (the page the person would see, who then
    # opened the same call again).
    if earlier := _same_call_just_opened(staff, title, question, audience, badge):
        return earlier
    # A call is a new thread: one per 15 seconds per person, counted once the call is valid.
    rate_limits.hit(("thread", staff.id), field="title")
    thread = new_thread(kind=CALL_KIND, title=title, author=staff, audience=audience, required_badge=badge)
    call = IdeaCall(thread_id=thread.id, question_md=question,
                    question_html=render_post_body(question, mentioned_users(question)),
                    phase="collecting", hide_reactions_while_collecting=bool(hide_reactions_while_collecting),
                    opened_by_id=staff.id)
    db.session.add(call)
    audit_entry(staff, "call_open", "call", thread.id, label=f"“{title}”")
    db.session.commit()
    return call


def _same_call_just_opened(staff, title: str, question: str, audience: str, badge) -> IdeaCall | None:
    """The call `staff` opened with these very words, for the same people, in the last
    RESENT_WITHIN, or None. The same call for teens and then for adults is two calls."""
    statement = (select(IdeaCall).join(IdeaCall.thread)
                 .where(IdeaCall.opened_by_id == staff.id, IdeaCall.created_at >= utcnow() - RESENT_WITHIN,
                        Thread.title == title, IdeaCall.question_md == question, Thread.audience == audience,
                        Thread.required_badge_id == (badge.id if badge else None))
                 .order_by(IdeaCall.created_at.desc()).limit(1))
    return db.session.scalar(statement)


def contributors(call: IdeaCall):
    """Select the people who posted an idea or a reply in `call` that others can read: a
    post hidden by a moderator counts no more than a removed one, as in the call's counts."""
    authors = select(Post.author_id).where(Post.thread_id == call.thread_id, Post.deleted_at.is_(None),
                                           Post.hidden_at.is_(None))
    return select(User).where(User.id.in_(authors)).order_by(User.id)


def change_phase(staff, call: IdeaCall, phase: str) -> None:
    if not can_change_phase(staff, call):
        raise Forbidden("Only moderators and admins can change the phase of a call.")
    refuse_while_suspended(staff)
    if phase not in PHASES:
        raise DomainError("Choose one of the phases: " + ", ".join(PHASES) + ".", "phase")
    if phase == call.phase:
        raise DomainError(f"The call is already in the phase “{PHASES[phase]}”.", "phase")
    if publishes_empty_shortlist(call, phase):
        # Everyone who took part is told the shortlist is out: it must say something.
        raise DomainError("There is nothing on the shortlist yet: give at least one idea the status "
                          "“Shortlisted”, “Planned” or “Done” before publishing it.", "phase")
    audit_entry(staff, "call_phase", "call", call.id, label=f"“{call.title}”", details=f"{PHASES[call.phase]} → {PHASES[phase]}")
    call.phase = phase
    call.phase_changed_at = utcnow()
    message = PHASE_NEWS[phase].format(title=isolate(call.title))
    endpoint = "ideas.shortlist" if phase == "shortlisted" else "ideas.call"
    link = path_for(endpoint, call_id=call.id)
    for person in db.session.scalars(contributors(call)):
        if person.id != staff.id and can_see_thread(person, call.thread):
            notify(person, "idea_phase", message, link, actor=staff)
    db.session.commit()


def publishes_empty_shortlist(call: IdeaCall, phase: str) -> bool:
    return phase == "shortlisted" and shortlist_is_empty(call)


def _status_record(idea: Post) -> IdeaStatus:
    record = db.session.get(IdeaStatus, idea.id)
    if record is None:
        record = IdeaStatus(post_id=idea.id, status="new")
        db.session.add(record)
    return record


def _record(record: IdeaStatus, staff, status: str, note: str, merged_into_id: int | None = None) -> bool:
    """Write the status; True when it changed (a note alone is not news)."""
    changed = record.status != status or record.merged_into_id != merged_into_id
    record.status = status
    record.merged_into_id = merged_into_id
    record.note = note
    record.set_by_id = staff.id
    record.updated_at = utcnow()
    # A page read in this transaction noted the old ones.
    remember_statuses({record.post_id: status}, {record.post_id: merged_into_id})
    return changed


def _tell_author(idea: Post, staff, message: str, link: str) -> None:
    if idea.author_id != staff.id and can_see_thread(idea.author, idea.thread):
        notify(idea.author, "idea_status", message, link, actor=staff, post=idea)


def set_status(staff, idea: Post, status: str, note: str = "") -> str:
    """Set the status of an idea (merging has its own rules: see merge_idea). Says what
    changed: "status" (its author is told), "note", or "" when it reads so already."""
    if not can_set_status(staff, idea):
        raise Forbidden("Only moderators and admins can set the status of an idea.")
    refuse_while_suspended(staff)
    if refusal := idea_review_refusal(idea):
        raise DomainError(refusal, "status")
    if status not in IDEA_STATUSES or status == "merged":
        raise DomainError("Choose a status from the list (to merge, use the merge form).", "status")
    note = clean_note(note)
    if status == "declined" and not note:
        raise DomainError("Say why the idea is declined: its author reads this note.", "note")
    if _reads_so_already(idea, status, note):
        return ""  # sent again (a double-click): nothing to log, nobody to tell
    record = _status_record(idea)
    audit_entry(staff, "idea_status", "post", idea.id, label=post_label(idea), reason=note, subject_id=idea.author_id,
                details=f"{IDEA_STATUSES[record.status]} → {IDEA_STATUSES[status]}")
    changed = _record(record, staff, status, note)
    thread_changed(idea.thread_id)  # the call's counts of shortlisted ideas are kept with its pages
    if changed:
        message = f"Your idea #{idea.id} in “{isolate(idea.thread.title)}” is now {IDEA_STATUSES[status].lower()}"
        _tell_author(idea, staff, message + (f": {note}" if note else "."), post_link(idea))
    db.session.commit()
    return "status" if changed else "note"


def _reads_so_already(idea: Post, status: str, note: str) -> bool:
    record = db.session.get(IdeaStatus, idea.id)
    now = (record.status, record.note, record.merged_into_id) if record is not None else ("new", "", None)
    return now == (status, note, None)


def _merge_target(idea: Post, target_id: int | None) -> Post:
    target = db.session.get(Post, target_id) if target_id and target_id <= LARGEST_ID else None
    if target is None:
        raise DomainError(f"There is no idea #{target_id}." if target_id else "Type the number of an idea.", "target")
    if target.id == idea.id:
        raise DomainError("An idea can't be merged into itself. Type the number of another idea.", "target")
    if target.thread_id != idea.thread_id:
        raise DomainError(f"Idea #{target.id} belongs to another call; ideas merge only within one call.", "target")
    if target.parent_id is not None:
        raise DomainError(f"#{target.id} is a reply, not an idea. Type the number of an idea.", "target")
    if target.is_removed:
        raise DomainError(f"Idea #{target.id} was removed; merge into an idea that is still up.", "target")
    _refuse_loops(idea, target)
    _refuse_closed_target(target)
    return target


def _refuse_closed_target(target: Post) -> None:
    """A merged idea takes no replies: the supporters of one merged into it would be told
    the discussion goes on where it can't. Staff are sent to the idea it joined."""
    record = db.session.get(IdeaStatus, target.id)
    if record is None or record.status != "merged":
        return
    if merge_target_gone(record):
        raise DomainError(f"Idea #{target.id} joined an idea that was removed, so it takes no new replies until "
                          "staff review it again. Merge into an idea that takes replies.", "target")
    raise DomainError(f"Idea #{target.id} is merged into idea #{record.merged_into_id}, so it takes no new replies. "
                      f"Merge into idea #{record.merged_into_id} instead.", "target")


def _refuse_loops(idea: Post, target: Post) -> None:
    """Follow the merge chain from `target`: it must not lead back to `idea`."""
    seen = {idea.id}
    current = target.id
    while current is not None:
        if current in seen:
            raise DomainError(f"Idea #{target.id} is already merged into this one, so merging it there "
                              "would go round in a circle. Merge the other way, or into a third idea.", "target")
        seen.add(current)
        record = db.session.get(IdeaStatus, current)
        current = record.merged_into_id if record is not None and record.status == "merged" else None


def supporters(idea: Post):
    """Select the people who reacted to or replied to `idea`: a reply hidden by a moderator
    counts no more than a removed one, as for the call's contributors."""
    reactors = select(Reaction.user_id).where(Reaction.post_id == idea.id)
    repliers = select(Post.author_id).where(Post.parent_id == idea.id, Post.deleted_at.is_(None),
                                            Post.hidden_at.is_(None))
    return select(User).where(or_(User.id.in_(reactors), User.id.in_(repliers))).order_by(User.id)


def merge_target_for(staff, idea: Post, target_id: int | None, note: str = "") -> Post:
    """The idea numbered `target_id` that `staff` may merge `idea` into, writing nothing:
    staff see it before they say yes (a mistyped number would tell everyone of a wrong merge)."""
    if not can_set_status(staff, idea):
        raise Forbidden("Only moderators and admins can merge ideas.")
    refuse_while_suspended(staff)
    if refusal := idea_review_refusal(idea):
        raise DomainError(refusal, "target")
    if refusal := merge_refusal(db.session.get(IdeaStatus, idea.id)):
        raise DomainError(refusal, "target")
    target = _merge_target(idea, target_id)
    clean_note(note)
    return target


def merge_idea(staff, idea: Post, target_id: int | None, note: str = "") -> Post:
    """Merge `idea` into the idea numbered `target_id`; it stays, linked and closed to replies."""
    target = merge_target_for(staff, idea, target_id, note)
    note = clean_note(note)
    record = _status_record(idea)
    audit_entry(staff, "idea_merge", "post", idea.id, label=post_label(idea), reason=note, subject_id=idea.author_id,
                details=f"into idea #{target.id}")
    _record(record, staff, "merged", note, merged_into_id=target.id)
    thread_changed(idea.thread_id)
    title = idea.thread.title
    link = post_link(target)
    # The note says why, to the author above all, as with any other status.
    message = f"Your idea #{idea.id} in “{isolate(title)}” was merged into {isolate(target.author.display_name)}'s idea"
    _tell_author(idea, staff, message + (f": {note}" if note else "."), link)
    for person in db.session.scalars(supporters(idea)):
        if person.id not in (staff.id, idea.author_id) and can_see_thread(person, idea.thread):
            notify(person, "idea_merged", f"An idea you supported in “{isolate(title)}” was merged into "
                   f"{isolate(target.author.display_name)}'s idea; the discussion continues there", link,
                   actor=staff, post=target)
    db.session.commit()
    return target
