"""Staff open a call for ideas; members share ideas, mention someone through the
autocomplete, react without a reload and quote; the mentioned person is told; staff
shortlist an idea and the published shortlist shows it."""
import pytest

from tests.browser.journeys import follow_menu, path_of
from tests.factories import make_user
from tests.ideas.factories import make_moderator

pytestmark = pytest.mark.browser

CALL_TITLE = "How could new listeners find their feet faster?"
IDEA = "Pair every new listener with a buddy for their first week."


@pytest.fixture
def people(app):
    make_moderator("moss_keeps", display_name="Moss")
    for username, display_name in (("pia_shares", "Pia"), ("tam_shares", "Tam"),
                                   ("robin_reads", "Robin"), ("rowan_listens", "Rowan")):
        make_user(username, role="listener", display_name=display_name)


def open_call(page) -> str:
    follow_menu(page, "Ideas")
    page.get_by_role("link", name="Open a call for ideas").click()
    page.get_by_label("Title").fill(CALL_TITLE)
    page.get_by_label("The question").fill("What would have helped *you* in your first month? One idea per post.")
    page.get_by_role("button", name="Open the call").click()
    page.get_by_text("The call for ideas is open.").wait_for()
    return path_of(page)


def mention_with_autocomplete(page, box, before: str, letters: str, choose_down: int) -> None:
    """Type `before`, then @ and `letters`; walk the suggestions with the arrow keys and
    take one with Enter, as someone using the keyboard would."""
    box.click()
    box.press_sequentially(before + "@" + letters)
    suggestions = page.get_by_role("listbox")
    suggestions.get_by_role("option").first.wait_for()
    for _ in range(choose_down):
        box.press("ArrowDown")
    box.press("Enter")
    assert suggestions.is_hidden()


def test_a_call_for_ideas_from_opening_to_shortlist(people, visitors, expect):
    staff = visitors.visit("moss_keeps")
    call_path = open_call(staff)
    assert staff.get_by_role("heading", level=1).inner_text() == CALL_TITLE

    pia = visitors.visit("pia_shares", call_path)
    box = pia.get_by_role("textbox", name="Your idea")
    box.fill(IDEA + " ")
    mention_with_autocomplete(pia, box, "Like ", "ro", choose_down=1)
    assert box.input_value() == IDEA + " Like @rowan_listens "
    box.press_sequentially("did for me.")
    pia.get_by_role("button", name="Post my idea").click()
    pia.get_by_text("Your idea is up.").wait_for()
    idea = pia.locator("article.post", has_text=IDEA)
    expect(idea.get_by_role("link", name="@rowan_listens")).to_be_visible()

    tam = visitors.visit("tam_shares", call_path)
    idea = tam.locator("article.post", has_text=IDEA)
    lightbulb = idea.get_by_role("button", name="Great idea")
    address_before = tam.url
    tam.evaluate("window.stillTheSamePage = true")
    assert lightbulb.get_attribute("aria-pressed") == "false"
    lightbulb.click()
    expect(lightbulb).to_have_attribute("aria-pressed", "true")
    expect(lightbulb.locator(".reaction-count")).to_have_text("1")
    assert tam.evaluate("window.stillTheSamePage") is True and tam.url == address_before
    lightbulb.click()
    expect(lightbulb).to_have_attribute("aria-pressed", "false")
    expect(lightbulb.locator(".reaction-count")).to_have_text("")
    lightbulb.click()
    expect(lightbulb.locator(".reaction-count")).to_have_text("1")
    assert tam.evaluate("window.stillTheSamePage") is True

    idea.get_by_role("link", name="Quote").click()
    reply = tam.get_by_label("Your reply to Pia")
    expect(reply).to_be_focused()
    assert reply.input_value().startswith("> @pia_shares wrote:\n>\n> " + IDEA)
    reply.press_sequentially("A buddy would have saved me a lot of worry.")
    tam.get_by_role("button", name="Post reply").click()
    tam.get_by_text("Your reply is up.").wait_for()
    quoted = tam.locator("article.post.reply", has_text="A buddy would have saved me")
    expect(quoted.locator("blockquote")).to_be_visible()

    rowan = visitors.visit("rowan_listens")
    rowan.get_by_role("link", name="Notifications").click()
    rowan.get_by_role("button", name=f"Pia mentioned you in “{CALL_TITLE}”", exact=True).click()
    assert rowan.get_by_role("heading", level=1).inner_text() == CALL_TITLE
    expect(rowan.locator("#post-" + rowan.url.split("#post-")[1])).to_contain_text("@rowan_listens")

    staff.reload()
    staff.get_by_role("link", name="Review idea #").first.click()
    staff.get_by_label("Status", exact=True).select_option(label="Shortlisted")
    staff.get_by_role("region", name="Set the status").get_by_label("Note from staff").fill("Cheap to try next month.")
    staff.get_by_role("button", name="Save status").click()
    staff.get_by_text("Status saved; the idea's author is told.").wait_for()
    # Asked first, naming the phase chosen and who is told: a mis-tap changes nothing, and the
    # menu shows the call's phase again rather than the one not chosen.
    staff.get_by_label("Move the call to").select_option(label="Closed")
    staff.once("dialog", lambda dialog: dialog.dismiss())
    staff.get_by_role("button", name="Change phase").click()
    expect(staff.get_by_label("Move the call to")).to_have_value("collecting")
    staff.get_by_label("Move the call to").select_option(label="Shortlist published")
    asked = []
    staff.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    staff.get_by_role("button", name="Change phase").click()
    staff.get_by_text("The call is now in the phase “Shortlist published”").wait_for()
    assert asked == ["Move this call to “Shortlist published”? Everyone who can see the call can read its "
                     "shortlist, and it takes no new ideas. Everyone who posted an idea or a reply in this call "
                     "is told, unless all they posted was removed or hidden."]

    pia.reload()
    pia.get_by_role("link", name="The shortlist").click()
    shortlisted = pia.get_by_role("listitem").filter(has_text=IDEA)
    expect(shortlisted).to_contain_text("Cheap to try next month.")
    expect(pia.get_by_role("heading", name="Shortlisted")).to_be_visible()
