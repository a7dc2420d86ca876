"""The small JavaScript in static/js/forum.js, in the browser: Markdown preview, @mention
suggestions, reactions without a reload, a warning before leaving unsent text, a question
before removing your post or unpublishing a program, and drafts kept until they are posted. Accessibility is checked
in the states the script creates."""
import re

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models.accounts import User
from tests.browser.accessibility import serious_violations
from tests.browser.conftest import PHONE
from tests.browser.journeys import path_of, sign_in
from tests.factories import PASSWORD, make_user
from tests.ideas.factories import make_call, make_moderator, post_idea
from tests.training.factories import TEMPLATE, enrol, make_program

pytestmark = pytest.mark.browser


@pytest.fixture
def call(app):
    make_user("rowan_listens", role="listener", display_name="Rowan")
    make_user("robin_reads", display_name="Robin")
    pia = make_user("pia_shares", role="listener", display_name="Pia")
    call = make_call(make_moderator("moss_keeps"), "Small things that help")
    post_idea(pia, call, "A quiet room for people who just want to read.")
    return call


def call_page(visitors, username, call):
    return visitors.visit(username, f"/ideas/{call.id}")


def test_the_preview_shows_the_post_as_it_will_look(call, visitors, expect):
    page = call_page(visitors, "rowan_listens", call)
    page.get_by_role("textbox", name="Your idea").fill("A **weekly** check-in thread\n\n- short\n- kind")
    page.get_by_role("button", name="Preview").click()
    preview = page.get_by_role("region", name="Preview")
    expect(preview.locator("strong")).to_have_text("weekly")
    expect(preview.get_by_role("listitem")).to_have_count(2)
    page.get_by_role("textbox", name="Your idea").fill("<script>alert(1)</script>Plain words")
    page.get_by_role("button", name="Preview").click()
    expect(preview).to_contain_text("Plain words")
    assert preview.locator("script").count() == 0
    assert serious_violations(page) == []


def test_mention_suggestions_follow_the_keyboard_and_the_mouse(call, visitors, expect):
    page = call_page(visitors, "pia_shares", call)
    box = page.get_by_role("textbox", name="Your idea")
    box.press_sequentially("Thanks @ro")
    suggestions = page.get_by_role("listbox", name="People to mention")
    expect(suggestions.get_by_role("option")).to_have_text(["Robin @robin_reads", "Rowan @rowan_listens"])
    expect(suggestions.get_by_role("option", name="Robin @robin_reads")).to_have_attribute("aria-selected", "true")
    assert serious_violations(page) == []
    box.press("ArrowDown")
    expect(suggestions.get_by_role("option", name="Rowan @rowan_listens")).to_have_attribute("aria-selected", "true")
    box.press("Escape")
    expect(suggestions).to_be_hidden()
    assert box.input_value() == "Thanks @ro"
    # Tab moves on, as out of any box (the WAI-ARIA combobox pattern takes a suggestion
    # with Enter only): leaving the box does not write a name the spoken hint never offered.
    box.press_sequentially("b")
    expect(suggestions.get_by_role("option", name="Robin @robin_reads")).to_have_attribute("aria-selected", "true")
    box.press("Tab")
    expect(box).not_to_be_focused()
    expect(suggestions).to_be_hidden()
    assert box.input_value() == "Thanks @rob"
    box.press_sequentially("i")
    suggestions.get_by_role("option", name="Robin @robin_reads").click()
    assert box.input_value() == "Thanks @robin_reads "
    box.press_sequentially("@nobody_by_that_name")
    expect(suggestions).to_be_hidden()


def test_mention_suggestions_are_read_out_as_they_come_and_as_the_arrows_move(call, visitors, expect):
    # A textarea cannot be a combobox, so a screen reader says nothing of the list or of
    # aria-activedescendant: the suggestions and the one the arrows reach are said aloud.
    page = call_page(visitors, "pia_shares", call)
    box = page.get_by_role("textbox", name="Your idea")
    box.press_sequentially("Thanks @ro")
    said = page.get_by_role("status").filter(has_text="to mention")
    expect(said).to_have_text(re.compile(r"2 people to mention\. Robin @robin_reads, 1 of 2\."))
    box.press("ArrowDown")
    expect(page.get_by_role("status").filter(has_text="Rowan @rowan_listens")).to_have_text("Rowan @rowan_listens, 2 of 2")
    box.press("Enter")
    assert box.input_value() == "Thanks @rowan_listens "


