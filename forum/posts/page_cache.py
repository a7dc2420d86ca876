"""What a thread's pages show of its posts, kept per worker until the thread changes.

Loading a page of forty posts with their authors, roles, badges and reactions was most
of a discussion page's time, and readers far outnumber writers. So each page is loaded
once and kept as plain values (never ORM objects: those belong to one request's session)
under the thread's `content_version`. Every change to what a thread page shows raises
that number in the same transaction as the change, so the next request, in this worker
or in any other on any host, reads the new number and loads the page afresh. Nothing
kept here can outlive the change it depends on, and no process holds what another needs.

Who raises it:
- posts written, edited, removed, hidden or restored, and reactions added, through the
  session (`_raise_for_flushed_changes` below sees them as they are flushed);
- a new display name, username, roles or badges, also through the session: their
  bylines and names under reactions show on every thread they wrote or reacted in;
- changes made by bulk statements, which the session never sees (a reaction taken back,
  a post deleted for good), and other parts' own rows shown on a thread's page (an idea's
  status) call `thread_changed` themselves.

What differs from reader to reader (their own reactions, what they may do, "3 hours
ago") is never kept here: it is worked out on every request from these values.
"""
import threading
from collections import OrderedDict
from itertools import chain

from flask import current_app
from sqlalchemy import event, inspect, select, union, update
from sqlalchemy.orm import Session

from forum.extensions import db
from forum.models.accounts import User, UserBadge
from forum.models.posts import Post, Reaction, Thread

# Characters of kept values per worker (mostly the posts' HTML): a page of forty posts of
# a few paragraphs is about 60,000, so some three hundred such pages; 20 MB at most.
CHARACTERS_KEPT = 10_000_000
# A byline shows these of a person (the badges through their own rows, below).
BYLINE_ATTRIBUTES = ("display_name", "username", "roles", "badges")


class KeptPages:
    """A least-recently-used store bounded by the size of what it holds; safe to share
    between a worker's threads."""

    def __init__(self, budget: int):
        self.budget = budget
        self._entries: OrderedDict = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            self._entries.move_to_end(key)
            return entry[0]

    def put(self, key, value, size: int) -> None:
        if size > self.budget:
            return
        with self._lock:
            previous = self._entries.pop(key, None)
            if previous is not None:
                self._size -= previous[1]
            self._entries[key] = (value, size)
            self._size += size
            while self._size > self.budget:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._size -= dropped

    def __len__(self) -> int:
        return len(self._entries)


def kept_pages(app) -> KeptPages:
    pages = app.extensions.get("thread_pages")
    if pages is None:
        pages = app.extensions["thread_pages"] = KeptPages(app.config.get("THREAD_PAGES_KEPT", CHARACTERS_KEPT))
    return pages


def kept_for_thread(thread: Thread, key: tuple, load, size_of):
    """What `load()` returns for `key` on `thread`, loaded at most once per version of the
    thread's content. `size_of(value)` is its cost in characters."""
    pages = kept_pages(current_app._get_current_object())
    # created_at too: SQLite may give a new thread the id of one deleted before it.
    full_key = (thread.id, thread.created_at, thread.content_version, *key)
    value = pages.get(full_key)
    if value is None:
        value = load()
        pages.put(full_key, value, size_of(value))
    return value


def thread_changed(*thread_ids: int) -> None:
    """Raise the content version of these threads, in the current transaction."""
    ids = {thread_id for thread_id in thread_ids if thread_id is not None}
    if ids:
        db.session.execute(update(Thread).where(Thread.id.in_(ids))
                           .values(content_version=Thread.content_version + 1))


def _threads_shown_in(post_ids):
    return select(Post.thread_id).where(Post.id.in_(post_ids))


def _threads_of_people(user_ids):
    """Select the threads whose pages show these people: they wrote or reacted there."""
    wrote = select(Post.thread_id).where(Post.author_id.in_(user_ids))
    reacted = select(Post.thread_id).join(Reaction, Reaction.post_id == Post.id).where(Reaction.user_id.in_(user_ids))
    return union(wrote, reacted)


def _byline_changed(user: User) -> bool:
    state = inspect(user)
    return any(state.attrs[name].history.has_changes() for name in BYLINE_ATTRIBUTES)


@event.listens_for(Session, "after_flush")
def _raise_for_flushed_changes(session, flush_context) -> None:
    # After the flush the rows are written (new posts have their ids) while the session
    # still lists what was new, changed and deleted, with each attribute's history.
    thread_ids, post_ids, people = set(), set(), set()
    for thing in chain(session.new, session.dirty, session.deleted):
        if isinstance(thing, Post):
            thread_ids.add(thing.thread_id)
        elif isinstance(thing, Reaction):
            post_ids.add(thing.post_id)
        elif isinstance(thing, UserBadge):
            people.add(thing.user_id)
        elif isinstance(thing, User) and _byline_changed(thing):
            people.add(thing.id)
    people.discard(None)
    # Core statements on the flush's own connection: the ORM may not run a statement of
    # its own while it flushes.
    connection = session.connection()
    raise_version = update(Thread.__table__).values(content_version=Thread.__table__.c.content_version + 1)
    if thread_ids:
        connection.execute(raise_version.where(Thread.__table__.c.id.in_(thread_ids)))
    if post_ids:
        connection.execute(raise_version.where(Thread.__table__.c.id.in_(_threads_shown_in(post_ids))))
    if people:
        connection.execute(raise_version.where(Thread.__table__.c.id.in_(_threads_of_people(people))))
