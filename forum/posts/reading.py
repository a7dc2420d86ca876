"""Loading a page of a thread in a fixed number of queries, whatever its size.

A page is: the ids of its top-level posts (one query; the total from the thread's
counter when nothing is filtered out), those posts and the first replies of each (one
query, authors joined; their roles and badges in two select-in loads), reaction counts
per kind (one grouped query) and the first few names of each kind (`first_reactors`, one
walk of an index per post and kind). All of that is the same for every reader, so it is
kept as plain values until the thread changes (forum/posts/page_cache.py); the reader's
own reactions (one query) are read on every request.
"""
from dataclasses import dataclass, field

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import bindparam, func, literal, select, true, union_all
from sqlalchemy.orm import aliased

from forum.accounts.permissions import is_signed_in
from forum.extensions import db
from forum.models.accounts import User
from forum.models.posts import REACTION_KINDS, Post, Reaction, Thread
from forum.posts.page_cache import kept_for_thread
from forum.posts.policies import policy_for
from forum.posts.shown import Author, ShownPost

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


@dataclass(frozen=True)
class LoadedPage:
    """A page of a thread as every reader sees it, before anything of the reader's own."""
    posts: tuple[tuple, ...]  # the top-level posts, as ShownPost's fields but the thread
    replies: dict[int, tuple[tuple, ...]]  # the first replies of each
    counts: dict[int, dict[str, int]]  # reactions of each kind, per post
    names: dict[int, dict[str, list[str]]]  # the first few names of each kind, per post

    @property
    def post_ids(self) -> list[int]:
        return [values[0] for values in self.posts] + [values[0] for group in self.replies.values() for values in group]

    def size(self) -> int:
        """Its weight in the page cache, in characters: the posts' HTML and a little more."""
        every = list(self.posts) + [values for group in self.replies.values() for values in group]
        return 500 + sum(len(values[5]) + 200 for values in every)


@dataclass
class ThreadPage:
    thread: Thread
    page: object  # a Flask-SQLAlchemy Pagination of the top-level posts, as ShownPost
    replies: dict[int, list[ShownPost]]
    reactions: dict[int, ReactionSummary]
    order: str

    @property
    def posts(self) -> list[ShownPost]:
        return self.page.items


class KnownPagination(Pagination):
    """A page whose items and total are known already (kept, or counted on write)."""

    def _query_items(self) -> list:
        return self._query_args["items"]

    def _query_count(self) -> int:
        return self._query_args["total"]


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
    page, per_page = Pagination._prepare_page_args(page=page, per_page=per_page, max_per_page=100,
                                                   error_out=False)
    def listing():
        # Built only when the ids are read: a kept page needs no statement at all.
        return top_level_posts(user, thread, order, where).with_only_columns(Post.id)

    if where or policy_for(thread.kind).listing_filter(user, thread) is not None:
        # Filtered for this reader or this view: counted and loaded for this request only.
        listed = listing()
        total = db.session.scalar(select(func.count()).select_from(listed.order_by(None).subquery())) or 0
        loaded = _load_page(_ids_on_page(listed, page, per_page))
    else:
        # Every top-level post is listed: the thread's counter (kept on write) is the total,
        # and the page is the same for every reader, so it is kept (page_cache).
        total = thread.top_level_count
        if (page - 1) * per_page < total:
            loaded = kept_for_thread(thread, ("page", order, page, per_page),
                                     lambda: _load_page(_ids_on_page(listing(), page, per_page)), LoadedPage.size)
        else:
            loaded = EMPTY_PAGE  # past the last page: nothing to load, nothing worth keeping
    posts = [ShownPost(*values, thread) for values in loaded.posts]
    replies = {values[0]: [ShownPost(*reply, thread) for reply in loaded.replies[values[0]]]
               for values in loaded.posts}
    return ThreadPage(thread=thread, replies=replies, reactions=_with_mine(user, loaded), order=order,
                      page=KnownPagination(page=page, per_page=per_page, error_out=False, items=posts, total=total))


def _ids_on_page(listing, page: int, per_page: int) -> list[int]:
    return list(db.session.scalars(listing.limit(per_page).offset((page - 1) * per_page)))


