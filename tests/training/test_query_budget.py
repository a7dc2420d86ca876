"""The catalogue, program page, discussion page, dashboard and its CSV export run the same number of SQL
statements whether a program has a few trainees and posts or many."""
import pytest

from sqlalchemy import select

from forum.accounts.staff import award_badge, revoke_badge
from forum.extensions import db
from forum.models.accounts import User
from forum.moderation.services import change_age_group
from forum.training import services
from tests.factories import make_badge, make_user
from tests.training.factories import complete, discussion_path, enrol, make_program, make_trainer, reply, respond

PAGES = {
    "front page": lambda program: "/",
    "catalogue": lambda program: "/programs",
    "program page": lambda program: f"/programs/{program.slug}",
    "discussion page": lambda program: discussion_path(program, 1),
    "dashboard": lambda program: f"/programs/{program.slug}/dashboard",
    "CSV export": lambda program: f"/programs/{program.slug}/dashboard.csv",
}


def grow(program, trainer, first: int, count: int, badge=None):
    """Add `count` trainees who complete discussion 1 (responses, replies to each other),
    two who start discussion 2, and `count` more programs in the catalogue. `badge`: the one
    the program needs, which they are given."""
    trainees = [make_user(f"trainee{number}", role="listener") for number in range(first, first + count)]
    for trainee in trainees:
        if badge is not None:
            award_badge(trainee, badge)
        enrol(trainee, program)
    complete(trainees, program, 1)
    for trainee in trainees[:2]:
        reply(trainee, respond(trainee, program, 2))
    for number in range(first, first + count):
        make_program(trainer, title=f"Extra program {number}", discussions=1)
    return trainees


def statements(client, count_queries, path, status: int = 200) -> int:
    client.get(path)  # warm up: templates compiled, session touched
    with count_queries() as counter:
        response = client.get(path)
    assert response.status_code == status, path
    return counter.count


@pytest.mark.parametrize("page, viewer", [
    ("front page", "trainee0"), ("front page", "trainee2"), ("catalogue", "trainee0"), ("catalogue", "tova"), ("program page", "trainee0"),
    ("program page", "tova"), ("discussion page", "trainee0"), ("discussion page", "tova"), ("dashboard", "tova"),
    ("CSV export", "tova"),
])
def test_statement_count_does_not_grow_with_trainees_or_posts(app, count_queries, page, viewer):
    trainer = make_trainer()
    program = make_program(trainer, peers=2)
    grow(program, trainer, 0, 3)
    client = app.test_client()
    client.login(viewer)
    small = statements(client, count_queries, PAGES[page](program))
    grow(program, trainer, 3, 3)
    large = statements(client, count_queries, PAGES[page](program))
    assert small == large, f"{page} as {viewer}: {small} statements with 3 trainees, {large} with 6"
    assert small <= 30, f"{page} as {viewer}: {small} statements"


def test_a_locked_page_saying_what_is_left_before_it_runs_as_many_statements_however_many(app, count_queries):
    # trainee0 works on discussion 2 (replied only under their own response): discussion 3's
    # locked page says what is left there, and counts the fellows who posted and are to come.
    trainer = make_trainer()
    program = make_program(trainer, peers=2)
    grow(program, trainer, 0, 3)
    client = app.test_client()
    client.login("trainee0")
    path = discussion_path(program, 3)
    assert "so far:" in client.get(path).page
    small = statements(client, count_queries, path, status=403)
    grow(program, trainer, 3, 3)
    large = statements(client, count_queries, path, status=403)
    assert small == large, f"{small} statements with 3 trainees, {large} with 6"
    assert small <= 30


@pytest.mark.parametrize("sort", ["name", "behind", "waiting"])
def test_the_sorted_dashboard_runs_as_many_statements_however_many_trainees(app, count_queries, sort):
    trainer = make_trainer()
    program = make_program(trainer, peers=2)
    grow(program, trainer, 0, 3)
    client = app.test_client()
    client.login("tova")
    path = f"/programs/{program.slug}/dashboard?sort={sort}&who=trainee"
    small = statements(client, count_queries, path)
    grow(program, trainer, 3, 3)
    assert statements(client, count_queries, path) == small


def moved_to(age_group: str):
    def move(trainee, program):
        moderator = db.session.scalar(select(User).where(User.username == "moss")) \
            or make_user("moss", role=("listener", "moderator"))
        change_age_group(moderator, trainee, age_group, "Checked their age")
    return move


# How the program's discussions (for adults) close to a trainee, and open again.
CLOSINGS = {
    "left": (services.leave, enrol),
    "badge taken": (lambda trainee, program: revoke_badge(trainee, program.required_badge),
                    lambda trainee, program: award_badge(trainee, program.required_badge)),
    "moved to the teen group": (moved_to("teen"), moved_to("adult")),
}


@pytest.mark.parametrize("closing", CLOSINGS)
def test_the_program_page_lists_what_someone_it_closed_to_wrote_in_as_many_statements_however_much(
        app, count_queries, closing):
    close, reopen = CLOSINGS[closing]
    trainer = make_trainer()
    program = make_program(trainer, peers=2, required_badge=make_badge("group-basics", "Group Basics").slug,
                           audience="adult")
    ana, ben, cyd = grow(program, trainer, 0, 3, program.required_badge)
    close(ana, program)
    client = app.test_client()
    client.login("trainee0")
    path = f"/programs/{program.slug}"
    small = statements(client, count_queries, path)
    reopen(ana, program)
    for _ in range(3):
        reply(ana, respond(ben, program, 2))
    close(ana, program)
    large = statements(client, count_queries, path)
    assert client.get(path).get_data(as_text=True).count('id="post-') == 8
    assert small == large, f"{small} statements with ana's 5 posts, {large} with 8"
    assert small <= 30
