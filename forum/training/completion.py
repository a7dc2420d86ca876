"""Completing discussions and programs after a trainee's post, the certificate, and a
trainer reopening a discussion for a trainee."""
from sqlalchemy import bindparam, exists, func, select, update

from forum.accounts.staff import award_badge
from forum.clock import utcnow
from forum.errors import Conflict, DomainError, Forbidden, NotFound
from forum.extensions import db
from forum.links import path_for
from forum.memo import forget_all
from forum.models.training import Discussion, DiscussionCompletion, DiscussionReopening, Enrollment
from forum.posts.notifications import MESSAGE_LIMIT, notify, register_notification_kind
from forum.text.bidi import isolate, shortened
from forum.text.typed import ends_a_sentence
from forum.training.audit import log_reopened
from forum.training.permissions import authoring_refusal, can_see_certificate, is_for_age_group_of
from forum.training.progress import Progress
from forum.training.records import has_posted_in
from forum.training.requirements import checklist_for, count_words, counting_since
from forum.training.services import (
    discussion_for_thread, discussion_link, enrol as enrol_in, insert_ignoring_duplicates, progress_in,
)

NOTIFICATION_KIND = "training"
register_notification_kind(NOTIFICATION_KIND, "Your training: discussions completed or reopened, programs finished")

# Made once, its values left as parameters: a reopened trainee's discussion page reads it.
_LATEST_REOPENING = (
    select(DiscussionReopening)
    .where(DiscussionReopening.enrollment_id == bindparam("enrollment_id"),
           DiscussionReopening.discussion_id == bindparam("discussion_id"))
    .order_by(DiscussionReopening.reopened_at.desc()).limit(1))


# Completing -----------------------------------------------------------------------------

def short_response_message(words: int, needed: int) -> str:
    if words == 0:
        # Most often the template sent as it was: "add a little more" would say they wrote some.
        return (f"Your response has no words of your own yet (the template's lines and list numbers "
                f"don't count); this discussion asks for at least {needed}. Write yours in and post it "
                f"again: your text is kept below.")
    return (f"Your response has {words} word{'s' if words != 1 else ''} of your own; this discussion "
            f"asks for at least {needed}. Add a little more and post it again: your text is kept below.")


def _still_to_complete(post):
    """The discussion of `post` and its author's enrolment, when they have not completed it
    yet; None otherwise."""
    discussion = discussion_for_thread(post.thread_id)
    if discussion is None:
        return None
    enrollment = db.session.scalar(select(Enrollment).where(
        Enrollment.user_id == post.author_id, Enrollment.program_id == discussion.program_id))
    if enrollment is None or enrollment.has_left:
        # One who left takes no part: a post of theirs a moderator restores completes nothing.
        return None
    if db.session.scalar(select(DiscussionCompletion.id).where(
            DiscussionCompletion.enrollment_id == enrollment.id,
            DiscussionCompletion.discussion_id == discussion.id)) is not None:
        return None
    return discussion, enrollment


def complete_discussion_if_done(post) -> None:
    """After a trainee's post: refuse a too-short response while none of theirs counts yet,
    or record the discussion done (and the program, when it was the last) once its
    requirements are met."""
    found = _still_to_complete(post)
    if found is None:
        return
    discussion, enrollment = found
    # This post included: a response of the asked length may be this one or an earlier one.
    checklist = checklist_for(post.author_id, discussion, counting_since(enrollment.id, discussion.id))
    if post.parent_id is None and not checklist.response_ok:
        # Only until a response counts: after that the page offers "another response" of
        # any length, and this refusal would contradict it.
        words = count_words(post.body_md, discussion.response_template)
        # Nothing of this post is kept: the engine's form shows the text again.
        db.session.rollback()
        raise DomainError(short_response_message(words, discussion.min_words), "body")
    if checklist.met:
        _record_completion(enrollment, discussion, post.author)


