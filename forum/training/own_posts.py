"""What a trainee who left a program wrote in it: still theirs to read.

Leaving closes the program's discussions to them: their fellow trainees' posts and the boxes
to write in. Their own responses and replies are still their words, so the program's page
lists them, read-only, under the discussion each belongs to, and the links the forum shows
them into the program (their profile's list of posts, a notice, an email) lead there or to a
page that says why the discussion is closed. Who may read the others' posts is unchanged:
those enrolled, and those who see every discussion.

A page of the list costs two statements however much they wrote: the page, and how many.
"""
from dataclasses import dataclass, field
from itertools import groupby

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import lazyload

from forum.accounts.permissions import is_signed_in
from forum.extensions import db
from forum.links import path_for
from forum.models.posts import Post
from forum.models.training import Discussion, Enrollment, Program
from forum.posts.visibility import removed_note_of
from forum.training import services
from forum.training.permissions import can_see_program

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


def wrote_in(user, program) -> bool:
    return db.session.scalar(select(exists(_theirs_in(user.id, program.id)))) or False


def link_after_leaving(user, discussion, post=None) -> str | None:
    """Where a link into `discussion` (to `post`, if given) leads `user` who left its program:
    their own post, to it on the program's page; anything else, to the discussion, whose page
    says it is closed to them and where their posts are. None when they have not left it:
    the link is not found, as for anyone the discussion is closed to."""
    program = discussion.program
    if not is_signed_in(user) or not can_see_program(user, program) or services.progress_in(user, program).left is None:
        return None
    if post is None or post.author_id != user.id or post.deleted_at is not None:
        return services.discussion_url(discussion)
    page = _page_of(post, discussion)
    return path_for("training.program", slug=program.slug, _anchor=f"post-{post.id}",
                    **({"page": page} if page > 1 else {}))


def _page_of(post, discussion) -> int:
    before = db.session.scalar(_theirs_in(post.author_id, discussion.program_id, func.count()).where(
        or_(Discussion.position < discussion.position,
            and_(Discussion.position == discussion.position,
                 or_(Post.created_at < post.created_at, and_(Post.created_at == post.created_at, Post.id < post.id))))))
    return before // OWN_POSTS_PER_PAGE + 1


def left_programs_posts_clause(user):
    """SQL on posts: those `user` wrote in programs they left and may still see (published,
    for their age group), for their own list of posts; None for a visitor."""
    if not is_signed_in(user):
        return None
    left = (select(Discussion.thread_id).join(Program, Program.id == Discussion.program_id)
            .join(Enrollment, and_(Enrollment.program_id == Program.id, Enrollment.user_id == user.id,
                                   Enrollment.left_at.is_not(None)))
            .where(Program.published, Program.audience.in_(("everyone", user.age_group))))
    return and_(Post.author_id == user.id, Post.thread_id.in_(left))
