"""Keyboard use: the skip link, a visible focus on every stop (3:1 against what is behind
it), and a whole task done without a mouse. Form errors are tied to their fields, so a
screen reader reads them with the field."""
import re

import pytest

from tests.browser.conftest import PHONE
from tests.browser.focus import contrast_ratio, focus_report, tab_until
from tests.factories import make_user
from tests.ideas.factories import make_call, make_moderator, post_idea

pytestmark = pytest.mark.browser

IDEA = "A weekly thread where listeners share one thing that went well."


@pytest.fixture
def call(app):
    pia = make_user("pia_shares", role="listener", display_name="Pia")
    make_user("tam_shares", role="listener", display_name="Tam")
    call = make_call(make_moderator("moss_keeps"), "Small things that help")
    post_idea(pia, call, IDEA)
    return call


def test_the_skip_link_comes_first_and_jumps_to_the_content(call, visitors, expect):
    page = visitors.visit("tam_shares", f"/ideas/{call.id}")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    stop = focus_report(page)
    assert stop["outline"] and contrast_ratio(stop["outlineColor"], stop["backdrop"]) >= 3, stop
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
    page.keyboard.press("Tab")
    trail = page.get_by_role("navigation", name="Breadcrumb")
    expect(trail.get_by_role("link", name="All calls for ideas")).to_be_focused()


@pytest.mark.parametrize("who", ["tam_shares", None], ids=["signed-in", "signed-out"])
def test_every_tab_stop_shows_where_the_focus_is(call, visitors, who):
    page = visitors.visit(who, f"/ideas/{call.id}")
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")  # their controls too
    problems, seen = [], set()
    for _ in range(150):
        page.keyboard.press("Tab")
        stop = focus_report(page)
        if stop["tag"] == "body" or stop["path"] in seen:
            break
        seen.add(stop["path"])
        ratio = contrast_ratio(stop["outlineColor"], stop["backdrop"]) if stop["outline"] else 0
        if not stop["visible"] or ratio < 3:
            problems.append(f"{stop['path']} “{stop['name'][:40]}”: visible={stop['visible']}, "
                            f"outline {stop['outlineStyle']} {stop['outlineColor']} on {stop['backdrop']} ({ratio:.1f}:1)")
    assert len(seen) > 15, "the walk stopped early"
    assert not problems, "Tab stops without a clear focus indicator:\n" + "\n".join(problems)


def test_a_member_reacts_and_replies_with_the_keyboard_alone(call, visitors, expect):
    page = visitors.visit("tam_shares", f"/ideas/{call.id}")
    tab_until(page, "Hug")
    page.keyboard.press("Space")
    hug = page.get_by_role("article").filter(has_text=IDEA).get_by_role("button", name="Hug")
    expect(hug).to_have_attribute("aria-pressed", "true")
    expect(hug).to_be_focused()
    tab_until(page, "Discuss this idea")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Your reply to Pia")).to_be_focused()
    page.keyboard.type("Yes please, and keep it to one thing each.")
    tab_until(page, "Post reply")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Your reply is up.")).to_be_visible()
    expect(page.get_by_role("article").filter(has_text="keep it to one thing each")).to_be_visible()


def test_registration_errors_are_read_with_their_fields(visitors, expect, app):
    page = visitors.visit(None, "/register")
    page.get_by_label("Password").fill("short")
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", name="Join the forum")).to_be_visible()
    for label, error in (("Username", "Choose a username."), ("Email", "Enter your email address.")):
        field = page.get_by_label(label, exact=True)
        expect(field).to_have_attribute("aria-invalid", "true")
        expect(field).to_have_accessible_description(re.compile(re.escape(error)))
    expect(page.get_by_role("group", name="Age")).to_have_accessible_description(
        re.compile("Tell us whether you are a teen or an adult"))

    page.get_by_label("Username", exact=True).fill("tess_joins")
    page.get_by_label("Email", exact=True).fill("tess@example.org")
    page.get_by_label("I am a teen").check()
    page.get_by_label("Password").fill("short")
    page.get_by_role("button", name="Create my account").click()
    password = page.get_by_label("Password")
    expect(password).to_have_attribute("aria-invalid", "true")
    expect(password).to_have_accessible_description(re.compile(r"At least 10 characters\. Use at least 10 characters"))
    expect(page.get_by_label("Username", exact=True)).to_have_value("tess_joins")  # nothing typed is lost


def test_sign_in_and_post_errors_are_read_with_their_fields(call, visitors, expect):
    page = visitors.visit(None, "/login")
    page.get_by_label("Username or email").fill("tam_shares")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_label("Username or email")).to_have_accessible_description(
        "That username or password is not right.")

    page = visitors.visit("tam_shares", f"/ideas/{call.id}")
    page.get_by_role("textbox", name="Your idea").fill("   ")
    page.get_by_role("button", name="Post my idea").click()
    box = page.get_by_role("textbox", name="Your idea")
    expect(box).to_have_attribute("aria-invalid", "true")
    expect(box).to_have_accessible_description(re.compile("Write something before posting."))


def test_after_a_form_error_the_focus_is_on_the_field_to_fix(call, visitors, expect):
    # On a phone, with the keyboard alone: the page that comes back does not leave the focus
    # at its top, where nothing is read out and the error is out of sight.
    page = visitors.visit(None, "/register", viewport=PHONE)
    tab_until(page, "Create my account")
    page.keyboard.press("Enter")
    username = page.get_by_label("Username", exact=True)
    expect(username).to_be_focused()
    expect(username).to_be_in_viewport()
    expect(username).to_have_accessible_description(re.compile("Choose a username."))

    page = visitors.visit("tam_shares", f"/ideas/{call.id}", viewport=PHONE)
    tab_until(page, "Post my idea")
    page.keyboard.press("Enter")
    box = page.get_by_role("textbox", name="Your idea")
    expect(box).to_be_focused()
    expect(box).to_be_in_viewport()
    expect(box).to_have_accessible_description(re.compile("Write something before posting."))
    page.keyboard.type("Pair new listeners with a buddy for their first week.")
    tab_until(page, "Post my idea")
    page.keyboard.press("Enter")
    expect(page.get_by_role("article").filter(has_text="buddy for their first week")).to_be_visible()


def test_a_posts_actions_say_whose_post_they_act_on(call, visitors, expect):
    # A screen reader's list of controls reads each out of context: "Remove, Remove, Flag"
    # does not say which post. The visible words stay short; the names carry the author.
    post_idea(make_user("tess_shares", role="listener", display_name="Tess"), call, "A thread for films.")
    for who, controls in (
            ("tam_shares", (("link", "Reply to Pia"), ("link", "Quote Pia"), ("link", "Flag Pia's idea"))),
            ("pia_shares", (("link", "Edit Pia's idea"), ("button", "Remove Pia's idea"))),
            ("moss_keeps", (("link", "Edit Pia's idea"),))):
        page = visitors.visit(who, f"/ideas/{call.id}")
        pias = page.get_by_role("article").filter(has_text=IDEA)
        for role, name in controls:
            expect(pias.get_by_role(role, name=name, exact=True)).to_be_visible()
    expect(pias.locator("summary")).to_have_accessible_name("Hide Pia's idea")
