"""A teen never meets an adults' space: not in the lists, not on the front page, and an
address typed by hand answers "not found", as for something that does not exist."""
import pytest

from tests.browser.journeys import follow_menu
from tests.factories import make_user
from tests.ideas.factories import make_call, make_moderator, post_idea
from tests.mentors.factories import make_mentor
from tests.training.factories import make_program, make_trainer

pytestmark = pytest.mark.browser


@pytest.fixture
def spaces(app):
    moderator = make_moderator("moss_keeps")
    trainer = make_trainer()
    adult_program = make_program(trainer, title="Hosting Adult Evening Rooms", discussions=1, audience="adult")
    make_program(trainer, title="Listening for Everyone", discussions=1)
    teen_program = make_program(trainer, title="Study Stress Circle", discussions=1, audience="teen")
    adult_call = make_call(moderator, "Ideas for the adults' night rooms", audience="adult")
    post_idea(make_user("ada_grownup"), adult_call, "Late rooms with two hosts.")
    make_call(moderator, "Ideas for the teen lounge", audience="teen")
    make_mentor("orla_adults", headline="Adult listeners only", teens=False, adults=True)
    make_mentor("tilly_teens", age_group="teen", headline="Teen mentor")
    make_user("tia_teen", role="listener", age_group="teen")
    return {"program": adult_program, "teen_program": teen_program, "call": adult_call}


def test_a_teen_never_sees_adult_spaces(spaces, visitors, expect):
    teen = visitors.visit("tia_teen")
    main = teen.get_by_role("main")
    expect(main).to_contain_text("Study Stress Circle")
    expect(main).to_contain_text("Ideas for the teen lounge")
    for adult_thing in ("Hosting Adult Evening Rooms", "Ideas for the adults' night rooms"):
        expect(main).not_to_contain_text(adult_thing)

    follow_menu(teen, "Programs")
    expect(main).to_contain_text("Listening for Everyone")
    expect(main).to_contain_text("Study Stress Circle")
    expect(main).not_to_contain_text("Hosting Adult Evening Rooms")

    follow_menu(teen, "Ideas")
    expect(teen.get_by_role("link", name="Ideas for the teen lounge")).to_be_visible()
    expect(main).not_to_contain_text("adults' night rooms")

    follow_menu(teen, "Mentors")
    expect(teen.get_by_role("heading", name="Tilly_teens")).to_be_visible()
    expect(main).not_to_contain_text("Orla_adults")

    program = spaces["program"]
    for path in (f"/programs/{program.slug}", f"/programs/{program.slug}/discussions/1",
                 f"/ideas/{spaces['call'].id}", f"/ideas/{spaces['call'].id}/shortlist",
                 f"/threads/{spaces['call'].thread_id}", "/mentors/orla_adults"):
        response = teen.goto(path)
        assert response.status == 404, path
        expect(main).not_to_contain_text("Late rooms with two hosts.")
        expect(main).not_to_contain_text("Hosting Adult Evening Rooms")


def test_an_adult_does_not_see_teen_spaces_either(spaces, visitors, expect):
    adult = visitors.visit("ada_grownup", "/programs")
    expect(adult.get_by_role("main")).not_to_contain_text("Study Stress Circle")
    assert adult.goto(f"/programs/{spaces['teen_program'].slug}").status == 404
    adult.goto("/ideas")
    expect(adult.get_by_role("main")).not_to_contain_text("Ideas for the teen lounge")
