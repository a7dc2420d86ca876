"""What the trainees' pages show, each loaded in a fixed number of queries."""
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from sqlalchemy import and_, bindparam, exists, func, or_, select
from sqlalchemy.orm import aliased

from forum.accounts.permissions import is_signed_in
from forum.extensions import db
from forum.models.accounts import UserBadge
from forum.models.training import Discussion, DiscussionCompletion, DiscussionReopening, Enrollment, Program
from forum.posts.reading import ThreadPage, load_thread_page
from forum.posts.visibility import READERS_KEPT, viewer_of
from forum.training import completion, own_posts, services
from forum.training.dashboard import current_position, waiting_since
from forum.training.permissions import age_group_of, can_manage_programs, entry_refusal, sees_every_discussion
from forum.training.requirements import Checklist, checklist_for, counting_since, fellows_posted_and_to_come

PROGRAMS_PER_PAGE = 20


@dataclass(frozen=True)
class NextDiscussion:
    position: int
    title: str


@dataclass
class CatalogueEntry:
    program: Program
    discussion_count: int
    enrolled: bool = False
    done_count: int = 0
    completed: bool = False
    next_discussion: NextDiscussion | None = None
    # When `user` left the program (then not `enrolled`; `done_count` is what they did before).
    left_at: datetime | None = None


def programs_visible_to(user):
    """Select the programs `user` may see (the SQL twin of `can_see_program`)."""
    statement = select(Program)
    if not can_manage_programs(user):
        statement = statement.where(Program.published)
    if not sees_every_discussion(user):
        statement = statement.where(Program.audience.in_(("everyone", age_group_of(user) or "everyone")))
    return statement


def catalogue(user, page: int):
    """A page of programs `user` may see, each with its size and `user`'s progress."""
    statement = programs_visible_to(user).order_by(Program.published.desc(), Program.title, Program.id)
    pagination = db.paginate(statement, page=page, per_page=PROGRAMS_PER_PAGE, error_out=False)
    ids = [program.id for program in pagination.items]
    counts = dict(db.session.execute(select(Discussion.program_id, func.count(Discussion.id))
                                     .where(Discussion.program_id.in_(ids)).group_by(Discussion.program_id)).all())
    entries = {program.id: CatalogueEntry(program, counts.get(program.id, 0)) for program in pagination.items}
    if is_signed_in(user) and ids:
        for program_id, completed_at, left_at, done_count, position, title in db.session.execute(
                _progress_statement(), {"user_id": user.id, "program_ids": ids}):
            entry = entries[program_id]
            entry.done_count, entry.left_at = done_count, left_at
            if left_at is not None:
                continue  # the card says they left, and offers to enrol again, as the program page does
            entry.enrolled, entry.completed = True, completed_at is not None
            entry.next_discussion = NextDiscussion(position, title) if position is not None else None
    return pagination, [entries[pid] for pid in ids]


@lru_cache(maxsize=1)
def _progress_statement():
    """A reader's enrolments among a catalogue page's programs (those they left too): how far
    they got and their next discussion. The same for every reader (who and which programs are bound), so made
    once: building it, the next discussion's clause above all, cost more than running it."""
    done = (select(func.count(DiscussionCompletion.id))
            .where(DiscussionCompletion.enrollment_id == Enrollment.id).scalar_subquery())
    following = aliased(Discussion)
    # The next discussion's columns, not the entity: loading it joins its program in
    # (an inner join), which dropped the row of a trainee with no next discussion, a
    # graduate, and the catalogue forgot they had enrolled.
    return (select(Enrollment.program_id, Enrollment.completed_at, Enrollment.left_at, done,
                   following.position, following.title)
            .outerjoin(following, and_(following.program_id == Enrollment.program_id,
                                       following.position == current_position()))
            .where(Enrollment.user_id == bindparam("user_id"),
                   Enrollment.program_id.in_(bindparam("program_ids", expanding=True))))


def featured_programs(user, limit: int = 3) -> list[Program]:
    """The newest published programs `user` may see, for the front page."""
    return list(db.session.scalars(_featured_statement(viewer_of(user), limit)))


def offers_programs(user) -> bool:
    """Whether a published program is open to `user`, for search's Where: a teen whose forum
    holds only programs for adults has none to work through. (The front page asks its
    featured programs, which it lists anyway.)"""
    statement = programs_visible_to(viewer_of(user)).where(Program.published)
    return bool(db.session.scalar(statement.exists().select()))


@dataclass
class NextStep:
    program: Program
    discussion: Discussion
    done_count: int
    total: int


def next_steps(user, limit: int = 3) -> list[NextStep]:
    """Where `user` carries on in the programs they are working through, the one they
    moved in last first: a returning trainee's front page leads straight there."""
    if not is_signed_in(user):
        return []
    rows = db.session.execute(_next_steps_statement(viewer_of(user), limit), {"user_id": user.id})
    return [NextStep(*row) for row in rows]


@lru_cache(maxsize=READERS_KEPT)
def _next_steps_statement(viewer, limit: int):
    # Every trainee's front page runs this: made once per kind of reader, as above.
    following = aliased(Discussion)
    done = (select(func.count(DiscussionCompletion.id))
            .where(DiscussionCompletion.enrollment_id == Enrollment.id).correlate(Enrollment).scalar_subquery())
    total = (select(func.count(Discussion.id))
             .where(Discussion.program_id == Enrollment.program_id).correlate(Enrollment).scalar_subquery())
    statement = (programs_visible_to(viewer).add_columns(following, done, total)
                 .join(Enrollment, Enrollment.program_id == Program.id)
                 .join(following, and_(following.program_id == Program.id, following.position == current_position()))
                 .where(Program.published, Enrollment.user_id == bindparam("user_id"),
                        Enrollment.completed_at.is_(None), Enrollment.left_at.is_(None)))
    if not sees_every_discussion(viewer):
        # A badge taken away (or asked for after they enrolled) closes the program:
        # "Continue with" would lead to a locked discussion (permissions.closed_refusal).
        statement = statement.where(or_(Program.required_badge_id.is_(None),
                                        exists().where(UserBadge.user_id == bindparam("user_id"),
                                                       UserBadge.badge_id == Program.required_badge_id)))
    return statement.order_by(waiting_since().desc(), Enrollment.id.desc()).limit(limit)


