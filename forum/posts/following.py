"""Following a thread: told of the new posts in it, as the thread's other readers are not.

A trainee who posted first waits for fellows to post before they can reply; staff who open
a call want to see the ideas come in; anyone may want to keep up with a thread. One unread
notification per thread and follower gathers the posts written since they last read it
("3 new posts in “Quiet hours”, the latest from Ben"), leading to the first of them, where
reading on starts; its email goes out only when it is made, so a busy thread sends one.

Followers are told only of posts they may see (a training discussion shows others'
responses once they have posted; a badge taken back closes a space), never of their own,
of those of someone they blocked, or twice (a mention or a reply to them told them
already). Private threads (mentor conversations) tell their members of every message
already: they are not followed.
"""
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from forum.clock import utcnow
from forum.errors import Forbidden
from forum.extensions import db
from forum.links import path_for
from forum.models.accounts import User
from forum.models.moderation import blocked_ids_of, blockers_among
from forum.models.posts import Notification, Post, Thread, ThreadFollower
from forum.posts.notifications import kept_message, notify_each, register_notification_kind
from forum.posts.policies import policy_for
from forum.posts.visibility import can_see_post, visible_threads_clause
from forum.text.bidi import isolate

KIND = "followed"
register_notification_kind(KIND, "Someone posts in a thread you follow")

PRIVATE_REFUSAL = "Everyone in a conversation is told of each new message already."


def follow_refusal(user, thread: Thread) -> str | None:
    """Why `user` may not follow `thread` (which they can see), or None."""
    if not user.is_authenticated:
        return "Sign in to follow a thread."
    if thread.is_private:
        return PRIVATE_REFUSAL
    return None


def is_following(user, thread: Thread) -> bool:
    return db.session.get(ThreadFollower, (thread.id, user.id)) is not None


def follow(user, thread: Thread) -> None:
    if refusal := follow_refusal(user, thread):
        raise Forbidden(refusal)
    if is_following(user, thread):  # a second press (another tab) changes nothing
        return
    db.session.add(ThreadFollower(thread_id=thread.id, user_id=user.id))
    try:
        db.session.commit()
    except IntegrityError:
        # Two presses at the same moment (a double-click): the other one made the row.
        db.session.rollback()


def unfollow(user, thread: Thread) -> None:
    db.session.execute(delete(ThreadFollower).where(ThreadFollower.thread_id == thread.id,
                                                    ThreadFollower.user_id == user.id))
    db.session.commit()


def followed_threads(user) -> list[Thread]:
    """The threads `user` follows and may still see, the most recently active first (one
    closed to them since, by a badge taken back or a move between age groups, tells nothing)."""
    return list(db.session.scalars(
        select(Thread).join(ThreadFollower, ThreadFollower.thread_id == Thread.id)
        .where(ThreadFollower.user_id == user.id, visible_threads_clause(user))
        .order_by(Thread.last_post_at.desc().nulls_last(), Thread.id.desc())))


def tell_followers(post: Post, told: set[int], among: set[int] | None = None) -> None:
    """After `post` was written (not committed): tell its thread's followers, but those in
    `told` (its author, and whoever a mention or a reply told already); with `among`, only
    those of them (after an edit took back the mention that told them instead)."""
    thread, author = post.thread, post.author
    followers_of = select(ThreadFollower.user_id).where(ThreadFollower.thread_id == thread.id)
    if among is not None:
        followers_of = followers_of.where(ThreadFollower.user_id.in_(among))
    follower_ids = set(db.session.scalars(followers_of)) - told - {author.id}
    if not follower_ids:
        return
    follower_ids -= set(db.session.scalars(blockers_among(author.id, follower_ids)))
    followers = db.session.scalars(select(User).where(User.id.in_(follower_ids), User.closed_at.is_(None))).all()
    # Gathered only into a notice whose post still shows: one whose first post was removed
    # or hidden since is gone from its reader's list, and would swallow every later post.
    unread = {notice.user_id: notice for notice in db.session.scalars(
        select(Notification).join(Post, Post.id == Notification.post_id)
        .where(Notification.kind == KIND, Notification.read_at.is_(None), Notification.user_id.in_(follower_ids),
               Post.thread_id == thread.id, Post.deleted_at.is_(None), Post.hidden_at.is_(None)))}
    written = policy_for(thread.kind).name_of_post(post)
    first_told = []
    for follower in followers:
        if not can_see_post(follower, post):
            continue
        notice = unread.get(follower.id)
        if notice is None:
            first_told.append(follower)
            continue
        notice.count += 1
        notice.actor_id = author.id
        notice.message = _gathered(notice.count, thread, author)
        notice.created_at = utcnow()
    notify_each(first_told, KIND, f"New {written} from {isolate(author.display_name)} in “{isolate(thread.title)}”",
                path_for("posts.permalink", post_id=post.id), actor=author, post=post)


def _gathered(count: int, thread: Thread, latest_author) -> str:
    return kept_message(f"{count:,} new posts in “{isolate(thread.title)}”, "
                        f"the latest from {isolate(latest_author.display_name)}")


# How many later posts are looked at for the one an unread notice leads on to.
LATER_POSTS_LOOKED_AT = 20


def lead_past(post: Post) -> None:
    """After `post` was removed or hidden (not committed): an unread notice that gathers
    it with later posts, and leads to it, leads on to the next of them its follower may
    see, counting one fewer. Left leading to it, it went from the list with the post and
    took the later ones with it. A notice of that post alone goes with it, as it should."""
    notices = db.session.scalars(select(Notification).where(
        Notification.kind == KIND, Notification.post_id == post.id, Notification.read_at.is_(None),
        Notification.count > 1)).all()
    if not notices:
        return
    later = db.session.scalars(select(Post).where(
        Post.thread_id == post.thread_id, Post.id > post.id, Post.deleted_at.is_(None), Post.hidden_at.is_(None))
        .order_by(Post.id).limit(LATER_POSTS_LOOKED_AT)).all()
    for notice in notices:
        follower = db.session.get(User, notice.user_id)
        # Posts they were never told of (their own, those of people they blocked) are passed over.
        passed_over = {follower.id, *db.session.scalars(blocked_ids_of(follower.id))}
        following_post = next((candidate for candidate in later if candidate.author_id not in passed_over
                               and can_see_post(follower, candidate)), None)
        if following_post is None:
            continue
        notice.post_id = following_post.id
        notice.link = path_for("posts.permalink", post_id=following_post.id)
        notice.count -= 1
        thread, author = following_post.thread, following_post.author
        if notice.count == 1:
            written = policy_for(thread.kind).name_of_post(following_post)
            notice.message = kept_message(
                f"New {written} from {isolate(author.display_name)} in “{isolate(thread.title)}”")
        else:
            notice.message = _gathered(notice.count, thread, notice.actor or author)
