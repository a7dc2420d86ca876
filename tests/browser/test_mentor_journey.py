"""A listener filters the mentor directory, asks a mentor, the mentor accepts, they talk,
and the listener's review shows on the mentor's profile."""
import re

import pytest

from tests.browser.conftest import PHONE
from tests.browser.focus import tab_until
from tests.browser.journeys import follow_menu
from tests.mentors.factories import (make_listener, make_mentor, make_mentorship, make_request,
                                     write_in_conversation)

pytestmark = pytest.mark.browser


@pytest.fixture
def mentors(app):
    make_mentor("juniper_guides", headline="Grief and first chats, gently", tracks="Grief, First chats",
                languages="English")
    make_mentor("quill_guides", headline="Study stress and exams", tracks="Study stress", languages="English")
    make_mentor("sage_guides", headline="Grief support, but full for now", tracks="Grief", accepting=False)
    make_listener("lena_listens")


def open_notification(page, message: str) -> None:
    page.get_by_role("link", name="Notifications").click()
    page.get_by_role("button", name=message, exact=True).click()


def test_a_listener_finds_a_mentor_talks_and_reviews(mentors, visitors, expect):
    lena = visitors.visit("lena_listens")
    follow_menu(lena, "Mentors")
    lena.get_by_label("Track", exact=True).select_option(label="Grief")
    lena.get_by_label("Taking new mentees").check()
    lena.get_by_role("button", name="Show mentors").click()
    expect(lena.get_by_role("heading", name="1 mentor matches")).to_be_visible()
    results = lena.get_by_role("list", name="1 mentor matches")
    expect(results.get_by_role("article")).to_have_count(1)
    assert "track=grief" in lena.url and "accepting=1" in lena.url

    results.get_by_role("link", name="Juniper_guides").click()
    lena.get_by_role("link", name="Ask Juniper_guides to mentor you").click()
    lena.get_by_label("Your message").fill("I froze in a chat about a lost parent. Could you help me prepare?")
    lena.get_by_role("button", name="Send request").click()
    expect(lena.get_by_text("Your request is with Juniper_guides.")).to_be_visible()

    juniper = visitors.visit("juniper_guides")
    open_notification(juniper, "Lena_listens asks you to be their mentor")
    expect(juniper.get_by_text("I froze in a chat about a lost parent.")).to_be_visible()
    note = juniper.get_by_label("A note to the listener (optional)")
    note.fill("Happy to. Tell me how the chat went.")
    # A slip onto Decline, beside Accept, asks first: a "no" leaves the request waiting, the note in its box.
    asked = []
    juniper.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    juniper.get_by_role("button", name="Decline").click()
    expect(note).to_have_value("Happy to. Tell me how the chat went.")
    assert asked and asked[0].startswith("Decline the request from Lena_listens?")
    # Accept asks nothing: Playwright dismisses a dialog nobody answers, which would stop it.
    juniper.get_by_role("button", name="Accept").click()
    expect(juniper.get_by_text("You accepted. Your conversation is open; say hello.")).to_be_visible()
    hello = "Hello Lena! What did the person say just before you froze?"
    juniper.get_by_role("textbox", name="Your message").fill(hello)
    juniper.get_by_role("button", name="Send").click()
    expect(juniper.get_by_text("Your message is up.")).to_be_visible()

    open_notification(lena, "Juniper_guides accepted your mentorship request")
    expect(lena.get_by_text("What did the person say just before you froze?")).to_be_visible()
    lena.get_by_role("textbox", name="Your message").fill("They said nobody would understand, and I had no words.")
    lena.get_by_role("button", name="Send").click()
    expect(lena.get_by_text("Your message is up.")).to_be_visible()

    lena.get_by_role("link", name="The request").click()
    lena.get_by_role("link", name="Review Juniper_guides").click()
    lena.get_by_label("4 stars").check()
    lena.get_by_label("Your review").fill("Calm and practical: I left with three phrases to try.")
    lena.get_by_role("button", name="Save review").click()
    expect(lena.get_by_text("Thank you: your review is up.")).to_be_visible()

    reviews = lena.get_by_role("region", name="Reviews")
    review = reviews.get_by_role("article").filter(has_text="Calm and practical")
    expect(review).to_be_visible()
    expect(review.get_by_role("link", name="Lena_listens")).to_be_visible()
    juniper.goto("/mentors/juniper_guides")
    expect(juniper.get_by_role("region", name="Reviews")).to_contain_text("I left with three phrases to try.")


