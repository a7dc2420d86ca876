"""The rules of training: finding programs, a trainee's progress, who may read which
discussion (and its SQL twin for lists and search), and enrolling. Completing and
reopening discussions are in completion.py."""
from dataclasses import dataclass

from sqlalchemy import and_, bindparam, exists, false, or_, select, union, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import aliased, contains_eager, joinedload

from forum.accounts.permissions import is_signed_in
from forum.clock import utcnow
from forum.errors import Conflict, Forbidden, NotFound
from forum.extensions import db
from forum.links import path_for
from forum.memo import transaction_memo
from forum.models.posts import Post, Thread
from forum.models.training import (
    Discussion, DiscussionCompletion, DiscussionReopening, Enrollment, KeptOpenDiscussion, Program,
)
from forum.training.permissions import (
    can_see_program, discussion_refusal, enrol_refusal, leave_refusal, sees_every_discussion,
)
from forum.training.progress import Progress
from forum.training.records import NOTHING_OPENED, opened_by_trainers

# The engine asks the policy about the same thread for every post on a page; the answers
# are worked out once per transaction (forum/memo.py).
_MEMO = "training"


def _memo() -> dict:
    return transaction_memo(_MEMO)


def _user_key(user):
    return user.id if is_signed_in(user) else None


def insert_ignoring_duplicates(model, **values) -> bool:
    """Insert a row unless its unique key exists; True when inserted. A double click or two
    requests at once then record one row, without an error or a failed transaction."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(model).values(**values).on_conflict_do_nothing().returning(model.id)
    return db.session.execute(statement).scalar() is not None


def discussion_link(discussion) -> str:
    """A link that survives reordering: the thread's address redirects to the discussion."""
    return path_for("posts.thread", thread_id=discussion.thread_id)


def discussion_url(discussion, **params) -> str:
    return path_for("training.discussion", slug=discussion.program.slug, position=discussion.position, **params)


# Finding programs and progress -------------------------------------------------------

# Every discussion page runs these. Each is made once, with its values left as parameters:
# building a select and working out its cache key cost more than running it (half of each
# statement's time on a page).
_PROGRAM_BY_SLUG = select(Program).where(Program.slug == bindparam("slug"))
# Their threads joined: a discussion page reads its thread next.
_DISCUSSIONS_OF_PROGRAM = (select(Discussion).where(Discussion.program_id == bindparam("program_id"))
                           .options(joinedload(Discussion.thread)).order_by(Discussion.position))
# The same, found by the program's address, with the program: a discussion page needs
# both, and a program with no discussions has no discussion page either.
_DISCUSSIONS_OF_PROGRAM_AT = (select(Discussion).join(Discussion.program)
                              .options(contains_eager(Discussion.program), joinedload(Discussion.thread))
                              .where(Program.slug == bindparam("slug")).order_by(Discussion.position))
# The enrolment and its completions in one statement: a row per completion. And whether a
# trainer ever reopened a discussion of it or a new order kept one open: most trainees
# never meet either, and their pages then need not read which discussions.
_EVER_OPENED_BY_A_TRAINER = or_(
    exists().where(DiscussionReopening.enrollment_id == Enrollment.id).correlate(Enrollment),
    exists().where(KeptOpenDiscussion.enrollment_id == Enrollment.id).correlate(Enrollment))
_ENROLLMENT_WITH_COMPLETIONS = (
    select(Enrollment, DiscussionCompletion.discussion_id, DiscussionCompletion.completed_at,
           _EVER_OPENED_BY_A_TRAINER)
    .outerjoin(DiscussionCompletion, DiscussionCompletion.enrollment_id == Enrollment.id)
    .where(Enrollment.user_id == bindparam("user_id"), Enrollment.program_id == bindparam("program_id")))


def program_by_slug(user, slug: str) -> Program:
    return _seen_by(user, db.session.scalar(_PROGRAM_BY_SLUG, {"slug": slug}))


PROGRAM_CLOSED_FOR_NOW = ("This program is closed for now: its trainers made it a draft again. Your progress "
                          "is kept for when they open it again.")


def _seen_by(user, program: Program | None) -> Program:
    if program is None or not can_see_program(user, program):
        if program is not None and not program.published and _enrolled(user, program):
            # Its trainees know it exists: say why it is gone rather than "no program".
            raise NotFound(PROGRAM_CLOSED_FOR_NOW, title="This program is closed for now")
        raise NotFound("That program can't be found.")
    return program


def _enrolled(user, program: Program) -> bool:
    return is_signed_in(user) and db.session.scalar(select(Enrollment.id).where(
        Enrollment.user_id == user.id, Enrollment.program_id == program.id, Enrollment.left_at.is_(None))) is not None


