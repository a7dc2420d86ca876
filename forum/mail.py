"""Sending mail over SMTP, or to the log when no SMTP server is configured."""
import logging
import smtplib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

from flask import current_app

log = logging.getLogger("forum.mail")


def send_mail(to: str, subject: str, body: str) -> bool:
    """Send one plain-text message; True when it was handed to a server.

    Mail is best effort: a broken SMTP server is logged, never shown to the person as a
    crash, because the pages that send mail must not reveal more than they say."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = to
    # One line: a line break in a header is refused (a ValueError, after the action that
    # sent the mail was committed), and someone's typed reason can end up in a subject.
    message["Subject"] = " ".join(subject.split())
    # Both required of a message (RFC 5322): without a Date an inbox shows no time, or the
    # time it was read, beside a link that expires within the hour; large providers refuse
    # or file as spam a message without a Message-ID. The id names the sender's domain,
    # not this host's, which may be a container's name.
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid(domain=parseaddr(config["MAIL_SENDER"])[1].rpartition("@")[2] or None)
    message.set_content(body)
    if not config["MAIL_SERVER"]:
        # Development: the person running `make run` reads links from the terminal.
        log.warning("Mail not sent (no MAIL_SERVER). To %s: %s\n%s", to, subject, body)
        return False
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException):
        log.exception("could not send mail to %s", to)
        return False
    return True
