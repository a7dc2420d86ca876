"""A program's progress for its trainers: trainees by discussion with their state, who has
been waiting longest and the completion funnel (drawn as SVG); its CSV export is
forum.training.dashboard_csv.

Each runs a fixed number of statements whatever the number of trainees or posts: the
trainees are paginated and everything shown beside them comes from grouped queries.
"""
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from sqlalchemy import and_, case, distinct, exists, func, null, or_, select, union
from sqlalchemy.orm import aliased, contains_eager, joinedload

from forum.errors import Forbidden
from forum.extensions import db
from forum.models.accounts import User
from forum.models.posts import Post
from forum.models.training import (
    Discussion, DiscussionCompletion, DiscussionReopening, Enrollment, KeptOpenDiscussion,
)
from forum.posts.mention_suggestions import name_prefixes
from forum.text.typed import typed_whole_number
from forum.training.permissions import can_manage_programs
from forum.training.progress import Progress
from forum.training.records import (
    NOTHING_OPENED, asked_of_enrolled, completions_by_enrollment, has_posted_in, opened_by_trainers,
)
from forum.training.requirements import count_words, too_few_fellows_warnings

TRAINEES_PER_PAGE = 25
# Trainees taking part: those who left the program are counted apart and listed nowhere.
TAKING_PART = Enrollment.left_at.is_(None)
STUCK_SHOWN = 5
FINISHED = "finished"


def current_position():
    """SQL, per enrolment: the position of the discussion the trainee is working on, as
    Progress.current has it: the first asked of them and not done, unless a new order kept
    open one they had started and not done (NULL: the program is complete, even if a
    trainer added a discussion since)."""
    # Two levels deep: name both outer tables, or Enrollment would join in uncorrelated.
    not_done = ~exists().where(DiscussionCompletion.enrollment_id == Enrollment.id,
                               DiscussionCompletion.discussion_id == Discussion.id).correlate(Enrollment, Discussion)
    # Of someone who completed the program once, only what they did (and a trainer reopened).
    required = asked_of_enrolled(Discussion.id)
    started = and_(exists().where(KeptOpenDiscussion.enrollment_id == Enrollment.id,
                                  KeptOpenDiscussion.discussion_id == Discussion.id).correlate(Enrollment, Discussion),
                   has_posted_in(Discussion, Enrollment.user_id).correlate(Enrollment, Discussion))

    def first(*where):
        return (select(func.min(Discussion.position)).where(Discussion.program_id == Enrollment.program_id, *where)
                .correlate(Enrollment).scalar_subquery())
    return case((Enrollment.completed_at.is_not(None), null()),
                else_=func.coalesce(first(not_done, required, started), first(not_done, required)))


def waiting_since():
    """SQL, per enrolment: the last time it moved (enrolled, completed or reopened). Someone
    who left and enrolled again is enrolled since then, after what they did before."""
    last_done = select(func.max(DiscussionCompletion.completed_at)).where(
        DiscussionCompletion.enrollment_id == Enrollment.id).correlate(Enrollment).scalar_subquery()
    last_reopened = select(func.max(DiscussionReopening.reopened_at)).where(
        DiscussionReopening.enrollment_id == Enrollment.id).correlate(Enrollment).scalar_subquery()
    moved = case((last_done > Enrollment.enrolled_at, last_done), else_=Enrollment.enrolled_at)
    return case((last_reopened > moved, last_reopened), else_=moved)


@dataclass
class TraineeRow:
    progress: Progress
    # Thread id -> the most words of the trainee's own in a response that counts (as the
    # trainee's checklist counts them); no entry where they have posted none.
    responses: dict[int, int] = field(default_factory=dict)
    peers: dict[int, int] = field(default_factory=dict)  # thread id -> different trainees replied to

    @property
    def user(self) -> User:
        return self.progress.enrollment.user


@dataclass
class FunnelBar:
    label: str
    count: int
    percent: int
    y: int
    width: float


