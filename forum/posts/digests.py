"""One email a day, for those who choose it, telling of the notifications they have not read.

Someone active in a busy idea thread had twenty emails an evening, one per reply and
mention. Those who choose "Together, in one email a day" in their email settings get the
kinds they ticked in one email, sent when the operator runs `flask --app forum send-digests`
(from cron, once a day: README, Running in production); the kinds in ALWAYS_AT_ONCE still
come as they happen. A member taking a break from emails (forum/posts/email_pause.py) gets
none while it lasts; the first one after it tells only of what came since emails came back,
as one long email about the whole break is what the break was from (the forum still lists it).

An email tells only of what the forum would still show its reader on their notifications
page: unread, not taken back (an @mention edited out, every reaction withdrawn), about what
they may still see (a post removed or hidden, a badge taken away, a block); as the single
emails are only ever sent of notifications made for them. Each notification is told once:
it is marked in the transaction that also marks the email sent, before the email goes, so
a second run, here or on another server at the same moment, finds nothing left to tell.
A mail server that fails (down, or not answering) stops the run: the email it did not take
is given back, its notifications untold and the day's email unsent, so the next run sends
it, and the members after it are left for the next run too, not each given ten seconds to
fail. The operator is told (MailServerFailed, and the command's exit status). An address
the server refuses is no failure of the server: that member's email is gone, as any
email to that address would be.
"""
import logging
from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy import delete, exists, or_, select, update
from sqlalchemy.exc import OperationalError

from forum.extensions import db
from forum.links import path_for, site_url
from forum.local_time import UTC_NAME, in_zone, local_date
from forum.mail import deliver
from forum.models.accounts import User
from forum.models.posts import EmailDigest, EmailPreference, Notification
from forum.posts.email_pause import emails_resumed_at, paused_until
from forum.posts.email_stop import stop_token, unsubscribe_headers
from forum.posts.notifications import ALWAYS_AT_ONCE, NOTIFICATION_KINDS, followed_from, kind_label, subject_line
from forum.posts.visibility import visible_notifications_clause
from forum.text.bidi import isolate

log = logging.getLogger("forum.digests")

# The name the stop link gives these emails, in the place of a kind (forum/posts/email_stop.py).
DIGEST = "daily_digest"
# A day, less the drift of a cron job that starts late one day and on time the next; and a
# second server's cron, or an operator running it by hand, sends nobody a second one that day.
AT_MOST_EVERY = timedelta(hours=20)
# An email to read, not a copy of the notifications page; the page has the rest.
LISTED_AT_MOST = 50


class MailServerFailed(Exception):
    """The mail server failed: the run stopped, and `left` members wait for the next one."""

    def __init__(self, sent: int, left: int, reason: str):
        super().__init__(reason)
        self.sent, self.left, self.reason = sent, left, reason


def send_digests(now: datetime) -> tuple[int, int]:
    """Send each member due one the day's email; (emails handed to the mail server, or
    written to the log when no MAIL_SERVER is set; members left for the next run because
    the database was busy with another run's writes). Raises MailServerFailed when the mail
    server fails."""
    due = db.session.scalars(_members_due(now)).all()
    db.session.rollback()
    sent = busy = 0
    for place, user_id in enumerate(due):
        try:
            claim = _claim(user_id, now)
        except OperationalError:
            # SQLite refuses a write whose reading another writer overtook (another run
            # of this command at the same time): that run tells of these.
            db.session.rollback()
            log.warning("daily email to user %s left for the next run: the database was busy", user_id)
            busy += 1
            continue
        if claim is None:
            continue
        delivery = deliver([claim.mail])
        if delivery.server_failed and not delivery.sent:
            _give_back(claim, now)
            raise MailServerFailed(sent, len(due) - place, delivery.server_failed)
        sent += delivery.sent + delivery.logged
    return sent, busy


class _Claim(NamedTuple):
    user_id: int
    mail: tuple
    last_sent_at: datetime | None


def _give_back(claim: _Claim, now: datetime) -> None:
    """Undo a claim whose email the mail server did not take: its notifications are untold
    and the day's email unsent, for the next run."""
    db.session.execute(update(Notification).where(Notification.user_id == claim.user_id,
                                                  Notification.digested_at == now)
                       .values(digested_at=None), execution_options={"synchronize_session": False})
    db.session.execute(update(EmailDigest).where(EmailDigest.user_id == claim.user_id,
                                                 EmailDigest.last_sent_at == now)
                       .values(last_sent_at=claim.last_sent_at))
    db.session.commit()


def _members_due(now: datetime):
    """Select the ids of the members whose daily email is due at `now`, and who chose a kind
    it tells of."""
    kept_kinds = select(EmailPreference.user_id).where(EmailPreference.user_id == User.id,
                                                      EmailPreference.kind.not_in(ALWAYS_AT_ONCE))
    return (select(User.id).join(EmailDigest, EmailDigest.user_id == User.id)
            .where(User.closed_at.is_(None), exists(kept_kinds),
                   or_(User.emails_paused_until.is_(None), User.emails_paused_until <= now),
                   or_(EmailDigest.last_sent_at.is_(None), EmailDigest.last_sent_at <= now - AT_MOST_EVERY))
            .order_by(User.id))


