"""Trainers' work: writing programs and discussions, ordering them, publishing.

Every function checks the trainer's permission, validates, writes and commits once.
"""
import hashlib
import json
import re
import unicodedata
from datetime import timedelta

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from forum.clock import utcnow
from forum.errors import Conflict, DomainError, Forbidden, NotFound, Problems
from forum.extensions import db
from forum.models import LARGEST_ID
from forum.models.accounts import Badge
from forum.models.posts import AUDIENCES, Post, Thread
from forum.models.training import Discussion, DiscussionCompletion, Enrollment, Program
from forum.posts.services import new_thread
from forum.text import render_markdown
from forum.text.typed import typed_line, typed_text, typed_whole_number
from forum.training import audit, completion
from forum.training.permissions import authoring_refusal
from forum.training.reordering import keep_open_through_new_order

THREAD_KIND = "discussion"
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
RESERVED_SLUGS = {"new"}
TITLE_LIMIT, SLUG_LIMIT, PROMPT_LIMIT, TEMPLATE_LIMIT, TEXT_LIMIT = 120, 60, 500, 2000, 50_000
MAX_WORDS, MAX_PEERS = 5000, 50
# A discussion sent again this soon with the same words is the same discussion (a
# double-click, or a send repeated after a slow answer).
RESENT_WITHIN = timedelta(minutes=2)


class ChangedMeanwhile(Conflict):
    """The edit form was opened before someone else saved a change it would undo unseen."""


CHANGED_MEANWHILE = ("Someone else changed this {what} since you opened this page (another trainer, or you in "
                     "another tab). Here is how it reads now; what you typed is still in the form below it. "
                     "Save again to put yours in its place.")
PROGRAM_FIELDS = ("title", "slug", "summary_md", "audience", "required_badge_id", "awarded_badge_id")
DISCUSSION_FIELDS = ("title", "lesson_md", "prompt", "response_template", "min_words", "required_peer_replies",
                     "post_first")


def _fingerprint(thing, fields) -> str:
    return hashlib.sha256(json.dumps([getattr(thing, name) for name in fields]).encode()).hexdigest()[:16]


def program_version(program) -> str:
    """A short fingerprint of what the program's edit form holds. The form carries the one
    it was opened with, so saving can tell that another trainer changed the program since.
    Publishing or adding discussions meanwhile changes nothing the form would put back."""
    return _fingerprint(program, PROGRAM_FIELDS)


def discussion_version(discussion) -> str:
    """The same for a discussion's edit form (its position is not in it: see discussion_shown)."""
    return _fingerprint(discussion, DISCUSSION_FIELDS)


def _refuse_undoing_unseen(thing, values: dict, based_on: str | None, version, what: str) -> None:
    """Refuse a save that would change `thing` when its form was opened at another version
    than it has now: it would quietly undo that change. Without `based_on` (a page opened
    before forms carried it) the last save wins, as it did; a save changing nothing passes."""
    if not based_on or based_on == version(thing):
        return
    if any(getattr(thing, name) != value for name, value in values.items()):
        raise ChangedMeanwhile(CHANGED_MEANWHILE.format(what=what))


def _require_trainer(user) -> None:
    if refusal := authoring_refusal(user, utcnow()):
        raise Forbidden(refusal)


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


def _clean_line(value, field: str, label: str, limit: int, required: bool = True) -> str:
    value = typed_line(value)
    if required and not value:
        raise DomainError(f"Give it {label}.", field)
    if len(value) > limit:
        raise DomainError(f"Keep {label} under {limit} characters (this is {len(value):,}).", field)
    return value


def _clean_text(value, field: str, limit: int = TEXT_LIMIT) -> str:
    value = typed_text(value)
    if len(value) > limit:
        raise DomainError(f"Keep this under {limit:,} characters (this is {len(value):,}).", field)
    return value


def slug_from(title: str) -> str:
    # Fold accents to their base letters first ("Ünïcode" -> "unicode"): the slug keeps only
    # ASCII letters and digits, and would otherwise lose the accented letters altogether.
    folded = "".join(c for c in unicodedata.normalize("NFKD", title) if not unicodedata.combining(c))
    return "-".join(re.findall(r"[a-z0-9]+", folded.lower()))[:SLUG_LIMIT].strip("-")


def _clean_slug(slug, title: str, program=None) -> str:
    slug = (slug or "").strip().lower() or slug_from(title)
    if not SLUG.fullmatch(slug) or len(slug) < 2 or len(slug) > SLUG_LIMIT or slug in RESERVED_SLUGS:
        raise DomainError("Use 2 to 60 lower-case letters, digits and single dashes, like group-support-basics.", "slug")
    taken = db.session.scalar(select(Program.id).where(Program.slug == slug))
    if taken is not None and (program is None or taken != program.id):
        raise DomainError("Another program already uses that short name.", "slug")
    return slug


