"""Trainers' work on programs: writing them and publishing them; and the checks every
save of a trainer's shares, writing a program or a discussion (discussion_authoring.py).

Every function checks the trainer's permission, validates, writes and commits once.
"""
import hashlib
import json
import re
import unicodedata
from datetime import timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError

from forum.clock import utcnow
from forum.errors import Conflict, DomainError, Forbidden, Problems
from forum.extensions import db
from forum.models.accounts import Badge
from forum.models.posts import AUDIENCES, Post, Thread
from forum.models.training import Discussion, Enrollment, Program
from forum.text import render_markdown
from forum.text.typed import typed_line, typed_text
from forum.training import audit
from forum.training.permissions import authoring_refusal

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
RESERVED_SLUGS = {"new"}
TITLE_LIMIT, SLUG_LIMIT, TEXT_LIMIT = 120, 60, 50_000
# A program or discussion sent again this soon with the same words is the same one (a
# double-click, or a send repeated after a slow answer).
RESENT_WITHIN = timedelta(minutes=2)


class ChangedMeanwhile(Conflict):
    """The edit form was opened before someone else saved a change it would undo unseen."""


CHANGED_MEANWHILE = ("Someone else changed this {what} since you opened this page (another trainer, or you in "
                     "another tab). Here is how it reads now; what you typed is still in the form below it. "
                     "Save again to put yours in its place.")
PROGRAM_FIELDS = ("title", "slug", "summary_md", "audience", "required_badge_id", "awarded_badge_id")


def fingerprint(thing, fields) -> str:
    return hashlib.sha256(json.dumps([getattr(thing, name) for name in fields]).encode()).hexdigest()[:16]


def program_version(program) -> str:
    """A short fingerprint of what the program's edit form holds. The form carries the one
    it was opened with, so saving can tell that another trainer changed the program since.
    Publishing or adding discussions meanwhile changes nothing the form would put back."""
    return fingerprint(program, PROGRAM_FIELDS)


def refuse_undoing_unseen(thing, values: dict, based_on: str | None, version, what: str) -> None:
    """Refuse a save that would change `thing` when its form was opened at another version
    than it has now: it would quietly undo that change. Without `based_on` (a page opened
    before forms carried it) the last save wins, as it did; a save changing nothing passes."""
    if not based_on or based_on == version(thing):
        return
    if any(getattr(thing, name) != value for name, value in values.items()):
        raise ChangedMeanwhile(CHANGED_MEANWHILE.format(what=what))


def require_trainer(user) -> None:
    if refusal := authoring_refusal(user, utcnow()):
        raise Forbidden(refusal)


def clean_line(value, field: str, label: str, limit: int, required: bool = True) -> str:
    value = typed_line(value)
    if required and not value:
        raise DomainError(f"Give it {label}.", field)
    if len(value) > limit:
        raise DomainError(f"Keep {label} under {limit} characters (this is {len(value):,}).", field)
    return value


def clean_text(value, field: str, limit: int = TEXT_LIMIT) -> str:
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
    title = problems.check(clean_line, title, "title", "a title", TITLE_LIMIT)
    # The short name is made from the title when left empty: with no title, it waits for one.
    if title is not None or (slug or "").strip():
        slug = problems.check(_clean_slug, slug, title or "", program)
    if audience not in AUDIENCES:
        problems.add("Choose who the program is for: everyone, teens or adults.", "audience")
    elif opened_as_is and program is not None:
        problems.check(_refuse_settled_audience, program, audience)
    summary_md = problems.check(clean_text, summary_md, "summary_md")
    required = problems.check(_badge, required_badge, "required_badge")
    awarded = problems.check(_badge, awarded_badge, "awarded_badge")
    problems.refuse_any()
    return dict(title=title, slug=slug, summary_md=summary_md, summary_html=render_markdown(summary_md),
                audience=audience, required_badge=required, awarded_badge=awarded)


def commit_or_conflict(message: str) -> None:
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(message) from None


def create_program(trainer, **fields) -> Program:
    """Fields: title, slug, summary_md, audience, required_badge and awarded_badge (slugs)."""
    require_trainer(trainer)
    if earlier := _same_program_just_created(trainer, **fields):
        return earlier
    program = Program(created_by_id=trainer.id, published=False, **_program_values(None, **fields))
    db.session.add(program)
    commit_or_conflict("Another program took that short name at the same moment; choose another.")
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
    """`based_on` is the program_version its edit form was opened at (see refuse_undoing_unseen)."""
    require_trainer(trainer)
    opened_as_is = not based_on or based_on == program_version(program)
    values = _program_values(program, opened_as_is=opened_as_is, **fields)
    refuse_undoing_unseen(program, values, based_on, program_version, "program")
    _refuse_settled_audience(program, values["audience"])
    for name, value in values.items():
        setattr(program, name, value)
    program.updated_at = utcnow()
    # The discussions' threads carry the program's age group and badge lock.
    db.session.execute(update(Thread).where(Thread.id.in_(
        select(Discussion.thread_id).where(Discussion.program_id == program.id))).values(
        audience=program.audience, required_badge_id=program.required_badge.id if program.required_badge else None))
    commit_or_conflict("Another program took that short name at the same moment; choose another.")
    return program


def set_published(trainer, program, published: bool) -> None:
    require_trainer(trainer)
    if published and not discussion_count(program):
        raise DomainError("Add at least one discussion before publishing the program.")
    if program.published != published:
        audit.log_published(trainer, program, published)
    program.published = published
    program.updated_at = utcnow()
    db.session.commit()


def emptying_refusal(program, discussion, count: int) -> str | None:
    """Why deleting `discussion`, one of the program's `count`, would leave a published program
    with none, or None. Publishing an empty program is refused (set_published): its trainees
    would read "0 of 0 discussions done"."""
    if program.published and count <= 1:
        return (f"“{discussion.title}” is the only discussion of this published program, and a published program "
                "needs at least one: unpublish the program first, or add another discussion.")
    return None


def preview(markdown_text: str) -> str:
    """The HTML a trainer's Markdown will show as, for the preview button."""
    return render_markdown(clean_text(markdown_text, "preview"))