@dataclass
class Dashboard:
    program: object
    discussions: list
    page: object
    rows: list[TraineeRow]
    enrolled: int
    finished: int
    at_position: dict  # position (None: finished) -> trainees there
    funnel: list[FunnelBar]
    stuck: list[tuple[Enrollment, datetime, int | None]]
    at: str | None
    # A name typed to find trainees by ("" when none): the table shows only those who match.
    who: str = ""
    # (user id, thread id) -> the most words in a counted response / fellow trainees replied
    # to, for those waiting longest: what they still need is said beside their name.
    stuck_responses: dict = field(default_factory=dict)
    stuck_peers: dict = field(default_factory=dict)
    # (user id, thread id) -> when a trainer last reopened it for them, for the page's trainees
    # and those waiting longest.
    reopened: dict = field(default_factory=dict)
    sort: str = "enrolled"  # one of SORTS
    left: int = 0  # how many left the program (not counted as enrolled)
    # Those who left and match `who`, with how many discussions they had completed: a
    # trainer looking for someone is told they left, not that nobody has that name.
    left_named: list[tuple[Enrollment, int]] = field(default_factory=list)

    @cached_property
    def too_few_fellows(self) -> list[str]:
        """Warnings for the discussions that ask more replies than the trainees can give each other."""
        return list(too_few_fellows_warnings(self.discussions).values())


def require_trainer(user) -> None:
    if not can_manage_programs(user):
        raise Forbidden("Only trainers can see a program's progress.")


def discussions_of(program) -> list[Discussion]:
    return list(db.session.scalars(select(Discussion).where(Discussion.program_id == program.id)
                                   .order_by(Discussion.position)))


def activity(program, discussions, user_ids):
    """Per (trainee, thread): the most words in one of their live responses, and how many
    different fellow trainees they replied to. Only posts that count towards the
    discussion, so after a reopening only those written since, with words counted as the
    trainee's checklist counts them (requirements.py): "response posted" means the same
    on both pages."""
    threads = [d.thread_id for d in discussions]
    templates = {d.thread_id: d.response_template for d in discussions}
    reopened = _latest_reopenings(program, user_ids)
    counted = (Post.deleted_at.is_(None), Post.hidden_at.is_(None), Post.thread_id.in_(threads),
               Post.author_id.in_(user_ids), or_(reopened.c.at.is_(None), Post.created_at > reopened.c.at))
    since_reopened = and_(reopened.c.user_id == Post.author_id, reopened.c.thread_id == Post.thread_id)
    responses = {}
    for author_id, thread_id, body in db.session.execute(
            select(Post.author_id, Post.thread_id, Post.body_md).outerjoin(reopened, since_reopened)
            .where(*counted, Post.parent_id.is_(None))):
        words = count_words(body, templates[thread_id])
        responses[author_id, thread_id] = max(words, responses.get((author_id, thread_id), 0))
    response = aliased(Post)
    peers = {(a, t): n for a, t, n in db.session.execute(
        select(Post.author_id, Post.thread_id, func.count(distinct(response.author_id)))
        .join(response, Post.parent_id == response.id)
        # A fellow who left since is one still (requirements.py): not TAKING_PART here.
        .join(Enrollment, and_(Enrollment.user_id == response.author_id, Enrollment.program_id == program.id))
        .outerjoin(reopened, since_reopened)
        .where(*counted, response.author_id != Post.author_id).group_by(Post.author_id, Post.thread_id))}
    return responses, peers


def reopenings(program, user_ids) -> dict[tuple[int, int], datetime]:
    """(trainee id, thread id) -> when a trainer last reopened that discussion for them: what
    they wrote before no longer counts, and the table says since when, not that they never
    responded."""
    latest = _latest_reopenings(program, user_ids)
    return {(user_id, thread_id): at for user_id, thread_id, at in db.session.execute(select(latest))}