def _badge(slug, field: str) -> Badge | None:
    if not slug:
        return None
    badge = db.session.scalar(select(Badge).where(Badge.slug == slug))
    if badge is None:
        raise DomainError("Choose a badge from the list.", field)
    return badge


def _program_values(program, *, title, slug, summary_md, audience, required_badge, awarded_badge,
                    opened_as_is: bool = True) -> dict:
    """The program's fields as stored, or every problem with them at once (Refusals).
    `opened_as_is`: the edit form showed the program as it is; a settled audience is told
    with the rest only then, as an out-of-date form first shows how it reads now."""
    problems = Problems()
    title = problems.check(_clean_line, title, "title", "a title", TITLE_LIMIT)
    # The short name is made from the title when left empty: with no title, it waits for one.
    if title is not None or (slug or "").strip():
        slug = problems.check(_clean_slug, slug, title or "", program)
    if audience not in AUDIENCES:
        problems.add("Choose who the program is for: everyone, teens or adults.", "audience")
    elif opened_as_is and program is not None:
        problems.check(_refuse_settled_audience, program, audience)
    summary_md = problems.check(_clean_text, summary_md, "summary_md")
    required = problems.check(_badge, required_badge, "required_badge")
    awarded = problems.check(_badge, awarded_badge, "awarded_badge")
    problems.refuse_any()
    return dict(title=title, slug=slug, summary_md=summary_md, summary_html=render_markdown(summary_md),
                audience=audience, required_badge=required, awarded_badge=awarded)


def _commit(message: str) -> None:
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(message) from None


def create_program(trainer, **fields) -> Program:
    """Fields: title, slug, summary_md, audience, required_badge and awarded_badge (slugs)."""
    _require_trainer(trainer)
    if earlier := _same_program_just_created(trainer, **fields):
        return earlier
    program = Program(created_by_id=trainer.id, published=False, **_program_values(None, **fields))
    db.session.add(program)
    _commit("Another program took that short name at the same moment; choose another.")
    return program


def _same_program_just_created(trainer, *, title, slug, summary_md, audience, required_badge,
                               awarded_badge) -> Program | None:
    """The program `trainer` saved with these very fields in the last RESENT_WITHIN, or
    None: a double-click sends the form twice, and the second send would find its short
    name taken by the first."""
    title = typed_line(title)
    program = db.session.scalar(select(Program).where(
        Program.slug == ((slug or "").strip().lower() or slug_from(title)), Program.created_by_id == trainer.id,
        Program.created_at >= utcnow() - RESENT_WITHIN))
    if program is None:
        return None
    badges = (program.required_badge.slug if program.required_badge else "",
              program.awarded_badge.slug if program.awarded_badge else "")
    same = (program.title, program.summary_md, program.audience, badges) == (
        title, typed_text(summary_md), audience, (required_badge or "", awarded_badge or ""))
    return program if same else None


AUDIENCE_SETTLED = ("People have taken part in this program, so who it is for can no longer change: teens "
                    "and adults would meet in a space made for one of them, or lose their place in it. To offer "
                    "it to others, make a new program.")


def audience_is_settled(program) -> bool:
    """Whether anyone has enrolled in `program` or written in its discussions: from then on
    its audience stays as it was, as teen and adult spaces stay apart."""
    enrolled = select(Enrollment.id).where(Enrollment.program_id == program.id)
    written = select(Post.id).join(Discussion, Discussion.thread_id == Post.thread_id).where(
        Discussion.program_id == program.id)
    return db.session.scalar(select(or_(enrolled.exists(), written.exists()))) or False


def _refuse_settled_audience(program, audience: str) -> None:
    if audience != program.audience and audience_is_settled(program):
        raise DomainError(AUDIENCE_SETTLED, "audience")


def enrolled_count(program) -> int:
    """Those taking part: not those who left."""
    return db.session.scalar(select(func.count(Enrollment.id)).where(
        Enrollment.program_id == program.id, Enrollment.left_at.is_(None))) or 0


def discussion_count(program) -> int:
    return db.session.scalar(select(func.count(Discussion.id)).where(Discussion.program_id == program.id)) or 0


def update_program(trainer, program, based_on: str | None = None, **fields) -> Program:
    """`based_on` is the program_version its edit form was opened at (see _refuse_undoing_unseen)."""
    _require_trainer(trainer)
    opened_as_is = not based_on or based_on == program_version(program)
    values = _program_values(program, opened_as_is=opened_as_is, **fields)
    _refuse_undoing_unseen(program, values, based_on, program_version, "program")
    _refuse_settled_audience(program, values["audience"])
    for name, value in values.items():
        setattr(program, name, value)
    program.updated_at = utcnow()
    # The discussions' threads carry the program's age group and badge lock.
    db.session.execute(update(Thread).where(Thread.id.in_(
        select(Discussion.thread_id).where(Discussion.program_id == program.id))).values(
        audience=program.audience, required_badge_id=program.required_badge.id if program.required_badge else None))
    _commit("Another program took that short name at the same moment; choose another.")
    return program


