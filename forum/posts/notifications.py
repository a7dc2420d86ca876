"""Notifications: written in the same transaction as what caused them, mailed after commit.

Other parts call `notify` with their own kind (registered with a label for the settings
page). Mail goes out only once the transaction commits, so a rolled-back action never
sends an email.
"""
from collections.abc import Callable
from datetime import timedelta
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sqlalchemy import event, exists, func, insert, inspect, select, update
from sqlalchemy.orm import Session

from forum.clock import utcnow
from forum.extensions import db
from forum.links import path_for, site_url
from forum.mail import send_many
from forum.models.posts import EmailDigest, EmailPreference, Notification, Post
from forum.posts.email_pause import emails_paused_for
from forum.posts.email_stop import stop_token, unsubscribe_headers
from forum.posts.visibility import READERS_KEPT, not_from_blocked_clause, viewer_of, visible_notifications_clause
from forum.text.bidi import close_isolates, shortened

NOTIFICATION_KINDS: dict[str, str] = {
    "mention": "Someone @mentions or quotes you",
    "reply": "Someone replies to your post",
    "reaction": "People react to your post",
    # Also suspensions, their lifting and a move between the teen and adult spaces, with what
    # the move changed of whom a mentor mentors (forum/mentors/endings.py).
    "moderation": "A moderator acts on your account or on something you wrote",
}
_OUTBOX = "forum_outbox"
# As long as a kept message may be (Notification.message).
MESSAGE_LIMIT = 300
# The query parameter an emailed link carries: the notification it tells of, which
# following the link reads (forum/posts/notification_views.py), as GitHub's emails do.
FOLLOWED_FROM = "notification"


# Kinds only some people can be sent (moderators' own, mentors'): who is offered them in the settings.
_OFFERED_TO: dict[str, Callable[[object], bool]] = {}
# Kinds whose label depends on the person (what of it their roles can bring them).
_LABEL_FOR: dict[str, Callable[[object], str]] = {}
# Kinds emailed as they happen even to those who chose one email a day (forum/posts/digests.py):
# a flag saying someone may be in danger cannot wait for tomorrow evening.
ALWAYS_AT_ONCE: set[str] = set()


def register_notification_kind(kind: str, label: str, *, offered_to: Callable[[object], bool] | None = None,
                               label_for: Callable[[object], str] | None = None,
                               always_at_once: bool = False) -> None:
    """`offered_to(user)`: whether the email settings list the kind to `user` (default: everyone):
    whether `user`'s roles can bring them one. `label_for(user)`: the label as `user` reads it
    (default: `label`). `always_at_once`: never kept for the daily email."""
    NOTIFICATION_KINDS[kind] = label
    if offered_to is not None:
        _OFFERED_TO[kind] = offered_to
    if label_for is not None:
        _LABEL_FOR[kind] = label_for
    if always_at_once:
        ALWAYS_AT_ONCE.add(kind)


def kinds_offered_to(user) -> dict[str, str]:
    """The kinds `user` may choose to get by email, with their labels."""
    return {kind: kind_label(kind, user) for kind in NOTIFICATION_KINDS
            if kind not in _OFFERED_TO or _OFFERED_TO[kind](user)}


def kind_label(kind: str, user) -> str:
    """The label of `kind` as `user` chose it in their settings."""
    if kind in _LABEL_FOR:
        return _LABEL_FOR[kind](user)
    return NOTIFICATION_KINDS.get(kind, kind)


def notify(user, kind: str, message: str, link: str, *, actor=None, post=None,
           gather_email: bool = False, kept: str | None = None) -> Notification:
    """Add a notification for `user` (not committed), and queue its email if they want one
    and their notifications list it (`visible_notifications_clause`).

    `kept`: the message as the notification keeps it (MESSAGE_LIMIT), when cutting `message`'s
    end would lose what matters (what to do next); the email has `message` whole.

    `gather_email`: no email while one sent about the same thread is fresh (EMAIL_GATHERED_WITHIN)
    and unread, and `user` has not written there since: messages written in a row are one
    email. Each notification is still listed."""
    wants_email = db.session.scalar(_emailed_at_once(kind).where(EmailPreference.user_id == user.id)) is not None
    if wants_email and gather_email and post is not None:
        wants_email = not _fresh_unread_in_thread(user, kind, post.thread_id)
    notification = _add(user, kind, message, link, actor, post, kept)
    if wants_email and _listed(user, notification):
        _queue_email(user, kind, message, link, notification)
    return notification


def _listed(user, notification: Notification) -> bool:
    """Whether `user`'s notifications list `notification`. The list leaves out some it is given:
    one from someone they blocked, a reaction from the adult spaces to what a trainee wrote there
    before a moderator moved them to the teens. Its email would tell of them too."""
    db.session.flush()
    return db.session.scalar(select(Notification.id).where(
        Notification.id == notification.id, visible_notifications_clause(user))) is not None


