"""The security baseline: headers, cookies, sessions, redirects, and accounts that do not
give themselves away."""
import re
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from forum import PROJECT_ROOT
from forum.accounts.names import RESERVED_USERNAMES
from forum.accounts.passwords import COMMON_PASSWORDS
from forum.config import load_settings
from forum.extensions import db
from forum.models.accounts import User
from forum.moderation.guards import CONTENT_SECURITY_POLICY
from tests.factories import PASSWORD, make_post, make_thread, make_user

EXPECTED_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")


@pytest.mark.parametrize("path", ["/", "/login", "/no/such/page", "/static/css/forum.css", "/threads/999"])
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    response.close()
    assert response.headers["Content-Security-Policy"] == EXPECTED_CSP == CONTENT_SECURITY_POLICY
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in response.headers


def test_production_also_asks_for_https_only(make_app):
    app = make_app(FORUM_ENV="production", SECRET_KEY="p" * 40, SITE_URL="https://forum.example.org")
    response = app.test_client().get("/")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_no_template_has_inline_script_style_or_handlers():
    problems = []
    for path in Path(PROJECT_ROOT, "templates").rglob("*.html"):
        text = path.read_text()
        for pattern in (r"<script(?![^>]*\bsrc=)", r"<style", r"\sstyle=", r"\son[a-z]+=", r"javascript:"):
            if re.search(pattern, text, re.IGNORECASE):
                problems.append(f"{path.name}: {pattern}")
    assert problems == []


def test_signed_in_pages_are_not_kept_by_the_browser_after_sign_out(client):
    """On a shared computer, Back after signing out must not show someone's messages
    and notifications from the browser's cache."""
    make_user("ana")
    client.login("ana")
    for path in ("/", "/notifications", "/settings/account"):
        response = client.get(path)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-store", path
    client.logout()
    # What anyone may see stays cacheable: visitors' pages and the static files.
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    static = client.get("/static/css/forum.css")
    static.close()
    assert "no-store" not in static.headers.get("Cache-Control", "")


def test_session_and_remember_cookies_are_httponly_and_lax(client):
    make_user("ana")
    response = client.submit("/login", {"login": "ana", "password": PASSWORD, "remember": "y"})
    cookies = {header.split("=", 1)[0]: header for header in response.headers.getlist("Set-Cookie")}
    for name in ("session", "remember_token"):
        assert "HttpOnly" in cookies[name] and "SameSite=Lax" in cookies[name]
        assert "Secure" not in cookies[name]  # plain http in development and tests


