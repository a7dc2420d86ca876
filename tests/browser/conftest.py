"""Browser tests: Debian's Chromium, driven by Playwright, against the forum served by
gunicorn on the session's test database.

One browser and one server for the whole run, a fresh browser context (cookies, storage)
for every person in every test. Where Chromium or the Python packages are
missing the tests are skipped with the reason; under CI=true they fail instead.
"""
import os

import pytest

from tests.browser.journeys import sign_in
from tests.live_server import serve_forum

CHROMIUM = os.environ.get("FORUM_CHROMIUM", "/usr/bin/chromium")
# Without the background-networking flags Chromium dials out at start and, on a closed
# network, its connections are refused noisily.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
# A person waits a few seconds, not Playwright's default 30: a missing button fails fast.
ACTION_TIMEOUT_MS = 7_000
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    for module in ("playwright", "axe_playwright_python"):
        try:
            __import__(module)
        except ImportError:
            return f"the Python package {module} is not installed (make test installs the dev extra)"
    if not os.access(CHROMIUM, os.X_OK):
        return f"Chromium is not installed at {CHROMIUM} (apt-get install chromium; .ci/run does)"
    return None


@pytest.fixture(scope="session")
def browser():
    missing = browser_missing()
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"The browser tests must run under CI, but {missing}.", pytrace=False)
        pytest.skip(f"browser tests skipped: {missing}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def forum(browser, migrated_database, mailbox, tmp_path_factory):
    """The forum under gunicorn on the session's test database, mailing through the test
    mailbox. One server for every browser test: each test's rows are its own (the `app`
    fixture empties the tables after it) and each person gets a fresh browser context."""
    mail = {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(mailbox.port)}
    # Threaded: the browser talks to gunicorn with no proxy between (tests/live_server.py).
    with serve_forum(migrated_database, log_dir=tmp_path_factory.mktemp("forum-server"), workers=1, threads=4,
                     extra=mail) as server:
        yield server


class Visitors:
    """Opens a browser context per person; `visit` signs them in first when given a username."""

    def __init__(self, browser, server):
        self.browser = browser
        self.server = server
        self.contexts = []
        self.problems: list[str] = []

    def open(self, *, javascript: bool = True, viewport: dict = DESKTOP, time_zone: str | None = None):
        # `time_zone`: the zone the device is set to (the browser's own, UTC here, without it).
        context = self.browser.new_context(base_url=self.server.base_url, java_script_enabled=javascript,
                                           viewport=viewport, timezone_id=time_zone)
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        self.contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: self.problems.append(f"{page.url}: script error: {error}"))
        page.on("console", lambda message: self._console(page, message))
        return page

    def _console(self, page, message) -> None:
        # Script errors and anything the Content Security Policy refused are bugs; a 403 or
        # 404 page a test opens on purpose is not.
        text = message.text
        if "Content Security Policy" in text or (message.type == "error" and "Failed to load resource" not in text):
            self.problems.append(f"{page.url}: console {message.type}: {text}")

    def visit(self, username: str | None = None, path: str = "/", **options):
        page = self.open(**options)
        if username:
            sign_in(page, username)
        page.goto(path)
        return page

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def visitors(browser, forum):
    """`visitors.visit("ana", "/programs")` gives a page where Ana is signed in. After the
    test, any script error or refused script/style on any page fails it."""
    people = Visitors(browser, forum)
    yield people
    people.close()
    assert not people.problems, "The browser reported problems:\n" + "\n".join(people.problems)


@pytest.fixture
def expect(browser):
    """Playwright's `expect` (waits until the assertion holds), through a fixture so these
    modules import without Playwright and can be skipped with the reason instead."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect
