"""With JavaScript switched off, posting, replying, reacting and quoting still work through
plain forms and links."""
import pytest

from tests.factories import make_user
from tests.ideas.factories import make_call, make_moderator, post_idea

pytestmark = pytest.mark.browser

IDEA = "A shared calendar of quiet hours when listeners are around."


@pytest.fixture
def call(app):
    pia = make_user("pia_shares", role="listener", display_name="Pia")
    make_user("tam_shares", role="listener", display_name="Tam")
    call = make_call(make_moderator("moss_keeps"), "Small things that help")
    post_idea(pia, call, IDEA)
    return call


def without_javascript(visitors, username, call):
    return visitors.visit(username, f"/ideas/{call.id}", javascript=False)


def test_posting_and_replying_work_without_javascript(call, visitors, expect):
    page = without_javascript(visitors, "tam_shares", call)
    assert page.get_by_role("button", name="Preview").count() == 0  # nothing the script would add
    page.get_by_role("textbox", name="Your idea").fill("Name tags that say how long someone has listened.")
    page.get_by_role("button", name="Post my idea").click()
    expect(page.get_by_text("Your idea is up.")).to_be_visible()
    expect(page.get_by_role("article").filter(has_text="Name tags that say")).to_be_visible()

    idea = page.locator(".post-group").filter(has_text=IDEA)
    idea.get_by_text("Discuss this idea").click()  # <details> opens without a script
    page.get_by_label("Your reply to Pia").fill("Yes, and show which evenings are busiest.")
    idea.get_by_role("button", name="Post reply").click()
    expect(page.get_by_text("Your reply is up.")).to_be_visible()
    expect(page.get_by_role("article").filter(has_text="which evenings are busiest")).to_be_visible()


def test_reacting_works_without_javascript(call, visitors, expect):
    page = without_javascript(visitors, "tam_shares", call)
    idea = page.get_by_role("article").filter(has_text=IDEA)
    idea.get_by_role("button", name="Hug").click()
    idea = page.get_by_role("article").filter(has_text=IDEA)  # a new page, after the redirect
    expect(idea.get_by_role("button", name="Hug")).to_have_attribute("aria-pressed", "true")
    expect(idea.get_by_role("button", name="Hug")).to_contain_text("1")
    assert f"/ideas/{call.id}" in page.url
    idea.get_by_role("button", name="Hug").click()
    expect(page.get_by_role("article").filter(has_text=IDEA).get_by_role("button", name="Hug")).to_have_attribute(
        "aria-pressed", "false")


def test_quoting_works_without_javascript(call, visitors, expect):
    page = without_javascript(visitors, "tam_shares", call)
    page.get_by_role("article").filter(has_text=IDEA).get_by_role("link", name="Quote").click()
    expect(page.get_by_role("heading", name="Reply to Pia")).to_be_visible()
    box = page.get_by_role("textbox", name="Your reply")
    expect(box).to_have_value(f"> @pia_shares wrote:\n>\n> {IDEA}\n\n")
    box.press("Control+End")
    box.press_sequentially("Quiet hours would help me pick my shifts.")
    page.get_by_role("button", name="Post reply").click()
    expect(page.get_by_text("Your reply is up.")).to_be_visible()
    reply = page.get_by_role("article").filter(has_text="Quiet hours would help me")
    expect(reply.locator("blockquote")).to_contain_text(IDEA)