def test_quoting_a_whole_post_keeps_its_links_and_emphasis(call, visitors, expect):
    robin = db.session.scalar(select(User).where(User.username == "robin_reads"))
    post_idea(robin, call, "A **buddy system**, as [the guide](https://example.org/guide) says.")
    page = visitors.visit("rowan_listens", f"/ideas/{call.id}", viewport=PHONE)
    idea = page.get_by_role("article").filter(has_text="A buddy system, as the guide says.")
    idea.get_by_role("link", name="Quote").click()
    reply = page.get_by_label("Your reply to Robin")
    expect(reply).to_be_focused()
    assert reply.input_value() == ("> @robin_reads wrote:\n>\n"
                                   "> A **buddy system**, as [the guide](https://example.org/guide) says.\n\n")
    # On a phone the box grows to show the whole quote, where it scrolled inside four rows.
    assert reply.evaluate("box => box.scrollHeight <= box.clientHeight")
    expect(reply).to_be_in_viewport()
    # And it grows on as the reply is written, up to most of the screen; past that it scrolls inside.
    page.keyboard.type("A line more.\n" * 6)
    assert reply.evaluate("box => box.scrollHeight <= box.clientHeight")
    page.keyboard.type("A line more.\n" * 30)
    assert reply.evaluate("box => box.offsetHeight <= innerHeight * 0.7 + 1 && box.scrollHeight > box.clientHeight")


def test_a_reaction_toggles_in_place_and_is_stored(call, visitors, expect):
    page = call_page(visitors, "rowan_listens", call)
    heart = page.get_by_role("button", name="Heart")
    page.evaluate("window.notReloaded = true")
    heart.click()
    expect(heart).to_have_attribute("aria-pressed", "true")
    expect(heart).to_contain_text("1")
    # Said as the page without JavaScript says it: which reaction, to whom.
    expect(page.get_by_role("status").filter(has_text="You sent Pia a ❤️ Heart.")).to_be_attached()
    assert page.evaluate("window.notReloaded") is True
    page.reload()
    heart = page.get_by_role("button", name="Heart")
    expect(heart).to_have_attribute("aria-pressed", "true")
    heart.click()
    expect(heart).to_have_attribute("aria-pressed", "false")
    expect(page.get_by_role("status").filter(has_text="You took back your ❤️ Heart.")).to_be_attached()


def test_after_reacting_the_names_and_who_reacted_are_current_without_a_reload(call, visitors, expect):
    page = call_page(visitors, "rowan_listens", call)
    page.evaluate("window.notReloaded = true")
    idea = page.locator("article.post", has_text="A quiet room")
    hug = idea.get_by_role("button", name="Hug")
    expect(hug).to_have_attribute("title", "Hug")
    expect(idea.get_by_role("link", name="Who reacted")).to_have_count(0)

    hug.click()
    expect(hug).to_have_attribute("aria-pressed", "true")
    expect(hug).to_have_attribute("title", "Hug: Rowan")
    expect(idea.get_by_role("link", name="Who reacted")).to_be_visible()
    expect(hug).to_be_focused()

    hug.click()
    expect(hug).to_have_attribute("aria-pressed", "false")
    expect(hug).to_have_attribute("title", "Hug")
    expect(idea.get_by_role("link", name="Who reacted")).to_have_count(0)
    assert page.evaluate("window.notReloaded") is True

    hug.press("Enter")  # the keyboard's place is kept: the same button reacts again
    expect(hug).to_have_attribute("title", "Hug: Rowan")
    idea.get_by_role("link", name="Who reacted").click()
    expect(page.get_by_role("listitem").filter(has_text="Hug: Rowan")).to_be_visible()


def leave_prompts(page) -> list[str]:
    """The dialogs the page raises from now on (each dismissed: the person stays)."""
    asked = []

    def stay(dialog):
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    return asked


def test_leaving_with_unsent_text_asks_first(call, visitors, expect):
    page = call_page(visitors, "rowan_listens", call)
    page.get_by_role("textbox", name="Your idea").fill("Half an idea")
    asked = leave_prompts(page)
    page.get_by_role("link", name="All calls for ideas").click()
    expect(page.get_by_role("heading", name="Small things that help")).to_be_visible()
    assert asked == ["beforeunload"]

    page.get_by_role("textbox", name="Your idea").fill("A whole idea: a buddy for the first week.")
    page.get_by_role("button", name="Post my idea").click()
    expect(page.get_by_text("Your idea is up.")).to_be_visible()
    page.get_by_role("link", name="All calls for ideas").click()
    expect(page.get_by_role("heading", name="Calls for ideas")).to_be_visible()
    assert asked == ["beforeunload"]


