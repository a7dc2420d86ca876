"""A trainer changes a program people are already in: a discussion added after some
completed the program, or the discussions put in a new order while trainees are partway."""
import csv
import io
import re

from sqlalchemy import select

from forum.extensions import db
from forum.models.posts import Thread
from forum.models.training import Enrollment
from forum.posts.visibility import visible_threads_clause
from forum.training import authoring
from tests.factories import make_badge, make_user
from tests.training.factories import (
    complete, completed_positions, discussion, discussion_path, enrol, long_response, make_program, make_trainer,
    reopen, reply, respond, response_of,
)

NEW_DISCUSSION = {"title": "Discussion 4", "lesson_md": "Lesson 4.", "prompt": "Share 3 highs and 3 lows.",
                  "response_template": "", "min_words": "8", "required_peer_replies": "1", "save": "Save"}


def graduates(program):
    """ana and ben complete every discussion of `program`."""
    ana, ben = make_user("ana", display_name="Ana"), make_user("ben", display_name="Ben")
    enrol(ana, program), enrol(ben, program)
    for position in range(1, 4):
        complete([ana, ben], program, position)
    return ana, ben


def add_discussion_as_trainer(client, program, title: str = "Discussion 4"):
    client.login("tova")
    added = client.submit(f"/programs/{program.slug}/discussions/new", NEW_DISCUSSION | {"title": title})
    assert added.status_code == 302
    client.logout()


def move_down_as_trainer(client, program, position):
    client.login("tova")
    moved = client.submit(f"/programs/{program.slug}/discussions/{position}/move", {"direction": "down"})
    assert moved.status_code == 302
    client.logout()


def dashboard_cells(board: str, username: str) -> list[str]:
    """The states of `username`'s row on the trainer's dashboard, discussion by discussion."""
    row = board[board.index(f"@{username}", board.index('id="trainees-heading"')):].split("</tr>")[0]
    return re.findall(r'<td class="cell-(\w+)">', row)


def opened_titles(user) -> list[str]:
    """The discussions the SQL twin of the rule opens to `user` (lists, search)."""
    return sorted(db.session.scalars(select(Thread.title).where(visible_threads_clause(user))))


# A discussion added after someone completed the program ------------------------------------

def test_a_graduates_certificate_states_what_they_completed_when_a_discussion_is_added_later(client):
    program = make_program(make_trainer(), discussions=3, peers=1)
    ana, ben = graduates(program)
    add_discussion_as_trainer(client, program)

    client.login("ana")
    certificate = client.get(f"/programs/{program.slug}/certificate")
    assert certificate.status_code == 200
    assert "taking part in all 3 discussions" in certificate.page and "4 discussions" not in certificate.page

    # The new discussion is offered, open, without taking the completion away.
    page = client.get(f"/programs/{program.slug}").page
    assert "You completed this program" in page and "See your certificate" in page
    assert "Added since you completed the program, and open to you if you want it" in page
    assert "Locked" not in page and "opens when you complete" not in page
    assert client.get(discussion_path(program, 4)).status_code == 200
    assert opened_titles(ana) == ["Discussion 1", "Discussion 2", "Discussion 3", "Discussion 4"]

    # Taking part in it later is thanked for, and the certificate keeps its date's truth.
    complete([ana, ben], program, 4)
    assert completed_positions(ana, program) == [1, 2, 3, 4]
    assert ("You completed “Discussion 4”, added to “Group Support Basics” after you completed it"
            in client.get("/notifications").page)
    assert "taking part in all 3 discussions" in client.get(f"/programs/{program.slug}/certificate").page


def test_a_graduate_a_badge_lock_shuts_out_is_not_offered_the_discussion_added_since(client):
    program = make_program(make_trainer(), discussions=3, peers=1)
    graduates(program)
    add_discussion_as_trainer(client, program)
    make_badge("verified", "Verified Listener")
    authoring.update_program(program.created_by, program, title=program.title, slug=program.slug,
                             summary_md=program.summary_md, audience=program.audience,
                             required_badge="verified", awarded_badge="")

    client.login("ana")
    assert client.get(discussion_path(program, 4)).status_code == 403
    page = client.get(f"/programs/{program.slug}").page
    # Their completion and certificate stand; the page says why the discussions are closed, offering none.
    assert "You completed this program" in page and "See your certificate" in page
    assert ('This program now needs the <span aria-hidden="true">★</span> Verified Listener badge, '
            "which you don't hold") in page
    assert "Added since you completed the program" not in page and "open to you" not in page


