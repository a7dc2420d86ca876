"""Flaggers hear what became of their flag.

Once a moderator acts on something flagged (hides it, deletes it, clears a profile,
dismisses the flags or marks them handled), each of its flaggers is told once, however
many flags they raised on it: a moderator looked, and it was taken down or left up.
The notice never names the moderator (no actor, no reason), and it is tied to no post:
a notice on a hidden post would vanish for everyone but its author. The person flagged
hears of the action itself, as before, and never who flagged.

A dismiss taken back (the flags wait in the queue again) takes back the flaggers' unread
notice of it: "left it up" is no longer so, and the decision that follows is told instead.
"""
from sqlalchemy import select, update

from forum.extensions import db
from forum.links import path_for
from forum.models.posts import Notification
from forum.posts.notifications import notify, register_notification_kind
from forum.posts.visibility import can_see_thread
from forum.text.bidi import isolate

KIND = "flag_outcome"
register_notification_kind(KIND, "A moderator looked at something you flagged")

# What the moderator did, as the flagger is told it.
TAKEN_DOWN = "taken_down"  # hidden, deleted for good, a profile cleared
LEFT_UP = "left_up"  # dismissed: nothing wrong
HANDLED = "handled"  # marked handled another way (a word with the author, a suspension)
OUTCOMES = (TAKEN_DOWN, LEFT_UP, HANDLED)


def what_was_flagged(flagger, target_type: str, target) -> str:
    """The flagged thing as its flagger knew it: the place it was in, never more, and not
    even that once the place is closed to them (a badge taken away, a program left)."""
    if target is None:
        return "something you flagged"
    if target.post is not None and not can_see_thread(flagger, target.post.thread):
        return _unnamed(target)
    return _named(target_type, target)


def _unnamed(target) -> str:
    kind = target.kind_label.lower()  # "post", "reply", "response", "message", "idea"
    return f"{'an' if kind[:1] in 'aeiou' else 'a'} {kind} you flagged"


def _named(target_type: str, target) -> str:
    if target_type == "profile":
        return f"the profile of @{target.author.username} you flagged"
    if target_type == "review" and (mentor := target.extra.get("mentor")) is not None:
        return f"the review of {isolate(mentor.display_name)} you flagged"
    return f"the {target.kind_label.lower()} you flagged {target.title}".strip()


# A moderator answers a flag saying someone may be in danger by reaching out to them, not
# by taking the post down: its flagger is thanked, and never told "nothing needs taking down".
DANGER_THANKS = "Thank you for telling us someone may be in danger."
DANGER_STILL_WORRIED = "If you are still worried, see Help now."


def outcome_message(flagger, target_type: str, target, outcome: str, *, urgent: bool = False) -> str:
    what = what_was_flagged(flagger, target_type, target)
    if outcome == TAKEN_DOWN:
        done = "removed what was wrong in it" if target_type == "profile" else "took it down"
        told = f"A moderator looked at {what} and {done}."
        return f"{DANGER_THANKS} {told}" if urgent else told
    no_longer_up, left_up = _left_up_messages(what, urgent)
    if target is not None and target.removed_note:
        return no_longer_up
    if outcome == LEFT_UP or urgent:
        return left_up
    return f"A moderator looked at {what} and dealt with it; it stays up."


def _left_up_messages(what: str, urgent: bool) -> tuple[str, str]:
    """What a dismiss tells a flagger: the thing was taken down meanwhile, or left up."""
    if urgent:
        return (f"{DANGER_THANKS} A moderator looked at {what}; it is no longer up.",
                f"{DANGER_THANKS} A moderator looked at {what}; it stays up. {DANGER_STILL_WORRIED}")
    return (f"A moderator looked at {what}; it is no longer up.",
            f"A moderator looked at {what} and left it up: they found nothing that needs taking down.")


def take_back_dismissal_notices(flagger_ids, target_type: str, target, dismissed_at) -> None:
    """After flags dismissed at `dismissed_at` were reopened (not committed): each flagger's
    notice of that dismiss, if still unread, is emptied (count 0: not listed, not counted, as
    a reaction notice nobody is left in). One each: the earliest since the dismiss."""
    # As each flagger was told it: the place named, or not once it was closed to them.
    whats = {"something you flagged"} if target is None else {_named(target_type, target), _unnamed(target)}
    messages = [message for what in whats for urgent in (False, True) for message in _left_up_messages(what, urgent)]
    notices = db.session.scalars(select(Notification).where(
        Notification.user_id.in_(set(flagger_ids)), Notification.kind == KIND, Notification.read_at.is_(None),
        Notification.count > 0, Notification.message.in_(messages), Notification.created_at >= dismissed_at)
        .order_by(Notification.created_at, Notification.id))
    taken_back = set()
    for notice in notices:
        if notice.user_id not in taken_back:
            taken_back.add(notice.user_id)
            notice.count = 0


def tell_flagger(flagger, target_type: str, target, outcome: str, link: str, *, urgent: bool = False) -> None:
    """One notice (not committed). `target` as the moderator sees it, for its words;
    `link` one the flagger may open; `urgent`: one of their flags said someone may be in danger."""
    notify(flagger, KIND, outcome_message(flagger, target_type, target, outcome, urgent=urgent), link)


def lead_to_thread(post_ids: list[int], thread_id: int) -> None:
    """Notices already sent about these posts, about to be deleted for good, lead to their
    thread from now on (not committed): their link to the post would answer "not found"."""
    db.session.execute(update(Notification).where(
        Notification.kind == KIND,
        Notification.link.in_([path_for("posts.permalink", post_id=post_id) for post_id in post_ids]))
        .values(link=path_for("posts.thread", thread_id=thread_id)))