def test_a_reply_sent_back_with_an_error_still_asks_before_leaving(call, visitors, expect):
    page = call_page(visitors, "rowan_listens", call)
    page.get_by_text("Discuss this idea").click()
    page.get_by_label("Your reply to Pia").fill("Yes, and a lamp instead of the ceiling light.")
    # The session ran out while they wrote: the reply comes back to them with its text.
    page.locator(".reply-box input[name=csrf_token]").evaluate("input => { input.value = 'expired'; }")
    page.get_by_role("button", name="Post reply").click()
    expect(page.get_by_role("heading", name="Reply to Pia")).to_be_visible()
    expect(page.get_by_role("textbox", name="Your reply")).to_have_value("Yes, and a lamp instead of the ceiling light.")
    # The script that guards the text runs once the page has loaded: a click before it raced it.
    page.wait_for_load_state("load")
    asked = leave_prompts(page)
    page.get_by_role("link", name="Back to").click()
    expect(page.get_by_role("heading", name="Reply to Pia")).to_be_visible()
    assert asked == ["beforeunload"]

    page.get_by_role("button", name="Post reply").click()
    expect(page.get_by_text("Your reply is up.")).to_be_visible()
    page.get_by_role("link", name="All calls for ideas").click()
    expect(page.get_by_role("heading", name="Calls for ideas")).to_be_visible()
    assert asked == ["beforeunload"]


def test_a_reply_draft_waits_in_the_browser_until_it_is_posted(call, visitors, expect):
    page = call_page(visitors, "rowan_listens", call)
    page.get_by_text("Discuss this idea").click()
    page.get_by_label("Your reply to Pia").fill("Yes, with soft lighting and no pressure to post.")
    page.once("dialog", lambda dialog: dialog.accept())
    page.reload()
    reply = page.get_by_label("Your reply to Pia")
    expect(reply).to_be_visible()  # the box opened itself to show the draft
    expect(reply).to_have_value("Yes, with soft lighting and no pressure to post.")
    expect(page.get_by_text("Your unsent text from earlier is back in the box.")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_role("button", name="Post reply").click()
    expect(page.get_by_text("Your reply is up.")).to_be_visible()
    page.wait_for_load_state()  # the page's deferred script is what forgets the draft
    page.goto(f"/ideas/{call.id}")
    expect(page.get_by_label("Your reply to Pia")).to_be_hidden()
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('forum-draft:'))") == []


def test_cancelling_an_edit_forgets_what_was_typed(call, visitors, expect):
    """Cancel and a yes to leaving: the bio typed is gone, so it neither comes back in the box
    unannounced nor goes up with the next save of the display name alone."""
    page = visitors.visit("rowan_listens", "/settings/profile")
    page.get_by_label("About you").fill("Something I decided not to share after all.")
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("link", name="Cancel").click()
    expect(page.get_by_role("heading", name="Rowan")).to_be_visible()
    page.goto("/settings/profile")
    expect(page.get_by_label("About you")).to_have_value("")
    page.get_by_label("Display name").fill("Rowan R.")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Your profile is saved.")).to_be_visible()
    expect(page.get_by_text("decided not to share")).to_have_count(0)
    assert db.session.scalar(select(User.bio_md).where(User.username == "rowan_listens")) == ""


def test_a_response_draft_comes_back_over_the_template(app, visitors, expect):
    program = make_program(discussions=1, min_words=3, peers=1)
    enrol(make_user("tia_trains", role="listener"), program)
    page = visitors.visit("tia_trains", f"/programs/{program.slug}/discussions/1")
    box = page.get_by_role("textbox", name="Your response")
    expect(box).to_have_value(TEMPLATE)
    box.fill(TEMPLATE.replace("1.\n", "1. groups feel warm\n", 1))
    page.once("dialog", lambda dialog: dialog.accept())
    page.reload()
    expect(page.get_by_role("textbox", name="Your response")).to_have_value(
        TEMPLATE.replace("1.\n", "1. groups feel warm\n", 1))
    page.get_by_role("button", name="Discard it").click()  # said beside the box, so it is not sent unseen
    expect(page.get_by_role("textbox", name="Your response")).to_have_value(TEMPLATE)
    expect(page.get_by_text("Your unsent text from earlier is back in the box.")).to_have_count(0)


