"""Settings: change password and email, edit the profile."""
import re

import pytest
from sqlalchemy import select

from forum.accounts.passwords import password_matches
from forum.extensions import db
from forum.models.accounts import User
from tests.factories import PASSWORD, make_user
from tests.html_checks import box_value

NEW_PASSWORD = "a brand new sentence 42"


@pytest.fixture
def nia(app):
    return make_user("nia", email="nia@example.org", display_name="Nia")


@pytest.fixture
def laptop(app, nia):
    """Nia's laptop, signed in: the device she changes her settings from."""
    client = app.test_client()
    client.login("nia")
    return client


def send_settings(client, form: str, data: dict):
    """Post one of the two settings forms, whose fields (and token) carry a prefix."""
    prefix, action = {"password": ("pw", "/settings/password"), "email": ("em", "/settings/email")}[form]
    fields = {f"{prefix}-{name}": value for name, value in data.items()}
    fields[f"{prefix}-csrf_token"] = client.csrf_token()
    return client.post(action, data=fields)


def is_signed_in(client) -> bool:
    return client.get("/settings/account").status_code == 200


@pytest.mark.parametrize("path", ["/settings", "/settings/account", "/settings/profile"])
def test_settings_need_an_account(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize("path", ["/settings/password", "/settings/email", "/settings/profile"])
def test_settings_forms_need_an_account(client, path):
    response = client.post(path, data={"display_name": "Someone"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


# Changing the password

def test_change_password_keeps_this_device_and_ends_the_others(app, nia, laptop):
    phone = app.test_client()
    phone.login("nia")

    response = send_settings(laptop, "password", {"current_password": PASSWORD, "password": NEW_PASSWORD})

    assert response.status_code == 302
    assert "Other devices have been signed out." in laptop.get(response.headers["Location"]).page
    db.session.refresh(nia)
    assert password_matches(nia.password_hash, NEW_PASSWORD)
    assert is_signed_in(laptop)
    assert not is_signed_in(phone)
    assert app.test_client().submit("/login", {"login": "nia", "password": NEW_PASSWORD}).status_code == 302


def test_someone_kept_signed_in_who_forgot_their_password_finds_the_way_to_a_new_one(nia, laptop, mailbox):
    """Back after months, signed in by "keep me signed in": every settings form asks for the
    password, which she no longer knows. Its refusal, and the page, lead to a reset link."""
    response = send_settings(laptop, "password", {"current_password": "what was it again", "password": NEW_PASSWORD})

    assert "Your current password is not right." in response.page
    for page in (response.page, laptop.get("/settings/account").page):
        link = re.search(r'<a href="(/reset)">Forgot your password\?</a>', page)
        assert link, "no way to a reset link"
    sent = laptop.submit(link.group(1), {"email": "nia@example.org"})
    assert sent.status_code == 302
    assert any("/reset/" in body for body in mailbox.bodies_to("nia@example.org"))


def test_the_change_password_form_names_the_account_for_password_managers(nia, laptop):
    """As the reset page does: without the username beside it, a password manager saves the
    new password as an entry of its own, and offers the old one at the next sign-in."""
    page = laptop.get("/settings/account").page

    form = re.search(r'<form[^>]*action="/settings/password(?:#[^"]*)?".*?</form>', page, re.S).group(0)
    assert re.search(r'<input[^>]*autocomplete="username"[^>]*value="nia"', form)
    assert 'autocomplete="new-password"' in form


def test_a_changed_password_is_told_to_the_account_address_with_a_way_back_in(nia, laptop, mailbox):
    # Changed from a session left open, it would otherwise lock the owner out unawares.
    send_settings(laptop, "password", {"current_password": "not it at all", "password": NEW_PASSWORD})
    assert mailbox.messages == []
    send_settings(laptop, "password", {"current_password": PASSWORD, "password": NEW_PASSWORD})
    [message] = mailbox.messages
    assert (message["To"], message["Subject"]) == ("nia@example.org", "Your password was changed")
    body = mailbox.bodies_to("nia@example.org")[0]
    assert "The password of your account @nia was changed" in body
    assert re.search(r"http://\S+/reset\s", body), body


def test_change_password_keeps_remember_me_on_this_device(app, nia):
    laptop = app.test_client()
    laptop.login("nia", remember="y")

    send_settings(laptop, "password", {"current_password": PASSWORD, "password": NEW_PASSWORD})

    laptop.delete_cookie("session")  # the browser closes and opens again
    assert is_signed_in(laptop)


def test_remembered_devices_are_signed_out_too(app, nia, laptop):
    tablet = app.test_client()
    tablet.login("nia", remember="y")

    send_settings(laptop, "password", {"current_password": PASSWORD, "password": NEW_PASSWORD})

    tablet.delete_cookie("session")
    assert not is_signed_in(tablet)


# Signing out everywhere else

def test_signing_out_everywhere_else_ends_every_other_session_and_remembered_device(app, nia):
    laptop, phone, tablet = app.test_client(), app.test_client(), app.test_client()
    laptop.login("nia", remember="y")
    phone.login("nia")
    tablet.login("nia", remember="y")
    copied = tablet.get_cookie("remember_token").value  # a copy that outlives signing out
    before = app.test_client()
    before.set_cookie("remember_token", copied)
    assert is_signed_in(before)

    response = laptop.submit("/settings/sign-out-elsewhere")

    assert "You are signed out on every other device and browser" in laptop.get(response.location).page
    assert is_signed_in(laptop)
    laptop.delete_cookie("session")  # this device still keeps her signed in
    assert is_signed_in(laptop)
    assert not is_signed_in(phone)
    tablet.delete_cookie("session")
    assert not is_signed_in(tablet)
    stranger = app.test_client()
    stranger.set_cookie("remember_token", copied)
    assert not is_signed_in(stranger)


def test_signing_out_everywhere_else_from_an_expired_page_changes_nothing(app, nia, laptop):
    phone = app.test_client()
    phone.login("nia")
    response = laptop.post("/settings/sign-out-elsewhere", data={"csrf_token": "stale"})
    assert "This page was open too long" in laptop.get(response.location).page
    assert is_signed_in(phone)


@pytest.mark.parametrize("current, new, message", [
    ("not my password", NEW_PASSWORD, "Your current password is not right."),
    ("", NEW_PASSWORD, "Enter your current password."),
    (PASSWORD, "", "Choose a new password."),
    (PASSWORD, "short", "Use at least 10 characters."),
    (PASSWORD, "password123", "too easy to guess"),
    # Accepted silently, it signed out every other device and mailed a warning for nothing.
    (PASSWORD, PASSWORD, "That is your current password: choose a new one."),
])
def test_change_password_refusals(app, nia, laptop, current, new, message):
    phone = app.test_client()
    phone.login("nia")

    response = send_settings(laptop, "password", {"current_password": current, "password": new})

    assert response.status_code == 200
    assert message in response.page
    db.session.refresh(nia)
    assert password_matches(nia.password_hash, PASSWORD)
    assert is_signed_in(phone)  # nothing changed, so nobody is signed out


@pytest.mark.parametrize("current, new, messages", [
    ("not my password", "short", ["Your current password is not right.", "Use at least 10 characters."]),
    ("", "short", ["Enter your current password.", "Use at least 10 characters."]),
    ("not my password", "password123", ["Your current password is not right.", "too easy to guess"]),
])
def test_change_password_tells_every_problem_at_once(nia, laptop, current, new, messages):
    """A wrong current password and a new one that is too short are told together, as
    joining tells them, not one per try."""
    response = send_settings(laptop, "password", {"current_password": current, "password": new})

    assert response.status_code == 200
    for message in messages:
        assert message in response.page
    db.session.refresh(nia)
    assert password_matches(nia.password_hash, PASSWORD)


# Changing the email address: a link to the new address makes the change

_CONFIRM_LINK = re.compile(r"https?://[^/\s]+(/settings/email/confirm/\S+)")


def confirm_link(mailbox, address: str) -> str:
    [body] = mailbox.bodies_to(address)
    match = _CONFIRM_LINK.search(body)
    assert match, body
    return match.group(1)


def email_of(nia) -> str:
    db.session.refresh(nia)
    return nia.email


def test_change_email_through_a_link_sent_to_the_new_address(nia, laptop, mailbox):
    response = send_settings(laptop, "email", {"email": "Nia.New@Example.org", "password": PASSWORD})

    page = laptop.get(response.headers["Location"]).page
    assert "To finish, open the link we sent to nia.new@example.org." in page
    assert "Now: nia@example.org" in page
    assert email_of(nia) == "nia@example.org"  # not until the link is opened

    link = confirm_link(mailbox, "nia.new@example.org")
    assert "Use nia.new@example.org?" in laptop.get(link).page
    assert email_of(nia) == "nia@example.org"  # opening the link changes nothing
    response = laptop.submit(link, {})

    page = laptop.get(response.headers["Location"]).page
    assert "Your email address is now nia.new@example.org." in page
    assert "Now: nia.new@example.org" in page
    assert email_of(nia) == "nia.new@example.org"
    [notice] = mailbox.bodies_to("nia@example.org")
    assert "is now nia.new@example.org" in notice


def test_the_link_to_a_new_address_names_nobody_to_whoever_reads_it(nia, laptop, mailbox):
    # A typo sends it to a stranger: it must not tell them who belongs to a peer-support forum.
    send_settings(laptop, "email", {"email": "nia.nwe@example.org", "password": PASSWORD})

    [body] = mailbox.bodies_to("nia.nwe@example.org")
    assert "Nia" not in body and "@nia" not in body
    assert "If you did not ask for this, ignore this message: nothing changes." in body


def test_the_new_email_box_starts_empty(nia, laptop):
    # It held the current address: typed after on a phone it read "nia@example.orgnia@home.org".
    page = laptop.get("/settings").page
    assert "Now: nia@example.org" in page
    assert box_value(page, "em-email") == ""


def test_the_link_opened_while_signed_in_as_someone_else_says_whose_address_changes(app, nia, laptop, mailbox):
    """Nia moves to the family address; Omar, who reads that inbox, opens the link on the
    computer where he is signed in: he must not read that his own address changed."""
    make_user("omar", email="omar@example.org", display_name="Omar")
    send_settings(laptop, "email", {"email": "family@example.org", "password": PASSWORD})
    link = confirm_link(mailbox, "family@example.org")
    family_computer = app.test_client()
    family_computer.login("omar")

    page = family_computer.get(link).page
    assert "You are signed in as @omar. This link changes the address of @nia, not yours." in page
    response = family_computer.submit(link, {})

    landing = family_computer.get(response.headers["Location"]).page
    assert "The email address of @nia is now family@example.org." in landing
    assert "Your email address is now" not in landing
    assert email_of(nia) == "family@example.org"
    assert db.session.scalar(select(User.email).where(User.username == "omar")) == "omar@example.org"


def test_the_link_works_once(nia, laptop, mailbox):
    send_settings(laptop, "email", {"email": "nia.new@example.org", "password": PASSWORD})
    link = confirm_link(mailbox, "nia.new@example.org")
    laptop.submit(link, {})

    response = laptop.get(link)

    assert "This link has expired or was already used." in laptop.get(response.headers["Location"]).page
    assert email_of(nia) == "nia.new@example.org"


def test_an_address_with_an_account_gets_the_same_answer_and_no_link(nia, laptop, mailbox):
    """Nia must not learn from her settings that tess@... has an account here: she reads
    what she would for a free address; only Tess's inbox hears of it."""
    make_user("tess", email="taken@example.org", display_name="Tess")

    response = send_settings(laptop, "email", {"email": "TAKEN@example.org", "password": PASSWORD})

    assert "To finish, open the link we sent to taken@example.org." in laptop.get(response.headers["Location"]).page
    [note] = mailbox.bodies_to("taken@example.org")
    assert "nothing has changed" in note
    assert not _CONFIRM_LINK.search(note)
    assert email_of(nia) == "nia@example.org"


def test_an_address_taken_before_the_link_is_opened_is_refused_plainly(nia, laptop, mailbox):
    send_settings(laptop, "email", {"email": "nia.new@example.org", "password": PASSWORD})
    link = confirm_link(mailbox, "nia.new@example.org")
    make_user("quick", email="nia.new@example.org")

    response = laptop.submit(link, {})

    assert "can't be yours as well" in laptop.get(response.headers["Location"]).page
    assert email_of(nia) == "nia@example.org"


@pytest.mark.parametrize("email, password, message", [
    ("nia.new@example.org", "not my password", "Your password is not right."),
    ("nia.new@example.org", "", "Enter your password to confirm."),
    ("NIA@example.org", PASSWORD, "That is your address already."),
    ("not an address", PASSWORD, "That doesn't look like an email address; check it for typos."),
    ("", PASSWORD, "Enter your new email address."),
])
def test_change_email_refusals(nia, laptop, mailbox, email, password, message):
    response = send_settings(laptop, "email", {"email": email, "password": password})

    assert response.status_code == 200
    assert message in response.page
    if email:
        assert f'value="{email}"' in response.page  # what was typed stays
    assert PASSWORD not in response.page
    assert email_of(nia) == "nia@example.org"
    assert mailbox.messages == []


# Editing the profile

def edit_profile(client, display_name, bio=""):
    return client.submit("/settings/profile", {"display_name": display_name, "bio": bio})


def test_edit_profile_shows_the_new_name_and_bio(nia, laptop):
    response = edit_profile(laptop, "Nia Okafor", "I listen on *Tuesday* evenings.")

    assert response.headers["Location"] == "/users/nia"
    page = laptop.get("/users/nia")
    assert "Your profile is saved." in page.page
    assert "<h1>Nia Okafor</h1>" in page.text
    assert "I listen on <em>Tuesday</em> evenings." in page.text
    db.session.refresh(nia)
    assert (nia.display_name, nia.bio_md) == ("Nia Okafor", "I listen on *Tuesday* evenings.")


def test_edit_form_starts_with_what_is_stored(nia, laptop):
    edit_profile(laptop, "Nia O.", "Kept **as typed**.")
    page = laptop.get("/settings/profile").page
    assert 'value="Nia O."' in page
    assert "Kept **as typed**.</textarea>" in page


def test_display_name_loses_invisible_direction_controls(nia, laptop):
    # U+202E would make the name read backwards; U+2066..2069 and U+200B hide in names.
    edit_profile(laptop, "\u202eNia\u200b the \u2066Kind\u2069\u200f")

    db.session.refresh(nia)
    assert nia.display_name == "Nia the Kind"
    page = laptop.get("/users/nia").page
    assert "<h1>Nia the Kind</h1>" in page
    assert "\u202e" not in page


def test_bio_markdown_is_rendered_safely(nia, laptop):
    bio = ("**Hello** there\n\n<script>alert('boo')</script>\n\n"
           "[harmless](javascript:alert(1)) <img src=x onerror=alert(2)>")

    edit_profile(laptop, "Nia", bio)

    html = laptop.get("/users/nia").text
    assert "<strong>Hello</strong> there" in html
    assert "&lt;script&gt;alert('boo')&lt;/script&gt;" in html
    assert "<script>alert" not in html
    assert "javascript:" not in html
    assert "<img" not in html
    db.session.refresh(nia)
    assert nia.bio_md == bio  # the source is kept as typed, for the next edit


def test_control_characters_pasted_into_the_bio_are_dropped(nia, laptop):
    edit_profile(laptop, "Nia", "\x1b[1mListener\x1b[0m\x07 on\r\nTuesdays")

    db.session.refresh(nia)
    assert nia.bio_md == "[1mListener[0m on\nTuesdays"
    assert "\x1b" not in laptop.get("/users/nia").text


@pytest.mark.parametrize("display_name, bio, message", [
    ("", "", "Enter a display name."),
    ("\u202e\u200b", "", "Your display name can't be empty."),
    # Blank letters and other invisible format characters: a name nobody could see or click.
    ("\u3164\u3164", "", "Your display name can't be empty."),
    ("\u2800 \u00ad\u061c", "", "Your display name can't be empty."),
    ("x" * 51, "", "Keep it to 50 characters or fewer (this is 51)."),
    ("Nia", "x" * 5001, "Keep your bio to 5,000 characters or fewer (this is 5,001)."),
])
def test_edit_profile_refusals_keep_the_text(nia, laptop, display_name, bio, message):
    response = edit_profile(laptop, display_name, bio or "My bio stays here.")

    assert response.status_code == 200
    assert message in response.page
    assert (bio or "My bio stays here.") in response.page
    stored = db.session.scalar(select(User).where(User.username == "nia"))
    assert (stored.display_name, stored.bio_md) == ("Nia", "")


@pytest.mark.parametrize("display_name, message", [
    ("Ada (admin)", "A display name can't claim a staff role"),
    ("Moss the Moderator", "A display name can't claim a staff role"),
    ("STAFF", "A display name can't claim a staff role"),
    ("ａｄａ", "That is the name of one of the forum's staff"),  # full-width letters read as "ada"
    ("  moss   keeps ", "That is the name of one of the forum's staff"),
])
def test_a_member_cannot_pass_themselves_off_as_staff(nia, laptop, display_name, message):
    # Notifications and their emails name people by display name alone: "Ada (admin)
    # mentioned you" must come from Ada.
    make_user("ada", role="admin", display_name="Ada")
    make_user("moss", role="moderator", display_name="Moss Keeps")
    response = edit_profile(laptop, display_name, "My bio stays here.")
    assert message in response.page
    assert "My bio stays here." in response.page
    db.session.refresh(nia)
    assert nia.display_name == "Nia"


def test_names_that_only_look_like_staff_words_and_staff_themselves_are_fine(app, nia, laptop):
    make_user("ada", role="admin", display_name="Ada")
    for name in ("Modest Nia", "Nia (adminless)", "Adam"):
        edit_profile(laptop, name)
        db.session.refresh(nia)
        assert nia.display_name == name
    moss = make_user("moss", role="moderator")
    staff = app.test_client()
    staff.login("moss")
    edit_profile(staff, "Moss (moderator)")
    db.session.refresh(moss)
    assert moss.display_name == "Moss (moderator)"


def test_a_long_bio_pasted_in_is_not_cut_by_the_browser(nia, laptop):
    # A maxlength on the box cut a paste without a word: the end of the bio was lost, and
    # the refusal with its count (above) was never seen.
    page = laptop.get("/settings/profile").page
    [box] = re.findall(r"<textarea[^>]*name=\"bio\"[^>]*>", page)
    assert "maxlength" not in box


def test_nul_character_in_the_bio_is_refused_plainly(nia, laptop):
    response = edit_profile(laptop, "Nia", "Hidden\x00byte")
    assert response.status_code == 400
    assert "NUL character" in response.page
    db.session.refresh(nia)
    assert nia.bio_md == ""


def test_expired_profile_form_keeps_the_text(nia, laptop):
    response = laptop.post("/settings/profile", data={"display_name": "Nia", "bio": "Half a thought", "csrf_token": "stale"})
    assert "send it again" in response.page
    assert "Half a thought" in response.page
    db.session.refresh(nia)
    assert nia.bio_md == ""


def test_a_bio_sent_after_being_signed_out_is_kept_on_the_sign_in_page(nia, laptop):
    # Without JavaScript nothing else keeps it: signing in again found the box as it was.
    laptop.logout()  # the session ended while she typed (another tab, or it ran out)
    sent = {"display_name": "Nia", "bio": "Half a thought, kept for me."}

    response = laptop.post("/settings/profile", data=sent, headers={"Referer": "http://localhost/settings/profile"})

    assert "You were signed out before that was sent, so nothing was sent." in response.page
    assert '<textarea id="kept-text" readonly rows="6">Half a thought, kept for me.</textarea>' in response.page
    [action] = re.findall(r'<form method="post" action="([^"]+)"', response.page)
    signed_in = laptop.submit(action, {"login": "nia", "password": PASSWORD})
    assert signed_in.headers["Location"] == "/settings/profile"
    db.session.refresh(nia)
    assert nia.bio_md == ""
    # Sent from another site, it is not shown back: the sign-in page alone.
    laptop.logout()
    forged = laptop.post("/settings/profile", data=sent, headers={"Referer": "https://elsewhere.example/"})
    assert forged.status_code == 302 and "Half a thought" not in laptop.get(forged.location).page
