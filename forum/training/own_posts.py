"""What a trainee wrote in a program whose discussions are closed to them now: still theirs to read.

They are closed when the trainee left the program, or when, still enrolled, they lack the badge
it needs (an admin took it away, or a trainer made the program need it after they enrolled), or
when a moderator moved them to the other age group: then the whole program is hidden from them,
and its page shows them its name and their own posts (and a graduate their certificate), nothing
else. Their fellow trainees' posts and the boxes to write in are closed to them then; their own
responses and replies are still their words, so the program's page lists them, read-only, under
the discussion each belongs to, and says why the discussions are closed (to someone moved to the
other age group, without anyone else's words they quoted or links to others: `as_read_by_author`).
The links the forum
shows them into the program (their profile's list of posts, a notice, an email) lead there or to
a page that says why the discussion is closed. Who may read the others' posts is unchanged:
those the discussions are open to, and those who see every discussion.

A page of the list costs two statements however much they wrote: the page, and how many.
"""
from dataclasses import dataclass, field
from itertools import groupby

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import lazyload

from forum.accounts.permissions import is_signed_in
from forum.accounts.staff import was_taken_from
from forum.extensions import db
from forum.links import path_for
from forum.models.posts import Post
from forum.models.accounts import UserBadge
from forum.models.training import Discussion, Enrollment, Program
from forum.posts.visibility import removed_note_of
from forum.text.quotes import others_left_out
from forum.training import services
from forum.training.permissions import (
    can_see_certificate, entry_refusal, is_for_age_group_of, sees_every_discussion,
)

OWN_POSTS_PER_PAGE = 20
# Why a program's discussions are closed to someone who wrote there. A badge a trainer asks for
# after they enrolled, which they never held, is not one they "no longer hold".
LEFT, BADGE_TAKEN, BADGE_NEVER_HELD = "left", "badge taken", "badge never held"
OTHER_AGE_GROUP = "other age group"
QUOTE_LEFT_OUT = "A quote from another member of the program is left out."


@dataclass
class OwnPosts:
    """A page of someone's own posts in a program closed to them, by discussion."""
    pagination: Pagination
    closed_because: str  # LEFT, BADGE_TAKEN, BADGE_NEVER_HELD or OTHER_AGE_GROUP
    program: Program
    # (discussion, [(post, removed note, its HTML as they read it)]) in the program's order.
    by_discussion: list[tuple[Discussion, list[tuple[Post, str, str]]]] = field(default_factory=list)
    # Whether their certificate is theirs to open: closed or not, a program they completed stays on their record.
    has_certificate: bool = False


def _theirs_in(user_id: int, program_id: int, *columns):
    """Their posts in the program's discussions that they did not remove themselves (those are
    gone from their profile too); hidden ones stay, as their author reads them with the reason."""
    return (select(*(columns or (Post,))).select_from(Post).join(Discussion, Discussion.thread_id == Post.thread_id)
            .where(Discussion.program_id == program_id, Post.author_id == user_id, Post.deleted_at.is_(None)))


def closed_because(user, progress) -> str | None:
    """Why the discussions of the program `progress` is `user`'s place in are closed to them,
    who took part in it: LEFT, BADGE_TAKEN, BADGE_NEVER_HELD or OTHER_AGE_GROUP; None while
    they are open to them, or to someone who never enrolled (nothing of theirs is there)."""
    # Trainers and moderators read every discussion, enrolled or not: nothing closes to them.
    if not is_signed_in(user) or sees_every_discussion(user):
        return None
    if progress.left is None and not progress.is_enrolled:
        return None
    # First: whatever else, the program is not shown to them at all, nor can they enrol again.
    if not is_for_age_group_of(user, progress.program):
        return OTHER_AGE_GROUP
    if progress.left is not None:
        return LEFT
    if entry_refusal(user, progress.program):
        return BADGE_TAKEN if was_taken_from(user, progress.program.required_badge) else BADGE_NEVER_HELD
    return None


