"""Trainers' work on a program's discussions: writing them, ordering them, deleting them.

Every function checks the trainer's permission, validates, writes and commits once, with
the checks writing a program uses too (authoring.py).
"""
from sqlalchemy import delete, func, select, update

from forum.clock import utcnow
from forum.errors import Conflict, DomainError, NotFound, Problems
from forum.extensions import db
from forum.models import LARGEST_ID
from forum.models.posts import Post, Thread
from forum.models.training import Discussion, DiscussionCompletion
from forum.posts.services import new_thread
from forum.text import render_markdown
from forum.text.typed import typed_whole_number
from forum.training import audit, completion
from forum.training.authoring import (RESENT_WITHIN, TITLE_LIMIT, clean_line, clean_text, commit_or_conflict,
                                      discussion_count, emptying_refusal, fingerprint, refuse_undoing_unseen,
                                      require_trainer)
from forum.training.reordering import keep_open_through_new_order

THREAD_KIND = "discussion"
PROMPT_LIMIT, TEMPLATE_LIMIT = 500, 2000
MAX_WORDS, MAX_PEERS = 5000, 50
DISCUSSION_FIELDS = ("title", "lesson_md", "prompt", "response_template", "min_words", "required_peer_replies",
                     "post_first")


def discussion_version(discussion) -> str:
    """A short fingerprint of what the discussion's edit form holds, as program_version is
    for a program's (its position is not in it: see discussion_shown)."""
    return fingerprint(discussion, DISCUSSION_FIELDS)


def discussion_of(program, position: int) -> Discussion:
    discussion = db.session.scalar(select(Discussion).where(
        Discussion.program_id == program.id, Discussion.position == position))
    if discussion is None:
        raise NotFound(f"“{program.title}” has no discussion {position}.")
    return discussion


def discussion_shown(program, position: int, discussion_id: int | None) -> Discussion:
    """The discussion a form (edit, move up or down) was shown for, by the id it carries:
    the URL's position may name another discussion by now (reordered in another tab),
    which the form would have changed instead. Forms without the id go by position."""
    if discussion_id is None:
        return discussion_of(program, position)
    discussion = db.session.scalar(select(Discussion).where(
        Discussion.program_id == program.id, Discussion.id == discussion_id)) if discussion_id <= LARGEST_ID else None
    if discussion is None:
        # Not the one now at its old position: that would change a discussion nobody opened.
        raise NotFound("That discussion is no longer in this program.")
    return discussion


def discussions_of(program) -> list[Discussion]:
    return list(db.session.scalars(select(Discussion).where(Discussion.program_id == program.id)
                                   .order_by(Discussion.position)))


def _requirement(value, field: str, what: str, whats: str, limit: int) -> int:
    if isinstance(value, str):
        value = typed_whole_number(value, negative=True)
    if value is None:
        raise DomainError("Enter a whole number, like 2.", field)
    if value < 1:
        raise DomainError(f"Ask for at least 1 {what}; zero or less would let trainees skip it.", field)
    if value > limit:
        raise DomainError(f"Ask for at most {limit:,} {whats}.", field)
    return value


def _discussion_values(*, title, lesson_md, prompt, response_template, min_words, required_peer_replies,
                       post_first) -> dict:
    """The discussion's fields as stored, or every problem with them at once (Refusals)."""
    problems = Problems()
    title = problems.check(clean_line, title, "title", "a title", TITLE_LIMIT)
    lesson_md = problems.check(clean_text, lesson_md, "lesson_md")
    prompt = problems.check(clean_line, prompt, "prompt", "a prompt", PROMPT_LIMIT)
    response_template = problems.check(clean_text, response_template, "response_template", TEMPLATE_LIMIT)
    min_words = problems.check(_requirement, min_words, "min_words", "word", "words", MAX_WORDS)
    required_peer_replies = problems.check(_requirement, required_peer_replies, "required_peer_replies",
                                           "fellow trainee to reply to", "fellow trainees to reply to", MAX_PEERS)
    problems.refuse_any()
    return dict(title=title, lesson_md=lesson_md, lesson_html=render_markdown(lesson_md), prompt=prompt,
                response_template=response_template, min_words=min_words,
                required_peer_replies=required_peer_replies, post_first=bool(post_first))


def add_discussion(trainer, program, **fields) -> Discussion:
    """Fields: title, lesson_md, prompt, response_template, min_words, required_peer_replies, post_first."""
    require_trainer(trainer)
    values = _discussion_values(**fields)
    if earlier := _same_discussion_just_added(trainer, program, values):
        return earlier
    last = db.session.scalar(select(func.max(Discussion.position)).where(Discussion.program_id == program.id))
    thread = new_thread(kind=THREAD_KIND, title=values["title"], author=trainer, audience=program.audience,
                        required_badge=program.required_badge)
    discussion = Discussion(program_id=program.id, position=(last or 0) + 1, thread_id=thread.id, **values)
    db.session.add(discussion)
    program.updated_at = utcnow()
    commit_or_conflict("Another discussion was added at the same moment. Your text is still here: save again.")
    return discussion


def _same_discussion_just_added(trainer, program, values: dict) -> Discussion | None:
    """The discussion `trainer` added to `program` with these very words in the last
    RESENT_WITHIN, or None."""
    return db.session.scalar(
        select(Discussion).join(Discussion.thread)
        .where(Discussion.program_id == program.id, Thread.author_id == trainer.id,
               Thread.created_at >= utcnow() - RESENT_WITHIN, Discussion.title == values["title"],
               Discussion.prompt == values["prompt"], Discussion.lesson_md == values["lesson_md"])
        .order_by(Discussion.position.desc()).limit(1))


