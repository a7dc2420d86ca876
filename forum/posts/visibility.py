"""Who may see which threads and posts: the one place that decides.

Pages, permalinks, search, mention suggestions, notifications and counts all ask here.
What a user may not see answers 404, the same as what does not exist.
"""
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import and_, bindparam, exists, literal, or_, select, true, union_all

from forum.accounts.permissions import Standing, is_signed_in, is_staff, standing_of
from forum.clock import utcnow
from forum.extensions import db
from forum.memo import transaction_memo
from forum.models.accounts import User, UserBadge
from forum.models.moderation import Block
from forum.models.posts import Notification, Post, Thread, ThreadMember
from forum.posts.policies import policy_for, registered_policies


def audience_refusal(user, thread) -> str | None:
    """Why the thread's audience or badge lock keeps `user` out, or None."""
    if thread.audience != "everyone" and not is_staff(user):
        if not is_signed_in(user) or user.age_group != thread.audience:
            return f"This space is for {thread.audience}s only."
    if thread.required_badge_id and not is_staff(user):
        if not is_signed_in(user) or thread.required_badge.slug not in user.badge_slugs:
            return f"This space is open to holders of the {thread.required_badge.name} badge."
    return None


def can_see_thread(user, thread) -> bool:
    # Asked for every post of a page (may they react, reply, edit): answered once.
    memo = transaction_memo("can_see_thread")
    key = (user.id if is_signed_in(user) else None, thread.id)
    seen = memo.get(key)
    if seen is None:
        seen = memo[key] = _can_see_thread(user, thread)
    return seen


def _can_see_thread(user, thread) -> bool:
    if thread.is_private:
        return is_signed_in(user) and user.id in thread.member_ids
    if audience_refusal(user, thread):
        return False
    return policy_for(thread.kind).read_refusal(user, thread) is None


def can_see_post(user, post) -> bool:
    """Whether the post exists for `user` at all (removed posts still show a placeholder).

    The thread's policy may keep some top-level posts out of a reader's listing (a
    training discussion hides others' answers until you have posted); a post kept out of
    the listing is kept out of permalinks, quotes, replies pages and reaction lists too."""
    if not can_see_thread(user, post.thread):
        return False
    listed = policy_for(post.thread.kind).listing_filter(user, post.thread)
    if listed is None:
        return True
    top_id = post.parent_id or post.id
    return db.session.scalar(select(Post.id).where(Post.id == top_id, listed)) is not None


def can_read_post_body(user, post) -> bool:
    """Removed posts show a placeholder; moderators and the author still see the text."""
    return may_read_post_body(standing_of(user, utcnow()), post)


def may_read_post_body(reader: Standing, post) -> bool:
    """`can_read_post_body` for a reader whose standing is known (see `Standing`)."""
    if not post.is_removed or reader.staff:
        return True
    return post.hidden_at is not None and reader.user_id is not None and reader.user_id == post.author_id


def removed_note_of(post) -> str:
    """What is said above a removed post's text to those who may still read it (its author,
    of a post a moderator hid; staff), or "" for a post that is not removed."""
    if post.hidden_at:
        return f"Hidden by a moderator: {post.hidden_reason}"
    if post.deleted_at:
        return "Removed by its author; only moderators see this text."
    return ""


def stands_in_for(post) -> str:
    """What a reader who may not read the removed `post` reads in its place, named as its part
    names it ("This reply was hidden", "This idea was removed"): "post" under someone's post
    read as if that post had gone."""
    named = policy_for(post.thread.kind).name_of_post(post)
    if post.hidden_at:
        return f"This {named} was hidden by a moderator."
    return f"This {named} was removed."


@dataclass(frozen=True)
class Viewer:
    """What the visibility clauses are built from: who the reader is, and nothing else.

    Building one of these clauses costs more than running it (a few hundred SQLAlchemy
    calls on every page, for the unread count in the header alone), so they are built
    once per viewer and reused: SQL expressions are immutable, and whatever changes
    between requests (badges held, enrolments, blocks) is read by the SQL when it runs.
    A clause that needs more of the user must add it here, so the cache keys on it; an
    attribute missing here fails loudly instead of being served stale."""
    id: int
    age_group: str
    role_names: frozenset[str]
    is_authenticated: bool = True

    def has_role(self, *names: str) -> bool:
        return bool(self.role_names.intersection(names))


# Clauses and statements built for one reader (here, the header's unread count, the front
# page's panels) are kept for this many readers a worker: about 140 KiB a reader
# (measured with tracemalloc), so about 35 MB at most. A reader not kept pays about 3 ms
# to have them built again.
READERS_KEPT = 256


def viewer_of(user) -> Viewer | None:
    if not is_signed_in(user):
        return None
    return Viewer(user.id, user.age_group, frozenset(user.role_names))