def _claim(user_id: int, now: datetime) -> "_Claim | None":
    """The email for the member, with what it tells of marked told and committed; None
    when there is nothing new, or another run sent it first.

    As many statements, each as long, however many notifications wait: someone back after
    months may have 40,000, of which the email lists LISTED_AT_MOST and counts the rest.
    They are marked told and counted in the database, and only those listed are loaded."""
    user = db.session.get(User, user_id)
    digest = db.session.get(EmailDigest, user_id)
    if user is None or digest is None or user.closed_at is not None or paused_until(user, now) is not None:
        db.session.rollback()
        return None
    resumed = emails_resumed_at(user, now)
    since_resuming = resumed is not None and resumed > digest.chosen_at and (
        digest.last_sent_at is None or resumed > digest.last_sent_at)
    pending = _pending(user, resumed if since_resuming else digest.chosen_at)
    if db.session.scalar(select(exists(select(Notification.id).where(*pending)))) is not True:
        db.session.rollback()
        return None
    last_sent_at = digest.last_sent_at
    # Only one run wins the day's email: on PostgreSQL a second one waits here for the
    # first to commit, then finds the email sent and changes nothing.
    won = db.session.execute(update(EmailDigest).where(
        EmailDigest.user_id == user_id,
        or_(EmailDigest.last_sent_at.is_(None), EmailDigest.last_sent_at <= now - AT_MOST_EVERY))
        .values(last_sent_at=now)).rowcount == 1
    # Read or taken back since they were looked for: left out, as they would be a moment later.
    # Not synchronized with the session: it holds none of them, and checking each one it
    # might hold against the statement cost seconds for a large backlog.
    count = db.session.execute(update(Notification).where(*pending).values(digested_at=now),
                               execution_options={"synchronize_session": False}).rowcount if won else 0
    if not count:
        db.session.rollback()
        return None
    listed = db.session.scalars(select(Notification).where(
        Notification.user_id == user_id, Notification.digested_at == now)
        .order_by(Notification.created_at, Notification.id).limit(LISTED_AT_MOST)).all()
    mail = _mail(user, count, listed, last_sent_at, now, resumed if since_resuming else None)
    db.session.commit()
    return _Claim(user_id, mail, last_sent_at)


def _pending(user, since: datetime) -> list:
    """The SQL conditions of what the member's daily email tells of: their unread
    notifications of the kinds they chose, not yet told, made since they chose a daily
    email (or since their emails came back from a pause), that they may still see."""
    chosen = select(EmailPreference.kind).where(EmailPreference.user_id == user.id)
    return [Notification.user_id == user.id, Notification.read_at.is_(None), Notification.count > 0,
            Notification.digested_at.is_(None), Notification.created_at >= since,
            Notification.kind.in_(chosen), Notification.kind.not_in(ALWAYS_AT_ONCE),
            visible_notifications_clause(user)]


def _mail(user, count: int, listed: list[Notification], last_sent_at: datetime | None, now: datetime,
          resumed: datetime | None) -> tuple:
    stop = site_url(path_for("posts.stop_emails", token=stop_token(user.id, DIGEST)))
    since = f"emails resumed on {local_date(resumed, user.time_zone or UTC_NAME)}" if resumed else \
        _since(user, last_sent_at, now)
    lines = [f"Hello {isolate(user.display_name)},", "", f"{_count(count)} since {since}:"]
    for kind in sorted({notification.kind for notification in listed}, key=_kind_order):
        lines += ["", kind_label(kind, user)]
        for notification in listed:
            if notification.kind == kind:
                lines += [f"- {' '.join(notification.message.split())}",
                          f"  {site_url(followed_from(notification.link, notification.id))}"]
    if count > len(listed):
        lines += ["", f"And {count - len(listed):,} more on your notifications page."]
    lines += ["", f"Your notifications page: {site_url(path_for('posts.notifications_page'))}", "",
              "You get this email because you chose one email a day in your email settings. "
              f"To stop these emails: {stop}",
              f"To choose which emails you get, and how: {site_url(path_for('posts.notification_settings'))}", ""]
    subject = listed[0].message if count == 1 else f"{_count(count)}: {listed[0].message}, and more"
    return user.email, subject_line(subject), "\n".join(lines), unsubscribe_headers(stop)


def _since(user, last_sent_at: datetime | None, now: datetime) -> str:
    """Since when the email tells: a day with nothing new sends none, so the last email
    may be days old; its day as the member's calendar has it."""
    if last_sent_at is None:
        return "you chose one email a day"
    zone_name = user.time_zone or UTC_NAME
    if (in_zone(now, zone_name).date() - in_zone(last_sent_at, zone_name).date()).days == 1:
        return "yesterday’s email"
    return f"your daily email of {local_date(last_sent_at, zone_name)}"


def _count(count: int) -> str:
    return "1 new notification" if count == 1 else f"{count:,} new notifications"


def _kind_order(kind: str) -> int:
    kinds = list(NOTIFICATION_KINDS)
    return kinds.index(kind) if kind in kinds else len(kinds)


def daily_email_stopped(user_id: int) -> bool:
    """Whether the stop link of a daily email has nothing left to stop."""
    return not db.session.scalar(select(exists(
        select(EmailPreference.user_id).join(EmailDigest, EmailDigest.user_id == EmailPreference.user_id)
        .where(EmailPreference.user_id == user_id, EmailPreference.kind.not_in(ALWAYS_AT_ONCE)))))


def stop_daily_email(user_id: int) -> None:
    """No more daily emails: the kinds they told of are no longer emailed at all (a stop
    link that turned them into an email each was not what its reader asked). The kinds
    that always come at once stay, as their own emails' links stop them."""
    db.session.execute(delete(EmailPreference).where(EmailPreference.user_id == user_id,
                                                     EmailPreference.kind.not_in(ALWAYS_AT_ONCE)))
    db.session.commit()
