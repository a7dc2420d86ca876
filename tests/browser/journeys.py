"""Steps people take in several journeys, done through the pages as a person would."""
import re
import time
import urllib.parse

from tests.factories import PASSWORD


def register(page, mailbox, *, username: str, display_name: str, email: str, age: str = "adult") -> None:
    """Join through the form from the front page's Join link, open the link that arrives
    by email, confirm, and end signed in."""
    page.get_by_role("link", name="Join", exact=True).click()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Display name (optional)").fill(display_name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("I am an adult" if age == "adult" else "I am a teen").check()
    page.get_by_role("button", name="Create my account").click()
    page.get_by_role("heading", name="Check your inbox").wait_for()
    page.goto(link_in_mail(mailbox, email, "/register/confirm/"))
    page.get_by_role("button", name="Create my account").click()
    page.get_by_text(f"Welcome, {display_name}! Your account is ready.").wait_for()


def link_in_mail(mailbox, address: str, path_start: str, seconds: float = 10) -> str:
    """The path of the first link to `path_start...` in mail to `address`, waiting for it."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for body in mailbox.bodies_to(address):
            for word in body.split():
                path = urllib.parse.urlsplit(word).path
                if path.startswith(path_start):
                    return path
        time.sleep(0.1)
    raise AssertionError(f"no mail to {address} with a link to {path_start}... arrived")


def follow_menu(page, name: str) -> None:
    """Click a link of the site's main navigation by its visible name (which may go on,
    as "Notifications 2 unread" does)."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name=re.compile("^" + re.escape(name))).click()


def sign_in(page, username: str, password: str | None = None) -> None:
    page.goto("/login")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password").fill(password or PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Sign out").wait_for()


def path_of(page) -> str:
    """The page's path and query, as a person reads the address bar."""
    parts = urllib.parse.urlsplit(page.url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