def progress_in(user, program, discussions: list[Discussion] | None = None) -> Progress:
    """`user`'s place in `program`: its discussions, their enrolment and completions.
    `discussions`: the program's, in order, where the caller has just read them."""
    key, memo = ("progress", _user_key(user), program.id), _memo()
    if key in memo:
        return memo[key]
    if discussions is None:
        discussions = db.session.scalars(_DISCUSSIONS_OF_PROGRAM, {"program_id": program.id}).all()
    enrollment, completed, opened = None, {}, NOTHING_OPENED
    if is_signed_in(user):
        rows = db.session.execute(_ENROLLMENT_WITH_COMPLETIONS, {"user_id": user.id, "program_id": program.id}).all()
        if rows and rows[0][0].has_left:
            # Not taking part: their discussions are closed to them, as to anyone not enrolled.
            left = rows[0][0]
            progress = Progress(program, list(discussions), left=left,
                                left_done=sum(1 for row in rows if row[1] is not None))
            memo[key] = progress
            return progress
        if rows:
            enrollment, opened_by_a_trainer = rows[0][0], rows[0][3]
            completed = {discussion_id: at for _, discussion_id, at, _ in rows if discussion_id is not None}
            if opened_by_a_trainer:
                opened = opened_by_trainers([enrollment.id]).get(enrollment.id, NOTHING_OPENED)
    progress = Progress(program, list(discussions), enrollment, completed, *opened)
    memo[key] = progress
    return progress


def discussion_for_thread(thread_id: int) -> Discussion | None:
    key, memo = ("thread", thread_id), _memo()
    if key not in memo:
        memo[key] = db.session.scalar(select(Discussion).where(Discussion.thread_id == thread_id))
    return memo[key]


def program_titles_of_threads(thread_ids: list[int]) -> dict[int, str]:
    """The title of the program each discussion thread belongs to, by thread id, in one statement."""
    if not thread_ids:
        return {}
    return dict(db.session.execute(select(Discussion.thread_id, Program.title)
                                   .join(Program, Program.id == Discussion.program_id)
                                   .where(Discussion.thread_id.in_(thread_ids))).all())


@dataclass
class DiscussionAccess:
    discussion: Discussion
    progress: Progress
    refusal: str | None
    # Post-first discussions hide others' responses until the trainee has posted.
    hides_others: bool


def access_to(user, discussion) -> DiscussionAccess:
    key, memo = ("access", _user_key(user), discussion.id), _memo()
    if key in memo:
        return memo[key]
    memo[("thread", discussion.thread_id)] = discussion
    progress = progress_in(user, discussion.program)
    refusal = discussion_refusal(user, progress, discussion)
    hides_others = False
    # Once they have done it, their response removed or hidden since, they have answered:
    # the others' stay readable (the SQL twin is _unanswered_post_first).
    if refusal is None and discussion.post_first and not sees_every_discussion(user) \
            and not progress.was_ever_done(discussion):
        hides_others = not has_responded(user.id, discussion.thread_id)
    access = DiscussionAccess(discussion, progress, refusal, hides_others)
    memo[key] = access
    return access


def has_responded(user_id: int, thread_id: int) -> bool:
    return db.session.scalar(select(exists().where(
        Post.thread_id == thread_id, Post.author_id == user_id, Post.parent_id.is_(None),
        Post.deleted_at.is_(None), Post.hidden_at.is_(None)))) or False


def discussion_at(user, slug: str, position: int) -> DiscussionAccess:
    """The discussion at `position` of the program, with what `user` may do there.

    Missing programs and discussions are 404; a locked one is found, and the caller shows
    its title with the reason (`access.refusal`).
    """
    discussions = db.session.scalars(_DISCUSSIONS_OF_PROGRAM_AT, {"slug": slug}).all()
    if discussions:
        program = _seen_by(user, discussions[0].program)
    else:
        program = program_by_slug(user, slug)
    discussion = progress_in(user, program, discussions).at(position)
    if discussion is None:
        raise NotFound(f"“{program.title}” has no discussion {position}.")
    return access_to(user, discussion)


# Names of the id sets the clauses below take as bound lists when asked to (`bound=True`,
# see forum/posts/visibility.py's `reader_id_sets`).
OPEN_DISCUSSIONS = "open_discussion_thread_ids"
HELD_BACK_DISCUSSIONS = "held_back_discussion_thread_ids"


def open_discussion_threads(user, bound: bool = False):
    """SQL: the discussion threads `user` may open, for lists and search (None: all).
    `bound`: their ids as the bound list OPEN_DISCUSSIONS rather than a subquery."""
    if sees_every_discussion(user):
        return None
    if not is_signed_in(user):
        return false()
    return Thread.id.in_(bindparam(OPEN_DISCUSSIONS, expanding=True) if bound else _opened_discussions(user))


def _opened_discussions(user):
    """The threads of the discussions open to `user`, as Progress.is_open has it: every one
    of a program they completed (even if a trainer reopened one since); otherwise the first of each program they are enrolled in,
    each one a new order kept open for them, and each one that they completed, or that was
    complete until a trainer reopened it, with the one after it."""
    kept_open, _ = _recorded(KeptOpenDiscussion, user)
    return (select(Discussion.thread_id)
            .join(Program, Program.id == Discussion.program_id)
            .join(Enrollment, and_(Enrollment.program_id == Program.id, Enrollment.user_id == user.id,
                                   Enrollment.left_at.is_(None)))
            .where(Program.published, or_(Discussion.position == 1, Enrollment.first_completed_at.is_not(None), kept_open,
                                          *_recorded(DiscussionCompletion, user),
                                          *_recorded(DiscussionReopening, user))))


