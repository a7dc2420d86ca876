"""Loading a page of a thread in a fixed number of queries, whatever its size.

A page is: the ids of its top-level posts (one query, counted from the thread's counter
when nothing is filtered out), those posts and the first replies of each (one query,
authors joined; their roles and badges in two select-in loads), reaction counts per kind
and the reader's own (one grouped query), and the first few names of each kind
(`first_reactors`, one walk of an index per post and kind).
"""
from dataclasses import dataclass, field

from sqlalchemy import and_, func, literal, select, true, union_all
from sqlalchemy.orm import aliased

from forum.accounts.permissions import is_signed_in
from forum.extensions import db
from forum.models.accounts import User
from forum.models.posts import REACTION_KINDS, Post, Reaction, Thread
from forum.posts.policies import policy_for

POSTS_PER_PAGE = 20
REPLIES_SHOWN = 10
REPLIES_PER_PAGE = 50
REACTOR_NAMES_SHOWN = 5
# Made once: an alias builds its columns on first use, on every page if made per call.
_EARLIER = aliased(Reaction, name="earlier")
# Every kind of reaction as rows (a UNION ALL of constants: SQLite cannot name the
# columns of a VALUES list).
_KINDS = union_all(*(select(literal(kind).label("kind")) for kind in REACTION_KINDS)).subquery("kinds")

ORDERINGS = {
    "oldest": (Post.created_at.asc(), Post.id.asc()),
    "newest": (Post.created_at.desc(), Post.id.desc()),
    "reactions": (Post.reaction_count.desc(), Post.created_at.asc(), Post.id.asc()),
    "replies": (Post.reply_count.desc(), Post.created_at.asc(), Post.id.asc()),
}


@dataclass
class ReactionSummary:
    counts: dict[str, int] = field(default_factory=dict)
    names: dict[str, list[str]] = field(default_factory=dict)
    mine: set[str] = field(default_factory=set)


@dataclass
class ThreadPage:
    thread: Thread
    page: object  # Flask-SQLAlchemy Pagination of top-level posts
    replies: dict[int, list[Post]]
    reactions: dict[int, ReactionSummary]
    order: str

    @property
    def posts(self) -> list[Post]:
        return self.page.items


def top_level_posts(user, thread: Thread, order: str = "oldest", where=()):
    """Select the top-level posts of `thread` that `user` may list, in `order`."""
    statement = select(Post).where(Post.thread_id == thread.id, Post.parent_id.is_(None), *where)
    extra = policy_for(thread.kind).listing_filter(user, thread)
    if extra is not None:
        statement = statement.where(extra)
    return statement.order_by(*ORDERINGS[order])


def load_thread_page(user, thread: Thread, page: int = 1, *, order: str = "oldest", where=(),
                     per_page: int = POSTS_PER_PAGE) -> ThreadPage:
    if order not in ORDERINGS:
        order = "oldest"
    listing = top_level_posts(user, thread, order, where)
    # Every top-level post listed: the thread's counter (kept on write) is the total.
    unfiltered = not where and policy_for(thread.kind).listing_filter(user, thread) is None
    pagination = db.paginate(listing.with_only_columns(Post.id), page=page, per_page=per_page,
                             error_out=False, count=not unfiltered)
    if unfiltered:
        pagination.total = thread.top_level_count
    ids = pagination.items
    # The page's posts and their first replies as one load, so the authors' roles and
    # badges arrive in one select-in each rather than once for each group.
    # (One IN over a UNION ALL: PostgreSQL answers `id IN (…) OR id IN (subquery)` by
    # reading every post of the forum.)
    wanted = union_all(select(Post.id).where(Post.id.in_(ids)), _first_reply_ids(ids))
    loaded = db.session.scalars(select(Post).where(Post.id.in_(wanted))
                                .order_by(Post.created_at, Post.id)).all() if ids else []
    by_id = {post.id: post for post in loaded}
    pagination.items = [by_id[post_id] for post_id in ids if post_id in by_id]
    replies: dict[int, list[Post]] = {post_id: [] for post_id in ids}
    for post in loaded:
        if post.parent_id is not None:
            replies[post.parent_id].append(post)
    every_id = ids + [post.id for post in loaded if post.parent_id is not None]
    return ThreadPage(thread=thread, page=pagination, replies=replies,
                      reactions=reaction_summaries(user, every_id), order=order)


def _first_reply_ids(parent_ids: list[int], limit: int = REPLIES_SHOWN):
    """Select the ids of the first `limit` replies of each parent (a window over them)."""
    position = func.row_number().over(partition_by=Post.parent_id, order_by=(Post.created_at, Post.id))
    numbered = select(Post.id.label("id"), position.label("position")).where(
        Post.parent_id.in_(parent_ids)).subquery()
    return select(numbered.c.id).where(numbered.c.position <= limit)


def replies_page(parent: Post, page: int):
    statement = select(Post).where(Post.parent_id == parent.id).order_by(Post.created_at, Post.id)
    return db.paginate(statement, page=page, per_page=REPLIES_PER_PAGE, error_out=False)


def reaction_summaries(user, post_ids: list[int]) -> dict[int, ReactionSummary]:
    summaries = {pid: ReactionSummary() for pid in post_ids}
    if not post_ids:
        return summaries
    counts = select(Reaction.post_id, Reaction.kind, func.count()).where(
        Reaction.post_id.in_(post_ids)).group_by(Reaction.post_id, Reaction.kind)
    for post_id, kind, count in db.session.execute(counts):
        summaries[post_id].counts[kind] = count
    for post_id, kind, name in db.session.execute(first_reactors(post_ids)):
        summaries[post_id].names.setdefault(kind, []).append(name)
    if is_signed_in(user):
        mine = select(Reaction.post_id, Reaction.kind).where(
            and_(Reaction.post_id.in_(post_ids), Reaction.user_id == user.id))
        for post_id, kind in db.session.execute(mine):
            summaries[post_id].mine.add(kind)
    return summaries


def page_of_post(user, post: Post, per_page: int = POSTS_PER_PAGE) -> int:
    """The page of the thread (oldest first) on which a top-level post appears."""
    top = post.parent or post
    before = top_level_posts(user, top.thread).where(
        (Post.created_at < top.created_at) | ((Post.created_at == top.created_at) & (Post.id < top.id)))
    count = db.session.scalar(select(func.count()).select_from(before.order_by(None).subquery())) or 0
    return count // per_page + 1


def reply_position(reply: Post) -> int:
    """How many replies come before `reply` under its parent."""
    return db.session.scalar(select(func.count(Post.id)).where(
        Post.parent_id == reply.parent_id,
        (Post.created_at < reply.created_at) | ((Post.created_at == reply.created_at) & (Post.id < reply.id)))) or 0


def reactors(post: Post, page: int):
    statement = select(Reaction).where(Reaction.post_id == post.id).order_by(Reaction.kind, Reaction.created_at)
    return db.paginate(statement, page=page, per_page=100, error_out=False)


def first_reactors(post_ids: list[int]):
    """Select (post id, kind, display name) of the first few people to react with each
    kind on each post, in order.

    For each post and each kind of reaction, a LIMIT walks the (post, kind, time) index
    for the first few: a window over every reaction of the page cost as much as its most
    popular post (a call sorted by reactions puts thousands on one page), and so did
    grouping them to find which kinds each post has (hence every kind, found or not).
    PostgreSQL walks it through a LATERAL join; SQLite, which has none, through a
    correlated IN, which PostgreSQL would instead run once per reaction of the page."""
    pairs = (select(Post.id.label("post_id"), _KINDS.c.kind).select_from(Post).join(_KINDS, true())
             .where(Post.id.in_(post_ids)).subquery())
    earlier = _EARLIER
    first_few = (select(earlier.id, earlier.user_id, earlier.created_at)
                 .where(earlier.post_id == pairs.c.post_id, earlier.kind == pairs.c.kind)
                 .order_by(earlier.created_at, earlier.id).limit(REACTOR_NAMES_SHOWN))
    if db.session.get_bind().dialect.name == "postgresql":
        first = first_few.lateral()
        return (select(pairs.c.post_id, pairs.c.kind, User.display_name).select_from(pairs)
                .join(first, true()).join(User, User.id == first.c.user_id)
                .order_by(first.c.created_at, first.c.id))
    ids = first_few.with_only_columns(earlier.id).correlate(pairs)
    return (select(Reaction.post_id, Reaction.kind, User.display_name).select_from(pairs)
            .join(Reaction, Reaction.id.in_(ids)).join(User, User.id == Reaction.user_id)
            .order_by(Reaction.created_at, Reaction.id))
