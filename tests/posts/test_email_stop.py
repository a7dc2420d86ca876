"""Stopping one kind of notification email from the email itself, without signing in."""
import re
from urllib.parse import urlsplit

from forum.posts.notifications import email_kinds
from tests.factories import make_post, make_thread, make_user


def _mention_email_for_ana(client, mailbox):
    ana, ben = make_user("ana"), make_user("ben")
    client.login("ana")
    client.submit("/settings/notifications", {"email_mention": "y", "email_reply": "y"})
    client.logout()
    make_post(ben, make_thread("Mentor ideas"), "what do you think, @ana?")
    (mail,) = [message for message in mailbox.messages if message["To"] == "ana@example.org"]
    return ana, ben, mail


def _stop_path(mail) -> str:
    body = mail.get_payload(decode=True).decode()
    (link,) = [url for url in re.findall(r"http://\S+", body) if "/email/stop/" in url]
    return urlsplit(link).path


def test_an_email_stops_its_own_kind_from_a_link_that_needs_no_sign_in(client, mailbox):
    # Read on a phone where nobody is signed in: "untick it in your settings" first asked
    # for a password the reader may not remember, to stop mail they no longer want.
    ana, ben, mail = _mention_email_for_ana(client, mailbox)
    path = _stop_path(mail)
    assert mail["List-Unsubscribe"] == f"<http://127.0.0.1:5000{path}>"  # the mail app's own button

    asked = client.get(path)
    assert asked.status_code == 200
    assert "Stop emails about “Someone @mentions or quotes you”?" in asked.page
    assert "Nothing else changes" in asked.page
    assert email_kinds(ana) == {"mention", "reply"}  # opening the link stops nothing

    done = client.submit(path, follow_redirects=True)
    assert "You'll get no more emails about “Someone @mentions or quotes you”." in done.page
    assert email_kinds(ana) == {"reply"}  # the other kind chosen stays
    mailbox.clear()
    make_post(ben, make_thread("Later"), "and you, @ana?")
    assert mailbox.bodies_to("ana@example.org") == []
    # Pressed again (a second tab): said, not refused.
    again = client.submit(path, follow_redirects=True)
    assert "You'll get no more emails about “Someone @mentions or quotes you”." in again.page


def test_a_stop_link_that_is_not_right_changes_nothing_and_says_where_to_go(client, mailbox):
    ana, _, mail = _mention_email_for_ana(client, mailbox)
    path = _stop_path(mail)
    tampered = path[:-3] + ("abc" if not path.endswith("abc") else "xyz")
    response = client.get(tampered)
    assert response.status_code == 404
    assert "That link to stop emails isn't right" in response.page
    assert 'href="/settings/notifications"' in response.page
    assert email_kinds(ana) == {"mention", "reply"}


def test_a_subject_with_accents_stays_readable_beside_the_stop_header(client, mailbox):
    # Mail apps decode an encoded word of at most 75 characters (RFC 2047): a subject written
    # as one long one showed as "=?utf-8?q?Zo=C3=AB…" in the inbox.
    make_user("ana")
    ben = make_user("ben", display_name="Zoë Ångström")
    client.login("ana")
    client.submit("/settings/notifications", {"email_mention": "y"})
    client.logout()
    make_post(ben, make_thread("Réunion du soir, pour celles et ceux qui n’arrivent pas à dormir"), "@ana, tu viens ?")
    (mail,) = [message for message in mailbox.messages if message["To"] == "ana@example.org"]

    assert mail["List-Unsubscribe"].startswith("<http://127.0.0.1:5000/email/stop/")
    encoded_words = re.findall(r"=\?[^?]+\?[qQbB]\?[^?]*\?=", mail["Subject"])
    assert encoded_words and all(len(word) <= 75 for word in encoded_words)
    assert all(len(line) <= 78 for line in mail["Subject"].splitlines())


ONE_CLICK = {"List-Unsubscribe": "One-Click"}


def test_a_mail_apps_one_click_unsubscribe_stops_that_kind_with_no_session_or_page(app, client, mailbox):
    # Gmail and Yahoo show their own Unsubscribe button when an email offers one click
    # (RFC 8058), then POST this body to the link themselves: no cookies, no page, no token.
    ana, _, mail = _mention_email_for_ana(client, mailbox)
    path = _stop_path(mail)
    assert mail["List-Unsubscribe"] == f"<http://127.0.0.1:5000{path}>"
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    provider = app.test_client()

    # Without that body the page's button still needs its page's token: another site's
    # form cannot stop someone's emails.
    assert provider.post(path, data={}).status_code == 400
    assert provider.post(path, data={"List-Unsubscribe": "Yes"}).status_code == 400
    # A link altered or cut short stops nothing, for anyone.
    assert provider.post(path[:-3] + ("abc" if not path.endswith("abc") else "xyz"), data=ONE_CLICK).status_code == 404
    assert email_kinds(ana) == {"mention", "reply"}

    done = provider.post(path, data=ONE_CLICK)
    assert done.status_code == 200
    assert "set-cookie" not in done.headers
    assert email_kinds(ana) == {"reply"}  # that kind only
    assert provider.post(path, data=ONE_CLICK).status_code == 200  # sent twice: the same answer