def opened_by_badge(user, badge) -> list[Program]:
    """The published programs `badge` opens that `user` may see and has not completed: a
    graduate who earned it is told where it leads, not left to find the lock gone in the
    catalogue (one they completed, that one too perhaps, leads nowhere new)."""
    completed = exists().where(Enrollment.program_id == Program.id, Enrollment.user_id == user.id,
                               Enrollment.completed_at.is_not(None))
    return list(db.session.scalars(programs_visible_to(user).where(
        Program.published, Program.required_badge_id == badge.id, ~completed).order_by(Program.title, Program.id)))


def earning_badge(user, program) -> list[Program]:
    """The published programs `user` may see that award the badge `program` needs and
    `user` lacks: a lock that says only "you need it" leaves them no way on."""
    badge = program.required_badge
    if badge is None or not is_signed_in(user) or badge.slug in user.badge_slugs:
        return []
    return list(db.session.scalars(programs_visible_to(user).where(
        Program.published, Program.awarded_badge_id == badge.id, Program.id != program.id)
        .order_by(Program.title, Program.id)))


def earning_badges(user, programs) -> dict[int, list[Program]]:
    """`earning_badge` for a list of programs in one query: each locked program's id with the
    programs that award the badge it needs, for the catalogue's cards and the front page."""
    lacked = {program.required_badge_id for program in programs if program.required_badge is not None
              and program.required_badge.slug not in getattr(user, "badge_slugs", ())}
    if not lacked or not is_signed_in(user):
        return {}
    earners = db.session.scalars(programs_visible_to(user).where(
        Program.published, Program.awarded_badge_id.in_(lacked)).order_by(Program.title, Program.id)).all()
    return {program.id: [earner for earner in earners
                         if earner.awarded_badge_id == program.required_badge_id and earner.id != program.id]
            for program in programs if program.required_badge_id in lacked}


@lru_cache(maxsize=READERS_KEPT)
def _featured_statement(viewer, limit: int):
    # Every front page runs this: made once per kind of reader (a Viewer holds what
    # programs_visible_to reads: roles and age group), not built and keyed afresh.
    return (programs_visible_to(viewer).where(Program.published)
            .order_by(Program.created_at.desc(), Program.id.desc()).limit(limit))


@dataclass
class DiscussionPage:
    access: services.DiscussionAccess
    view: ThreadPage | None = None
    checklist: Checklist | None = None
    reopening: DiscussionReopening | None = None
    # Locked until the trainee completes the one before it, which they are working on:
    # their checklist there, so the locked page says what is left.
    before_checklist: Checklist | None = None
    # Closed because they left the program or lost the badge it needs: whether they wrote in it
    # (the page says where to read it).
    wrote_before_closed: bool = False

    @property
    def discussion(self) -> Discussion:
        return self.access.discussion

    @property
    def progress(self):
        return self.access.progress


def discussion_page(user, slug: str, position: int, page: int) -> DiscussionPage:
    """The discussion with its posts and the trainee's checklist; only the title (and the
    refusal) when it is locked for `user`."""
    access = services.discussion_at(user, slug, position)
    if access.refusal:
        wrote = own_posts.closed_because(user, access.progress) is not None \
            and own_posts.wrote_in(user, access.discussion.program)
        return DiscussionPage(access, before_checklist=_checklist_before(user, access), wrote_before_closed=wrote)
    discussion, progress = access.discussion, access.progress
    result = DiscussionPage(access, view=load_thread_page(user, discussion.thread, page))
    if progress.is_enrolled:
        if progress.was_reopened(discussion):
            result.reopening = completion.latest_reopening(progress.enrollment.id, discussion.id)
        since = result.reopening.reopened_at if result.reopening else None
        result.checklist = checklist_for(user.id, discussion, since)
        if not progress.is_done(discussion):  # completed before a trainer asked for more: nothing is awaited
            _count_fellows_if_replies_wait(user, discussion, result.checklist)
    return result


def _count_fellows_if_replies_wait(user, discussion, checklist: Checklist) -> None:
    """Whoever posts first has nobody to reply to yet, and a program may hold fewer fellow
    trainees than the replies asked: while replies are missing, the checklist counts those who
    posted and those to come, for the page to say which (one statement)."""
    if not checklist.replies_ok:
        checklist.fellows_posted, checklist.fellows_to_come = fellows_posted_and_to_come(user.id, discussion,
                                                                                 checklist.peer_ids)


def _checklist_before(user, access) -> Checklist | None:
    """The trainee's checklist in the discussion before a locked one, when that is the one
    they are working on (not when the program's age group or badge keeps them out)."""
    progress = access.progress
    if not progress.is_enrolled or entry_refusal(user, progress.program):
        return None
    before = progress.previous(access.discussion)
    if before is None or before is not progress.current:
        return None
    checklist = checklist_for(user.id, before, counting_since(progress.enrollment.id, before.id))
    _count_fellows_if_replies_wait(user, before, checklist)  # the locked page says when waiting can't do it
    return checklist
