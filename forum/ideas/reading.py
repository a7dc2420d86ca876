"""Loading the idea board, a call's page and its shortlist in a fixed number of queries.

The ideas themselves come from the engine's `load_thread_page`; this module adds what a
call shows beside them (statuses, statistics), each in one query for the whole page.
"""
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from sqlalchemy import and_, bindparam, case, distinct, exists, func, select
from sqlalchemy.orm import aliased, contains_eager, joinedload, lazyload

from forum.extensions import db
from forum.models.accounts import User
from forum.models.ideas import IDEA_STATUSES, SHORTLIST_STATUSES, IdeaCall, IdeaStatus
from forum.models.posts import Post, Thread
from forum.ideas.policy import remember_statuses
from forum.posts.page_cache import kept_for_thread
from forum.posts.reading import ThreadPage, load_thread_page
from forum.posts.visibility import READERS_KEPT, viewer_of, visible_threads_clause

CALLS_PER_PAGE = 20
IDEAS_PER_PAGE = 20
SHORTLIST_PER_PAGE = 50
HOME_PANEL_CALLS = 3

NOT_REMOVED = and_(Post.deleted_at.is_(None), Post.hidden_at.is_(None))
# Reviewed means staff set any status but "new"; a missing row counts as new.
UNREVIEWED = and_(NOT_REMOVED, ~exists().where(IdeaStatus.post_id == Post.id, IdeaStatus.status != "new"))
# Each sort of the call page: the engine's order and any extra WHERE clauses.
SORT_QUERIES = {
    "oldest": ("oldest", ()),
    "newest": ("newest", ()),
    "reactions": ("reactions", ()),
    "replies": ("replies", ()),
    "unreviewed": ("oldest", (UNREVIEWED,)),
}


def having_status(status: str):
    """The WHERE clause of a call's ideas shown by status. A removed idea shows no status;
    an idea without a row is new, as the page labels it."""
    if status == "new":
        return UNREVIEWED
    return and_(NOT_REMOVED, exists().where(IdeaStatus.post_id == Post.id, IdeaStatus.status == status))


@dataclass
class CallCounts:
    ideas: int = 0
    contributors: int = 0
    replies: int = 0
    reactions: int = 0
    shortlisted: int = 0


class ShownStatus(NamedTuple):
    """An idea's status as its call's page shows it: plain values, kept with the page."""
    status: str
    note: str
    merged_into_id: int | None  # None once the idea it joined is removed (permissions.merge_target_gone)
    merged_into_author: str | None  # the display name of the merged-into idea's author

    @property
    def label(self) -> str:
        return IDEA_STATUSES[self.status]


@dataclass
class CallPage:
    call: IdeaCall
    ideas: ThreadPage
    statuses: dict[int, ShownStatus]
    counts: CallCounts
    sort: str
    status: str | None = None  # the one status shown, or None for every idea


def _last_activity():
    return func.coalesce(Thread.last_post_at, Thread.created_at)


def calls_visible_to(user, phase: str | None = None):
    """Select the calls `user` may see, most recently active first."""
    statement = (select(IdeaCall).join(IdeaCall.thread).options(contains_eager(IdeaCall.thread))
                 .where(visible_threads_clause(user)))
    if phase:
        statement = statement.where(IdeaCall.phase == phase)
    return statement.order_by(_last_activity().desc(), Thread.id.desc())


def board_page(user, phase: str | None, page: int):
    """A page of calls and, in one grouped query, their counts of ideas and contributors."""
    pagination = db.paginate(calls_visible_to(user, phase), page=page, per_page=CALLS_PER_PAGE,
                             error_out=False)
    return pagination, board_counts([call.thread_id for call in pagination.items])


def board_counts(thread_ids: list[int]) -> dict[int, CallCounts]:
    counts = {thread_id: CallCounts() for thread_id in thread_ids}
    if not thread_ids:
        return counts
    statement = (select(Post.thread_id, func.count(case((Post.parent_id.is_(None), Post.id))),
                        func.count(distinct(Post.author_id)))
                 .where(Post.thread_id.in_(thread_ids), NOT_REMOVED).group_by(Post.thread_id))
    for thread_id, ideas, people in db.session.execute(statement):
        counts[thread_id] = CallCounts(ideas=ideas, contributors=people)
    return counts


def call_counts(call: IdeaCall) -> CallCounts:
    """The call's statistics, counted once per version of the thread's content (setting a
    status or merging raises it too: services.set_status, merge_idea): a call of a
    thousand ideas took 1.6 ms to count."""
    return kept_for_thread(call.thread, ("call counts",), lambda: _counted(call), lambda counts: 100)


def _counted(call: IdeaCall) -> CallCounts:
    """The call's statistics in one query over its posts and their statuses."""
    is_idea = Post.parent_id.is_(None)
    shortlisted = and_(is_idea, IdeaStatus.status.in_(SHORTLIST_STATUSES))
    statement = (select(func.count(case((is_idea, Post.id))),
                        func.count(distinct(Post.author_id)),
                        func.count(case((Post.parent_id.is_not(None), Post.id))),
                        func.coalesce(func.sum(Post.reaction_count), 0),
                        func.count(case((shortlisted, Post.id))))
                 .select_from(Post).outerjoin(IdeaStatus, IdeaStatus.post_id == Post.id)
                 .where(Post.thread_id == call.thread_id, NOT_REMOVED))
    ideas, people, replies, reactions, listed = db.session.execute(statement).one()
    return CallCounts(ideas=ideas, contributors=people, replies=replies, reactions=int(reactions),
                      shortlisted=listed)