def complete_discussion_if_met(post) -> None:
    """After a post is edited or restored: a response made long enough (a trainer asked for
    more words after it was posted, and the checklist says how many), or a response or reply
    a moderator brings back, completes the discussion for the post's author as a new post
    would. Nothing is refused here: the text is the author's to change, and a restore is
    the moderator's."""
    found = _still_to_complete(post)
    if found is None:
        return
    discussion, enrollment = found
    if checklist_for(post.author_id, discussion, counting_since(enrollment.id, discussion.id)).met:
        _record_completion(enrollment, discussion, post.author)


def complete_for_trainees_who_now_meet(discussion) -> int:
    """After a trainer asks less of a discussion: record it done for each trainee whose
    posts there now meet it, as their next post would. Otherwise their checklist shows
    every item ticked while the next discussion stays locked. Returns how many it was
    recorded for. The caller commits."""
    db.session.flush()
    enrollments = db.session.scalars(select(Enrollment).where(
        Enrollment.program_id == discussion.program_id, Enrollment.left_at.is_(None),
        # Only those who posted there can meet it: the others need not be read.
        has_posted_in(discussion, Enrollment.user_id),
        ~exists().where(DiscussionCompletion.enrollment_id == Enrollment.id,
                        DiscussionCompletion.discussion_id == discussion.id))).all()
    completed = 0
    for enrollment in enrollments:
        if checklist_for(enrollment.user_id, discussion, counting_since(enrollment.id, discussion.id)).met:
            completed += _record_completion(enrollment, discussion, enrollment.user)
    return completed


def complete_programs_now_done(program) -> None:
    """After a trainer deletes a discussion: each trainee who had done every other one has
    completed the program, as their last completion would have told them. The caller commits."""
    db.session.flush()
    forget_all()
    enrollments = db.session.scalars(select(Enrollment).where(
        Enrollment.program_id == program.id, Enrollment.completed_at.is_(None), Enrollment.left_at.is_(None))).all()
    for enrollment in enrollments:
        complete_program_if_done(enrollment, program)


def complete_program_if_done(enrollment, program) -> None:
    """Complete the program for `enrollment` when nothing is left that it asks (after a
    deletion; or for someone back after leaving, when one was deleted meanwhile). The
    caller commits."""
    progress = progress_in(enrollment.user, program)
    if progress.total and not progress.required_left:
        _complete_program(enrollment, program, enrollment.user, utcnow())


def enrol_and_complete_if_done(trainee, program) -> Progress:
    """Enrol `trainee` (services.enrol: Conflict on a second click) and return their progress.
    Back after leaving (something done already), a discussion deleted while they were away
    may have left nothing that the program asks of them, and no post of theirs would
    complete it: it is completed now."""
    enrol_in(trainee, program)
    progress = progress_in(trainee, program)
    if progress.done_count and progress.is_enrolled and not progress.is_complete:
        complete_program_if_done(progress.enrollment, program)
        db.session.commit()
        progress = progress_in(trainee, program)
    return progress


def _record_completion(enrollment, discussion, trainee) -> bool:
    """True when recorded now (False: a request at the same moment recorded it)."""
    now = utcnow()
    if not insert_ignoring_duplicates(DiscussionCompletion, enrollment_id=enrollment.id,
                                      discussion_id=discussion.id, completed_at=now):
        return False
    forget_all()
    progress = progress_in(trainee, discussion.program)
    if progress.is_complete:
        # Added after they completed the program: a thank-you, nothing more to unlock.
        notify(trainee, NOTIFICATION_KIND, _added_discussion_done(discussion, in_program=True),
               discussion_link(discussion))
    elif not progress.required_left:
        _complete_program(enrollment, discussion.program, trainee, now)
    else:
        following = _next_up(progress, discussion)
        notify(trainee, NOTIFICATION_KIND, _next_up_message(discussion, following, in_program=True),
               discussion_link(following))
    return True


def _next_up(progress, discussion):
    following = progress.next(discussion)
    if following is None or progress.is_done(following) or not progress.is_required(following):
        following = progress.current
    return following


# A notice and its email name the program (`in_program`): someone in two programs reads
# them away from it. Said on the discussion's own page, the program is in sight already.

