"""What waits in the moderators' queue: its entries in order, how many, and the lists a
moderator works through one at a time.

One entry per flagged thing (its open flags together). A moderator may list only what was
flagged in one place (posts in training discussions, say, or mentor reviews), only what may
be about someone in danger, or both. A list chooses which entries a page shows, not how each
shows: every entry is still loaded as the moderator may see it (flags.queue_entries).
"""
from dataclasses import dataclass

from sqlalchemy import and_, case, func, or_, select

from forum.errors import DomainError
from forum.extensions import db
from forum.memo import transaction_memo
from forum.models.moderation import Flag
from forum.models.posts import Post, Thread


@dataclass(frozen=True)
class QueueList:
    label: str  # its link: "Training discussions"
    things: str  # what it lists, for "No flagged … wait": "posts in training discussions"
    target_type: str
    thread_kind: str | None = None  # for posts: the kind of thread they are in


# The parts' thread kinds as forum/models/posts.py names them; posts in any other thread
# (or one deleted for good since) are "other threads".
OTHER_THREADS = "threads"
QUEUE_LISTS = {
    "training": QueueList("Training discussions", "posts in training discussions", "post", "discussion"),
    "ideas": QueueList("Idea threads", "posts in idea threads", "post", "idea_call"),
    "conversations": QueueList("Mentor conversations", "posts in mentor conversations", "post", "conversation"),
    OTHER_THREADS: QueueList("Other threads", "posts in other threads", "post"),
    "reviews": QueueList("Mentor reviews", "mentor reviews", "review"),
    "profiles": QueueList("Profiles", "profiles", "profile"),
}
_PART_KINDS = [listed.thread_kind for listed in QUEUE_LISTS.values() if listed.thread_kind]


def chosen_list(what: str | None) -> str | None:
    """The list a moderator asked for (None: the whole queue); a plain refusal for one the
    queue does not have (an old or mistyped link)."""
    if not what or what in QUEUE_LISTS:
        return what or None
    offered = ", ".join(f"“{listed.label}” ({key})" for key, listed in QUEUE_LISTS.items())
    raise DomainError(f"The moderation queue has no list called “{what[:40]}”. Try {offered}.")


def open_groups():
    """One row per flagged thing with open flags: its first flag, and 1 when any of them
    says someone may be in danger."""
    return (select(func.min(Flag.id).label("first_id"),
                   func.max(case((Flag.urgent, 1), else_=0)).label("urgent"))
            .where(Flag.status == "open").group_by(Flag.target_type, Flag.target_id).subquery())


_GROUPS = open_groups()
_WAITING = select(func.count(), func.coalesce(func.sum(_GROUPS.c.urgent), 0)).select_from(_GROUPS)


@dataclass(frozen=True)
class Waiting:
    flagged: int
    urgent: int  # of which someone may be in danger


def waiting_in_queue() -> Waiting:
    """How many flagged things wait in the moderators' queue (one entry each), and how many
    of them may be about someone in danger: asked by the header of every moderator's page,
    so once per transaction."""
    memo = transaction_memo("moderation_queue")
    if "waiting" not in memo:
        flagged, urgent = db.session.execute(_WAITING).one()
        memo["waiting"] = Waiting(flagged, int(urgent))
    return memo["waiting"]


def _with_thread(statement):
    """`statement` on flags, joined to the thread of a flagged post (none for other things)."""
    return (statement.outerjoin(Post, and_(Flag.target_type == "post", Post.id == Flag.target_id))
            .outerjoin(Thread, Thread.id == Post.thread_id))


def _in_list(what: str):
    listed = QUEUE_LISTS[what]
    if what == OTHER_THREADS:
        return and_(Flag.target_type == "post", or_(Thread.kind.is_(None), Thread.kind.not_in(_PART_KINDS)))
    if listed.thread_kind:
        return and_(Flag.target_type == listed.target_type, Thread.kind == listed.thread_kind)
    return Flag.target_type == listed.target_type


def open_flag_groups(what: str | None = None, urgent_only: bool = False):
    """Select the oldest open flag of each flagged thing: one queue entry each, of the list
    `what` (a key of QUEUE_LISTS; None: all). Those saying someone may be in danger come
    first, then oldest first: on a bad evening they must not wait behind forty spam flags."""
    groups = open_groups()
    statement = select(Flag).join(groups, Flag.id == groups.c.first_id)
    if what is not None:
        statement = _with_thread(statement).where(_in_list(what))
    if urgent_only:
        statement = statement.where(groups.c.urgent == 1)
    return statement.order_by(groups.c.urgent.desc(), Flag.created_at, Flag.id)


def _list_of(target_type: str, thread_kind: str | None) -> str | None:
    if target_type == "post":
        return next((key for key, listed in QUEUE_LISTS.items()
                     if listed.thread_kind is not None and listed.thread_kind == thread_kind), OTHER_THREADS)
    return next((key for key, listed in QUEUE_LISTS.items() if listed.target_type == target_type), None)


@dataclass(frozen=True)
class QueueCounts:
    """How many entries wait in each list, urgent or not."""
    counts: dict[tuple[str | None, bool], int]

    def waiting(self, what: str | None = None, urgent_only: bool = False) -> int:
        """How many the list `what` (None: all) shows, with or without `urgent_only`."""
        return sum(count for (listed, urgent), count in self.counts.items()
                   if (what is None or listed == what) and (urgent or not urgent_only))


def queue_counts() -> QueueCounts:
    """How many entries wait in each list, in one grouped statement. The whole queue's counts
    come with them, so the header on the queue's page asks nothing more (see waiting_in_queue)."""
    groups = open_groups()
    rows = db.session.execute(_with_thread(
        select(Flag.target_type, Thread.kind, groups.c.urgent, func.count())
        .select_from(groups).join(Flag, Flag.id == groups.c.first_id))
        .group_by(Flag.target_type, Thread.kind, groups.c.urgent))
    counts: dict[tuple[str | None, bool], int] = {}
    for target_type, thread_kind, urgent, count in rows:
        key = (_list_of(target_type, thread_kind), bool(urgent))
        counts[key] = counts.get(key, 0) + count
    found = QueueCounts(counts)
    transaction_memo("moderation_queue")["waiting"] = Waiting(found.waiting(), found.waiting(urgent_only=True))
    return found

