"""Mentor conversations are private threads of the posts engine between a mentee and a mentor.

Membership already keeps everyone else out (they get 404) and closing a mentorship locks
the thread; the policy adds the conversation's own page and keeps the request up to date.
"""
from sqlalchemy import select

from forum.extensions import db
from forum.links import path_for
from forum.mentors.permissions import hears_from
from forum.models.mentors import MentorshipRequest
from forum.models.posts import Notification
from forum.posts.notifications import notify
from forum.posts.policies import PostBox, ThreadPolicy
from forum.text.bidi import isolate


# The conversation page's box (MessageForm), and the engine's page that brings a refused one back.
MESSAGE_LABEL = "Your message"

CLOSED_MENTORSHIP_REFUSALS = {
    "post": "This mentorship is closed, so its conversation takes no new messages.",
    "reply": "This mentorship is closed, so its conversation takes no new replies.",
    "edit": "This mentorship is closed, so its messages can no longer be edited.",
    "react": "This mentorship is closed, so its messages take no new reactions.",
}


class ConversationPolicy(ThreadPolicy):
    def thread_url(self, thread, **params) -> str:
        return path_for("mentors.conversation", thread_id=thread.id, **params)

    def kept_when_author_leaves(self, thread) -> bool:
        # The closing page promises it: the other person keeps what was said to them.
        return True

    def page_title(self, user, thread) -> str:
        # As templates/mentors/conversation.html titles and heads itself: the thread's own title
        # ("Mentorship: Rowan and Juniper") is the engine's, never shown on that page; a back
        # link to "Conversation with …" under the heading below read as another page.
        other = _other_party(user, thread)
        return super().page_title(user, thread) if other is None else conversation_heading(other)

    def post_box(self, user, thread) -> PostBox:
        other = _other_party(user, thread)
        if other is None:
            return super().post_box(user, thread)
        return PostBox(heading=conversation_heading(other),
                       box_heading=f"Write to {other.display_name}", label=MESSAGE_LABEL, button="Send")

    def name_of_post(self, post) -> str:
        return "message"

    def locked_refusal(self, doing: str) -> str:
        # Only closing a mentorship locks its conversation: "thread is locked" read as a
        # moderator's doing to someone whose mentor had closed it while they wrote.
        return CLOSED_MENTORSHIP_REFUSALS[doing]

    def after_post(self, post) -> None:
        """Note who wrote (a review needs the mentee to have written) and tell the other one."""
        request = db.session.scalar(select(MentorshipRequest).where(MentorshipRequest.thread_id == post.thread_id))
        if request is None:
            return
        request.last_message_at = post.created_at
        if post.author_id == request.mentee_id and request.mentee_wrote_at is None:
            request.mentee_wrote_at = post.created_at
        _tell_the_other(request, post)

    def after_edit(self, post) -> None:
        """An edit that left out the @mention which told the other took that notice back:
        they are told of the message as of any other."""
        request = db.session.scalar(select(MentorshipRequest).where(MentorshipRequest.thread_id == post.thread_id))
        if request is not None:
            _tell_the_other(request, post)


def _other_party(user, thread):
    """Who `user` talks to in the conversation `thread`, or None for a thread no request has."""
    request = db.session.scalar(select(MentorshipRequest).where(MentorshipRequest.thread_id == thread.id))
    if request is None:
        return None
    return request.mentor if user.id == request.mentee_id else request.mentee


def _tell_the_other(request, post) -> None:
    other = request.mentor if post.author_id == request.mentee_id else request.mentee
    # A reply to the other's post, or a message that @mentions them, already told them
    # (forum/posts/services.py, just before): one post, one notification and one email.
    if not _already_told(other, post) and hears_from(other, post.author):
        # One email for messages written in a row, as a conversation is written; each listed.
        notify(other, "mentorship", f"{isolate(post.author.display_name)} wrote in your mentorship conversation",
               path_for("posts.permalink", post_id=post.id), actor=post.author, post=post, gather_email=True)


def _already_told(person, post) -> bool:
    return db.session.scalar(select(Notification.id).where(
        Notification.user_id == person.id, Notification.post_id == post.id).limit(1)) is not None


def conversation_heading(other) -> str:
    """What a mentorship conversation is called to one of its two people: its page's heading."""
    return f"Your mentorship conversation with {other.display_name}"
