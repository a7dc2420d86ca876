"""Plain values of what thread pages show: no session behind them, so they can be kept
between requests (forum/posts/page_cache.py) and shared by every reader."""
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from forum.models.posts import PostFacts, Thread


class Author(NamedTuple):
    """What a byline shows of a person (templates/_macros/people.html), as plain values."""
    id: int
    username: str
    display_name: str
    shown_roles: tuple[str, ...]
    badge_marks: tuple[tuple[str, str], ...]  # (icon, name)


@dataclass(slots=True)
class ShownPost(PostFacts):
    """A post on a page of its thread, as plain values: what the page cache keeps (all
    but `thread`, which is the request's own) and what cards, reply boxes and permission
    predicates read, under the same names as on Post."""
    id: int
    thread_id: int
    parent_id: int | None
    author_id: int
    author: Author
    body_html: str
    created_at: datetime
    edited_at: datetime | None
    deleted_at: datetime | None
    hidden_at: datetime | None
    hidden_reason: str
    reply_count: int
    reaction_count: int
    thread: Thread | None = None