def _latest_reopenings(program, user_ids):
    """A subquery: per trainee and discussion thread of `program`, when a trainer last
    reopened it for them (`at`)."""
    return (select(Enrollment.user_id, Discussion.thread_id, func.max(DiscussionReopening.reopened_at).label("at"))
            .join(Enrollment, Enrollment.id == DiscussionReopening.enrollment_id)
            .join(Discussion, Discussion.id == DiscussionReopening.discussion_id)
            .where(Enrollment.program_id == program.id, Enrollment.user_id.in_(user_ids))
            .group_by(Enrollment.user_id, Discussion.thread_id).subquery("reopened"))


def _ever_completed_by_discussion(program) -> dict[int, int]:
    """Discussion id -> how many trainees completed it, now or before a trainer reopened it.

    The funnel tells how far trainees got. A reopening asks for a discussion again but does
    not undo how far the trainee had got: counted by current completions, they would drop
    out of that step while staying in the later ones they did, and the funnel would rise
    (more people past discussion 3 than past discussion 2)."""
    def pairs(record):
        return (select(record.discussion_id, record.enrollment_id)
                .join(Enrollment, Enrollment.id == record.enrollment_id)
                .where(Enrollment.program_id == program.id, TAKING_PART))
    # UNION, not UNION ALL: done again after a reopening (or reopened twice) counts once.
    done_once = union(pairs(DiscussionCompletion), pairs(DiscussionReopening)).subquery()
    return dict(db.session.execute(select(done_once.c.discussion_id, func.count())
                                   .group_by(done_once.c.discussion_id)).all())


def funnel_bars(steps: list[tuple[str, int]], row_height: int = 52) -> list[FunnelBar]:
    """Bars for the funnel chart, as a share of those enrolled (the first step)."""
    top = max(steps[0][1], 1) if steps else 1
    return [FunnelBar(label=label, count=count, percent=round(100 * count / top),
                      y=number * row_height, width=max(0.5, 100 * count / top))
            for number, (label, count) in enumerate(steps)]


# Longer than any username or display name: what is typed past it can match nobody.
LONGEST_NAME_TYPED = 60


def _named(who: str):
    """SQL: trainees whose username starts with `who` ("@" or not) or whose display name
    holds it, whatever its capitals. SQLite's lower() and LIKE fold English letters only,
    so the name is also looked for as a display name may hold it ("élodie" as "Élodie"),
    as mention suggestions do."""
    key = unicodedata.normalize("NFC", who.removeprefix("@"))  # as display names are stored

    def escaped(text: str) -> str:
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")

    return or_(User.username_key.like(escaped(key.lower()) + "%", escape="\\"),
               func.lower(User.display_name).like("%" + escaped(key.lower()) + "%", escape="\\"),
               *(User.display_name.like("%" + escaped(held) + "%", escape="\\") for held in name_prefixes(key)))


# The orders of the trainees' table, by the value of `sort`, with what the page calls them.
SORTS = {"enrolled": "Enrolled first", "name": "Name", "behind": "Most behind first", "waiting": "Waiting longest"}


def _order(sort: str, position) -> list:
    """The table's ORDER BY for `sort`. Those who completed the program wait for nothing and
    are behind nobody: they come last in those two orders."""
    finished_last = case((position.is_(None), 1), else_=0)
    return {"name": [func.lower(User.display_name), User.username_key],
            "behind": [finished_last, position, waiting_since()],
            "waiting": [finished_last, waiting_since()],
            }.get(sort, [Enrollment.enrolled_at]) + [Enrollment.id]


