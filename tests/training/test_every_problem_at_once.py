"""A trainer's program and discussion forms tell every mistake at once, each beside its
field, with everything typed kept: not one per send."""
import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models.training import Discussion, Program
from tests.factories import make_user
from tests.html_checks import box_value, error_beside, error_summary
from tests.training.factories import discussion, enrol, make_program, make_trainer

LESSON = "Read *this* & take your time."
DISCUSSION = {"title": "Discussion 2: Listening", "lesson_md": LESSON, "prompt": "", "response_template": "3 highs:",
              "min_words": "many", "required_peer_replies": "0", "save": "Save"}
PROGRAM = {"title": "", "slug": "Not A Slug!", "summary_md": "Learn **together**.", "audience": "adult",
           "required_badge": "", "awarded_badge": "", "save": "Save"}


@pytest.fixture
def trainer_client(client):
    make_trainer("tova")
    client.login("tova")
    return client


def assert_discussion_refused_whole(response):
    assert response.status_code == 200
    assert error_beside(response.page, "prompt") == "Give it a prompt."
    assert error_beside(response.page, "min_words") == "Enter a whole number, like 2."
    assert error_beside(response.page, "required_peer_replies").startswith("Ask for at least 1 fellow trainee")
    assert error_beside(response.page, "title") == ""
    # And above the form, where the page comes back, each again as a link to its box.
    summary = error_summary(response.page)
    assert [target for target, _ in summary] == ["prompt", "min_words", "required_peer_replies"]
    assert summary[:2] == [("prompt", "Discussion prompt: give it a prompt."),
                           ("min_words", "Minimum words in the response: enter a whole number, like 2.")]
    # Everything typed is kept, the fields found wrong included.
    assert f"{LESSON}</textarea>" in response.page
    assert box_value(response.get_data(as_text=True), "title") == "Discussion 2: Listening"
    assert box_value(response.get_data(as_text=True), "min_words") == "many"


def test_a_new_discussion_with_a_missing_prompt_and_bad_numbers_is_told_all_of_them(trainer_client):
    program = make_program(make_trainer("tess"), discussions=1, published=False)
    response = trainer_client.submit(f"/programs/{program.slug}/discussions/new", DISCUSSION)
    assert_discussion_refused_whole(response)
    assert db.session.scalar(select(func.count(Discussion.id))) == 1


def test_an_edited_discussion_with_a_missing_prompt_and_bad_numbers_is_told_all_of_them(trainer_client):
    program = make_program(make_trainer("tess"), discussions=1, published=False)
    edit = f"/programs/{program.slug}/discussions/1/edit"
    response = trainer_client.submit(edit, {**DISCUSSION, "discussion_id": str(discussion(program, 1).id)})
    assert_discussion_refused_whole(response)
    assert discussion(program, 1).prompt == "Share 3 highs and 3 lows."


def test_a_new_program_with_no_title_and_a_malformed_short_name_is_told_both(trainer_client):
    response = trainer_client.submit("/programs/new", PROGRAM)
    assert response.status_code == 200
    assert error_beside(response.page, "title") == "Give it a title."
    assert "lower-case letters" in error_beside(response.page, "slug")
    assert "Learn **together**.</textarea>" in response.page
    assert box_value(response.get_data(as_text=True), "slug") == "Not A Slug!"
    assert db.session.scalar(select(func.count(Program.id))) == 0


def test_a_program_with_no_title_and_no_short_name_is_told_of_the_title_alone(trainer_client):
    # The short name is made from the title: with neither, only the title is missing.
    response = trainer_client.submit("/programs/new", {**PROGRAM, "slug": ""})
    assert error_beside(response.page, "title") == "Give it a title."
    assert error_beside(response.page, "slug") == ""


def test_an_edited_program_is_told_a_taken_short_name_a_missing_title_and_a_settled_audience_at_once(trainer_client):
    make_program(make_trainer("tess"), title="Taken Name", discussions=1)
    program = make_program(make_trainer("tia"), title="Group Support Basics", audience="adult", discussions=1)
    enrol(make_user("ada_adult", role="listener"), program)
    response = trainer_client.submit(f"/programs/{program.slug}/edit",
                                     {**PROGRAM, "slug": "taken-name", "audience": "teen"})
    assert response.status_code == 200
    assert error_beside(response.page, "title") == "Give it a title."
    assert error_beside(response.page, "slug") == "Another program already uses that short name."
    assert error_beside(response.page, "audience").startswith("People have taken part in this program")
    assert "Learn **together**.</textarea>" in response.page
    db.session.refresh(program)
    assert (program.title, program.audience) == ("Group Support Basics", "adult")
