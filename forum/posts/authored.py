"""What someone wrote, as a reader may see it: the list of posts on a profile.

One page costs two statements however many posts there are (the page of posts with their
threads, and how many there are), and one more for each kind of thread on it whose part
names its places (a discussion's program). Which posts a reader is shown is the thread
pages' rule (forum/posts/visibility.py's `shown_posts_clause`); private threads (mentorship
conversations) stay off a profile even for their members, since a profile is a public page.
"""
import re
from dataclasses import dataclass
from datetime import datetime

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import or_, select
from sqlalchemy.orm import aliased

from forum.accounts.permissions import is_signed_in, standing_of
from forum.clock import utcnow
from forum.extensions import db
from forum.models.posts import Post, Thread
from forum.posts.policies import policy_for
from forum.posts.visibility import may_read_post_body, own_closed_posts_clause, removed_note_of, shown_posts_clause
from forum.text import render_plain_excerpt

POSTS_PER_PAGE = 20
EXCERPT_LENGTH = 200
# The innermost quote: taken out until none is left, so nested quotes go whole.
_INNERMOST_QUOTE = re.compile(r"<blockquote>(?:(?!<blockquote>).)*?</blockquote>", re.S)


@dataclass(frozen=True)
class AuthoredPost:
    post_id: int
    named: str  # what its part calls it: "Response", "Reply", "Idea", "Post"
    place: str  # where it was written: "the call for ideas “…”"
    excerpt: str  # the start of its text, plain; empty when the reader may not read it
    created_at: datetime
    removed_note: str  # "Hidden by a moderator: …" to those who may read it, as its page says


def authored_posts(reader, author, page: int) -> Pagination:
    """The page of `author`'s posts `reader` may see, newest first, as AuthoredPost items.
    A page past the last has no items; `pages` says how many there are."""
    # An alias: the visibility clause's own subquery over threads must not correlate with it.
    place = aliased(Thread)
    statement = (select(Post).join(place, place.id == Post.thread_id)
                 .where(Post.author_id == author.id, place.is_private.is_(False), _shown_to(reader, author))
                 .order_by(Post.created_at.desc(), Post.id.desc()))
    posts = db.paginate(statement, page=page, per_page=POSTS_PER_PAGE, error_out=False, count=True)
    posts.items = _as_listed(reader, posts.items)
    return posts


def _shown_to(reader, author):
    """The thread pages' rule; and to the author, what they wrote where they no longer read
    the thread (a program they left): their words are still theirs to find."""
    shown = shown_posts_clause(reader)
    if is_signed_in(reader) and reader.id == author.id and (kept := own_closed_posts_clause(reader)) is not None:
        return or_(shown, kept)
    return shown


def _as_listed(reader, posts: list[Post]) -> list[AuthoredPost]:
    standing = standing_of(reader, utcnow())
    places = {}
    for kind in {post.thread.kind for post in posts}:
        places.update(policy_for(kind).places_of([post.thread for post in posts if post.thread.kind == kind]))
    listed = []
    for post in posts:
        readable = may_read_post_body(standing, post)
        policy = policy_for(post.thread.kind)
        named = policy.name_of_post(post)
        # Their own, in a thread its part leaves some of to them (a program of the other age group).
        html = policy.as_read_by_author(reader, post.thread.audience, post.body_html) \
            if standing.user_id == post.author_id else post.body_html
        listed.append(AuthoredPost(
            post_id=post.id, named=named[:1].upper() + named[1:], place=places[post.thread_id],
            excerpt=excerpt_of(html) if readable else "",
            created_at=post.created_at, removed_note=removed_note_of(post) if readable else ""))
    return listed


def excerpt_of(html: str) -> str:
    """The start of what the author wrote: the words they quoted are someone else's."""
    unquoted = html
    while (shorter := _INNERMOST_QUOTE.sub("", unquoted)) != unquoted:
        unquoted = shorter
    return render_plain_excerpt(unquoted, EXCERPT_LENGTH) or render_plain_excerpt(html, EXCERPT_LENGTH)
