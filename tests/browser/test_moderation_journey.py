"""A member flags an unkind reply; a moderator finds it in the queue and hides it with a
reason; the author is told why, and readers see that a moderator hid it."""
import re

import pytest

from tests.browser.conftest import PHONE
from tests.browser.journeys import follow_menu
from tests.factories import make_post, make_thread, make_user
from tests.ideas.factories import make_moderator

pytestmark = pytest.mark.browser

UNKIND = "Honestly, nobody wants to hear about your week."


@pytest.fixture
def thread_with_an_unkind_reply(app):
    make_moderator("moss_keeps", display_name="Moss")
    pia = make_user("pia_shares", role="listener", display_name="Pia")
    gus = make_user("gus_grumbles", display_name="Gus")
    thread = make_thread("How was your week?", author=pia)
    opening = make_post(pia, thread, "Mine was long, but I finished my first listening shift.")
    make_post(gus, thread, UNKIND, parent=opening)
    return thread


def test_a_moderator_handles_a_flag_from_the_queue(thread_with_an_unkind_reply, visitors, expect):
    thread = thread_with_an_unkind_reply
    pia = visitors.visit("pia_shares", f"/threads/{thread.id}")
    unkind = pia.get_by_role("article").filter(has_text=UNKIND)
    unkind.get_by_role("link", name="Flag").click()
    pia.get_by_label("What is wrong?").fill("Dismissive of someone sharing their week.")
    pia.get_by_role("button", name="Send to the moderators").click()
    expect(pia.get_by_text("Thank you. A moderator will look at it")).to_be_visible()

    moss = visitors.visit("moss_keeps")
    follow_menu(moss, "Moderation")
    expect(moss.get_by_role("heading", name="Moderation queue")).to_be_visible()
    entry = moss.get_by_role("listitem").filter(has_text=UNKIND)
    expect(entry).to_contain_text("“Dismissive of someone sharing their week.”")
    expect(entry).to_contain_text("Pia")
    entry.get_by_label("Hide it; tell the author why").fill("Please be kind when people share.")
    entry.get_by_role("button", name="Hide post").click()
    expect(moss.get_by_text("The reply by @gus_grumbles in “How was your week?” is hidden, its author told why, "
                           "and its flags closed.")).to_be_visible()
    expect(moss.get_by_text("No open flags.")).to_be_visible()

    gus = visitors.visit("gus_grumbles")
    follow_menu(gus, "Notifications")
    # From its start: each notification's "Mark read" is named with it too.
    gus.get_by_role("button", name=re.compile(r"^A moderator hid your reply in “How was your week\?”: "
                                              r"Please be kind")).click()
    expect(gus.get_by_text("Hidden by a moderator: Please be kind when people share.")).to_be_visible()

    pia.reload()
    expect(pia.get_by_text("This reply was hidden by a moderator.")).to_be_visible()
    expect(pia.get_by_role("main")).not_to_contain_text(UNKIND)


def test_on_a_phone_the_thank_you_for_a_flag_shows_where_the_page_comes_back(app, visitors, expect):
    """Sending a flag comes back at the flagged post, far down a long thread: the thanks is
    there on the screen, not at the top of the page where a phone never scrolls."""
    make_moderator("moss_keeps", display_name="Moss")
    sunny = make_user("sunny_shares", age_group="teen", display_name="Sunny")
    gus = make_user("gus_grumbles", age_group="teen", display_name="Gus")
    thread = make_thread("Say hello", author=sunny, audience="teen")
    for number in range(8):
        make_post(sunny, thread, f"Hello number {number}, with a few lines of text.\n\nAnd a second paragraph.")
    make_post(gus, thread, UNKIND)
    page = visitors.visit("sunny_shares", f"/threads/{thread.id}", viewport=PHONE)
    page.get_by_role("article").filter(has_text=UNKIND).get_by_role("link", name="Flag").click()
    page.get_by_label("What is wrong?").fill("Mean to someone sharing.")
    page.get_by_role("button", name="Send to the moderators").click()
    expect(page).to_have_url(re.compile(r"#post-\d+$"))
    expect(page.get_by_text("Thank you. A moderator will look at it")).to_be_in_viewport()


@pytest.fixture
def a_queue_of_look_alike_entries(app):
    """Two posts, a reply and a profile flagged, one more post's flags dismissed: the queue
    and "Dismissed flags" repeat the same buttons once per entry."""
    from forum.moderation.flags import close_flag_group
    from tests.safety.factories import make_flag

    moss = make_moderator("moss_keeps", display_name="Moss")
    ana = make_user("ana_shares", display_name="Ana")
    ben = make_user("ben_shares", display_name="Ben")
    evening = make_thread("Evening check-in", author=ana)
    opening = make_post(ana, evening, "A long day, but a good one.")
    make_flag(make_user("flo_flags"), opening)
    make_flag(make_user("fred_flags"), make_post(ben, evening, "Whatever.", parent=opening))
    make_flag(make_user("fay_flags"), ben, "An unkind bio.")
    dismissed = make_flag(make_user("finn_flags"), make_post(ben, make_thread("Morning pages", author=ben), "Hi."))
    close_flag_group(moss, dismissed, "dismissed", "Nothing wrong.")


def test_the_moderators_buttons_say_what_each_acts_on(a_queue_of_look_alike_entries, visitors, expect):
    # A screen reader's list of controls reads each out of context: "Dismiss, Dismiss,
    # Dismiss" does not say whose post. The visible words stay short; the names say it.
    moss = visitors.visit("moss_keeps", "/mod")
    for role, name in (
            ("button", "Dismiss: nothing wrong with the post by @ana_shares in “Evening check-in”"),
            ("button", "Dismiss: nothing wrong with the reply by @ben_shares in “Evening check-in”"),
            ("button", "Dismiss: nothing wrong with @ben_shares's profile"),
            ("button", "Mark handled (the flags on the post by @ana_shares in “Evening check-in”)"),
            ("button", "Mark handled (the flags on @ben_shares's profile)"),
            ("button", "Hide post (the reply by @ben_shares in “Evening check-in”)"),
            ("link", "See it in place (the post by @ana_shares in “Evening check-in”)"),
            ("link", "See it in place (@ben_shares's profile)"),
            ("textbox", "Hide it; tell the author why (the post by @ana_shares in “Evening check-in”)"),
            ("textbox", "Handled another way? Note (optional) (the flags on @ben_shares's profile)")):
        expect(moss.get_by_role(role, name=name, exact=True)).to_have_count(1)
    # What a sighted moderator reads is unchanged.
    assert shown_words(moss.locator(".queue-actions button")) == ["Hide post", "Mark handled", "Dismiss: nothing wrong"] * 2 + [
        "Mark handled", "Dismiss: nothing wrong"]

    moss.goto("/mod/dismissed")
    expect(moss.get_by_role("button", exact=True, name="Reopen: put back in the queue the flags on the post by "
                                                       "@ben_shares in “Morning pages”")).to_be_visible()
    assert shown_words(moss.get_by_role("button", name="Reopen")) == ["Reopen: put back in the queue"]


def shown_words(controls) -> list[str]:
    """Each control's words as the eye reads them: without its visually hidden ones."""
    return controls.evaluate_all("""els => els.map(el => [...el.childNodes]
        .filter(node => !(node.classList && node.classList.contains("visually-hidden")))
        .map(node => node.textContent).join("").trim())""")