def visible_threads_clause(user, bound: bool = False):
    """SQL: threads `user` may see, for lists, search and counts. `bound`: the sets of
    ids it reads (badges held, discussions open) as bound lists; see `reader_id_sets`."""
    return _visible_threads_clause(viewer_of(user), bound)


def visible_notifications_clause(user):
    """SQL: the notifications `user` may still see.

    A notification about a post disappears when the post stops being visible to its
    reader (a badge taken away, a private conversation left) or is removed, except for
    the author, who must still read why a moderator hid their post. One naming someone
    the reader blocked as who did it (a mention, a reply, reactions, new posts followed)
    goes while the block lasts: blocking promises not to hear from them, and what they
    did before it is no exception. Moderators' notices always stay. One about their own
    post in a thread closed to them that their part still shows them (`own_closed_posts_clause`:
    a program they left) stays too, as their profile lists that post."""
    return _visible_notifications_clause(viewer_of(user))


def visible_posts_clause(user, bound: bool = False):
    """SQL: posts in threads `user` may see, not removed, and not held back by the thread's
    part (a post-first discussion) (for search and lists). `bound`: as above."""
    return _visible_posts_clause(viewer_of(user), bound)


# The name of the bound list of the reader's badges, in a clause made with `bound`.
HELD_BADGES = "held_badge_ids"


def reader_id_sets(user) -> dict[str, list[int]]:
    """The values of the bound lists in clauses made with `bound`, read now, in one statement.

    The clauses otherwise read the same sets (the reader's badges, the discussions open to
    them, those holding back others' responses) through subqueries, which cost little to
    run but much to plan: a search on PostgreSQL is planned afresh for its words on every
    run (forum/search/backends/postgresql.py), and its ranked statement holds three copies
    of them. For two words at 200,000 posts, planning it took 3.0-3.7 ms and running it
    7-7.5; with the lists bound, 1.0-1.5 and 4.2-6.3 (EXPLAIN ANALYZE, median of 25).
    The same subqueries run here, in the same transaction, so the clauses mean the same
    either way (tests/search/test_visibility.py checks both on every story)."""
    names, statement = _reader_id_sets_statement(viewer_of(user))
    if not names:
        return {}
    found = {name: [] for name in names}
    for name, id_ in db.session.execute(statement):
        found[name].append(id_)
    return found


@lru_cache(maxsize=READERS_KEPT)
def _reader_id_sets_statement(user: Viewer | None) -> tuple[tuple[str, ...], object]:
    """The names of the reader's id sets, and one statement reading them all as (name, id) rows."""
    selects = {}
    if is_signed_in(user):
        selects = {} if is_staff(user) else {HELD_BADGES: _held_badges(user)}
        for policy in registered_policies().values():
            selects.update(policy.reader_id_sets(user))
    if not selects:
        return (), None
    rows = []
    for name, ids in selects.items():
        ids = ids.subquery()
        rows.append(select(literal(name).label("name"), ids.c[0].label("id")).select_from(ids))
    return tuple(selects), union_all(*rows)


def _held_badges(user: Viewer):
    return select(UserBadge.badge_id).where(UserBadge.user_id == user.id)


@lru_cache(maxsize=READERS_KEPT)
def _visible_threads_clause(user: Viewer | None, bound: bool = False):
    if not is_signed_in(user):
        clauses = [Thread.is_private.is_(False), Thread.audience == "everyone",
                   Thread.required_badge_id.is_(None)]
    else:
        member = exists().where(ThreadMember.thread_id == Thread.id, ThreadMember.user_id == user.id)
        if is_staff(user):
            open_to_user = true()
        else:
            held = bindparam(HELD_BADGES, expanding=True) if bound else _held_badges(user)
            open_to_user = and_(
                Thread.audience.in_(("everyone", user.age_group)),
                or_(Thread.required_badge_id.is_(None), Thread.required_badge_id.in_(held)),
            )
        clauses = [or_(and_(Thread.is_private.is_(True), member),
                       and_(Thread.is_private.is_(False), open_to_user))]
    for kind, policy in registered_policies().items():
        extra = policy.visible_threads_filter(user, bound)
        if extra is not None:
            clauses.append(or_(Thread.kind != kind, extra))
    return and_(*clauses)


def can_see_reactions(user, post) -> bool:
    """Who reacted is shown only while the post itself is readable."""
    return can_see_post(user, post) and (not post.is_removed or is_staff(user))


def not_from_blocked_clause():
    """SQL: the notifications naming, as who did it, nobody their own reader blocked: that part of
    `visible_notifications_clause`, asked of many readers' notifications in one statement."""
    return _not_from_blocked(Notification.user_id)


def _not_from_blocked(reader_id):
    # A moderator's word stays, and one naming nobody (a danger alert) has nobody to block.
    return or_(Notification.actor_id.is_(None), Notification.kind == "moderation",
               Notification.actor_id.not_in(select(Block.blocked_id).where(Block.blocker_id == reader_id)))


