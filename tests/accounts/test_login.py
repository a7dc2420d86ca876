"""Signing in and out: by name or address, remember me, where we go next."""
import html
import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models.posts import Post
from tests.factories import PASSWORD, make_thread, make_user

WRONG = "That username or password is not right."


@pytest.fixture
def sam(app):
    return make_user("Sam_Reed", email="sam@example.org", display_name="Sam")


def signed_in_as(client) -> str | None:
    """The display name the header shows, or None when it offers to sign in."""
    page = client.get("/").page
    if "Sign out" not in page:
        return None
    return "Sam" if ">Sam</a>" in page else "someone else"


@pytest.mark.parametrize("login", ["Sam_Reed", "sam_reed", "SAM_REED", "sam@example.org", "SAM@Example.ORG", " sam_reed "])
def test_sign_in_by_username_or_email_in_any_case(client, sam, login):
    response = client.submit("/login", {"login": login, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "Signed in. Welcome back, Sam." in client.get("/").page
    assert signed_in_as(client) == "Sam"


@pytest.mark.parametrize("login", ["@Sam_Reed", " @sam_reed"])
def test_sign_in_by_username_as_the_forum_writes_it_with_its_at(client, sam, login):
    # Profiles, mentions and the "someone tried to join with your address" email all say
    # "@Sam_Reed": someone coming back types their name as they last read it.
    response = client.submit("/login", {"login": login, "password": PASSWORD})
    assert response.status_code == 302
    assert signed_in_as(client) == "Sam"


@pytest.mark.parametrize("login, password", [
    ("sam_reed", "not the password"),
    ("sam_reed", PASSWORD.upper()),
    ("nobody_here", PASSWORD),
    ("nobody@example.org", PASSWORD),
])
def test_wrong_password_or_unknown_name_gets_one_message(client, sam, login, password):
    response = client.submit("/login", {"login": login, "password": password})
    assert response.status_code == 200
    assert WRONG in response.page
    assert f'value="{login}"' in response.page  # what was typed stays
    assert password not in response.page  # except the password
    assert signed_in_as(client) is None


@pytest.mark.parametrize("field, message", [
    ("login", "Enter your username or email."),
    ("password", "Enter your password."),
])
def test_empty_fields_are_explained(client, sam, field, message):
    response = client.submit("/login", {"login": "sam_reed", "password": PASSWORD, field: ""})
    assert message in response.page
    assert signed_in_as(client) is None


def test_remember_me_keeps_you_signed_in_after_the_browser_closes(client, sam):
    client.submit("/login", {"login": "sam_reed", "password": PASSWORD, "remember": "y"})
    assert client.get_cookie("remember_token") is not None

    client.delete_cookie("session")  # what closing the browser does to a session cookie
    assert signed_in_as(client) == "Sam"


def test_without_remember_me_closing_the_browser_signs_you_out(client, sam):
    client.submit("/login", {"login": "sam_reed", "password": PASSWORD})
    assert client.get_cookie("remember_token") is None

    client.delete_cookie("session")
    assert signed_in_as(client) is None


def test_sign_out_is_a_post(client, sam):
    client.login("sam_reed")
    assert client.get("/logout").status_code == 405
    assert signed_in_as(client) == "Sam"

    response = client.logout()
    assert response.status_code == 302
    assert "You are signed out." in client.get(response.headers["Location"]).page
    assert signed_in_as(client) is None


@pytest.mark.parametrize("ended_by", ["another tab", "another device"])
def test_signing_out_of_a_page_whose_session_ended_says_you_are_signed_out(app, client, sam, ended_by):
    """Sam signs out in one tab (or changes the password on another device), then presses
    Sign out on a page still open: he is signed out, not told to sign in and send it again."""
    client.login("sam_reed")
    token = client.csrf_token()
    if ended_by == "another tab":
        client.logout()
    else:
        sam.session_epoch += 1
        db.session.commit()

    response = client.post("/logout", data={"csrf_token": token})

    assert response.status_code == 302 and response.headers["Location"] == "/"
    page = client.get("/").page
    assert "You are signed out." in page
    assert "send it again" not in page and "open too long" not in page
    assert signed_in_as(client) is None


def test_sign_out_also_forgets_remember_me(client, sam):
    client.login("sam_reed", remember="y")
    client.logout()

    assert client.get_cookie("remember_token") is None
    client.delete_cookie("session")
    assert signed_in_as(client) is None


@pytest.mark.parametrize("target, lands_on", [
    ("/settings/account", "/settings/account"),
    ("/users/sam_reed?tab=badges", "/users/sam_reed?tab=badges"),
    ("//evil.example", "/"),
    ("//evil.example/settings", "/"),
    ("https://evil.example", "/"),
    ("http://localhost.evil.example/", "/"),
    ("/\\evil.example", "/"),
    ("/\t/evil.example", "/"),
    ("javascript:alert(1)", "/"),
    ("", "/"),
])
def test_next_only_leads_within_the_site(client, sam, target, lands_on):
    response = client.submit("/login", {"login": "sam_reed", "password": PASSWORD}, query_string={"next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == lands_on


def test_pages_that_need_an_account_send_you_back_after_signing_in(client, sam):
    response = client.get("/settings/account")
    assert response.status_code == 302
    login_page = response.headers["Location"]
    assert login_page.startswith("/login?next=")

    response = client.submit(login_page, {"login": "sam_reed", "password": PASSWORD})
    assert response.headers["Location"] == "/settings/account"
    assert "Change your password" in client.get("/settings/account").page


def header_sign_in_link(page: str) -> str:
    return html.unescape(re.search(r'<header.*?<a href="(/login[^"]*)"[^>]*>Sign in</a>', page, re.S).group(1))


def test_the_headers_sign_in_link_leads_back_to_the_page_it_was_on(client, sam):
    thread = make_thread("Quiet rooms")
    # From the front page and the account pages themselves there is nowhere to come back to.
    for there in ("/", "/login", "/register"):
        assert header_sign_in_link(client.get(there).page) == "/login"
    assert header_sign_in_link(client.get("/users/sam_reed").page) == "/login?next=/users/sam_reed"
    link = header_sign_in_link(client.get(f"/threads/{thread.id}?page=1").page)
    response = client.submit(link, {"login": "sam_reed", "password": PASSWORD})
    assert response.headers["Location"] == f"/threads/{thread.id}?page=1"


@pytest.mark.parametrize("sent_from, back_to", [
    ("http://localhost/threads/{id}?page=2", "/threads/{id}?page=2"),
    ("http://elsewhere.example/threads/{id}", "/"),
    (None, "/"),
])
def test_a_form_sent_after_signing_out_leads_back_to_its_page_after_signing_in(client, sam, sent_from, back_to):
    # The address a reply is sent to only takes forms: going back there after signing in
    # would be "That isn't allowed on this page". The page it was sent from is where the
    # reply can be sent again.
    thread = make_thread(author=sam)
    client.login("sam_reed")
    token = client.csrf_token()
    client.logout()
    headers = {"Referer": sent_from.format(id=thread.id)} if sent_from else {}
    response = client.post(f"/threads/{thread.id}/posts", headers=headers,
                           data={"csrf_token": token, "body": "Sent just after signing out."})
    assert response.status_code == 302
    login_page = response.headers["Location"]
    assert urlsplit(login_page).path == "/login"
    assert "You were signed out before that was sent, so nothing was sent." in client.get(login_page).page

    response = client.submit(login_page, {"login": "sam_reed", "password": PASSWORD})
    assert response.headers["Location"] == back_to.format(id=thread.id)
    assert client.get(response.headers["Location"]).status_code == 200
    assert db.session.scalar(select(func.count(Post.id)).where(Post.thread_id == thread.id)) == 0


def test_signing_in_starts_a_fresh_session(client, sam):
    # Whatever was in the session before (say, planted by someone else) does not survive.
    with client.session_transaction() as before:
        before["planted"] = "by someone else"
    client.login("sam_reed")
    with client.session_transaction() as after:
        assert "planted" not in after
        assert after["_user_id"] == f"{sam.id}:{sam.session_epoch}"


def test_signed_in_people_are_sent_home_from_the_sign_in_page(client, sam):
    client.login("sam_reed")
    response = client.get("/login")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_signing_in_records_when_you_were_last_seen(client, sam):
    sam.last_seen_at = None
    db.session.commit()
    client.login("sam_reed")
    client.get("/")
    db.session.refresh(sam)
    assert sam.last_seen_at is not None


def test_signing_in_from_a_second_tab_after_the_first_did_says_who_is_signed_in(client, sam):
    """The sign-in page left open in another tab: sent after signing in here, it leads on to
    where that tab was going, and says whose account this is rather than seeming to switch."""
    make_user("ola")
    client.login("sam_reed")
    response = client.submit("/login?next=/settings/account", {"login": "ola", "password": PASSWORD})
    assert response.headers["Location"] == "/settings/account"
    page = client.get("/settings/account").page
    assert "You are signed in already, as @Sam_Reed. To use another account, sign out first." in page
    assert signed_in_as(client) == "Sam"
