"""Mail when the mail server is broken: the action stands, and the server is not knocked on
once for every message."""
import email
import email.policy
import logging
import re
from email.header import decode_header, make_header

from aiosmtpd.controller import Controller
from sqlalchemy import select

from forum.extensions import db
from forum.models.posts import Notification, Post
from forum.posts.following import follow
from forum.posts.notifications import set_email_kinds
from tests.factories import make_post, make_thread, make_user
from tests.mailbox import _free_port


def test_a_post_whose_followers_want_email_stands_and_tries_a_broken_mail_server_once(make_app, broken_server,
                                                                                    caplog):
    # Each email went on its own connection, each given 10 seconds to answer: with the mail
    # server hanging, a post three followers wanted by email kept its writer waiting 30
    # seconds, as long as a worker lives (gunicorn.conf.py), for a page that then failed.
    app = make_app(MAIL_PORT=broken_server.port)
    with app.app_context():
        author = make_user("ana")
        thread = make_thread("Highs and lows")
        followers = [make_user(name) for name in ("ben", "cara", "dev")]
        for person in followers:
            follow(person, thread)
            set_email_kinds(person, ["followed"])
        with caplog.at_level(logging.WARNING, logger="forum.mail"):
            post = make_post(author, thread, "A good week, mostly.")
        assert db.session.get(Post, post.id) is not None
        told = db.session.scalars(select(Notification.user_id).where(Notification.post_id == post.id)).all()
        assert sorted(told) == sorted(person.id for person in followers)
    assert broken_server.connections == 1
    failures = [record for record in caplog.records if record.name == "forum.mail"]
    assert len(failures) == 1
    assert "3 emails" in failures[0].getMessage()


class RefusingOne:
    """A working mail server that refuses one address (a mailbox deleted at its provider)."""

    def __init__(self, refused: str):
        self.refused = refused
        self.received: list[str] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == self.refused:
            return "550 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.extend(envelope.rcpt_tos)
        return "250 Message accepted for delivery"


def test_an_address_the_server_refuses_does_not_keep_the_others_emails_from_going(make_app, caplog):
    handler = RefusingOne("cara@example.org")
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        app = make_app(MAIL_PORT=port)
        with app.app_context():
            author = make_user("ana")
            thread = make_thread("Highs and lows")
            for name in ("ben", "cara", "dev"):
                person = make_user(name)
                follow(person, thread)
                set_email_kinds(person, ["followed"])
            with caplog.at_level(logging.WARNING, logger="forum.mail"):
                make_post(author, thread, "A good week, mostly.")
    finally:
        controller.stop()
    assert sorted(handler.received) == ["ben@example.org", "dev@example.org"]
    assert any("cara@example.org" in record.getMessage() for record in caplog.records if record.name == "forum.mail")



def test_a_subject_with_quotes_emoji_and_right_to_left_words_reads_in_the_inbox_as_written(client, mailbox):
    # Python's own folding of a long subject wrote a broken encoded word: the inbox read
    # 'Ben mentioned you in “Evenings: "the quiet"🌙 — مساء الخير”', or
    # '… “Evenings: "the quiet" =?utf-8?q?=F0=9F=8C=99 ?= —مساءالخير”'.
    title = 'Evenings: "the quiet" 🌙 — مساء الخير'
    make_user("ana")
    ben = make_user("ben")
    client.login("ana")
    client.submit("/settings/notifications", {"email_mention": "y"})
    make_post(ben, make_thread(title), "what do you think, @ana?")

    (mail,) = [message for message in mailbox.messages if message["To"] == "ana@example.org"]
    read = email.message_from_bytes(mail.as_bytes(), policy=email.policy.default)  # as a mail app reads it
    # The title in an isolate (U+2068 … U+2069): its Arabic words keep the English around them in order.
    assert read["Subject"] == f"Ben mentioned you in “\u2068{title}\u2069”"
    assert str(make_header(decode_header(mail["Subject"]))) == f"Ben mentioned you in “\u2068{title}\u2069”"
    encoded_words = re.findall(r"=\?[^?]+\?[qQbB]\?[^?]*\?=", mail["Subject"])
    assert encoded_words and all(len(word) <= 75 for word in encoded_words)
    assert all(len(line) <= 78 for line in f"Subject: {mail['Subject']}".splitlines())
