"""A newcomer joins, enrols in a two-discussion program, responds, replies to two fellow
trainees in each discussion, watches the next one open, and finishes with the badge."""
import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models.accounts import User
from tests.browser.conftest import PHONE
from tests.browser.focus import tab_until
from tests.browser.journeys import follow_menu, register
from tests.factories import make_badge, make_user
from tests.training.factories import complete, enrol, make_program, make_trainer, respond

pytestmark = pytest.mark.browser

PROGRAM = "Listening in Groups"
RESPONSES = {
    1: "3 highs:\n1. people in a group can carry each other through a bad week\n"
       "2. hearing others makes my own worries feel smaller\n3. a good host keeps it calm",
    2: "3 highs:\n1. I now ask one open question and then wait\n"
       "2. silence is less scary than it was\n3. I notice who has not spoken yet",
}


@pytest.fixture
def program_with_trainees(app):
    """A two-discussion program whose badge is earned at the end, with three trainees who
    have finished the first discussion and responded in the second."""
    make_badge("group-listener", "Group Listener", icon="👂")
    program = make_program(title=PROGRAM, discussions=2, awarded_badge="group-listener", min_words=8, peers=2)
    trainees = [make_user(name, role="listener", display_name=display)
                for name, display in (("ana_trains", "Ana"), ("ben_trains", "Ben"), ("cleo_trains", "Cleo"))]
    for trainee in trainees:
        enrol(trainee, program)
    complete(trainees, program, 1)
    for trainee in trainees:
        respond(trainee, program, 2, f"3 highs:\n1. {trainee.display_name} learned to slow down and listen well")
    return program


def reply_to(page, name: str, text: str) -> None:
    """Open the reply box under `name`'s response, write and send."""
    box = page.locator("details").filter(has=page.get_by_label(f"Your reply to {name}"))
    box.get_by_text(f"Reply to {name}", exact=True).click()
    box.get_by_label(f"Your reply to {name}").fill(text)
    # Waits for the page the post leads to: the page before may show the same message.
    with page.expect_navigation():
        box.get_by_role("button", name="Post reply").click()
    page.get_by_text("Your reply is up.").wait_for()


def respond_in(page, text: str) -> None:
    page.get_by_role("textbox", name="Your response").fill(text)
    with page.expect_navigation():
        page.get_by_role("button", name="Post response").click()
    page.get_by_text("Your response is up.").wait_for()


def test_a_newcomer_finishes_a_program_and_earns_its_badge(program_with_trainees, visitors, mailbox, expect):
    page = visitors.open()
    page.goto("/")
    register(page, mailbox, username="nova_joins", display_name="Nova", email="nova@example.org")

    follow_menu(page, "Programs")
    page.get_by_role("link", name=PROGRAM).click()
    page.get_by_role("button", name="Enrol in this program").click()
    page.get_by_text(f"You're enrolled in “{PROGRAM}”").wait_for()
    assert page.get_by_role("heading", level=1).inner_text() == "Discussion 1"

    respond_in(page, RESPONSES[1])
    checklist = page.get_by_role("region", name="Your checklist")
    assert "Response posted" in checklist.inner_text()
    assert "0 of 2 replies to different fellow trainees" in checklist.inner_text()

    reply_to(page, "Ana", "@ana_trains your first high is mine too: a group carried me last winter.")
    assert "1 of 2 replies" in page.get_by_role("region", name="Your checklist").inner_text()
    reply_to(page, "Ben", "Ben, I like how you put that. Thank you for sharing it with us.")
    assert "2 of 2 replies" in page.get_by_role("region", name="Your checklist").inner_text()
    expect(page.get_by_text("You completed this discussion")).to_be_visible()

    page.get_by_role("link", name="Continue to “Discussion 2”").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Discussion 2")
    respond_in(page, RESPONSES[2])
    reply_to(page, "Cleo", "Cleo, slowing down is the hardest part for me as well.")
    reply_to(page, "Ana", "Ana, thank you: your answer gave me a new question to ask.")

    page.get_by_role("link", name="see your certificate").click()
    expect(page.get_by_role("heading", name="Certificate of completion")).to_be_visible()
    assert "Nova" in page.locator(".certificate").inner_text()
    expect(page.get_by_text("Badge earned: 👂 Group Listener")).to_be_visible()

    follow_menu(page, "Nova")
    expect(page.get_by_role("heading", name="Badges")).to_be_visible()
    assert "Group Listener" in page.locator(".badges").inner_text()
    newcomer = db.session.scalar(select(User).where(User.username == "nova_joins"))
    assert "group-listener" in newcomer.badge_slugs


@pytest.mark.parametrize("page_of", ["program", "discussion"])
def test_a_trainers_preview_comes_back_in_sight_on_a_phone(app, visitors, expect, page_of):
    # The preview is drawn under a long form: the page returns scrolled to it, with the
    # focus on it, not at the form's top with the preview screens below.
    program = make_program(make_trainer("tova_trains"), title=PROGRAM, discussions=1)
    path = f"/programs/{program.slug}/edit" if page_of == "program" else f"/programs/{program.slug}/discussions/1/edit"
    page = visitors.visit("tova_trains", path, viewport=PHONE)
    tab_until(page, "Preview")
    page.keyboard.press("Enter")
    preview = page.get_by_role("region", name="Preview")
    expect(preview).to_be_focused()
    expect(preview.get_by_role("heading", name="Preview")).to_be_in_viewport()
    expect(page.get_by_role("button", name="Save")).to_be_visible()  # the form is still there to save


def test_a_trainer_who_sorts_trainees_on_a_phone_lands_back_at_the_list(program_with_trainees, visitors, expect):
    """The dashboard's summaries come first: after "Show", the page came back at its top and
    the trainer scrolled a phone's length down to reach the list they had just sorted."""
    make_trainer("tova_trains")
    page = visitors.visit("tova_trains", f"/programs/{program_with_trainees.slug}/dashboard", viewport=PHONE)
    page.get_by_label("Sort by").select_option(label="Name")
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state()
    assert "sort=name" in page.url
    expect(page.get_by_role("heading", name="Trainees", exact=True)).to_be_in_viewport()