def test_production_cookies_are_secure(tmp_path, make_app):
    settings = load_settings(str(tmp_path), environ={"FORUM_ENV": "production", "SECRET_KEY": "x" * 40})
    secure = {key: settings[key] for key in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE")}
    assert secure == {"SESSION_COOKIE_SECURE": True, "REMEMBER_COOKIE_SECURE": True}
    app = make_app(**secure)
    with app.app_context():
        make_user("ana")
    response = app.test_client().submit("/login", {"login": "ana", "password": PASSWORD, "remember": "y"})
    for header in response.headers.getlist("Set-Cookie"):
        assert "; Secure" in header


def test_the_session_is_renewed_at_sign_in(client):
    make_user("ana")
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    before = client.csrf_token()
    client.login("ana")
    with client.session_transaction() as session:
        assert "planted" not in session
    assert client.csrf_token() != before


def test_a_password_change_ends_the_other_sessions(make_app):
    app = make_app()
    with app.app_context():
        make_user("ana")
    here, elsewhere, remembered = app.test_client(), app.test_client(), app.test_client()
    here.login("ana")
    elsewhere.login("ana")
    remembered.login("ana", remember="y")
    response = here.post("/settings/password", data={
        "pw-csrf_token": here.csrf_token(), "pw-current_password": PASSWORD,
        "pw-password": "a brand new passphrase"})
    assert response.status_code == 302
    assert here.get("/settings/account").status_code == 200  # this session goes on
    assert elsewhere.get("/settings/account").location.startswith("/login")
    remembered.delete_cookie("session")  # only the long-lived cookie is left: it ends too
    assert remembered.get("/settings/account").location.startswith("/login")


HOSTILE_NEXT = [
    "https://evil.example/", "//evil.example", "///evil.example", "/\\evil.example", "\\\\evil.example",
    "/\t/evil.example", "/\r\n/evil.example", "http:evil.example", "javascript:alert(1)", " //evil.example",
    "%2F%2Fevil.example", "https:/\\evil.example", "data:text/html,hi", "/%09/evil.example", "evil.example",
]


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_next_only_ever_leads_to_this_site(client, target):
    make_user("ana")
    response = client.submit("/login", {"login": "ana", "password": PASSWORD}, query_string={"next": target})
    location = response.location
    parts = urlsplit(location)
    assert response.status_code == 302
    assert not parts.scheme and not parts.netloc
    assert location.startswith("/") and not location.startswith(("//", "/\\"))


def test_next_within_the_site_is_kept(client):
    make_user("ana")
    response = client.submit("/login", {"login": "ana", "password": PASSWORD}, query_string={"next": "/settings/account?tab=1"})
    assert response.location == "/settings/account?tab=1"


def without_csrf_tokens(page: str) -> str:
    return re.sub(r'(name="csrf[-_]token"[^>]*?(?:content|value)=)"[^"]*"', r'\1"…"', page)


def test_password_reset_gives_the_same_answer_for_any_address(client, mailbox):
    make_user("ana")
    known = client.submit("/reset", {"email": "ana@example.org"}, follow_redirects=True)
    unknown = client.submit("/reset", {"email": "nobody@example.org"}, follow_redirects=True)
    # The CSRF token in each page is signed with the time, so it may differ by a second.
    assert known.status_code == unknown.status_code == 200
    assert without_csrf_tokens(known.page) == without_csrf_tokens(unknown.page)
    assert "If that address belongs to an account" in known.page
    # Each address is mailed, so neither answer comes later: the reset link to ana only.
    [to_ana], [to_nobody] = mailbox.bodies_to("ana@example.org"), mailbox.bodies_to("nobody@example.org")
    assert "/reset/" in to_ana and "/reset/" not in to_nobody


def test_registration_gives_the_same_answer_for_a_taken_address(client, mailbox):
    make_user("ana")
    fresh = client.submit("/register", {"username": "newcomer", "email": "fresh@example.org", "password": PASSWORD,
                                        "age_group": "adult"})
    taken = client.submit("/register", {"username": "imposter", "email": "ANA@example.org", "password": PASSWORD,
                                        "age_group": "adult"})
    assert fresh.status_code == taken.status_code == 302 and fresh.location == taken.location
    (link_mail,) = mailbox.bodies_to("fresh@example.org")
    (warning,) = mailbox.bodies_to("ana@example.org")
    assert "/register/confirm/" in link_mail
    assert "Someone, maybe you, tried to create a new account" in warning and "/register/confirm/" not in warning
    assert db.session.scalar(select(User).where(User.username == "imposter")) is None


def test_sign_in_does_not_say_whether_an_account_exists(client):
    make_user("ana")
    wrong_password = client.submit("/login", {"login": "ana", "password": "not the password"})
    no_account = client.submit("/login", {"login": "nobody", "password": "not the password"})
    assert "That username or password is not right." in wrong_password.page
    assert "That username or password is not right." in no_account.page


@pytest.mark.parametrize("username", ["admin", "Moderator", "MENTOR", "staff", "support", "all", "here", "everyone"])
def test_reserved_usernames_are_refused(client, username):
    assert username.lower() in RESERVED_USERNAMES
    response = client.submit("/register", {"username": username, "email": "x@example.org", "password": PASSWORD,
                                           "age_group": "adult"})
    assert "reserved" in response.page


@pytest.mark.parametrize("username", ["ana", "ANA", "Ana"])
def test_usernames_are_unique_whatever_the_case(client, username):
    make_user("ana")
    response = client.submit("/register", {"username": username, "email": "x@example.org", "password": PASSWORD,
                                           "age_group": "adult"})
    assert "That username is taken" in response.page


@pytest.mark.parametrize("username", ["ànna", "аna", "ana\u200b", "ana-b", "ana b"])
def test_usernames_are_plain_ascii(client, username):
    response = client.submit("/register", {"username": username, "email": "x@example.org", "password": PASSWORD,
                                           "age_group": "adult"})
    assert "letters, digits or underscores" in response.page


@pytest.mark.parametrize("password", ["password123", "qwertyuiop", "1234567890", "iloveyou12", "aaaaaaaaaa", "abababababab"])
def test_common_passwords_are_refused(client, password):
    assert password in COMMON_PASSWORDS or len(set(password)) < 4
    response = client.submit("/register", {"username": "newcomer", "email": "x@example.org", "password": password,
                                           "age_group": "adult"})
    assert "too easy to guess" in response.page


@pytest.mark.parametrize("name, shown", [
    ("\u202eevil\u202c", "evil"), ("Sam\u200bantha", "Samantha"), ("\u2066Kit\u2069", "Kit"),
    ("Ro\u200fwan", "Rowan"), ("\ufeffWren", "Wren"), ("Tab\there", "Tabhere"),
])
def test_bidi_and_invisible_controls_are_removed_from_display_names(client, name, shown):
    make_user("ana")
    client.login("ana")
    client.submit("/settings/profile", {"display_name": name, "bio": ""})
    assert db.session.scalar(select(User.display_name).where(User.username == "ana")) == shown


def test_bleach_is_pinned_to_its_final_release():
    text = Path(PROJECT_ROOT, "pyproject.toml").read_text()
    assert '"bleach>=6.4.0"' in text
    assert tuple(int(part) for part in version("bleach").split(".")[:2]) >= (6, 4)


def test_only_the_text_pipeline_uses_markdown_and_bleach():
    """They sit behind forum.text (render_markdown), so either can be swapped in one place."""
    users = []
    for path in Path(PROJECT_ROOT, "forum").rglob("*.py"):
        if path.parent.name != "text" and re.search(r"^\s*(import|from)\s+(bleach|markdown)\b", path.read_text(), re.M):
            users.append(str(path.relative_to(PROJECT_ROOT)))
    assert users == []


def test_state_never_changes_on_get(client):
    make_user("ana")
    thread = make_thread()
    post = make_post(make_user("ben"), thread)
    client.login("ana")
    for path in ("/logout", f"/posts/{post.id}/react?kind=hug", f"/posts/{post.id}/delete", "/users/ben/block",
                 f"/posts/{post.id}/hide", "/notifications/read-all"):
        assert client.get(path).status_code in (404, 405), path
    assert client.get("/settings/account").status_code == 200  # still signed in
