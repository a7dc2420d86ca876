"""Who may do what with threads and posts. Views, services and templates ask these.

The post predicates come in pairs: `can_x(user, post)` (or `x_refusal`) for one post, and
`may_x(standing, post, ...)` (or `x_refusal_of`), the rule itself, for a page that works
out the reader's `Standing` and whether they see the thread once for all of its posts
(forum/posts/cards.py). The first asks the second, so there is one rule either way.
"""
from forum.accounts.permissions import Standing, is_signed_in, standing_of, suspension_refusal
from forum.clock import utcnow
from forum.models.posts import REACTION_KINDS
from forum.moderation.permissions import own_refusal_of, post_concerns
from forum.posts.policies import policy_for
from forum.posts.visibility import can_see_thread


def post_refusal(user, thread) -> str | None:
    """Why `user` may not start a top-level post in `thread`, or None."""
    if not is_signed_in(user):
        return "Sign in to post."
    if suspended := suspension_refusal(user, utcnow()):
        return suspended
    if not can_see_thread(user, thread):
        return "That thread can't be found."
    if thread.locked:
        return policy_for(thread.kind).locked_refusal("post")
    return policy_for(thread.kind).post_refusal(user, thread)


def reply_refusal(user, parent) -> str | None:
    """Why `user` may not reply to `parent`, or None. `parent` may be a reply: an answer to it
    joins the post above it, whose rules decide, but a removed reply is answered no more than
    a removed post (its card says it is gone, and its author would be told of the answer)."""
    top = parent.parent or parent
    refusal = reply_refusal_of(user, standing_of(user, utcnow()), top, can_see_thread(user, top.thread))
    if refusal is None and parent.is_removed:
        return f"{taken_down(parent)}, so it takes no new replies."
    return refusal


def reply_refusal_of(user, reader: Standing, parent, sees_thread: bool) -> str | None:
    """`reply_refusal` of a top-level `parent`, for a reader whose standing (`reader`) and view
    of the thread are known."""
    thread = parent.thread
    if refusal := _writer_refusal(reader, sees_thread, "Sign in to reply."):
        return refusal
    if thread.locked:
        return policy_for(thread.kind).locked_refusal("reply")
    if parent.is_removed:
        return f"{taken_down(parent)}, so it takes no new replies."
    return policy_for(thread.kind).reply_refusal(user, thread, parent)


def can_post(user, thread) -> bool:
    return post_refusal(user, thread) is None


def can_reply(user, parent) -> bool:
    return reply_refusal(user, parent) is None


def can_edit_post(user, post) -> bool:
    return edit_refusal(user, post) is None


def edit_refusal(user, post) -> str | None:
    """Why `user` may not edit `post`, or None."""
    return edit_refusal_of(standing_of(user, utcnow()), post, can_see_thread(user, post.thread))


def may_edit(reader: Standing, post, sees_thread: bool) -> bool:
    return edit_refusal_of(reader, post, sees_thread) is None


def edit_refusal_of(reader: Standing, post, sees_thread: bool) -> str | None:
    if refusal := _writer_refusal(reader, sees_thread, "Sign in to edit your posts."):
        return refusal
    if reader.staff:
        # Staff edit any post (taking out a phone number), but their own once another
        # moderator hid it is their own case (see `own_flags_refusal`), as for restoring it.
        if post.hidden_at is not None:
            return own_refusal_of(reader.user_id, post_concerns(post))
        return None
    if reader.user_id != post.author_id:
        return "Only the person who wrote a post can edit it."
    if post.is_removed:
        return f"{taken_down(post)}, so it can no longer be edited."
    if post.thread.locked:
        return policy_for(post.thread.kind).locked_refusal("edit")
    return policy_for(post.thread.kind).edit_refusal(post)


def can_delete_post(user, post) -> bool:
    return may_delete(standing_of(user, utcnow()), post)


def may_delete(reader: Standing, post) -> bool:
    # Not limited by a suspension: taking your own words down is never refused.
    return reader.user_id is not None and reader.user_id == post.author_id and post.deleted_at is None


def can_hide_post(user, post) -> bool:
    """Hide or restore: staff, for any post but their own (see `own_flags_refusal`), which
    they may only bring back after removing it themselves."""
    return may_hide(standing_of(user, utcnow()), post)


def may_hide(reader: Standing, post) -> bool:
    # Not limited to threads the moderator can open: members flag posts in private
    # conversations precisely so that a moderator acts on them.
    if not reader.moderating:
        return False
    removed_by_author_only = post.deleted_at is not None and post.hidden_at is None
    return removed_by_author_only or own_refusal_of(reader.user_id, post_concerns(post)) is None


def can_see_history(user, post) -> bool:
    return may_see_history(standing_of(user, utcnow()), post)


def may_see_history(reader: Standing, post) -> bool:
    return reader.user_id is not None and (reader.user_id == post.author_id or reader.staff)


def reaction_refusal(user, post, kind: str) -> str | None:
    return reaction_refusal_of(standing_of(user, utcnow()), post, kind, can_see_thread(user, post.thread))


def reaction_refusal_of(reader: Standing, post, kind: str, sees_thread: bool) -> str | None:
    if kind not in REACTION_KINDS:
        return "That is not a reaction we know."
    if reader.user_id is None:
        return "Sign in to react."
    if reader.suspension:
        return reader.suspension
    if not sees_thread:
        return "That post can't be found."
    if post.is_removed:
        return f"{taken_down(post)}."
    # A locked thread (a closed mentorship) stays as it was left: no reaction is added or
    # taken back there, as no reply is written, so its cards offer no buttons.
    if post.thread.locked:
        return policy_for(post.thread.kind).locked_refusal("react")
    if reader.user_id == post.author_id:
        return "You can't react to your own post."
    return None


def can_react(user, post) -> bool:
    return reaction_refusal(user, post, "heart") is None


def may_react(reader: Standing, post, sees_thread: bool) -> bool:
    return reaction_refusal_of(reader, post, "heart", sees_thread) is None


def taken_down(post) -> str:
    """How a removed post went, as its card says it: its author hid nothing, a moderator did.
    Named as its part names it ("That reply was removed", "That idea was hidden by a moderator"):
    "post" said of a reply read as if the post above it had gone."""
    named = policy_for(post.thread.kind).name_of_post(post)
    how = "hidden by a moderator" if post.hidden_at is not None else "removed"
    return f"That {named} was {how}"


def _writer_refusal(reader: Standing, sees_thread: bool, signed_out: str) -> str | None:
    """What writing in a thread asks first: signed in, not suspended, and seeing it."""
    if reader.user_id is None:
        return signed_out
    if reader.suspension:
        return reader.suspension
    if not sees_thread:
        return "That post can't be found."
    return None
