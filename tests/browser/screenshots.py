"""Screenshots of the main pages with the demo community, for the README.

    python -m tests.browser.screenshots [OUTPUT_DIR]      (make screenshots)

Makes a temporary SQLite database, runs `flask db upgrade` and `flask seed-demo` on it,
serves it with gunicorn, and saves a PNG of the top of each main page (the viewport, not
the whole page, to keep the files small) on a desktop (1280 px) and on a phone (375 px),
as OUTPUT_DIR/<page>-desktop.png and <page>-phone.png (default docs/screenshots).
"""
import contextlib
import io
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE, browser_missing
from tests.browser.journeys import sign_in
from tests.browser.main_pages import LISTENER, MODERATOR, PASSWORD, MainPage
from tests.live_server import PROJECT_ROOT, serve_forum, server_environment

DESKTOP = {"width": 1280, "height": 800}
# Who is signed in for each page's picture: the visitor's forms, a listener's forum, the moderator's queue.
PERSONA_FOR = {"anyone": LISTENER, "signed-in": LISTENER, "signed-out": None, "moderator": MODERATOR}


def flask(database_url: str, *arguments: str) -> None:
    subprocess.run([sys.executable, "-m", "flask", "--app", "forum", *arguments], cwd=PROJECT_ROOT, check=True,
                   env=server_environment(database_url), stdout=subprocess.DEVNULL)


def demo_pages(database_url: str) -> list[MainPage]:
    """The main pages' paths in the demo database (the survey's list, found the same way)."""
    from forum import create_app
    from forum.extensions import db
    from tests.browser import main_pages

    app = create_app({"FORUM_ENV": "testing", "SECRET_KEY": "screenshots", "SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        pages = main_pages.main_pages_of_demo()
        db.engine.dispose()
    return pages


def take(browser, base_url: str, pages: list[MainPage], output: Path) -> list[Path]:
    saved = []
    for size_name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        contexts = {}
        for main_page in pages:
            persona = PERSONA_FOR[main_page.for_whom]
            if persona not in contexts:
                context = browser.new_context(base_url=base_url, viewport=viewport)
                contexts[persona] = context.new_page()
                if persona:
                    sign_in(contexts[persona], persona, PASSWORD)
            page = contexts[persona]
            page.goto(main_page.path)
            path = output / f"{main_page.name}-{size_name}.png"
            page.screenshot(path=str(path))
            saved.append(path)
        for page in contexts.values():
            page.context.close()
    return saved


def main(argv: list[str]) -> int:
    output = Path(argv[0]) if argv else PROJECT_ROOT / "docs" / "screenshots"
    missing = browser_missing()
    if missing:
        print(f"Cannot take screenshots: {missing}.", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    output.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="forum-screenshots-") as scratch:
        database_url = f"sqlite:///{scratch}/demo.sqlite3"
        flask(database_url, "db", "upgrade")
        flask(database_url, "seed-demo")
        pages = demo_pages(database_url)
        server_output = io.StringIO()  # the server's log, shown only when something fails
        try:
            # Threaded: the browser talks to gunicorn with no proxy between (tests/live_server.py).
            serving = serve_forum(database_url, log_dir=Path(scratch), workers=1, threads=4)
            with contextlib.redirect_stdout(server_output), serving as server, sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                saved = take(browser, server.base_url, pages, output)
                browser.close()
        except Exception:
            print(server_output.getvalue(), file=sys.stderr)
            raise
    for path in saved:
        print(f"{path.relative_to(PROJECT_ROOT) if path.is_relative_to(PROJECT_ROOT) else path}"
              f"  {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