def _load_page(ids: list[int]) -> LoadedPage:
    """The posts of `ids`, their first replies and the reactions to all of them, as values."""
    if not ids:
        return EMPTY_PAGE
    # The page's posts and their first replies as one load, so the authors' roles and
    # badges arrive in one select-in each rather than once for each group.
    # (One IN over a UNION ALL: PostgreSQL answers `id IN (…) OR id IN (subquery)` by
    # reading every post of the forum.)
    wanted = union_all(select(Post.id).where(Post.id.in_(ids)), _first_reply_ids(ids))
    loaded = db.session.scalars(select(Post).where(Post.id.in_(wanted)).order_by(Post.created_at, Post.id)).all()
    authors = {}
    for post in loaded:
        if post.author_id not in authors:
            author = post.author
            authors[post.author_id] = Author(author.id, author.username, author.display_name,
                                             author.shown_roles, author.badge_marks)
    values = {post.id: _values_of(post, authors[post.author_id]) for post in loaded}
    replies: dict[int, list[tuple]] = {post_id: [] for post_id in ids}
    for post in loaded:
        if post.parent_id is not None:
            replies[post.parent_id].append(values[post.id])
    every_id = [post.id for post in loaded]
    counts, names = _reaction_counts_and_names(every_id)
    return LoadedPage(posts=tuple(values[post_id] for post_id in ids if post_id in values),
                      replies={parent: tuple(group) for parent, group in replies.items()},
                      counts=counts, names=names)


def _values_of(post: Post, author: Author) -> tuple:
    return (post.id, post.thread_id, post.parent_id, post.author_id, author, post.body_html, post.created_at,
            post.edited_at, post.deleted_at, post.hidden_at, post.hidden_reason, post.reply_count,
            post.reaction_count)


EMPTY_PAGE = LoadedPage(posts=(), replies={}, counts={}, names={})


def _with_mine(user, loaded: LoadedPage) -> dict[int, ReactionSummary]:
    """The kept counts and names (shared, never changed here) with the reader's own reactions."""
    summaries = {post_id: ReactionSummary(counts=loaded.counts.get(post_id, {}), names=loaded.names.get(post_id, {}))
                 for post_id in loaded.post_ids}
    if summaries and is_signed_in(user):
        for post_id, kind in _my_reactions(user, list(summaries)):
            summaries[post_id].mine.add(kind)
    return summaries


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
    counts, names = _reaction_counts_and_names(post_ids)
    for post_id, summary in summaries.items():
        summary.counts, summary.names = counts.get(post_id, {}), names.get(post_id, {})
    if is_signed_in(user):
        for post_id, kind in _my_reactions(user, post_ids):
            summaries[post_id].mine.add(kind)
    return summaries


def _reaction_counts_and_names(post_ids: list[int]):
    """Per post: how many reactions of each kind, and the first few names of each."""
    counts: dict[int, dict[str, int]] = {}
    names: dict[int, dict[str, list[str]]] = {}
    if not post_ids:
        return counts, names
    statement = select(Reaction.post_id, Reaction.kind, func.count()).where(
        Reaction.post_id.in_(post_ids)).group_by(Reaction.post_id, Reaction.kind)
    for post_id, kind, count in db.session.execute(statement):
        counts.setdefault(post_id, {})[kind] = count
    for post_id, kind, name in db.session.execute(first_reactors(post_ids)):
        names.setdefault(post_id, {}).setdefault(kind, []).append(name)
    return counts, names


# Asked on every page of posts. Made once with its values left as parameters: building
# the select and working out its cache key cost more than running it.
_MY_REACTIONS = select(Reaction.post_id, Reaction.kind).where(
    Reaction.post_id.in_(bindparam("post_ids", expanding=True)), Reaction.user_id == bindparam("user_id"))


def _my_reactions(user, post_ids: list[int]):
    """(post id, kind) of `user`'s own reactions to these posts."""
    return db.session.execute(_MY_REACTIONS, {"post_ids": post_ids, "user_id": user.id})


def page_of_post(user, post: Post, per_page: int = POSTS_PER_PAGE) -> int:
    """The page of the thread (oldest first) on which a top-level post appears."""
    top = post.parent or post
    return _count_before(user, top) // per_page + 1


def page_in_listing(user, post: Post, order: str, where=(), per_page: int = POSTS_PER_PAGE) -> int | None:
    """The page on which `post` (or the post it replies to) appears when the thread is
    listed in `order` with `where`, or None when that listing leaves it out. Asked only
    after a post is sent from such a page, so a row number over the whole listing is fine:
    the post may have moved (a reply moves it up "Most discussed")."""
    top = post.parent or post
    if order == "oldest" and not where:
        return _count_before(user, top) // per_page + 1
    position = func.row_number().over(order_by=ORDERINGS[order]).label("position")
    numbered = top_level_posts(user, top.thread, order, where).with_only_columns(
        Post.id.label("id"), position).order_by(None).subquery()
    found = db.session.scalar(select(numbered.c.position).where(numbered.c.id == top.id))
    return None if found is None else (found - 1) // per_page + 1


def _count_before(user, top: Post) -> int:
    before = top_level_posts(user, top.thread).where(
        (Post.created_at < top.created_at) | ((Post.created_at == top.created_at) & (Post.id < top.id)))
    return db.session.scalar(select(func.count()).select_from(before.order_by(None).subquery())) or 0


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