@pytest.mark.parametrize("accepted", [True, False], ids=["close-mentorship", "withdraw-request"])
def test_ending_a_mentorship_asks_first_and_a_no_keeps_it(visitors, expect, app, accepted):
    # One slip of the thumb on a phone must not end a mentorship: its conversation locks for good.
    juniper = make_mentor("juniper_guides")
    rae = make_listener("rae_listens")
    request = (make_mentorship if accepted else make_request)(rae, juniper)
    button = "Close this mentorship" if accepted else "Withdraw my request"
    page = visitors.visit("rae_listens", f"/mentors/requests/{request.id}", viewport=PHONE)
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name=button).click()
    page.reload()
    expect(page.get_by_role("button", name=button)).to_be_visible()  # still running
    assert asked and asked[0].startswith("Close this mentorship?" if accepted else "Withdraw your request to")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name=button).click()
    # The script's "yes" is the answer: no second question on a page of its own.
    expect(page.get_by_text("Closed. The conversation stays" if accepted else "Your request is withdrawn.")).to_be_visible()
    expect(page.get_by_role("button", name=button)).to_have_count(0)


def test_without_javascript_closing_a_mentorship_asks_on_a_page_and_keep_it_changes_nothing(visitors, expect, app):
    # No script, no dialog: the button used to end the mentorship at once.
    juniper = make_mentor("juniper_guides")
    rae = make_listener("rae_listens")
    request = make_mentorship(rae, juniper)
    page = visitors.visit("rae_listens", f"/mentors/requests/{request.id}", javascript=False, viewport=PHONE)
    page.get_by_role("button", name="Close this mentorship").click()
    expect(page.get_by_role("heading", level=1, name="Close this mentorship?")).to_be_visible()
    page.get_by_role("link", name="Keep the mentorship").click()
    expect(page.get_by_role("link", name="Open the conversation")).to_be_visible()  # still running

    page.get_by_role("button", name="Close this mentorship").click()
    page.get_by_role("button", name="Close this mentorship").click()
    expect(page.get_by_text("Closed. The conversation stays here for you both to read.")).to_be_visible()
    expect(page.get_by_role("button", name="Close this mentorship")).to_have_count(0)


def test_a_review_sent_without_stars_puts_the_focus_on_the_stars(visitors, expect, app):
    juniper = make_mentor("juniper_guides")
    rae = make_listener("rae_listens")
    request = make_mentorship(rae, juniper)
    write_in_conversation(rae, request)
    page = visitors.visit("rae_listens", f"/mentors/requests/{request.id}/review", viewport=PHONE)
    page.get_by_label("Your review").fill("Kind, and quick to spot what I had missed.")
    tab_until(page, "Save review")
    page.keyboard.press("Enter")
    rating = page.get_by_role("group", name="Rating")
    expect(rating).to_have_accessible_description(re.compile("Choose a rating from 1 to 5 stars."))
    expect(rating.get_by_role("radio").first).to_be_focused()  # not the top of the page
    page.keyboard.press("Space")
    tab_until(page, "Save review")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Kind, and quick to spot what I had missed.")).to_be_visible()


def test_moving_a_profile_section_keeps_the_keyboard_with_it(visitors, expect, app):
    make_mentor("juniper_guides")
    page = visitors.visit("juniper_guides", "/mentors/me/sections", viewport=PHONE)
    sections = page.locator("ol.section-list > li")
    first = sections.first.get_by_role("heading").inner_text()
    stop = tab_until(page, "Move down")
    assert first in stop["name"]
    page.keyboard.press("Enter")
    moved = sections.nth(1)
    expect(moved.get_by_role("heading")).to_have_text(first)
    expect(moved).to_be_focused()  # not the top of the page, a screen above
    page.keyboard.press("Tab")
    expect(moved.get_by_role("link", name=f"Edit {first}")).to_be_focused()


def test_a_listener_who_looks_for_words_on_a_phone_lands_at_the_mentors_found(app, visitors, expect):
    """The directory's introduction, "Active now" and the filters come first: after "Show
    mentors" or "Next →" the page came back at its top, and on a phone the listener scrolled
    some 1,000 px to reach the mentors, as if the button had done nothing."""
    from forum.mentors import services

    for number in range(14):
        profile = make_mentor(f"guide{number}_helps", seen_minutes_ago=1)
        services.edit_section(profile.user, profile, "situations", f"Caring for a parent with dementia ({number}).",
                              False)
    make_mentor("quiet_helps")
    make_listener("rowan_listens")
    page = visitors.visit("rowan_listens", "/mentors", viewport=PHONE)
    page.get_by_label("Situations or words").fill("dementia")
    page.get_by_role("button", name="Show mentors").click()
    page.wait_for_load_state()
    assert "words=dementia" in page.url
    expect(page.get_by_role("heading", name="14 mentors match")).to_be_in_viewport()

    page.get_by_role("link", name="Next", exact=True).click()
    page.wait_for_load_state()
    assert "page=2" in page.url and "words=dementia" in page.url
    expect(page.get_by_role("heading", name="14 mentors match")).to_be_in_viewport()
    expect(page.get_by_role("list", name="14 mentors match").get_by_role("article")).to_have_count(2)
