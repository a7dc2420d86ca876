"""Password reset: a single-use link by mail that expires, and says nothing about strangers."""
import email.utils
import re
import time
from datetime import UTC, datetime

import pytest
from itsdangerous import URLSafeTimedSerializer

from forum.accounts.passwords import password_matches
from forum.extensions import db
from tests.factories import PASSWORD, make_user

NEW_PASSWORD = "a brand new sentence 42"
SENT = "If that address belongs to an account, a reset link is on its way."
USED = "This reset link has expired or was already used. Ask for a new one."
EXPIRED = "This reset link has expired. Ask for a new one below."
# The forum's own address (SITE_URL), whatever the request said it was.
_LINK = re.compile(r"http://127\.0\.0\.1:5000(/reset/\S+)")


@pytest.fixture
def lena(app):
    return make_user("lena", email="lena@example.org", display_name="Lena")


def ask_for_link(client, mailbox, email="lena@example.org") -> str:
    """Request a reset and return the path of the link in the mail that arrives."""
    response = client.submit("/reset", {"email": email})
    assert response.status_code == 302
    bodies = mailbox.bodies_to("lena@example.org")
    assert bodies, "no reset mail arrived"
    match = _LINK.search(bodies[-1])
    assert match, bodies[-1]
    return match.group(1)


def follow(client, response):
    assert response.status_code == 302
    return client.get(response.headers["Location"])


def can_sign_in(make_client, password) -> bool:
    response = make_client().submit("/login", {"login": "lena", "password": password})
    return response.status_code == 302


def test_reset_mail_arrives_over_smtp_with_a_link(client, mailbox, lena):
    response = client.submit("/reset", {"email": "LENA@example.org"})

    assert SENT in follow(client, response).page
    [message] = mailbox.messages
    assert message["To"] == "lena@example.org"
    assert message["Subject"] == "Reset your forum password"
    body = message.get_payload(decode=True).decode()
    assert "Hello Lena" in body
    assert _LINK.search(body)


def test_the_link_is_on_the_forums_own_address_whatever_host_the_request_named(client, mailbox, lena):
    # Built from a forged Host header, the mail would carry Lena's reset token to the forger.
    forged = {"Host": "forger.example"}
    page = client.get("/reset", headers=forged).text
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    response = client.post("/reset", data={"email": "lena@example.org", "csrf_token": token}, headers=forged)
    assert response.status_code == 302
    [body] = mailbox.bodies_to("lena@example.org")
    assert "forger.example" not in body
    assert _LINK.search(body)


class DevelopmentServerSocket:
    """The connection `flask run --port 5107` takes a request on: werkzeug's development server
    puts it in the request's environ, and it knows its own port, whatever the request says."""

    def getsockname(self):
        return ("127.0.0.1", 5107)


def reset_mail_served_by_flask_run(client, mailbox, **headers) -> str:
    served = {"werkzeug.socket": DevelopmentServerSocket()}
    page = client.get("/reset", headers=headers, environ_overrides=served).text
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    client.post("/reset", data={"email": "lena@example.org", "csrf_token": token}, headers=headers,
                environ_overrides=served)
    [body] = mailbox.bodies_to("lena@example.org")
    return body


def test_without_a_site_url_the_link_is_on_the_port_flask_run_serves(client, mailbox, lena):
    # The demo on another port mailed links to :5000, where nothing (or another forum) answered.
    body = reset_mail_served_by_flask_run(client, mailbox, Host="forger.example:8080")
    assert re.search(r"http://127\.0\.0\.1:5107/reset/\S+", body), body
    assert "forger.example" not in body and "8080" not in body


def test_a_configured_site_url_wins_over_the_port_serving(make_app, mailbox):
    app = make_app(SITE_URL="https://forum.example.org/")
    with app.app_context():
        make_user("lena", email="lena@example.org", display_name="Lena")
        body = reset_mail_served_by_flask_run(app.test_client(), mailbox)
    assert re.search(r"https://forum\.example\.org/reset/\S+", body), body


def test_following_the_link_sets_a_new_password(app, client, mailbox, lena):
    link = ask_for_link(client, mailbox)
    assert "Choose a new password" in client.get(link).page

    response = client.submit(link, {"password": NEW_PASSWORD})

    assert "Your password is changed. Sign in with the new one." in follow(client, response).page
    db.session.refresh(lena)
    assert password_matches(lena.password_hash, NEW_PASSWORD)
    assert can_sign_in(app.test_client, NEW_PASSWORD)
    assert not can_sign_in(app.test_client, PASSWORD)