def _in_program(discussion, in_program: bool) -> str:
    return f" in “{isolate(discussion.program.title)}”" if in_program else ""


def _added_discussion_done(discussion, *, in_program: bool = False) -> str:
    added = f"to “{isolate(discussion.program.title)}” after you completed it" if in_program else (
        "after you completed the program")
    return f"You completed “{isolate(discussion.title)}”, added {added}. Thank you for taking part."


def _next_up_message(discussion, following, *, in_program: bool = False) -> str:
    return (f"You completed “{isolate(discussion.title)}”{_in_program(discussion, in_program)}. "
            f"Next up: “{isolate(following.title)}” is open.")


def _program_done_message(program, badge_earned) -> str:
    earned = f" and earned the {badge_earned.icon} {isolate(badge_earned.name)} badge" if badge_earned else ""
    return f"You completed the program “{isolate(program.title)}”{earned}. Your certificate is ready."


def news_after_post(post) -> str | None:
    """What `post` completed for its author (the discussion, or with it the program), as their
    notification words it: said where the post lands too, far below the checklist on a phone.
    None when it completed nothing. Read back once the post is stored: a completion recorded
    for it is no older than the post."""
    discussion = discussion_for_thread(post.thread_id)
    if discussion is None:
        return None
    progress = progress_in(post.author, discussion.program)
    done_at = progress.completed_at.get(discussion.id)
    if not progress.is_enrolled or done_at is None or done_at < post.created_at:
        return None
    enrollment = progress.enrollment
    if not progress.is_complete:
        return _next_up_message(discussion, _next_up(progress, discussion))
    if enrollment.completed_at < post.created_at:
        return _added_discussion_done(discussion)
    badge = discussion.program.awarded_badge
    # As the notification: the badge is news only the first time (not after a reopening).
    first_time = enrollment.first_completed_at >= post.created_at
    held = badge is not None and badge.slug in post.author.badge_slugs
    return _program_done_message(discussion.program, badge if first_time and held else None)


def _complete_program(enrollment, program, trainee, now) -> None:
    finished = db.session.execute(update(Enrollment).where(
        Enrollment.id == enrollment.id, Enrollment.completed_at.is_(None)).values(
        completed_at=now, first_completed_at=func.coalesce(Enrollment.first_completed_at, now))).rowcount
    if not finished:
        return
    badge = program.awarded_badge
    # Held already (earned before a trainer reopened a discussion, or granted): not news.
    # Not on a closed account (its posts kept, a trainer's easier rule or a moderator's
    # restore completing it): nobody signs in to it again, and awarding would refuse.
    earned = badge is not None and trainee.closed_at is None and award_badge(
        trainee, badge, reason=f"Completed the program {program.title}", commit=False)
    notify(trainee, NOTIFICATION_KIND, _program_done_message(program, badge if earned else None),
           path_for("training.certificate", slug=program.slug))
    forget_all()


def certificate_for(user, program) -> Progress:
    """`user`'s progress in `program`, for their certificate. Refused to whoever never
    completed it; someone who did, and for whom a trainer has since reopened a discussion,
    gets their progress (not complete), since the notification that their certificate was
    ready still links to it: their page says what to finish to have it back. A graduate a
    moderator moved to the other age group keeps theirs: they earned it."""
    progress = progress_in(user, program)
    if not (is_for_age_group_of(user, program) or can_see_certificate(user, progress)):
        # Moved to the other age group before completing it (again): no discussion of it opens to them now.
        raise Forbidden(f"“{program.title}” is for {program.audience}s and your account is in the {user.age_group} "
                        "spaces now, so you can't complete it to have its certificate.")
    if progress.left is not None and progress.left.first_completed_at is not None:
        # Left after a trainer reopened a discussion of theirs: their progress is kept.
        raise Forbidden(f"You completed “{program.title}”, then left it after a trainer reopened a discussion for "
                        "you: enrol again and complete it to have your certificate back.")
    if not (can_see_certificate(user, progress) or progress.has_completed_once):
        raise Forbidden(f"Your certificate appears once you complete every discussion of “{program.title}”.")
    return progress


