"""What a trainee who left a program wrote in it: still theirs to read.

Leaving closes the program's discussions to them: their fellow trainees' posts and the boxes
to write in. Their own responses and replies are still their words, so the program's page
lists them, read-only, under the discussion each belongs to. Who may read the others' posts is unchanged:
those enrolled, and those who see every discussion.

A page of the list costs two statements however much they wrote: the page, and how many.
"""
from dataclasses import dataclass, field
from itertools import groupby

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select
from sqlalchemy.orm import lazyload

from forum.extensions import db
from forum.models.posts import Post
from forum.models.training import Discussion
from forum.posts.visibility import removed_note_of

OWN_POSTS_PER_PAGE = 20


@dataclass
class OwnPosts:
    """A page of someone's own posts in a program they left, by discussion."""
    pagination: Pagination
    # (discussion, [(post, removed note)]) in the program's order.
    by_discussion: list[tuple[Discussion, list[tuple[Post, str]]]] = field(default_factory=list)


def _theirs_in(user_id: int, program_id: int, *columns):
    """Their posts in the program's discussions that they did not remove themselves (those are
    gone from their profile too); hidden ones stay, as their author reads them with the reason."""
    return (select(*(columns or (Post,))).select_from(Post).join(Discussion, Discussion.thread_id == Post.thread_id)
            .where(Discussion.program_id == program_id, Post.author_id == user_id, Post.deleted_at.is_(None)))


def after_leaving(user, progress, page: int) -> OwnPosts | None:
    """The page of what `user` wrote in the program `progress` is theirs in, when they left
    it; None otherwise (taking part, they read it in the discussions)."""
    if progress.left is None:
        return None
    statement = (_theirs_in(user.id, progress.program.id).options(lazyload(Post.author), lazyload(Post.thread))
                 .order_by(Discussion.position, Post.created_at, Post.id))
    pagination = db.paginate(statement, page=page, per_page=OWN_POSTS_PER_PAGE, error_out=False, count=True)
    of_thread = {discussion.thread_id: discussion for discussion in progress.discussions}
    grouped = groupby(pagination.items, key=lambda post: of_thread[post.thread_id])
    return OwnPosts(pagination, [(discussion, [(post, removed_note_of(post)) for post in posts])
                                 for discussion, posts in grouped])
