"""What a post's author is told when people react to it: one unread notification per post.

It counts people, not clicks: a hug taken back and given again, or a hug and a heart from
the same person, is one person reacting. It names the latest of them ("Ben and 2 others
reacted"), and a reaction taken back before the author read about it is taken back from
the notification too, which goes away when nobody is left. People the author blocked are
neither named nor counted.

A notice nobody is left in is emptied (count 0: not listed, not counted), not deleted,
and comes back when someone reacts again: its email went out when it was made, and
someone clicking a reaction on and off must not mail the author every time.

While a call for ideas hides its reactions (so that ideas are judged on their own), the
author learns only that someone reacted: who and how many would give away what the call
keeps hidden from everyone, the idea's author included.
"""
from sqlalchemy import distinct, func, select

from forum.clock import utcnow
from forum.extensions import db
from forum.links import path_for
from forum.models.moderation import blocked_ids_of
from forum.models.posts import Notification, Post, Reaction
from forum.posts.notifications import kept_message, notify
from forum.posts.policies import policy_for
from forum.text.bidi import isolate

KIND = "reaction"


def tell_author_of_reaction(reactor, post: Post) -> None:
    """After `reactor` added a reaction to `post` (not committed): add or update the notice."""
    people = _people_reacting(post)
    message = _message(reactor, post, people)
    notice = _unread_notice(post)
    if notice is None:
        notify(post.author, KIND, message, path_for("posts.permalink", post_id=post.id), actor=reactor, post=post)
        return
    notice.count, notice.actor_id, notice.message = people, reactor.id, kept_message(message)
    notice.created_at = utcnow()


def take_back_from_notice(reactor, post: Post) -> None:
    """After `reactor` took a reaction back (not committed): if they no longer react to the
    post at all, the unread notice stops counting them, and goes once nobody is left."""
    notice = _unread_notice(post)
    if notice is None or _still_reacts(reactor, post):
        return
    people = _people_reacting(post)
    if people == 0:
        notice.count = 0
        return
    latest = _latest_reactor(post) if notice.actor_id == reactor.id else notice.actor
    notice.count, notice.actor_id = people, latest.id
    notice.message = kept_message(_message(latest, post, people))


def _message(reactor, post: Post, people: int) -> str:
    policy = policy_for(post.thread.kind)
    # Named as the part's pages name it: an idea, a response, a reply, a message.
    written = f"your {policy.name_of_post(post)} in “{isolate(post.thread.title)}”"
    if not policy.reaction_counts_shown(post.thread):
        return f"Someone reacted to {written}. Who and how many stay hidden while the call is collecting ideas."
    others = people - 1
    if others <= 0:
        return f"{isolate(reactor.display_name)} reacted to {written}"
    return f"{isolate(reactor.display_name)} and {others} other{'' if others == 1 else 's'} reacted to {written}"


def _unread_notice(post: Post) -> Notification | None:
    return db.session.scalar(select(Notification).where(
        Notification.user_id == post.author_id, Notification.kind == KIND,
        Notification.post_id == post.id, Notification.read_at.is_(None)))


def _counted_reactions(post: Post):
    return (Reaction.post_id == post.id, Reaction.user_id != post.author_id,
            Reaction.user_id.not_in(blocked_ids_of(post.author_id)))


def _people_reacting(post: Post) -> int:
    return db.session.scalar(select(func.count(distinct(Reaction.user_id))).where(*_counted_reactions(post))) or 0


def _still_reacts(reactor, post: Post) -> bool:
    return db.session.scalar(select(Reaction.id).where(
        Reaction.post_id == post.id, Reaction.user_id == reactor.id).limit(1)) is not None


def _latest_reactor(post: Post):
    return db.session.scalars(select(Reaction).where(*_counted_reactions(post))
                              .order_by(Reaction.created_at.desc(), Reaction.id.desc()).limit(1)).first().user