# Long enough for someone writing in short messages; short enough that someone who read the
# conversation without opening its notifications misses nothing for long.
EMAIL_GATHERED_WITHIN = timedelta(minutes=30)


def _fresh_unread_in_thread(user, kind: str, thread_id: int) -> bool:
    own_last = select(func.max(Post.created_at)).where(Post.thread_id == thread_id, Post.author_id == user.id)
    since = func.coalesce(own_last.scalar_subquery(), utcnow() - EMAIL_GATHERED_WITHIN)
    return db.session.scalar(select(Notification.id).join(Post, Post.id == Notification.post_id).where(
        Notification.user_id == user.id, Notification.kind == kind, Notification.read_at.is_(None),
        Notification.count > 0, Post.thread_id == thread_id,
        Notification.created_at >= utcnow() - EMAIL_GATHERED_WITHIN, Notification.created_at > since)
        .limit(1)) is not None


def notify_each(users, kind: str, message: str, link: str, *, actor=None, post=None, count: int = 1) -> None:
    """`notify` for many people at once (a thread's followers, told of each new post, may
    be hundreds): their email choices are read in one statement, and the notifications of
    those who get no email are written in one more. An emailed notification is written on
    its own, as `notify` writes it: its id goes into the email's link.

    `post`: one each of `users` may see (the caller asks `can_see_post`). What else their
    lists leave out, one naming as who did it someone they blocked, is emailed to none of
    them either, as `notify` does: asked of all of them in one statement. A danger alert
    names nobody, so no block keeps it from a moderator (forum/moderation/danger.py).
    `count`: how many things each notification stands for (flags put back at once)."""
    users = list(users)
    if not users:
        return
    wanting = set(db.session.scalars(_emailed_at_once(kind).where(
        EmailPreference.user_id.in_([user.id for user in users]))))
    unmailed, emailed = [], []
    for user in users:
        if user.id in wanting:
            notification = _add(user, kind, message, link, actor, post)
            notification.count = count
            emailed.append((user, notification))
        else:
            unmailed.append({"user_id": user.id, "kind": kind, "message": kept_message(message), "link": link[:300],
                             "actor_id": actor.id if actor else None, "post_id": post.id if post else None,
                             "count": count, "created_at": utcnow()})
    if unmailed:
        db.session.execute(insert(Notification), unmailed)
    for user, notification in _not_from_blocked(emailed):
        _queue_email(user, kind, message, link, notification)


def email_again(gathered: list[tuple[object, Notification]], kind: str) -> None:
    """Email each (person, notification) pair's unread notification of `kind` again, as it now
    reads, to those who chose `kind` by email as it happens: it gathered news that must not
    wait until they open it (forum/moderation/danger.py). Two statements, however many people."""
    if not gathered:
        return
    wanting = set(db.session.scalars(_emailed_at_once(kind).where(
        EmailPreference.user_id.in_([user.id for user, _ in gathered]))))
    for user, notification in _not_from_blocked([pair for pair in gathered if pair[0].id in wanting]):
        _queue_email(user, kind, notification.message, notification.link, notification)


def _not_from_blocked(added: list[tuple[object, Notification]]) -> list[tuple[object, Notification]]:
    """The (person, notification) pairs whose notification names no one its person blocked."""
    if not added:
        return []
    db.session.flush()
    kept = set(db.session.scalars(select(Notification.id).where(
        Notification.id.in_([notification.id for _, notification in added]), not_from_blocked_clause())))
    return [(user, notification) for user, notification in added if notification.id in kept]


def _emailed_at_once(kind: str):
    """Select the ids of the people who chose `kind` by email and have it as it happens:
    not those who chose one email a day, which tells of it (forum/posts/digests.py), nor
    those taking a break from emails (forum/posts/email_pause.py)."""
    chosen = select(EmailPreference.user_id).where(EmailPreference.kind == kind,
                                                   ~emails_paused_for(EmailPreference.user_id, utcnow()))
    if kind in ALWAYS_AT_ONCE:
        return chosen
    return chosen.where(~exists().where(EmailDigest.user_id == EmailPreference.user_id))


def _add(user, kind: str, message: str, link: str, actor, post, kept: str | None = None) -> Notification:
    notification = Notification(user_id=user.id, kind=kind, message=kept_message(kept or message), link=link[:300],
                                actor_id=actor.id if actor else None, post_id=post.id if post else None)
    db.session.add(notification)
    return notification


def _queue_email(user, kind: str, message: str, link: str, notification: Notification) -> None:
    db.session.info.setdefault(_OUTBOX, []).append((user.email, user.id, kind_label(kind, user), kind, message,
                                                     link, notification))