def set_published(trainer, program, published: bool) -> None:
    _require_trainer(trainer)
    if published:
        count = db.session.scalar(select(func.count(Discussion.id)).where(Discussion.program_id == program.id))
        if not count:
            raise DomainError("Add at least one discussion before publishing the program.")
    if program.published != published:
        audit.log_published(trainer, program, published)
    program.published = published
    program.updated_at = utcnow()
    db.session.commit()


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
    title = problems.check(_clean_line, title, "title", "a title", TITLE_LIMIT)
    lesson_md = problems.check(_clean_text, lesson_md, "lesson_md")
    prompt = problems.check(_clean_line, prompt, "prompt", "a prompt", PROMPT_LIMIT)
    response_template = problems.check(_clean_text, response_template, "response_template", TEMPLATE_LIMIT)
    min_words = problems.check(_requirement, min_words, "min_words", "word", "words", MAX_WORDS)
    required_peer_replies = problems.check(_requirement, required_peer_replies, "required_peer_replies",
                                           "fellow trainee to reply to", "fellow trainees to reply to", MAX_PEERS)
    problems.refuse_any()
    return dict(title=title, lesson_md=lesson_md, lesson_html=render_markdown(lesson_md), prompt=prompt,
                response_template=response_template, min_words=min_words,
                required_peer_replies=required_peer_replies, post_first=bool(post_first))


def add_discussion(trainer, program, **fields) -> Discussion:
    """Fields: title, lesson_md, prompt, response_template, min_words, required_peer_replies, post_first."""
    _require_trainer(trainer)
    values = _discussion_values(**fields)
    if earlier := _same_discussion_just_added(trainer, program, values):
        return earlier
    last = db.session.scalar(select(func.max(Discussion.position)).where(Discussion.program_id == program.id))
    thread = new_thread(kind=THREAD_KIND, title=values["title"], author=trainer, audience=program.audience,
                        required_badge=program.required_badge)
    discussion = Discussion(program_id=program.id, position=(last or 0) + 1, thread_id=thread.id, **values)
    db.session.add(discussion)
    program.updated_at = utcnow()
    _commit("Another discussion was added at the same moment. Your text is still here: save again.")
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
    """`based_on` is the discussion_version its edit form was opened at (see _refuse_undoing_unseen).
    Returns the discussion and how many trainees now meet what it asks and have completed it."""
    _require_trainer(trainer)
    asked_before = (discussion.min_words, discussion.required_peer_replies)
    values = _discussion_values(**fields)
    _refuse_undoing_unseen(discussion, values, based_on, discussion_version, "discussion")
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
    _require_trainer(trainer)
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
    _commit("Someone else reordered these discussions at the same moment: please look and try again.")


def move_discussion(trainer, program, discussion, direction: str) -> None:
    """Swap a discussion with its neighbour above ("up") or below ("down")."""
    _require_trainer(trainer)
    order = db.session.scalars(select(Discussion.id).where(Discussion.program_id == program.id)
                               .order_by(Discussion.position)).all()
    here = order.index(discussion.id)
    there = here - 1 if direction == "up" else here + 1 if direction == "down" else None
    if there is None or not 0 <= there < len(order):
        raise DomainError("That discussion can't move further that way.")
    order[here], order[there] = order[there], order[here]
    reorder_discussions(trainer, program, {did: number for number, did in enumerate(order, start=1)})


def preview(markdown_text: str) -> str:
    """The HTML a trainer's Markdown will show as, for the preview button."""
    return render_markdown(_clean_text(markdown_text, "preview"))


WRITTEN_IN = ("Trainees have written in “{title}”, so it can't be deleted: their responses and replies would "
              "go with it. You can edit the discussion instead.")


def has_been_written_in(discussion) -> bool:
    """Whether anyone posted in the discussion, including posts since hidden or removed."""
    return db.session.scalar(select(Post.id).where(Post.thread_id == discussion.thread_id).limit(1)) is not None


def delete_discussion(trainer, program, discussion) -> None:
    """Delete a discussion nobody has written in, with its empty thread; the later
    discussions move up a place. In a published program a trainee who had done every
    other discussion has now completed the program."""
    _require_trainer(trainer)
    if has_been_written_in(discussion) or db.session.scalar(select(DiscussionCompletion.id).where(
            DiscussionCompletion.discussion_id == discussion.id).limit(1)) is not None:
        raise DomainError(WRITTEN_IN.format(title=discussion.title))
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
    _commit("The discussions changed at the same moment: please look and try again.")