# Made once, the ideas' ids bound when it runs: building it and working out its cache key
# for a page's twenty ids cost more than running it. Plain left joins by primary key:
# a joined load nested posts ⋈ users ⋈ threads under an outer join, which SQLite
# materialised in full (every post) before joining the few statuses.
_MERGED_INTO = aliased(Post, name="merged_into")
_MERGED_INTO_AUTHOR = aliased(User, name="merged_into_author")
_STATUSES_OF_IDEAS = (
    select(IdeaStatus.post_id, IdeaStatus.status, IdeaStatus.note,
           # None once the idea it joined is removed or hidden, as once it is deleted for good.
           case((and_(_MERGED_INTO.deleted_at.is_(None), _MERGED_INTO.hidden_at.is_(None)),
                 IdeaStatus.merged_into_id)),
           _MERGED_INTO_AUTHOR.display_name)
    .outerjoin(_MERGED_INTO, _MERGED_INTO.id == IdeaStatus.merged_into_id)
    .outerjoin(_MERGED_INTO_AUTHOR, _MERGED_INTO_AUTHOR.id == _MERGED_INTO.author_id)
    .where(IdeaStatus.post_id.in_(bindparam("idea_ids", expanding=True))))


def statuses_for(call: IdeaCall, idea_ids: list[int]) -> dict[int, ShownStatus]:
    """The statuses of the shown ideas, with who wrote the ideas they were merged into.

    Kept with the call's pages: setting a status or merging raises the thread's content
    version (services.set_status, merge_idea), and so does a new name for the author of
    an idea merged into, who wrote in this call (forum/posts/page_cache.py)."""
    if not idea_ids:
        return {}
    statuses = kept_for_thread(call.thread, ("statuses", tuple(idea_ids)), lambda: _statuses_of(idea_ids),
                               lambda kept: sum(100 + len(shown.note) for shown in kept.values()))
    remember_statuses({idea_id: statuses[idea_id].status if idea_id in statuses else None for idea_id in idea_ids},
                      {idea_id: shown.merged_into_id for idea_id, shown in statuses.items()})
    return statuses


def _statuses_of(idea_ids: list[int]) -> dict[int, ShownStatus]:
    return {post_id: ShownStatus(*shown)
            for post_id, *shown in db.session.execute(_STATUSES_OF_IDEAS, {"idea_ids": idea_ids})}


def call_page(user, call: IdeaCall, sort: str, page: int, status: str | None = None) -> CallPage:
    order, where = SORT_QUERIES[sort]
    if status is not None:
        where = (*where, having_status(status))
    ideas = load_thread_page(user, call.thread, page, order=order, where=where, per_page=IDEAS_PER_PAGE)
    statuses = statuses_for(call, [idea.id for idea in ideas.posts])
    return CallPage(call=call, ideas=ideas, statuses=statuses, counts=call_counts(call), sort=sort, status=status)


def _on_the_shortlist(call: IdeaCall):
    """The ideas of `call` its shortlist shows: done, planned or shortlisted, and not removed."""
    return (Post.thread_id == call.thread_id, Post.parent_id.is_(None), NOT_REMOVED,
            IdeaStatus.status.in_(SHORTLIST_STATUSES))


def shortlist_is_empty(call: IdeaCall) -> bool:
    return not db.session.scalar(select(exists().where(IdeaStatus.post_id == Post.id, *_on_the_shortlist(call))))


def shortlist_page(call: IdeaCall, page: int):
    """Done, planned and shortlisted ideas of `call`, most supported first within each."""
    rank = case({status: position for position, status in enumerate(SHORTLIST_STATUSES)}, value=IdeaStatus.status)
    statement = (select(IdeaStatus).join(IdeaStatus.post)
                 .options(contains_eager(IdeaStatus.post), joinedload(IdeaStatus.set_by))
                 .where(*_on_the_shortlist(call))
                 .order_by(rank, Post.reaction_count.desc(), Post.created_at, Post.id))
    return db.paginate(statement, page=page, per_page=SHORTLIST_PER_PAGE, error_out=False)


def ideas_merged_into(idea_ids: list[int]) -> dict[int, list[tuple[int, str]]]:
    """For each of these ideas, the ideas merged into it that are still up, oldest first,
    as (id, author's display name): the shortlist credits their authors too."""
    merged = {idea_id: [] for idea_id in idea_ids}
    if not idea_ids:
        return merged
    statement = (select(IdeaStatus.merged_into_id, Post.id, User.display_name)
                 .join(Post, Post.id == IdeaStatus.post_id).join(User, User.id == Post.author_id)
                 .where(IdeaStatus.status == "merged", IdeaStatus.merged_into_id.in_(idea_ids), NOT_REMOVED)
                 .order_by(Post.created_at, Post.id))
    for target_id, idea_id, author_name in db.session.execute(statement):
        merged[target_id].append((idea_id, author_name))
    return merged


def open_calls_for_home(user) -> list[tuple[IdeaCall, CallCounts]]:
    """The open calls of the front page's panel, each with the counts its own page shows.

    Not the thread's `top_level_count`: that counter keeps counting ideas their authors
    removed or moderators hid (their places stay on the call's pages), so the panel said
    "2 ideas so far" of a call whose page and board said 1. The counts are those kept
    with the call's pages, so a panel shown again costs no statement for them."""
    calls = db.session.scalars(_open_calls_statement(viewer_of(user)))
    return [(call, call_counts(call)) for call in calls]


@lru_cache(maxsize=READERS_KEPT)
def _open_calls_statement(viewer):
    # Every front page runs this. Made once per kind of reader (forum.posts.visibility's
    # Viewer): SQLAlchemy works out a fresh statement's cache key by walking all of it,
    # visibility clause included, which took a hundred times as long as running it. The
    # panel names no opener, so none is loaded.
    return (calls_visible_to(viewer, "collecting").options(lazyload(IdeaCall.opened_by))
            .limit(HOME_PANEL_CALLS))