def test_a_used_link_no_longer_works(client, mailbox, lena):
    link = ask_for_link(client, mailbox)
    client.submit(link, {"password": NEW_PASSWORD})

    response = client.get(link)
    assert response.headers["Location"] == "/reset"
    assert USED in follow(client, response).page

    client.submit(link, {"password": "yet another long sentence"})
    db.session.refresh(lena)
    assert password_matches(lena.password_hash, NEW_PASSWORD)


def test_an_older_link_dies_when_a_newer_one_is_used(client, mailbox, lena):
    first = ask_for_link(client, mailbox)
    time.sleep(1.01)  # tokens carry a timestamp in whole seconds; make the two differ
    second = ask_for_link(client, mailbox)
    assert first != second

    client.submit(second, {"password": NEW_PASSWORD})

    assert USED in follow(client, client.get(first)).page


def test_a_link_mailed_to_an_old_address_dies_when_the_address_changes(client, mailbox, lena):
    """Lena moves to a new address, perhaps because someone else reads the old inbox:
    a reset link still lying in it must not let them choose her password."""
    link = ask_for_link(client, mailbox)
    lena.email = "lena.new@example.org"
    db.session.commit()

    assert USED in follow(client, client.get(link)).page
    client.submit(link, {"password": NEW_PASSWORD})
    db.session.refresh(lena)
    assert password_matches(lena.password_hash, PASSWORD)


def test_resetting_signs_out_other_devices(app, client, mailbox, lena):
    phone = app.test_client()
    phone.login("lena")

    link = ask_for_link(client, mailbox)
    client.submit(link, {"password": NEW_PASSWORD})

    assert phone.get("/settings/account").status_code == 302


def test_a_weak_new_password_is_refused_and_the_link_still_works(client, mailbox, lena):
    link = ask_for_link(client, mailbox)

    response = client.submit(link, {"password": "short"})

    assert response.status_code == 200
    assert "Use at least 10 characters." in response.page
    db.session.refresh(lena)
    assert password_matches(lena.password_hash, PASSWORD)
    assert "Choose a new password" in client.get(link).page


def test_an_expired_link_says_so(make_app, mailbox):
    # Two seconds: a link asked for and opened within the same second or the next two
    # still works however slowly a busy machine delivers the mail.
    app = make_app(PASSWORD_RESET_MAX_AGE=2)
    with app.app_context():
        make_user("lena", email="lena@example.org")
        client = app.test_client()
        link = ask_for_link(client, mailbox)
        assert client.get(link).status_code == 200  # fresh, it works

        time.sleep(3)  # timestamps are whole seconds: now at least three, past the two-second limit

        response = client.get(link)
        assert response.headers["Location"] == "/reset"
        assert EXPIRED in follow(client, response).page
        response = client.submit(link, {"password": NEW_PASSWORD})
        assert EXPIRED in follow(client, response).page
        assert can_sign_in(app.test_client, PASSWORD)


def _strip_tokens(page: str) -> str:
    return re.sub(r'(csrf[-_]token"[^>]*?(?:content|value)=")[^"]+', r"\1", page)


def test_unknown_address_gets_the_same_answer_and_a_mail_saying_no_account_uses_it(client, mailbox, lena):
    # A mail either way: only sending one to a known address took longer to answer, which
    # told anyone timing the form who has an account here.
    known = client.submit("/reset", {"email": "lena@example.org"})
    known_page = follow(client, known).page
    mailbox.clear()

    unknown = client.submit("/reset", {"email": "Stranger@example.org"})
    unknown_page = follow(client, unknown).page

    assert unknown.status_code == known.status_code == 302
    assert unknown.headers["Location"] == known.headers["Location"]
    assert SENT in unknown_page
    assert _strip_tokens(unknown_page) == _strip_tokens(known_page)
    [message] = mailbox.messages
    assert message["To"] == "stranger@example.org"
    body = message.get_payload(decode=True).decode()
    assert "no account here uses stranger@example.org" in body
    assert "/reset/" not in body and "/register" in body


@pytest.mark.parametrize("email, message", [
    ("", "Enter your email address."),
    ("not an address", "That doesn't look like an email address; check it for typos."),
])
def test_bad_address_is_explained(client, mailbox, lena, email, message):
    response = client.submit("/reset", {"email": email})
    assert response.status_code == 200
    assert message in response.page
    assert mailbox.messages == []