# Reopening ------------------------------------------------------------------------------

def reopen_discussion(trainer, program, enrollment_id: int, discussion_id: int, reason: str = ""):
    """Take back a trainee's completion: they do the discussion again with new posts.
    Returns the trainee."""
    if refusal := authoring_refusal(trainer, utcnow()):
        raise Forbidden(refusal)
    enrollment, discussion = _in_program_or_404(program, enrollment_id, discussion_id)
    completion = _completion(enrollment, discussion)
    trainee = enrollment.user
    if enrollment.has_left:
        raise Conflict(f"{trainee.display_name} has left the program, so nothing is reopened for them.")
    if completion is None:
        raise Conflict(f"{trainee.display_name} hasn't completed “{discussion.title}”, so there is nothing to reopen.")
    reason = " ".join((reason or "").split())[:300]
    db.session.add(DiscussionReopening(
        enrollment_id=enrollment.id, discussion_id=discussion.id, reopened_by_id=trainer.id, reason=reason,
        previously_completed_at=completion.completed_at, reopened_at=utcnow()))
    db.session.delete(completion)
    enrollment.completed_at = None
    log_reopened(trainer, trainee, program, discussion, reason)
    told = _reopened_notice(trainer, discussion)
    notify(trainee, NOTIFICATION_KIND, told(reason), discussion_link(discussion), actor=trainer,
           kept=told(_reason_fitting(told, reason)))
    db.session.commit()
    return trainee


def to_reopen(trainer, program, enrollment_id: int, discussion_id: int):
    """(enrolment, discussion) when `reopen_discussion` would reopen it, to ask first about;
    None when it would refuse (which it then says itself)."""
    if authoring_refusal(trainer, utcnow()):
        return None
    try:
        enrollment, discussion = _in_program_or_404(program, enrollment_id, discussion_id)
    except NotFound:
        return None
    if enrollment.has_left or _completion(enrollment, discussion) is None:
        return None
    return enrollment, discussion


def _in_program_or_404(program, enrollment_id: int, discussion_id: int):
    enrollment = db.session.get(Enrollment, enrollment_id)
    discussion = db.session.get(Discussion, discussion_id)
    if enrollment is None or discussion is None or not (
            enrollment.program_id == discussion.program_id == program.id):
        raise NotFound("That trainee or discussion isn't part of this program.")
    return enrollment, discussion


def _completion(enrollment, discussion) -> DiscussionCompletion | None:
    return db.session.scalar(select(DiscussionCompletion).where(
        DiscussionCompletion.enrollment_id == enrollment.id, DiscussionCompletion.discussion_id == discussion.id))


def _reopened_notice(trainer, discussion):
    """What the trainee is told, given the reason: the email has it whole."""
    def told(reason: str) -> str:
        because = f": {reason}" if reason else ""
        stop = "" if ends_a_sentence(reason) else "."
        return (f"{isolate(trainer.display_name)} reopened “{isolate(discussion.title)}”"
                f"{_in_program(discussion, True)} for you{because}{stop} "
                "Post a new response and replies to complete it again.")
    return told


def _reason_fitting(told, reason: str) -> str:
    """The reason cut at a word, with "…", so that the notification (MESSAGE_LIMIT) still ends
    on what to do; the discussion's page, where it leads, gives the reason whole."""
    room = len(reason) - (len(told(reason)) - MESSAGE_LIMIT) - 1
    if room >= len(reason) or room <= 0:
        return reason  # it fits, or a name and title fill the notification anyway
    while room > 0:
        cut = shortened(reason, room).rsplit(" ", 1)[0].rstrip(" ,;:") + "…"
        if len(told(cut)) <= MESSAGE_LIMIT:
            return cut
        room -= 1
    return reason


def latest_reopening(enrollment_id: int, discussion_id: int) -> DiscussionReopening | None:
    return db.session.scalar(_LATEST_REOPENING, {"enrollment_id": enrollment_id, "discussion_id": discussion_id})