def test_the_dashboard_still_shows_a_graduate_as_finished_when_a_discussion_is_added(client):
    program = make_program(make_trainer(), discussions=3, peers=1)
    graduates(program)
    enrol(make_user("cleo", display_name="Cleo"), program)
    add_discussion_as_trainer(client, program)

    client.login("tova")
    board = client.get(f"/programs/{program.slug}/dashboard").page
    assert "3 enrolled · 2 completed the program" in board
    assert "At 4. Discussion 4</a> (0)" in board and "Completed the program</a> (2)" in board
    waiting = board[board.index("Waiting longest"):board.index('id="trainees-heading"')]
    assert "Cleo" in waiting and "Ana" not in waiting and "Ben" not in waiting
    finished = client.get(f"/programs/{program.slug}/dashboard?at=finished").page.split('id="trainees-heading"')[1]
    assert "Ana" in finished and "Cleo" not in finished


def test_a_reopened_graduate_completes_again_without_the_discussions_added_since(client):
    program = make_program(make_trainer(), discussions=3, peers=1)
    ana, ben = graduates(program)
    add_discussion_as_trainer(client, program)
    add_discussion_as_trainer(client, program, "Discussion 5")
    reopen(client, program, ana, 2)

    client.login("ana")
    page = client.get(f"/programs/{program.slug}").page
    assert "You completed this program" not in page
    assert "Continue with “Discussion 2”" in page
    # What was open to them as a graduate stays open, the added discussions too.
    assert "Locked" not in page and "opens when you complete" not in page
    assert client.get(discussion_path(program, 5)).status_code == 200
    assert opened_titles(ana) == [f"Discussion {number}" for number in range(1, 6)]

    # Doing the reopened discussion again completes the program again: the added ones are
    # still offered, not asked of them.
    respond(ana, program, 2, long_response(who="Again"))
    reply(ana, response_of(ben, program, 2))
    assert completed_positions(ana, program) == [1, 2, 3]
    assert db.session.scalar(select(Enrollment.completed_at).where(Enrollment.user_id == ana.id)) is not None
    page = client.get(f"/programs/{program.slug}").page
    assert "You completed this program" in page and "Continue with" not in page
    assert "Added since you completed the program, and open to you if you want it" in page
    assert "taking part in all 3 discussions" in client.get(f"/programs/{program.slug}/certificate").page
    client.logout()

    client.login("tova")
    board = client.get(f"/programs/{program.slug}/dashboard").page
    assert "2 completed the program" in board and "Completed the program</a> (2)" in board


# A new order while trainees are partway -----------------------------------------------------

def test_a_trainee_partway_through_a_discussion_can_finish_it_after_a_reorder(client):
    program = make_program(make_trainer(), discussions=3, peers=1)
    ana, ben = make_user("ana"), make_user("ben")
    enrol(ana, program), enrol(ben, program)
    complete([ana, ben], program, 1)
    respond(ana, program, 2, long_response(who="Ana"))
    bens = respond(ben, program, 2, long_response(who="Ben"))

    move_down_as_trainer(client, program, 2)
    assert discussion(program, 3).title == "Discussion 2"

    client.login("ana")
    started = client.get(discussion_path(program, 3))
    assert started.status_code == 200 and "Anaword3" in started.page and "Benword3" in started.page
    replied = client.submit(f"/posts/{bens.id}/replies", {"body": "Thank you for this, Ben."})
    assert replied.status_code == 302
    assert completed_positions(ana, program) == [1, 3]
    listing = client.get(f"/programs/{program.slug}").page
    assert "“Discussion 2” opens when you complete" not in listing
    assert "Discussion 2" in opened_titles(ana)