def update_discussion(trainer, discussion, based_on: str | None = None, **fields) -> tuple[Discussion, int]:
    """`based_on` is the discussion_version its edit form was opened at (see refuse_undoing_unseen).
    Returns the discussion and how many trainees now meet what it asks and have completed it."""
    require_trainer(trainer)
    asked_before = (discussion.min_words, discussion.required_peer_replies)
    values = _discussion_values(**fields)
    refuse_undoing_unseen(discussion, values, based_on, discussion_version, "discussion")
    for name, value in values.items():
        setattr(discussion, name, value)
    discussion.thread.title = discussion.title
    discussion.program.updated_at = utcnow()
    # Asking more never takes a completion back; asking less completes the discussion for
    # those who now meet it (asking less of one and more of the other may too).
    completed = 0
    if discussion.min_words < asked_before[0] or discussion.required_peer_replies < asked_before[1]:
        completed = completion.complete_for_trainees_who_now_meet(discussion)
    db.session.commit()
    return discussion, completed


def _position(value, discussion, count: int) -> int:
    position = typed_whole_number(str(value if value is not None else ""))
    if position is None or not 1 <= position <= count:
        raise DomainError(f"Give “{discussion.title}” a position from 1 to {count}.",
                          f"position-{discussion.id}")
    return position


def reorder_discussions(trainer, program, wanted: dict[int, object]) -> None:
    """Put the discussions at the positions in `wanted` (discussion id -> 1..n), all at once.
    Whatever was open to a trainee stays open to them (reordering.py)."""
    require_trainer(trainer)
    discussions = discussions_of(program)
    if set(wanted) != {d.id for d in discussions}:
        raise Conflict("The discussions changed while you were ordering them. Here is the current list: "
                       "please order it again.")
    positions = {d.id: _position(wanted[d.id], d, len(discussions)) for d in discussions}
    seen: dict[int, Discussion] = {}
    for discussion in discussions:
        clash = seen.get(positions[discussion.id])
        if clash is not None:
            raise DomainError(f"“{clash.title}” and “{discussion.title}” both have position "
                              f"{positions[discussion.id]}: give each discussion its own number.",
                              f"position-{discussion.id}")
        seen[positions[discussion.id]] = discussion
    keep_open_through_new_order(program, discussions, sorted(discussions, key=lambda d: positions[d.id]))
    # Park every position below zero first, so no row ever collides on the way.
    db.session.execute(update(Discussion).where(Discussion.program_id == program.id)
                       .values(position=-Discussion.position), execution_options={"synchronize_session": False})
    db.session.flush()
    for discussion in discussions:
        db.session.execute(update(Discussion).where(Discussion.id == discussion.id).values(
            position=positions[discussion.id]), execution_options={"synchronize_session": False})
    program.updated_at = utcnow()
    commit_or_conflict("Someone else reordered these discussions at the same moment: please look and try again.")


def move_discussion(trainer, program, discussion, direction: str) -> None:
    """Swap a discussion with its neighbour above ("up") or below ("down")."""
    require_trainer(trainer)
    order = db.session.scalars(select(Discussion.id).where(Discussion.program_id == program.id)
                               .order_by(Discussion.position)).all()
    here = order.index(discussion.id)
    there = here - 1 if direction == "up" else here + 1 if direction == "down" else None
    if there is None or not 0 <= there < len(order):
        raise DomainError("That discussion can't move further that way.")
    order[here], order[there] = order[there], order[here]
    reorder_discussions(trainer, program, {did: number for number, did in enumerate(order, start=1)})


WRITTEN_IN = ("Trainees have written in “{title}”, so it can't be deleted: their responses and replies would "
              "go with it. You can edit the discussion instead.")


def has_been_written_in(discussion) -> bool:
    """Whether anyone posted in the discussion, including posts since hidden or removed."""
    return db.session.scalar(select(Post.id).where(Post.thread_id == discussion.thread_id).limit(1)) is not None


def delete_discussion(trainer, program, discussion) -> None:
    """Delete a discussion nobody has written in, with its empty thread; the later
    discussions move up a place. In a published program a trainee who had done every
    other discussion has now completed the program."""
    require_trainer(trainer)
    if has_been_written_in(discussion) or db.session.scalar(select(DiscussionCompletion.id).where(
            DiscussionCompletion.discussion_id == discussion.id).limit(1)) is not None:
        raise DomainError(WRITTEN_IN.format(title=discussion.title))
    if refusal := emptying_refusal(program, discussion, discussion_count(program)):
        raise DomainError(refusal)
    position, thread_id = discussion.position, discussion.thread_id
    audit.log_deleted(trainer, program, discussion)
    db.session.execute(delete(Discussion).where(Discussion.id == discussion.id))
    db.session.execute(delete(Thread).where(Thread.id == thread_id))
    # Park the later positions below zero first, so no row collides on the way up.
    later = (Discussion.program_id == program.id) & (Discussion.position > position)
    db.session.execute(update(Discussion).where(later).values(position=-Discussion.position),
                       execution_options={"synchronize_session": False})
    db.session.execute(update(Discussion).where(Discussion.program_id == program.id, Discussion.position < 0)
                       .values(position=-Discussion.position - 1), execution_options={"synchronize_session": False})
    db.session.expire_all()
    program.updated_at = utcnow()
    if program.published:
        completion.complete_programs_now_done(program)
    commit_or_conflict("The discussions changed at the same moment: please look and try again.")