def _tampered(link: str) -> str:
    # Change the signature's first character: its last one partly holds padding bits
    # that decoding ignores, so changing that would sometimes leave a valid link.
    head, signature = link.rsplit(".", 1)
    return f"{head}.{'B' if signature[0] == 'A' else 'A'}{signature[1:]}"


def _signed_elsewhere(user_id: int) -> str:
    forged = URLSafeTimedSerializer("not-our-secret", salt="password-reset").dumps([user_id, "x" * 16])
    return "/reset/" + forged


@pytest.mark.parametrize("make_link", [
    _tampered,
    lambda link: link + "extra",
    lambda link: link.replace(".", "", 1),
    lambda link: "/reset/garbage",
    lambda link: "/reset/" + "x" * 3000,
    lambda link: "/reset/%ff%fe",
    lambda link: "signed-elsewhere",
], ids=["changed", "longer", "mangled", "garbage", "huge", "bytes", "forged"])
def test_a_tampered_link_fails_cleanly(client, mailbox, lena, make_link):
    genuine = ask_for_link(client, mailbox)
    link = make_link(genuine)
    if link == "signed-elsewhere":
        link = _signed_elsewhere(lena.id)

    for send in (lambda: client.get(link), lambda: client.submit(link, {"password": NEW_PASSWORD})):
        response = send()
        assert response.status_code == 302
        assert response.headers["Location"] == "/reset"
        assert USED in follow(client, response).page
    db.session.refresh(lena)
    assert password_matches(lena.password_hash, PASSWORD)
    assert "Choose a new password" in client.get(genuine).page  # the real one still works


def test_a_link_opened_while_signed_in_as_someone_else_says_whose_password_it_sets(app, client, mailbox, lena):
    """Omar, signed in on a shared computer, opens the link Lena asked for: the page names
    her account, and after saving he is not told to sign in with a password that is not his."""
    make_user("omar", email="omar@example.org", display_name="Omar")
    link = ask_for_link(client, mailbox)
    client.login("omar")

    page = client.get(link).page
    assert "Choose a new password for @lena" in page
    assert "You are signed in as @omar. This link sets the password of @lena, not yours." in page

    response = client.submit(link, {"password": NEW_PASSWORD})

    landing = follow(client, response)
    assert landing.status_code == 200
    assert ("The password of @lena is changed. You are still signed in as @omar: "
            "to sign in as @lena, sign out first.") in landing.page
    assert "Sign in with the new one" not in landing.page
    db.session.refresh(lena)
    assert password_matches(lena.password_hash, NEW_PASSWORD)
    assert can_sign_in(app.test_client, NEW_PASSWORD)


def test_a_link_opened_while_signed_in_as_oneself_keeps_one_signed_in_here(app, client, mailbox, lena):
    """Lena, still signed in from months ago but no longer knowing her password (the
    settings ask for it), asks for a link and opens it in the same browser: she is told her
    password is changed and stays signed in here, as when she changes it in the settings;
    not that she is "still signed in as @lena: to sign in as @lena, sign out first"."""
    phone = app.test_client()
    phone.login("lena")
    client.login("lena")
    link = ask_for_link(client, mailbox)

    response = client.submit(link, {"password": NEW_PASSWORD})

    landing = follow(client, response)
    assert "Your password is changed. Other devices have been signed out." in landing.page
    assert "sign out first" not in landing.page
    assert client.get("/settings/account").status_code == 200
    assert phone.get("/settings/account").status_code == 302
    db.session.refresh(lena)
    assert password_matches(lena.password_hash, NEW_PASSWORD)


def test_the_new_password_page_names_the_account_for_password_managers(client, mailbox, lena):
    link = ask_for_link(client, mailbox)

    page = client.get(link).page

    assert "Choose a new password for @lena" in page
    assert re.search(r'<input[^>]*autocomplete="username"[^>]*value="lena"', page)


def test_the_reset_mail_says_when_it_was_sent_and_has_an_id_of_its_own(client, mailbox, lena):
    """Without a Date the inbox shows no time, or the time it was read, for a link that
    expires within the hour; without a Message-ID large providers refuse the mail or file
    it as spam, and the person waits for a link that never comes."""
    ask_for_link(client, mailbox)
    message = [m for m in mailbox.messages if m["To"] == "lena@example.org"][-1]
    assert message["Date"], "the mail has no Date"
    sent = email.utils.parsedate_to_datetime(message["Date"])
    assert abs((sent - datetime.now(UTC)).total_seconds()) < 60
    assert re.fullmatch(r"<[^<>@\s]+@forum\.localhost>", message["Message-ID"] or ""), message["Message-ID"]