@event.listens_for(Session, "after_commit")
def _send_queued_mail(session):
    outbox = session.info.pop(_OUTBOX, [])
    if not outbox:
        return
    # The page that stops them, linked: "in your settings" left people hunting for it.
    settings = site_url(path_for("posts.notification_settings"))
    mails = []
    for address, user_id, label, kind, message, link, notification in outbox:
        # Its id from the identity the flush gave it: no SQL may run once the commit is over.
        (notification_id,) = inspect(notification).identity
        # Stopped from the email itself, signed in or not, and by the mail app's own
        # "Unsubscribe" button in one click (forum/posts/email_stop.py).
        stop = site_url(path_for("posts.stop_emails", token=stop_token(user_id, kind)))
        mails.append((address, subject_line(message), f"{message}\n\nSee it here: "
                      f"{site_url(followed_from(link, notification_id))}\n\n"
                      f"You get this email because you chose “{label}” "
                      f"in your email settings. To stop these emails: {stop}\n"
                      f"To choose which emails you get: {settings}\n",
                      unsubscribe_headers(stop)))
    # Over one connection: a thread's followers may be many (forum/mail.py).
    send_many(mails)


def followed_from(link: str, notification_id: int) -> str:
    """`link` carrying the notification it is followed from (FOLLOWED_FROM), before any #anchor."""
    parts = urlsplit(link)
    query = urlencode([*parse_qsl(parts.query, keep_blank_values=True), (FOLLOWED_FROM, notification_id)])
    return urlunsplit(parts._replace(query=query))


SUBJECT_LIMIT = 120


def kept_message(message: str) -> str:
    """`message` cut to what a notification keeps, leaving no name or title's isolate open: a
    long one ends at a word, with "…", as subject lines do, so a reader knows there was more."""
    if len(message) <= MESSAGE_LIMIT:
        return message
    cut = close_isolates(shortened(message, MESSAGE_LIMIT - 1).rsplit(" ", 1)[0].rstrip(" ,;:")) + "…"
    # Closing what the last word's cut left open can run over (a word inside several names).
    return cut if len(cut) <= MESSAGE_LIMIT else shortened(message, MESSAGE_LIMIT - 1) + "…"


def subject_line(message: str) -> str:
    """The message as a subject line: a long one ends at a word, with "…" (after closing a
    name or title it ends in, so the "…" and the mail app's line keep their direction)."""
    message = " ".join(message.split())
    if len(message) <= SUBJECT_LIMIT:
        return message
    return close_isolates(shortened(message, SUBJECT_LIMIT).rsplit(" ", 1)[0].rstrip(" ,;:")) + "…"


@event.listens_for(Session, "after_rollback")
def _drop_queued_mail(session):
    session.info.pop(_OUTBOX, None)


def unread_count(user) -> int:
    return db.session.scalar(_unread_count_statement(viewer_of(user))) or 0


@lru_cache(maxsize=READERS_KEPT)
def _unread_count_statement(viewer):
    # Every page's header runs this. Made once per viewer: SQLAlchemy finds a statement's
    # compiled form by a key it works out from the whole statement, visibility clause and
    # all, which cost twice as long as running the query (0.25 against 0.1 ms).
    return select(func.count(Notification.id)).where(
        Notification.user_id == viewer.id, Notification.read_at.is_(None), Notification.count > 0,
        visible_notifications_clause(viewer))


def notifications_for(user):
    # A reaction notice everyone took back is kept empty (forum/posts/reaction_notices.py).
    return (select(Notification).where(Notification.user_id == user.id, Notification.count > 0,
                                       visible_notifications_clause(user))
            .order_by(Notification.read_at.is_not(None), Notification.created_at.desc()))


def mark_read(user, notification_id: int) -> Notification | None:
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.user_id != user.id:
        return None
    notification.read_at = notification.read_at or utcnow()
    db.session.commit()
    return notification


def mark_all_read(user) -> None:
    db.session.execute(update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)).values(read_at=utcnow()))
    db.session.commit()


def email_kinds(user) -> set[str]:
    return set(db.session.scalars(select(EmailPreference.kind).where(EmailPreference.user_id == user.id)))


def daily_email_chosen(user) -> bool:
    """Whether `user` chose one email a day rather than each as it happens."""
    return db.session.get(EmailDigest, user.id) is not None


def set_email_kinds(user, kinds, *, daily: bool | None = None) -> None:
    """Email `user` the `kinds`; `daily`: in one email a day (True), each as it happens
    (False), or as before (None). Kinds not offered to `user` are left as they are: someone
    whose role was taken away finds their choice as they left it when it is given back."""
    offered = set(kinds_offered_to(user))
    kinds = set(kinds) & offered
    current = email_kinds(user)
    for kind in (current & offered) - kinds:
        db.session.delete(db.session.get(EmailPreference, (user.id, kind)))
    for kind in kinds - current:
        db.session.add(EmailPreference(user_id=user.id, kind=kind))
    digest = db.session.get(EmailDigest, user.id)
    if daily and digest is None:
        db.session.add(EmailDigest(user_id=user.id, chosen_at=utcnow()))
    elif daily is False and digest is not None:
        db.session.delete(digest)
    db.session.commit()