def dashboard(trainer, program, page: int = 1, at: str | None = None, who: str | None = None,
              sort: str | None = None) -> Dashboard:
    """The trainer's view of `program`: where trainees are, the funnel, who waits longest, and
    a page of trainees, at one discussion (`at`, or "finished") and matching a name (`who`),
    in the order `sort` names (one of SORTS; the order they enrolled in otherwise)."""
    require_trainer(trainer)
    discussions = discussions_of(program)
    position = current_position()
    sort = sort if sort in SORTS else "enrolled"
    statement = (select(Enrollment).join(Enrollment.user).options(contains_eager(Enrollment.user))
                 .where(Enrollment.program_id == program.id, TAKING_PART).order_by(*_order(sort, position)))
    at_position = typed_whole_number(at)
    if at == FINISHED:
        statement = statement.where(position.is_(None))
    elif at_position is not None:
        statement = statement.where(position == at_position)
    else:
        at = None
    # Sixty trainees are three pages in the order they enrolled: a name finds one.
    who = " ".join((who or "").split())[:LONGEST_NAME_TYPED]
    left_named = []
    if who.removeprefix("@"):
        statement = statement.where(_named(who))
        left_named = _left_named(program, who)
    else:
        who = ""
    pagination = db.paginate(statement, page=page, per_page=TRAINEES_PER_PAGE, error_out=False)
    enrollments = pagination.items
    done = completions_by_enrollment(DiscussionCompletion.enrollment_id.in_([e.id for e in enrollments]))
    opened = opened_by_trainers([e.id for e in enrollments])
    stuck = _waiting_longest(program, position)
    # One read for the page's trainees and those waiting longest, who may be on another page.
    shown = list({e.user_id for e in enrollments} | {e.user_id for e, _, _ in stuck})
    responses, peers = activity(program, discussions, shown)
    rows = []
    for enrollment in enrollments:
        progress = Progress(program, discussions, enrollment, done.get(enrollment.id, {}),
                            *opened.get(enrollment.id, NOTHING_OPENED))
        rows.append(TraineeRow(progress, {d.thread_id: responses[enrollment.user_id, d.thread_id]
                                          for d in discussions if (enrollment.user_id, d.thread_id) in responses},
                               {d.thread_id: peers.get((enrollment.user_id, d.thread_id), 0) for d in discussions}))

    enrolled, finished, left = db.session.execute(select(
        func.count(case((TAKING_PART, Enrollment.id))), func.count(case((TAKING_PART, Enrollment.completed_at))),
        func.count(Enrollment.left_at)).where(Enrollment.program_id == program.id)).one()
    completed_by_discussion = _ever_completed_by_discussion(program)
    places = select(position.label("position")).where(Enrollment.program_id == program.id, TAKING_PART).subquery()
    at_position = dict(db.session.execute(select(places.c.position, func.count())
                                          .group_by(places.c.position)).all())
    steps = [("Enrolled", enrolled)] + [(f"{d.position}. {d.title}", completed_by_discussion.get(d.id, 0))
                                        for d in discussions] + [("Completed the program", finished)]
    return Dashboard(program, discussions, pagination, rows, enrolled, finished, at_position,
                     funnel_bars(steps), stuck, at, who, responses, peers, reopenings(program, shown), sort, left,
                     left_named)


def _left_named(program, who: str) -> list[tuple[Enrollment, int]]:
    """Those who left `program` whose name matches `who`, by name, with how many discussions
    they had completed."""
    done = (select(func.count(DiscussionCompletion.id))
            .where(DiscussionCompletion.enrollment_id == Enrollment.id).scalar_subquery())
    return [tuple(row) for row in db.session.execute(
        select(Enrollment, done).join(Enrollment.user).options(contains_eager(Enrollment.user))
        .where(Enrollment.program_id == program.id, Enrollment.left_at.is_not(None), _named(who))
        .order_by(func.lower(User.display_name), User.username_key, Enrollment.id).limit(TRAINEES_PER_PAGE)).all()]


def _waiting_longest(program, position) -> list[tuple[Enrollment, datetime, int]]:
    """The trainees who have not moved for longest, when they last did, and where they are."""
    since = waiting_since()
    # Not those who closed their account: they left, and no nudge reaches them. Nor those a
    # moderator moved out of the program's age group: it is closed to them (see age_groups).
    still_here = User.closed_at.is_(None)
    if program.audience != "everyone":
        still_here = and_(still_here, User.age_group == program.audience)
    return [tuple(row) for row in db.session.execute(
        select(Enrollment, since, position).options(joinedload(Enrollment.user, innerjoin=True))
        .where(Enrollment.program_id == program.id, TAKING_PART, position.is_not(None), Enrollment.user.has(still_here))
        .order_by(since, Enrollment.id).limit(STUCK_SHOWN)).unique().all()]