def test_signing_out_forgets_drafts(call, visitors, expect):
    page = call_page(visitors, "rowan_listens", call)
    page.get_by_role("textbox", name="Your idea").fill("Something private I had not finished.")
    asked = []
    page.once("dialog", lambda dialog: asked.append(dialog.type) or dialog.accept())
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in").first).to_be_visible()
    assert asked == ["beforeunload"]  # warned about the unsent text first
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('forum-draft:'))") == []
    sign_in(page, "pia_shares")
    page.goto(f"/ideas/{call.id}")
    expect(page.get_by_role("textbox", name="Your idea")).to_have_value("")


def test_the_reply_box_and_the_reply_page_share_one_draft(call, visitors, expect):
    page = call_page(visitors, "rowan_listens", call)
    page.get_by_text("Discuss this idea").click()
    page.get_by_label("Your reply to Pia").fill("Started here, finished on the reply page.")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("article").filter(has_text="A quiet room").get_by_role("link", name="Reply to Pia", exact=True).click()
    expect(page.get_by_role("heading", name="Reply to Pia")).to_be_visible()
    expect(page.get_by_role("textbox", name="Your reply")).to_have_value("Started here, finished on the reply page.")
    page.get_by_role("button", name="Post reply").click()
    expect(page.get_by_text("Your reply is up.")).to_be_visible()
    page.wait_for_load_state()  # the page's deferred script is what forgets the draft
    page.goto(f"/ideas/{call.id}")
    expect(page.get_by_label("Your reply to Pia")).to_be_hidden()
    expect(page.get_by_label("Your reply to Pia")).to_have_value("")


def test_a_draft_stays_with_the_person_who_wrote_it(call, visitors, expect):
    """On a shared computer the session can end without Sign out (it expires, the browser is
    closed): the writer finds their draft when they sign in again, and the next person does not."""
    page = call_page(visitors, "rowan_listens", call)
    page.get_by_text("Discuss this idea").click()
    page.get_by_label("Your reply to Pia").fill("Honestly I have had a hard week and")
    page.on("dialog", lambda dialog: dialog.accept())
    page.context.clear_cookies()  # the session ends; what the browser keeps stays

    sign_in(page, "rowan_listens")
    page.goto(f"/ideas/{call.id}")
    expect(page.get_by_label("Your reply to Pia")).to_have_value("Honestly I have had a hard week and")

    page.context.clear_cookies()
    sign_in(page, "robin_reads")
    page.goto(f"/ideas/{call.id}")
    expect(page.get_by_text("Discuss this idea")).to_be_visible()
    expect(page.get_by_label("Your reply to Pia")).to_be_hidden()
    expect(page.get_by_label("Your reply to Pia")).to_have_value("")
    assert "hard week" not in page.evaluate("JSON.stringify(Object.values(localStorage))")


def test_a_reply_sent_after_signing_out_in_another_tab_comes_back_after_signing_in(call, visitors, expect):
    """Signing out in one tab forgets every draft; a reply then sent from another tab finds
    its writer signed out. They sign in and are back on the page, their words in the box."""
    page = call_page(visitors, "rowan_listens", call)
    page.get_by_text("Discuss this idea").click()
    page.get_by_label("Your reply to Pia").fill("A quiet room would have helped me last winter.")
    other_tab = page.context.new_page()
    other_tab.goto("/")
    other_tab.get_by_role("button", name="Sign out").click()
    expect(other_tab.get_by_role("link", name="Sign in").first).to_be_visible()

    page.get_by_role("button", name="Post reply").click()
    expect(page.get_by_text("You were signed out before that was sent, so nothing was sent.")).to_be_visible()
    page.get_by_label("Username or email").fill("rowan_listens")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Signed in. Welcome back")).to_be_visible()
    assert path_of(page) == f"/ideas/{call.id}"
    expect(page.get_by_label("Your reply to Pia")).to_have_value("A quiet room would have helped me last winter.")