def in_closed_program(user, progress, page: int) -> OwnPosts | None:
    """The page of what `user` wrote in the program `progress` is theirs in, when its
    discussions are closed to them; None otherwise (they read it in the discussions)."""
    if (why := closed_because(user, progress)) is None:
        return None
    statement = (_theirs_in(user.id, progress.program.id).options(lazyload(Post.author), lazyload(Post.thread))
                 .order_by(Discussion.position, Post.created_at, Post.id))
    pagination = db.paginate(statement, page=page, per_page=OWN_POSTS_PER_PAGE, error_out=False, count=True)
    of_thread = {discussion.thread_id: discussion for discussion in progress.discussions}
    grouped = groupby(pagination.items, key=lambda post: of_thread[post.thread_id])
    audience = progress.program.audience
    return OwnPosts(pagination, why, progress.program,
                    [(discussion, [(post, removed_note_of(post), as_read_by_author(user, audience, post.body_html))
                                   for post in posts]) for discussion, posts in grouped],
                    has_certificate=can_see_certificate(user, progress))


def as_read_by_author(user, audience: str, html: str) -> str:
    """The HTML of `user`'s own post in a program for `audience`, as they read it where it is
    closed to them (its page, their list of posts, search): whole, unless a moderator moved them
    to the other age group since. The teen and adult spaces stay apart, so then the words it
    quotes of anyone else there are left out (QUOTE_LEFT_OUT says so in their place) and others'
    names are no links to their profiles; their own words stay as they wrote them."""
    if not is_signed_in(user) or sees_every_discussion(user) or audience in ("everyone", user.age_group):
        return html
    return others_left_out(html, user.username, QUOTE_LEFT_OUT)


def program_of_other_age_group(user, slug: str) -> Program | None:
    """The published program at `slug` that `user` enrolled in (and may have left) before a
    moderator moved them to the other age group, which it is not for; None otherwise. Hidden
    from them like any other such program, it is still where their own words are."""
    if not is_signed_in(user) or sees_every_discussion(user):
        return None
    return db.session.scalar(select(Program).join(Enrollment, Enrollment.program_id == Program.id).where(
        Program.slug == slug, Program.published, Enrollment.user_id == user.id,
        Program.audience.not_in(("everyone", user.age_group))))


def in_program_of_other_age_group(user, slug: str, page: int) -> OwnPosts | None:
    """`in_closed_program` for `program_of_other_age_group`: the only page of it they see."""
    if (program := program_of_other_age_group(user, slug)) is None:
        return None
    return in_closed_program(user, services.progress_in(user, program), page)


def wrote_in(user, program) -> bool:
    return db.session.scalar(select(exists(_theirs_in(user.id, program.id)))) or False


def link_when_closed(user, discussion, post=None) -> str | None:
    """Where a link into `discussion` (to `post`, if given) leads `user`, to whom its program
    is closed (`closed_because`): their own post, to it on the program's page; anything else,
    to the discussion, whose page says why it is closed to them and where their posts are.
    None when it is not closed to them so: the link is not found, as for anyone the
    discussion is closed to. In a program for the other age group, which has no discussion
    page for them, anything else leads to their own posts on the program's page."""
    program = discussion.program
    if not program.published or (why := closed_because(user, services.progress_in(user, program))) is None:
        return None
    if post is None or post.author_id != user.id or post.deleted_at is not None:
        if why == OTHER_AGE_GROUP:
            return path_for("training.program", slug=program.slug, _anchor="your-posts")
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


def closed_programs_posts_clause(user):
    """SQL on posts: those `user` wrote in published programs closed to them
    (`closed_because`: they left, they lack the badge it needs, or it is for the other age
    group), for their own list of posts; None for a visitor."""
    if not is_signed_in(user):
        return None
    held = select(UserBadge.badge_id).where(UserBadge.user_id == user.id)
    badge_lacked = and_(Program.required_badge_id.is_not(None), Program.required_badge_id.not_in(held))
    other_age_group = Program.audience.not_in(("everyone", user.age_group))
    closed = (select(Discussion.thread_id).join(Program, Program.id == Discussion.program_id)
              .join(Enrollment, and_(Enrollment.program_id == Program.id, Enrollment.user_id == user.id))
              .where(Program.published, or_(Enrollment.left_at.is_not(None), badge_lacked, other_age_group)))
    return and_(Post.author_id == user.id, Post.thread_id.in_(closed))
