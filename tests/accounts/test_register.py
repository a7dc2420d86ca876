"""Registration: who may join, and what a refused form keeps."""
import re

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models.accounts import User
from tests.factories import PASSWORD, make_user
from tests.html_checks import error_beside

GOOD = {"username": "river_song", "email": "river@example.org", "password": PASSWORD,
        "age_group": "adult", "display_name": "River"}


def count_users() -> int:
    return db.session.scalar(select(func.count(User.id)))


def emailed_link(mailbox, address: str) -> str:
    (body,) = mailbox.bodies_to(address)
    return re.search(r"https?://[^/\s]+(/register/confirm/\S+)", body).group(1)


def join(client, mailbox, data):
    """Fill in the form, then open the emailed link and press its button."""
    assert client.submit("/register", data).location.endswith("/register/sent")
    link = emailed_link(mailbox, data["email"])
    return client.submit(link)


def test_register_emails_a_link_that_creates_the_member_and_signs_in(client, mailbox):
    response = client.submit("/register", GOOD)
    assert response.status_code == 302 and response.location.endswith("/register/sent")
    assert count_users() == 0  # nothing is made until the link is opened
    link = emailed_link(mailbox, "river@example.org")
    assert "Finish joining as @river_song" in client.get(link).page
    assert count_users() == 0  # opening the link (a GET) changes nothing
    response = client.submit(link)
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.username == "river_song"))
    assert user.age_group == "adult" and user.role_names == {"member"}
    assert user.password_hash != PASSWORD and user.password_hash.startswith("pbkdf2:")
    assert "River" in client.get("/").text  # the header shows who is signed in
    assert client.submit(link).status_code == 302 and count_users() == 1  # the link works once


def test_check_your_inbox_names_the_address_so_a_typo_shows(client, mailbox):
    """A mistyped address gets no mail: "the address you gave" left River waiting a day for
    it; the address as typed lets her see the typo and fill in the form again."""
    response = client.submit("/register", dict(GOOD, email="River@exmaple.org"))

    page = client.get(response.location).page
    assert "We have sent a message to <strong>river@exmaple.org</strong>." in page
    assert "river@example.org" not in page


def test_the_link_opened_again_after_joining_does_not_ask_to_join_again(app, client, mailbox):
    """People press an email's link twice, or open it later on their phone: the account is
    made, so "fill in the form again" would send them to make a second one."""
    join(client, mailbox, GOOD)
    link = emailed_link(mailbox, "river@example.org")
    here = client.get(link, follow_redirects=True).page
    assert "You are signed in as @river_song." in here and "fill in the form again" not in here
    phone = app.test_client()
    there = phone.get(link, follow_redirects=True).page
    assert "If you finished joining with it, sign in" in there
    assert count_users() == 1


@pytest.mark.parametrize("login", ["river_song", "River_Song", "@river_song", "RIVER@example.org"])
def test_signing_in_before_opening_the_link_says_to_open_it(client, mailbox, login):
    """The "check your inbox" page offers to sign in: someone who goes there first, with the
    password they just chose, is told what is missing, not that they mistyped."""
    client.submit("/register", GOOD)
    page = client.submit("/login", {"login": login, "password": PASSWORD}).page
    assert "You haven't finished joining yet" in page and "That username or password is not right" not in page
    assert count_users() == 0
    wrong = client.submit("/login", {"login": login, "password": "not the password"}).page
    assert "That username or password is not right." in wrong and "finished joining" not in wrong


def test_asking_for_a_reset_before_joining_sends_the_joining_link_again(client, mailbox):
    """The joining mail lost, "Forgot your password?" is where many look: it answers as for
    anyone, and the address gets a fresh link to finish joining."""
    client.submit("/register", GOOD)
    response = client.submit("/reset", {"email": "River@example.org"})
    assert "If that address belongs to an account, a reset link is on its way." in client.get(response.location).page
    first, again = mailbox.bodies_to("river@example.org")
    link = re.search(r"https?://[^/\s]+(/register/confirm/\S+)", again).group(1)
    assert "/register/confirm/" in first and link not in first
    client.submit(link)
    assert db.session.scalar(select(User).where(User.username == "river_song")).email == "river@example.org"


