"""Sending mail over SMTP, or to the log when no SMTP server is configured."""
import logging
import smtplib
from dataclasses import dataclass
from email.header import Header
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

from flask import current_app

log = logging.getLogger("forum.mail")


def send_mail(to: str, subject: str, body: str) -> bool:
    """Send one plain-text message; True when it was handed to a server.

    Mail is best effort: a broken SMTP server is logged, never shown to the person as a
    crash, because the pages that send mail must not reveal more than they say."""
    return send_many([(to, subject, body)]) == 1


def send_many(mails) -> int:
    """Send each (to, subject, body) over one connection; how many were handed to a server.
    A fourth item, if any, is a dict of more headers (List-Unsubscribe)."""
    return deliver(mails).sent


@dataclass(frozen=True)
class Delivery:
    sent: int
    # Why the mail server failed, when it did: the message being sent then and those after
    # it were not handed over. None when it worked (an address it refused is no failure).
    server_failed: str | None = None
    # Written to the log instead, as no MAIL_SERVER is set (development).
    logged: int = 0


def deliver(mails) -> Delivery:
    """`send_many`, saying also whether the mail server failed, for a caller that can try
    again later (forum/posts/digests.py).

    One connection for all: a post its thread's followers want by email sends one message
    each, and each on its own connection waited up to 10 seconds for a hanging server,
    which kept the writer waiting past a worker's life (gunicorn.conf.py). A server that
    fails is given up on for the rest, in one log line; an address refused is logged and
    the others still go."""
    mails = list(mails)
    if not mails:
        return Delivery(0)
    config = current_app.config
    messages = [(to, _message(config, to, subject, body, *headers)) for to, subject, body, *headers in mails]
    if not config["MAIL_SERVER"]:
        # Development: the person running `make run` reads links from the terminal.
        for to, message in messages:
            log.warning("Mail not sent (no MAIL_SERVER). To %s: %s\n%s", to, message["Subject"], message.get_content())
        return Delivery(0, logged=len(messages))
    sent = tried = 0
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
            for to, message in messages:
                tried += 1
                try:
                    smtp.send_message(message)
                except (smtplib.SMTPRecipientsRefused, smtplib.SMTPNotSupportedError):
                    log.exception("could not send mail to %s", to)
                else:
                    sent += 1
    except (OSError, smtplib.SMTPException) as error:
        # The one being sent when it failed, and those after it.
        unsent = [to for to, _ in messages[max(tried - 1, 0):]]
        log.exception("could not send %d email%s (the mail server failed): to %s",
                      len(unsent), "" if len(unsent) == 1 else "s", ", ".join(unsent))
        return Delivery(sent, str(error) or type(error).__name__)
    return Delivery(sent)


def _message(config, to: str, subject: str, body: str, headers: dict | None = None) -> EmailMessage:
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = to
    # One line: a line break in a header is refused (a ValueError, after the action that
    # sent the mail was committed), and someone's typed reason can end up in a subject.
    subject = " ".join(subject.split())
    if subject.isascii():
        message["Subject"] = subject
    else:
        # Encoded here, whole, in words of at most 75 characters on lines of at most 78
        # (RFC 2047): Python's own folding of a long subject mixing quotes, emoji and
        # right-to-left words lost spaces or broke a word, and the inbox read
        # '“Evenings: "the quiet"🌙 …' or '… =?utf-8?q?=F0=9F=8C=99 ?= …'.
        # (74: the legacy encoder lets a continued line run two past what it is given.)
        message.set_raw("Subject", Header(subject, "utf-8", header_name="Subject", maxlinelen=74).encode())
    # Both required of a message (RFC 5322): without a Date an inbox shows no time, or the
    # time it was read, beside a link that expires within the hour; large providers refuse
    # or file as spam a message without a Message-ID. The id names the sender's domain,
    # not this host's, which may be a container's name.
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid(domain=parseaddr(config["MAIL_SENDER"])[1].rpartition("@")[2] or None)
    message.set_content(body)
    if headers:
        # Written as given, on one line: folded at 78 characters, a long link becomes an
        # RFC 2047 encoded word that mail apps do not read as a link. Lines may be 998 long
        # (RFC 5322). Only these raw values are left unfolded: the other headers still fold
        # at 78, so a subject with accents stays encoded words of at most 75 characters,
        # which mail apps decode (raised to 998, the whole subject became one long word,
        # shown as "=?utf-8?q?…" in some inboxes).
        message.policy = message.policy.clone(refold_source="none")
        for name, value in headers.items():
            message.set_raw(name, value)
    return message
