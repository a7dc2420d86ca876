"""Every main page of the demo community, signed out, as a listener and as a moderator:
axe-core finds no serious or critical accessibility problem (colour contrast included),
every control is big enough to tap or spaced from the next, and on a 375 px phone nothing
scrolls sideways."""
import pytest

from forum import create_app
from forum.extensions import db
from tests.browser.accessibility import serious_violations
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.journeys import sign_in
from tests.browser.layout import small_targets, too_wide_elements
from tests.browser.main_pages import LISTENER, MODERATOR, PASSWORD, seed_demo_pages
from tests.conftest import BASE_CONFIG
from tests.database import empty_all_tables

pytestmark = pytest.mark.browser

PERSONAS = [None, LISTENER, MODERATOR]
PERSONA_IDS = ["signed-out", "listener", "moderator"]


@pytest.fixture(scope="module")
def demo_pages(forum, migrated_database):
    """The demo community, loaded once for this module and emptied after it."""
    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": migrated_database})
    with app.app_context():
        yield seed_demo_pages()
        db.session.remove()
        empty_all_tables(db)
        db.engine.dispose()


def pages_for(visitors, persona, **options):
    page = visitors.open(**options)
    if persona:
        sign_in(page, persona, PASSWORD)
    return page


def open_main_page(page, main_page) -> None:
    response = page.goto(main_page.path)
    assert response.status < 500, f"{main_page.path} answered {response.status}"
    assert page.url.split("#")[0].endswith(main_page.path), f"{main_page.path} sent us to {page.url}"


# Each persona walks the pages once at each width and every check runs on what it opened:
# a page opened in a new browser tab costs more than the checks on it.
@pytest.mark.parametrize("persona", PERSONAS, ids=PERSONA_IDS)
def test_main_pages_on_a_desktop_have_no_serious_accessibility_problems_and_big_enough_controls(
        demo_pages, visitors, persona):
    page = pages_for(visitors, persona, viewport=DESKTOP)
    problems, small = [], []
    for main_page in demo_pages:
        if main_page.shown_to(persona):
            open_main_page(page, main_page)
            problems += [f"{main_page.path}: {problem}" for problem in serious_violations(page)]
            small += [f"{main_page.path}: {target}" for target in small_targets_with_forms_open(page)]
    assert not problems, "axe-core found:\n" + "\n".join(problems)
    assert not small, "Controls under 24 x 24 px, crowded by the next:\n" + "\n".join(small)


@pytest.mark.parametrize("persona", PERSONAS, ids=PERSONA_IDS)
def test_main_pages_fit_a_phone_without_sideways_scrolling_and_controls_are_big_enough_to_tap(
        demo_pages, visitors, persona):
    page = pages_for(visitors, persona, viewport=PHONE)
    too_wide, small = [], []
    for main_page in demo_pages:
        if main_page.shown_to(persona):
            open_main_page(page, main_page)
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > PHONE["width"]:
                too_wide.append(f"{main_page.path} is {scroll_width} px wide: {too_wide_elements(page)}")
            small += [f"{main_page.path}: {target}" for target in small_targets_with_forms_open(page)]
    assert not too_wide, "Pages wider than a 375 px phone:\n" + "\n".join(too_wide)
    assert not small, "Controls under 24 x 24 px, crowded by the next:\n" + "\n".join(small)


def small_targets_with_forms_open(page) -> list[str]:
    # Folded forms (Reply, Hide, a moderator's reasons) count once they are opened; last,
    # so the other checks see the page as it came.
    page.evaluate("document.querySelectorAll('main details').forEach(d => { d.open = true; })")
    return small_targets(page)