@lru_cache(maxsize=READERS_KEPT)
def _visible_notifications_clause(user: Viewer):
    not_from_blocked = _not_from_blocked(user.id)
    if is_staff(user):
        return not_from_blocked
    shown = and_(_visible_threads_clause(user),
                 or_(and_(Post.deleted_at.is_(None), Post.hidden_at.is_(None)), Post.author_id == user.id))
    if (own_closed := own_closed_posts_clause(user)) is not None:
        # Their own post where they no longer read (a program they left): what was done to it
        # (hidden, restored, reacted to) is still theirs to hear of, and its link leads them to
        # where they read it (`link_when_closed`). A notice about anyone else's post there (a
        # reply, a mention) stays out: it would lead into a space closed to them. In a space for
        # the other age group (a trainee a moderator moved), only a moderator's word stays: anyone
        # else there (reacting) is of the spaces kept apart from theirs.
        own_closed = and_(own_closed, or_(Thread.audience.in_(("everyone", user.age_group)),
                                          Notification.kind == "moderation"))
        shown = or_(shown, own_closed)
    # Correlated (EXISTS): every page counts unread notifications, and an IN list of all
    # readable posts made that count cost as much as the forum is big.
    readable = exists().where(Post.id == Notification.post_id, Thread.id == Post.thread_id, shown)
    return and_(or_(Notification.post_id.is_(None), readable), not_from_blocked)


@lru_cache(maxsize=READERS_KEPT)
def _visible_posts_clause(user: Viewer | None, bound: bool = False):
    return and_(Post.deleted_at.is_(None), Post.hidden_at.is_(None), *_listed_where_read(user, bound))


def _listed_where_read(user: Viewer | None, bound: bool = False) -> list:
    """Posts in threads `user` may see, and not held back by the thread's part."""
    # Correlated (EXISTS), so a search pays for the posts it looks at, not for every thread.
    clauses = [exists().where(Thread.id == Post.thread_id, _visible_threads_clause(user, bound))]
    for policy in registered_policies().values():
        extra = policy.listed_posts_filter(user, bound)
        if extra is not None:
            clauses.append(extra)
    return clauses


def shown_posts_clause(user):
    """SQL: the posts the thread pages show `user`, removed ones as those pages show them
    (for a list of someone's posts): those `visible_posts_clause` allows, and every removed
    one to staff; to its author, a post a moderator hid (they must still read why). A post
    its author removed is gone for everyone else: its page shows only "removed"."""
    return _shown_posts_clause(viewer_of(user))


@lru_cache(maxsize=READERS_KEPT)
def _shown_posts_clause(user: Viewer | None):
    listed = _listed_where_read(user)
    if is_staff(user):
        return and_(*listed)
    hidden_shown = Post.hidden_at.is_(None)
    if is_signed_in(user):
        hidden_shown = or_(hidden_shown, Post.author_id == user.id)
    return and_(Post.deleted_at.is_(None), hidden_shown, *listed)


def own_closed_posts_clause(user):
    """SQL: posts `user` wrote, and did not remove, in threads closed to them now that their part
    still shows them (a program they left), for their own list of posts; None when there are none."""
    if not is_signed_in(user):
        return None
    kept = [clause for policy in registered_policies().values()
            if (clause := policy.own_closed_posts_filter(user)) is not None]
    return and_(Post.author_id == user.id, Post.deleted_at.is_(None), or_(*kept)) if kept else None


def can_mention(writer, person) -> bool:
    """Whether `person` may be offered to `writer` when they type @: the age-group rule of
    the spaces (teens are offered teens, adults adults, staff everyone), never themselves,
    and never someone who blocked the writer or whom the writer blocked."""
    if not is_signed_in(writer) or person.id == writer.id:
        return False
    if not same_side_for_mentions(writer, person):
        return False
    return db.session.scalar(select(Block.id).where(or_(
        and_(Block.blocker_id == writer.id, Block.blocked_id == person.id),
        and_(Block.blocker_id == person.id, Block.blocked_id == writer.id))).limit(1)) is None


def same_side_for_mentions(writer, person) -> bool:
    """The age-group rule of mentions: teens name teens, adults adults, staff anyone. A name
    typed by hand across the line is not offered, and tells its person nothing either."""
    return is_staff(writer) or person.age_group == writer.age_group


def mentionable_people_clause(writer, *, in_conversation: bool = False):
    """SQL: the users `can_mention(writer, user)` allows. `in_conversation`: for a box
    writing in a conversation they were let into (a mentorship), where a name reaches its
    person across the age-group line (forum/posts/services.py), so it is offered there too."""
    same_group = true() if is_staff(writer) or in_conversation else User.age_group == writer.age_group
    blocked_by_writer = select(Block.blocked_id).where(Block.blocker_id == writer.id)
    blocking_writer = select(Block.blocker_id).where(Block.blocked_id == writer.id)
    return and_(User.id != writer.id, same_group, User.id.not_in(blocked_by_writer), User.id.not_in(blocking_writer))
