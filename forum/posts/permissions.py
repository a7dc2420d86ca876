"""Who may do what with threads and posts. Views, services and templates ask these."""
from forum.accounts.permissions import is_signed_in, is_staff, moderator_refusal, suspension_refusal
from forum.clock import utcnow
from forum.models.posts import REACTION_KINDS
from forum.posts.policies import policy_for
from forum.posts.visibility import can_see_thread


def post_refusal(user, thread) -> str | None:
    """Why `user` may not start a top-level post in `thread`, or None."""
    if not is_signed_in(user):
        return "Sign in to post."
    if suspended := suspension_refusal(user, utcnow()):
        return suspended
    if not can_see_thread(user, thread):
        return "That thread doesn't exist."
    if thread.locked:
        return "This thread is locked; it takes no new posts."
    return policy_for(thread.kind).post_refusal(user, thread)


def reply_refusal(user, parent) -> str | None:
    """Why `user` may not reply to `parent`, or None."""
    thread = parent.thread
    if not is_signed_in(user):
        return "Sign in to reply."
    if suspended := suspension_refusal(user, utcnow()):
        return suspended
    if not can_see_thread(user, thread):
        return "That post doesn't exist."
    if thread.locked:
        return "This thread is locked; it takes no new replies."
    if parent.is_removed:
        return "That post was removed, so it takes no new replies."
    return policy_for(thread.kind).reply_refusal(user, thread, parent)


def can_post(user, thread) -> bool:
    return post_refusal(user, thread) is None


def can_reply(user, parent) -> bool:
    return reply_refusal(user, parent) is None


def can_edit_post(user, post) -> bool:
    if not is_signed_in(user) or not can_see_thread(user, post.thread) or suspension_refusal(user, utcnow()):
        return False
    if is_staff(user):
        return True
    return user.id == post.author_id and not post.is_removed and not post.thread.locked


def can_delete_post(user, post) -> bool:
    return is_signed_in(user) and user.id == post.author_id and post.deleted_at is None


def can_hide_post(user, post) -> bool:
    # Not limited to threads the moderator can open: members flag posts in private
    # conversations precisely so that a moderator acts on them.
    return moderator_refusal(user, utcnow()) is None


def can_see_history(user, post) -> bool:
    return is_signed_in(user) and (user.id == post.author_id or is_staff(user))


def reaction_refusal(user, post, kind: str) -> str | None:
    if kind not in REACTION_KINDS:
        return "That is not a reaction we know."
    if not is_signed_in(user):
        return "Sign in to react."
    if suspended := suspension_refusal(user, utcnow()):
        return suspended
    if not can_see_thread(user, post.thread):
        return "That post doesn't exist."
    if post.is_removed:
        return "That post was removed."
    if user.id == post.author_id:
        return "You can't react to your own post."
    return None


def can_react(user, post) -> bool:
    return reaction_refusal(user, post, "heart") is None
