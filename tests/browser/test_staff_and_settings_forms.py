"""Forms that landed with the teen approvals, read by a screen reader and used on a phone:
every box has its own name, and a refused form comes back where its error is."""
import re

import pytest

from tests.browser.accessibility import serious_violations
from tests.browser.conftest import PHONE
from tests.factories import make_badge, make_user
from tests.mentors.factories import make_mentor

pytestmark = pytest.mark.browser


@pytest.fixture
def kestrel(app):
    """An adult mentor not approved for teens, and an admin with a badge to give."""
    make_user("ada_runs", role="admin", display_name="Ada")
    make_badge("trained", "Trained")
    return make_mentor("kestrel_mentors")


def test_an_adult_mentors_admin_page_names_each_why_box_for_its_own_form(kestrel, visitors, expect):
    # Approving for teens and awarding a badge each have a "Why" box: a screen reader reads
    # each by a label saying which action it explains, and pressing a label puts the cursor in its own box.
    page = visitors.visit("ada_runs", "/admin/users/kestrel_mentors")
    teens = page.get_by_role("region", name="Mentoring teens").get_by_role("textbox", name="Why you approve them",
                                                                            exact=True)
    badge = page.get_by_role("textbox", name="Why you award it (optional)", exact=True)
    expect(teens).to_be_visible()
    expect(badge).to_be_visible()
    expect(teens).to_have_accessible_description("Goes in the audit log; the mentor is told the decision, not the reason.")
    page.get_by_text("Why you award it (optional)", exact=True).click()
    expect(badge).to_be_focused()
    page.keyboard.type("Finished the course in person")
    page.get_by_label("Badge", exact=True).select_option("trained")  # the list starts on no badge
    page.get_by_role("button", name="Award badge").click()
    expect(page.get_by_text(re.compile("Finished the course in person"))).to_be_visible()


def test_a_refused_ask_to_mentor_teens_comes_back_at_its_error_without_javascript(kestrel, visitors, expect):
    # The ask sits at the foot of the mentor settings: on a phone without JavaScript the page
    # that comes back opens at the card, with the error and the note in sight, not at the top.
    page = visitors.visit("kestrel_mentors", "/mentors/me/edit", javascript=False, viewport=PHONE)
    note = "I ran a youth group for five years. " * 10
    page.get_by_label("A note for the admins (optional)").fill(note)
    page.get_by_role("button", name="Ask an admin to approve me").click()
    box = page.get_by_label("A note for the admins (optional)")
    expect(box).to_have_accessible_description(re.compile(r"Keep the note under 300 characters"))
    expect(box).to_have_value(note)
    expect(page.get_by_text(re.compile(r"Keep the note under 300 characters"))).to_be_in_viewport()
    expect(page.get_by_role("heading", name="Mentoring teens")).to_be_in_viewport()


@pytest.mark.parametrize("view", ["teens-waiting", "teens-by-nobody"])
def test_an_empty_list_of_mentors_for_teens_is_a_sentence_on_a_small_phone(kestrel, visitors, expect, view):
    # Nobody waits, nobody was approved by nobody: said in a sentence, not in a table of
    # headings too wide for the screen that scrolls where a keyboard cannot reach it.
    page = visitors.visit("ada_runs", f"/admin/users?view={view}", viewport={"width": 320, "height": 640})
    expect(page.get_by_text(re.compile("^(Nobody waits to be approved|No mentor is approved by nobody)"))).to_be_visible()
    expect(page.get_by_role("main").get_by_role("table")).to_have_count(0)
    assert serious_violations(page) == []