def test_continue_with_leads_back_to_the_discussion_a_trainee_started_before_a_reorder(client):
    program = make_program(make_trainer(), discussions=3, peers=1)
    ana, ben = make_user("ana", display_name="Ana"), make_user("ben", display_name="Ben")
    enrol(ana, program), enrol(ben, program)
    complete([ana, ben], program, 1)
    respond(ana, program, 2, long_response(who="Ana"))
    bens = respond(ben, program, 2, long_response(who="Ben"))

    move_down_as_trainer(client, program, 2)  # "Discussion 2" is now third

    client.login("ana")
    continue_link = (f'<a class="button primary" href="{discussion_path(program, 3)}">'
                     "Continue with “Discussion 2”</a>")
    assert continue_link in client.get(f"/programs/{program.slug}").page
    client.logout()

    client.login("tova")
    board = client.get(f"/programs/{program.slug}/dashboard").page
    assert dashboard_cells(board, "ana") == ["done", "open", "current"]
    assert "At 3. Discussion 2</a> (2)" in board and "At 2. Discussion 3</a> (0)" in board
    waiting = board[board.index("Waiting longest"):board.index('id="trainees-heading"')]
    assert waiting.count("at discussion 3 (“Discussion 2”)") == 2 and "at discussion 2" not in waiting
    exported = list(csv.DictReader(io.StringIO(client.get(f"/programs/{program.slug}/dashboard.csv").get_data(
        as_text=True))))
    assert [row["current discussion"] for row in exported] == ["3", "3"]
    client.logout()

    # Once it is done they meet the new order: next comes what is now second.
    reply(ana, bens)
    assert completed_positions(ana, program) == [1, 3]
    client.login("ana")
    assert "Continue with “Discussion 3”" in client.get(f"/programs/{program.slug}").page
    assert "Next up: “Discussion 3” is open" in client.get("/notifications").page


def test_a_reorder_keeps_open_what_was_open_and_others_meet_the_new_order(client):
    program = make_program(make_trainer(), discussions=3, peers=1)
    ana, ben, cleo = make_user("ana"), make_user("ben"), make_user("cleo")
    for person in (ana, ben, cleo):
        enrol(person, program)
    complete([ana, ben], program, 1)  # discussion 2 is open to them; neither has posted in it

    move_down_as_trainer(client, program, 2)

    client.login("ana")
    assert client.get(discussion_path(program, 3)).status_code == 200  # "Discussion 2", open before
    assert client.get(discussion_path(program, 2)).status_code == 200  # "Discussion 3", next in the new order
    assert opened_titles(ana) == ["Discussion 1", "Discussion 2", "Discussion 3"]
    client.logout()

    client.login("cleo")
    later = client.get(discussion_path(program, 3))
    assert later.status_code == 403 and "“Discussion 2” opens when you complete “Discussion 3”" in later.page
    assert opened_titles(cleo) == ["Discussion 1"]
    client.logout()

    client.login("tova")
    board = client.get(f"/programs/{program.slug}/dashboard").page
    assert dashboard_cells(board, "ana") == ["done", "current", "open"]
    assert dashboard_cells(board, "cleo") == ["current", "locked", "locked"]


def test_the_order_page_tells_the_trainer_what_a_new_order_does_to_trainees(client):
    program = make_program(make_trainer(), discussions=3, published=False)
    client.login("tova")
    path = f"/programs/{program.slug}/order"
    # A draft nobody could enrol in was told "Trainees already in the program keep what they have".
    page = client.get(path).page
    assert "Trainees open them in this order." in page and "keep what they have" not in page
    authoring.set_published(program.created_by, program, True)
    enrol(make_user("ana"), program)
    page = client.get(path).page
    assert "Trainees already in the program keep what they have." in page
    assert "A discussion a trainee already has open stays open to them" in page
    assert "Nobody loses a completed discussion" in page


# A trainer eases a discussion's requirements --------------------------------------------