def test_teen_registration_is_recorded(client, mailbox):
    join(client, mailbox, {**GOOD, "age_group": "teen"})
    assert db.session.scalar(select(User.age_group)) == "teen"


@pytest.mark.parametrize("field, value, message", [
    ("username", "ab", "Use 3 to 20"),
    ("username", "has space", "letters, digits or underscores"),
    ("username", "émile", "letters, digits or underscores"),
    ("username", "x" * 21, "Use 3 to 20"),
    ("username", "Admin", "reserved"),
    ("email", "not-an-email", "look like an email address"),
    ("password", "short", "at least 10"),
    ("password", "password123", "too easy"),
    ("age_group", "", "teen or an adult"),
    ("age_group", "toddler", "Choose one of the options in the list."),
])
def test_bad_input_is_explained_next_to_the_field_and_kept(client, field, value, message):
    response = client.submit("/register", {**GOOD, field: value})
    assert response.status_code == 200
    assert message in response.page
    assert count_users() == 0
    if field != "password":
        assert 'value="river@example.org"' in response.page or field == "email"
    assert PASSWORD not in response.page  # passwords are never sent back


def test_every_problem_is_told_at_once_so_the_form_is_fixed_in_one_round(client, mailbox):
    make_user("river_song")
    make_user("ada", role="admin", display_name="Ada")
    # The form's own checks (the address) and the forum's rules (a taken name, a staff
    # name, an easy password) each find something: all four are said on the first try.
    response = client.submit("/register", {**GOOD, "username": "River_Song", "email": "not-an-email",
                                           "password": "password123", "display_name": "Ada"})
    assert response.status_code == 200
    assert error_beside(response.page, "username") == "That username is taken."
    assert "look like an email address" in error_beside(response.page, "email")
    assert "too easy" in error_beside(response.page, "password")
    assert "one of the forum's staff" in error_beside(response.page, "display_name")
    # A field the form already found fault with is not told a second thing about it.
    response = client.submit("/register", {**GOOD, "username": "ab", "password": "short"})
    assert error_beside(response.page, "username") == "Use 3 to 20 characters."
    assert error_beside(response.page, "password") == "Use at least 10 characters."
    assert 'value="river@example.org"' in response.page
    assert count_users() == 2 and mailbox.bodies_to("river@example.org") == []


def test_a_new_account_cannot_take_a_staff_name_or_title(client, mailbox):
    make_user("ada", role="admin", display_name="Ada")
    for name, message in (("Ada", "That is the name of one of the forum's staff"),
                          ("River (moderator)", "A display name can't claim a staff role")):
        response = client.submit("/register", {**GOOD, "display_name": name})
        assert response.status_code == 200 and message in response.page
        assert 'value="river@example.org"' in response.page
    assert mailbox.bodies_to("river@example.org") == []


def test_username_taken_in_another_case(client, app):
    make_user("River_Song")
    response = client.submit("/register", {**GOOD, "username": "river_SONG"})
    assert "That username is taken" in response.page
    assert count_users() == 1


def test_email_taken_gets_the_same_answer_and_the_owner_is_told(client, mailbox):
    make_user("someone", email="river@example.org")
    response = client.submit("/register", {**GOOD, "email": "RIVER@example.org"})
    assert response.status_code == 302 and response.location.endswith("/register/sent")
    (body,) = mailbox.bodies_to("river@example.org")
    assert "You already have an account here: your username is @someone" in body
    assert "/register/confirm/" not in body
    assert count_users() == 1


def test_expired_form_keeps_the_text(client):
    response = client.post("/register", data={**GOOD, "csrf_token": "stale"})
    assert response.status_code == 200
    assert "send it again" in response.page
    assert 'value="river_song"' in response.page
    assert count_users() == 0


def test_signed_in_people_are_sent_home(client):
    make_user("sam")
    client.login("sam")
    assert client.get("/register").status_code == 302


def test_production_hashing_is_scrypt(make_app):
    app = make_app(PASSWORD_HASH_METHOD="scrypt")
    with app.app_context():
        user = make_user("hashed")
        assert user.password_hash.startswith("scrypt:")