def _recorded(record, user):
    """EXISTS clauses on the enrolment of `_opened_discussions`: it has a `record` row
    (a completion, a reopening, a discussion kept open) for the discussion, and for the
    one before it."""
    previous = aliased(Discussion)
    # The same condition as the correlation on enrolments.id, but one PostgreSQL can use
    # alone: it runs an EXISTS under OR as a hash of the whole subquery, which read every
    # trainee's completions (all 2,150 of the bench's, more as people train) on each
    # statement that carries this clause; now it reads the reader's own, by index.
    theirs = record.enrollment_id.in_(select(Enrollment.id).where(Enrollment.user_id == user.id))
    here = exists().where(record.enrollment_id == Enrollment.id, record.discussion_id == Discussion.id, theirs)
    before = exists(select(record.id).join(previous, previous.id == record.discussion_id).where(
        record.enrollment_id == Enrollment.id, previous.program_id == Discussion.program_id,
        previous.position == Discussion.position - 1, theirs))
    return here, before


def responses_held_back_clause(user, bound: bool = False):
    """SQL on posts: in post-first discussions `user` has not answered yet, only their own
    posts (the listing filter of every such thread at once, for search). None: nothing held back.
    `bound`: those discussions' thread ids as the bound list HELD_BACK_DISCUSSIONS."""
    if sees_every_discussion(user) or not is_signed_in(user):
        return None  # signed out, no discussion is visible at all
    waiting = bindparam(HELD_BACK_DISCUSSIONS, expanding=True) if bound else _unanswered_post_first(user)
    return or_(Post.thread_id.not_in(waiting), Post.author_id == user.id)


def _unanswered_post_first(user):
    """Post-first discussions `user` has no live response in and has never completed."""
    response = aliased(Post)
    answered = select(response.thread_id).where(
        response.author_id == user.id, response.parent_id.is_(None),
        response.deleted_at.is_(None), response.hidden_at.is_(None))
    theirs = select(Enrollment.id).where(Enrollment.user_id == user.id)
    done = union(select(DiscussionCompletion.discussion_id).where(DiscussionCompletion.enrollment_id.in_(theirs)),
                 select(DiscussionReopening.discussion_id).where(DiscussionReopening.enrollment_id.in_(theirs)))
    return select(Discussion.thread_id).where(Discussion.post_first.is_(True), Discussion.thread_id.not_in(answered),
                                              Discussion.id.not_in(done))


def discussion_id_sets(user) -> dict:
    """The subqueries behind the bound lists of the two clauses above, by name."""
    if sees_every_discussion(user) or not is_signed_in(user):
        return {}
    return {OPEN_DISCUSSIONS: _opened_discussions(user), HELD_BACK_DISCUSSIONS: _unanswered_post_first(user)}


# Enrolling ------------------------------------------------------------------------------

def enrol(user, program) -> Enrollment:
    """Enrol `user`, or take them back when they left: their progress is as they left it."""
    progress = progress_in(user, program)
    refusal = enrol_refusal(user, program, progress.enrollment, utcnow())
    if refusal:
        raise (Conflict if progress.enrollment is not None else Forbidden)(refusal)
    if not progress.discussions:
        raise Forbidden("This program has no discussions yet.")
    if progress.left is not None:
        # Enrolled from now: the dashboard's "waiting since" starts again here, not at the
        # last discussion they did before they left.
        back = db.session.execute(update(Enrollment).where(
            Enrollment.id == progress.left.id, Enrollment.left_at.is_not(None)).values(
            left_at=None, enrolled_at=utcnow())).rowcount
        if not back:
            raise Conflict("You are already enrolled in this program.")
    elif not insert_ignoring_duplicates(Enrollment, user_id=user.id, program_id=program.id, enrolled_at=utcnow()):
        raise Conflict("You are already enrolled in this program.")
    db.session.commit()
    return db.session.scalar(select(Enrollment).where(
        Enrollment.user_id == user.id, Enrollment.program_id == program.id))


def leave(user, program) -> None:
    """`user` leaves `program`: they take no part until they enrol again. What they wrote
    stays, and so do their completions, for if they come back."""
    progress = progress_in(user, program)
    if progress.left is not None:
        raise Conflict("You have left this program already.")
    if refusal := leave_refusal(user, progress):
        raise Forbidden(refusal)
    if not db.session.execute(update(Enrollment).where(
            Enrollment.id == progress.enrollment.id, Enrollment.left_at.is_(None)).values(left_at=utcnow())).rowcount:
        raise Conflict("You have left this program already.")  # a second press at the same moment
    db.session.commit()