def test_mention_suggestions_find_names_written_in_any_alphabet(call, visitors, expect):
    make_user("marina_k", display_name="Марина")
    make_user("emile_r", display_name="Émile Roux")
    page = call_page(visitors, "pia_shares", call)
    box = page.get_by_role("textbox", name="Your idea")
    suggestions = page.get_by_role("listbox", name="People to mention")
    box.press_sequentially("Thank you @мар")
    expect(suggestions.get_by_role("option")).to_have_text(["Марина @marina_k"])
    box.press("Enter")
    assert box.input_value() == "Thank you @marina_k "
    box.press_sequentially("and @Ém")
    expect(suggestions.get_by_role("option")).to_have_text(["Émile Roux @emile_r"])
    box.press("Enter")
    assert box.input_value() == "Thank you @marina_k and @emile_r "


def test_removing_your_idea_asks_first_and_a_no_keeps_it(call, visitors, expect):
    page = call_page(visitors, "pia_shares", call)
    idea = page.locator("article.post", has_text="A quiet room")
    asked = []

    def answer(dialog, accept):
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, accept=False))
    idea.get_by_role("button", name="Remove").click()
    expect(idea).to_contain_text("A quiet room for people who just want to read.")
    assert asked == ["Remove your idea? Replies to it stay, and only a moderator can bring it back."]
    page.reload()
    expect(page.locator("article.post", has_text="A quiet room")).to_be_visible()

    page.once("dialog", lambda dialog: answer(dialog, accept=True))
    page.locator("article.post", has_text="A quiet room").get_by_role("button", name="Remove").click()
    expect(page.get_by_text("Your idea is removed. Replies to it stay.")).to_be_visible()
    expect(page.get_by_text("A quiet room for people who just want to read.")).to_have_count(0)
    assert len(asked) == 2



def test_unpublishing_a_program_asks_first(app, visitors, expect):
    program = make_program(discussions=1, min_words=3, peers=1)
    enrol(make_user("tia_trains", role="listener"), program)
    page = visitors.visit("tova", f"/programs/{program.slug}")
    asked, answers = [], [False, True]  # first a change of mind, then a yes

    def answer(dialog):
        asked.append(dialog.message)
        dialog.accept() if answers.pop(0) else dialog.dismiss()

    page.on("dialog", answer)
    page.get_by_role("button", name="Unpublish").click()
    assert asked and "only trainers and admins can open it" in asked[0]
    expect(page.get_by_role("button", name="Unpublish")).to_be_visible()  # still published
    page.get_by_role("button", name="Unpublish").click()
    expect(page.get_by_text("The program is back to a draft.")).to_be_visible()
    page.get_by_role("button", name="Publish").click()  # publishing asks nothing
    expect(page.get_by_text("The program is published.")).to_be_visible()
    assert len(asked) == 2


def test_quoting_an_idea_hidden_since_the_page_opened_leaves_its_words_out(call, visitors, expect):
    from forum.models.posts import Post
    from forum.posts.services import hide_post

    page = call_page(visitors, "rowan_listens", call)
    idea = db.session.scalar(select(Post).where(Post.body_md.startswith("A quiet room")))
    hide_post(db.session.scalar(select(User).where(User.username == "moss_keeps")), idea, "Off topic")
    page.get_by_role("article").filter(has_text="A quiet room").get_by_role("link", name="Quote").click()
    reply = page.get_by_label("Your reply to Pia")
    expect(reply).to_be_focused()
    expect(page.get_by_role("status")).to_have_text("That idea was hidden by a moderator, so it can't be quoted.")
    assert reply.input_value() == ""


def test_a_reaction_refused_says_why_where_it_was_pressed(call, visitors, expect):
    from forum.models.posts import Post
    from forum.posts.services import hide_post

    page = call_page(visitors, "rowan_listens", call)
    idea = db.session.scalar(select(Post).where(Post.body_md.startswith("A quiet room")))
    hide_post(db.session.scalar(select(User).where(User.username == "moss_keeps")), idea, "Off topic")
    card = page.locator(f"#post-{idea.id}")
    heart = card.get_by_role("button", name="Heart")
    heart.click()
    # Seen, not only heard: the live region alone left a sighted person with nothing.
    expect(card.get_by_role("alert")).to_have_text("That idea was hidden by a moderator.")
    expect(card.get_by_role("alert")).to_be_visible()
    expect(heart).to_have_attribute("aria-pressed", "false")