def test_asking_for_fewer_replies_completes_the_discussion_for_trainees_who_now_meet_it(client):
    program = make_program(make_trainer(), peers=2)
    ana, ben, cleo = (make_user(name, display_name=name.capitalize()) for name in ("ana", "ben", "cleo"))
    for trainee in (ana, ben, cleo):
        enrol(trainee, program)
    reply(ana, respond(ben, program, 1))
    respond(ana, program, 1)
    # Cleo has not responded: one reply is not all the discussion asks of her.
    reply(cleo, response_of(ben, program, 1))
    client.login("tova")
    first = discussion(program, 1)
    eased = client.submit(f"/programs/{program.slug}/discussions/1/edit", {
        "title": first.title, "lesson_md": first.lesson_md, "prompt": first.prompt,
        "response_template": first.response_template, "min_words": str(first.min_words),
        "required_peer_replies": "1", "save": "Save"})
    assert eased.status_code == 302
    client.logout()

    # Ana's response and her reply to Ben now meet it: done, and the next one is open.
    client.login("ana")
    assert completed_positions(ana, program) == [1]
    assert client.get(discussion_path(program, 2)).status_code == 200
    assert "Next up: “Discussion 2” is open" in client.get("/notifications").page
    assert completed_positions(cleo, program) == []


def test_the_order_page_of_a_program_without_discussions_offers_nothing_to_order(client):
    program = make_program(make_trainer(), discussions=0, published=False)
    client.login("tova")
    page = client.get(f"/programs/{program.slug}/order").page
    assert "from 1 to 0" not in page and "Save the order" not in page
    assert "No discussions to order yet." in page
    assert f'href="/programs/{program.slug}/discussions/new"' in page


def test_the_trainer_is_told_what_changing_a_discussions_requirements_does_to_trainees(client):
    program = make_program(make_trainer(), peers=2)
    ana, ben, cleo = (make_user(name, display_name=name.capitalize()) for name in ("ana", "ben", "cleo"))
    for trainee in (ana, ben, cleo):
        enrol(trainee, program)
    complete([ana, ben, cleo], program, 1)
    dan, eve = make_user("dan", display_name="Dan"), make_user("eve", display_name="Eve")
    enrol(dan, program), enrol(eve, program)
    # Dan responded and replied to one fellow trainee of the two asked; Eve has not started.
    respond(dan, program, 1)
    reply(dan, response_of(ana, program, 1))
    client.login("tova")
    edit = f"/programs/{program.slug}/discussions/1/edit"
    form = client.get(edit).page
    assert "Trainees who completed this discussion keep it" in form
    first = discussion(program, 1)
    fields = {"title": first.title, "lesson_md": first.lesson_md, "prompt": first.prompt,
              "response_template": first.response_template, "min_words": str(first.min_words), "save": "Save"}

    asked_more = client.submit(edit, fields | {"required_peer_replies": "3"}, follow_redirects=True)
    assert "The discussion is saved." in asked_more.page
    assert "now meet" not in asked_more.page
    eased = client.submit(edit, fields | {"required_peer_replies": "1"}, follow_redirects=True)
    assert "The discussion is saved. 1 trainee now meets what it asks and has completed it" in eased.page
    assert completed_positions(dan, program) == [1] and completed_positions(eve, program) == []


def test_easing_the_last_discussion_saves_when_a_trainee_who_now_meets_it_closed_their_account(client):
    from forum.accounts.closing import close_account
    from forum.models.accounts import UserBadge
    from tests.factories import PASSWORD, make_badge
    make_badge("group-basics", "Group Basics", icon="🤝")
    program = make_program(make_trainer(), discussions=1, peers=2, awarded_badge="group-basics")
    ana, ben, cleo = (make_user(name, display_name=name.capitalize()) for name in ("ana", "ben", "cleo"))
    for trainee in (ana, ben, cleo):
        enrol(trainee, program)
    respond(ben, program, 1), respond(cleo, program, 1)
    respond(ana, program, 1)
    reply(ana, response_of(ben, program, 1))
    # Ana leaves, her writing kept; her response and one reply now meet an easier rule.
    close_account(ana, PASSWORD, remove_writing=False)

    client.login("tova")
    first = discussion(program, 1)
    eased = client.submit(f"/programs/{program.slug}/discussions/1/edit", {
        "title": first.title, "lesson_md": first.lesson_md, "prompt": first.prompt,
        "response_template": first.response_template, "min_words": str(first.min_words),
        "required_peer_replies": "1", "save": "Save"}, follow_redirects=True)
    assert "The discussion is saved." in eased.page and "closed" not in eased.page
    assert discussion(program, 1).required_peer_replies == 1
    # Nobody is given a badge on an account nobody signs in to again.
    assert db.session.scalar(select(UserBadge).where(UserBadge.user_id == ana.id)) is None
