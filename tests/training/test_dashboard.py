"""The trainer's dashboard, CSV export, and reopening a discussion for a trainee."""
import csv
import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from forum.clock import utcnow
from forum.extensions import db
from forum.local_time import local_date
from forum.models.accounts import User
from forum.models.posts import Notification, Post
from forum.models.training import Discussion, DiscussionCompletion, DiscussionReopening, Enrollment
from forum.posts.notifications import set_email_kinds
from forum.training import services
from forum.training.discussion_authoring import update_discussion
from tests.factories import PASSWORD, make_badge, make_user
from tests.html_checks import box_value
from tests.safety.factories import suspend
from tests.spoken_text import spoken
from tests.training.factories import (
    add_discussion_later, complete, completed_positions, discussion, discussion_path, enrol, long_response,
    make_program, make_trainer, reply, respond, response_of,
)


def cohort(program):
    """ana and ben finish discussion 1, cleo has only responded, dora just enrolled."""
    people = {name: make_user(name, display_name=name.capitalize()) for name in ("ana", "ben", "cleo", "dora")}
    for person in people.values():
        enrol(person, program)
    complete([people["ana"], people["ben"]], program, 1)
    respond(people["cleo"], program, 1)
    # dora enrolled long ago and has not moved since.
    db.session.execute(update(Enrollment).where(Enrollment.user_id == people["dora"].id)
                       .values(enrolled_at=utcnow() - timedelta(days=9)))
    db.session.commit()
    return people


def test_the_dashboard_shows_states_who_waits_longest_and_the_funnel(client):
    program = make_program(make_trainer(), peers=1)
    cohort(program)
    client.login("tova")
    page = client.get(f"/programs/{program.slug}/dashboard").page
    assert "4 enrolled · 0 completed the program" in page
    assert "At 1. Discussion 1</a> (2)" in page and "At 2. Discussion 2</a> (2)" in page
    assert "response posted; no replies yet, 1 needed" in page  # cleo
    assert "no response yet; no replies yet, 1 needed" in page  # dora
    waiting = page[page.index("Waiting longest"):page.index('id="trainees-heading"')]
    assert waiting.index("Dora") < waiting.index("Cleo")
    assert "9 days ago" in waiting
    assert '<svg class="funnel" role="img"' in page
    assert "Enrolled: 4 (100%). 1. Discussion 1: 2 (50%). 2. Discussion 2: 0 (0%)." in page
    at_two = client.get(f"/programs/{program.slug}/dashboard?at=2").page
    assert "Ana" in at_two and "Dora" not in at_two.split('id="trainees-heading"')[1]



def test_a_screen_reader_hears_each_discussion_column_by_its_title_and_what_the_table_shows(client):
    program = make_program(make_trainer(), peers=1)
    cohort(program)
    client.login("tova")
    board = client.get(f"/programs/{program.slug}/dashboard").page
    table = board[board.index('<table class="table trainee-table">'):].split("</table>")[0]
    headers = [spoken(cell) for cell in re.findall(r'<th scope="col">(.*?)</th>', table, flags=re.S)]
    assert headers == ["Trainee", "1. Discussion 1", "2. Discussion 2", "3. Discussion 3"]
    assert spoken(re.search(r"<caption.*?</caption>", table, flags=re.S)[0]) == (
        "Each trainee's progress, discussion by discussion")
    # A completed discussion says so in words, not by a check mark read out as "check mark".
    ana = table[table.index(">Ana<"):].split("</tr>")[0]
    done = local_date(db.session.scalar(select(DiscussionCompletion.completed_at).limit(1)))
    assert spoken(re.search(r'<td class="cell-done">.*?</td>', ana, flags=re.S)[0]).startswith(f"completed {done}")
    at_two = client.get(f"/programs/{program.slug}/dashboard?at=2").page
    assert spoken(re.search(r"<caption.*?</caption>", at_two, flags=re.S)[0]) == (
        "Progress of the trainees at discussion 2, discussion by discussion")


def test_after_a_reopening_the_funnel_still_counts_the_trainee_as_past_that_discussion(client):
    program = make_program(make_trainer(), discussions=3, peers=1)
    ana, ben = make_user("ana", display_name="Ana"), make_user("ben", display_name="Ben")
    enrol(ana, program), enrol(ben, program)
    for position in (1, 2, 3):
        complete([ana, ben], program, position)
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.user_id == ana.id))
    client.login("tova")
    reopen = f"/programs/{program.slug}/enrollments/{enrollment.id}/discussions/{discussion(program, 2).id}/reopen"
    client.submit(reopen, {"reason": "Say more.", "confirmed": "yes"})
    page = client.get(f"/programs/{program.slug}/dashboard").page
    assert "2. Discussion 2: 2 (100%). 3. Discussion 3: 2 (100%). Completed the program: 1 (50%)." in page
    # Where trainees are still says who has it to do again.
    assert "At 2. Discussion 2</a> (1)" in page


def test_a_position_that_is_not_a_number_shows_every_trainee(client):
    program = make_program(make_trainer(), peers=1)
    cohort(program)
    client.login("tova")
    for at in ("²", "two", "-1"):
        response = client.get(f"/programs/{program.slug}/dashboard", query_string={"at": at})
        assert response.status_code == 200
        trainees = response.page.split('id="trainees-heading"')[1]
        assert "Ana" in trainees and "Dora" in trainees

def test_a_page_of_trainees_past_the_last_says_how_many_pages_there_are(client):
    program = make_program(make_trainer(), peers=1)
    cohort(program)
    client.login("tova")
    response = client.get(f"/programs/{program.slug}/dashboard?page=999&at=1")
    trainees = response.page.split('id="trainees-heading"')[1]
    assert "No trainees here yet" not in trainees
    assert "There is only 1 page:" in trainees
    assert f'<a href="/programs/{program.slug}/dashboard?page=1&amp;at=1">go to the last</a>' in response.text


def test_the_csv_export_lists_every_trainee_and_quotes_formulas(client):
    program = make_program(make_trainer(), peers=1)
    cohort(program)
    enrol(make_user("eve", display_name="=HYPERLINK(1)"), program)
    client.login("tova")
    response = client.get(f"/programs/{program.slug}/dashboard.csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert [row["username"] for row in rows] == ["dora", "ana", "ben", "cleo", "eve"]
    ana = rows[1]
    assert ana["discussions done"] == "1" and ana["current discussion"] == "2"
    # Times say they are UTC (the dashboard's own clock), not whatever zone the spreadsheet is in.
    assert ana["1. Discussion 1 completed at (UTC)"] and not ana["2. Discussion 2 completed at (UTC)"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", ana["enrolled at (UTC)"])
    assert rows[4]["display name"] == "'=HYPERLINK(1)"


def test_the_csv_export_says_it_is_utf8_so_a_spreadsheet_keeps_accented_names(client):
    # Without the byte-order mark Excel reads the file in the computer's legacy code page:
    # "Zoë" showed as "ZoÃ«" and the curly quotes of titles as "â€œ".
    program = make_program(make_trainer(), peers=1)
    enrol(make_user("zoe", display_name="Zoë, “Z”"), program)
    client.login("tova")
    data = client.get(f"/programs/{program.slug}/dashboard.csv").get_data()
    assert data.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0]["username"] == "zoe" and rows[0]["display name"] == "Zoë, “Z”"


def test_each_reopen_control_says_whose_discussion_it_reopens(client):
    # Tabbing through the table, a screen reader reads each control alone: eight times
    # "Reopen, collapsed" does not say which trainee or which discussion.
    program = make_program(make_trainer(), discussions=2, peers=1)
    ana, ben = make_user("ana", display_name="Ana"), make_user("ben", display_name="Ben")
    enrol(ana, program), enrol(ben, program)
    complete([ana, ben], program, 1)
    client.login("tova")
    page = client.get(f"/programs/{program.slug}/dashboard").page
    summaries = [re.sub(r"<[^>]+>", "", summary) for summary in re.findall(r"<summary>(.*?)</summary>", page)
                 if summary.startswith("Reopen")]
    assert sorted(summaries) == ["Reopen discussion 1 for Ana", "Reopen discussion 1 for Ben"]


def test_reopening_asks_first_saying_what_it_takes_back_and_no_keeps_the_reason(client):
    # One click took back a graduate's completion of the program, with no undo.
    program = make_program(make_trainer(), discussions=1, peers=1)
    ana, ben = make_user("ana", display_name="Ana"), make_user("ben", display_name="Ben")
    enrol(ana, program), enrol(ben, program)
    complete([ana, ben], program, 1)
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.user_id == ana.id))
    client.login("tova")
    board = f"/programs/{program.slug}/dashboard"
    question = "Reopen “Discussion 1” for Ana?"
    taken_back = "Ana's completion of the program is taken back until they complete it again."
    # Asked in a dialog (forum.js reads the form's question) or, without JavaScript, on a page of its own.
    assert f'data-confirm="{question} {taken_back}' in client.get(board).page
    path = f"/programs/{program.slug}/enrollments/{enrollment.id}/discussions/{discussion(program, 1).id}/reopen"
    asked = client.submit(path, {"reason": "Say more.", "back": f"{board}?at=finished"})
    assert asked.status_code == 200 and f"<h1>{question}</h1>" in asked.page and taken_back in asked.page
    assert 'value="Say more."' in asked.page and completed_positions(ana, program) == [1]
    # "Keep" comes back to Ana's row with the reason still in its box, the box shown.
    kept = client.submit(path, {"reason": "Say more.", "back": f"{board}?at=finished", "confirmed": "no"})
    assert kept.status_code == 302 and kept.location == f"{board}?at=finished#trainee-{enrollment.id}"
    page = client.get(kept.location).text
    box = f"reason-{enrollment.id}-{discussion(program, 1).id}"
    assert box_value(page, box) == "Say more." and '<details class="reopen" open>' in page
    assert completed_positions(ana, program) == [1]
    done = client.submit(path, {"reason": "Say more.", "confirmed": "yes"}, follow_redirects=True)
    assert "open again for Ana" in done.page and completed_positions(ana, program) == []


def test_a_trainer_reopens_a_discussion_and_only_new_posts_complete_it_again(client, mailbox):
    make_badge("basics", "Basics")
    program = make_program(make_trainer(), discussions=1, peers=1, awarded_badge="basics")
    ana, ben = make_user("ana", display_name="Ana"), make_user("ben")
    enrol(ana, program), enrol(ben, program)
    complete([ana, ben], program, 1)
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.user_id == ana.id))
    assert enrollment.completed_at is not None
    set_email_kinds(ana, {"training"})

    client.login("tova")
    path = (f"/programs/{program.slug}/enrollments/{enrollment.id}/discussions/"
            f"{discussion(program, 1).id}/reopen")
    response = client.submit(path, {"reason": "Please say more about the lows.", "confirmed": "yes"},
                             follow_redirects=True)
    assert "open again for Ana" in response.page
    assert completed_positions(ana, program) == []
    assert db.session.get(Enrollment, enrollment.id).completed_at is None
    reopening = db.session.scalar(select(DiscussionReopening))
    assert reopening.reason == "Please say more about the lows." and reopening.previously_completed_at
    told = db.session.scalar(select(Notification.message).where(
        Notification.user_id == ana.id, Notification.message.contains("reopened")))
    assert "Tova reopened “Discussion 1” in “Group Support Basics” for you: Please say more about the lows." in told
    (body,) = [body for body in mailbox.bodies_to(ana.email) if "reopened" in body]
    assert body.startswith("Tova reopened “Discussion 1” in “Group Support Basics” for you")
    again = client.submit(path, {"reason": "", "confirmed": "yes"}, follow_redirects=True)
    assert "hasn't completed “Discussion 1”" in again.page

    client.logout()
    client.login("ana")
    page = client.get(discussion_path(program, 1)).page
    assert "reopened this discussion for you" in page and "Response not posted yet" not in page
    assert f"No response since it was reopened on {local_date(reopening.reopened_at)} (8 words or more)" in page
    bens = db.session.scalar(select(DiscussionCompletion).join(Enrollment).where(Enrollment.user_id == ben.id))
    assert bens is not None  # ben's completion is untouched
    respond(ana, program, 1)
    assert completed_positions(ana, program) == []  # the old reply no longer counts
    from forum.models.posts import Post
    bens_response = db.session.scalar(select(Post).where(Post.author_id == ben.id, Post.parent_id.is_(None)))
    reply(ana, bens_response, "Coming back to this with fresh eyes.")
    assert completed_positions(ana, program) == [1]
    assert db.session.get(Enrollment, enrollment.id).completed_at is not None


def test_reopening_needs_a_trainer(client):
    program = make_program(make_trainer(), discussions=1, peers=1)
    ana, ben = make_user("ana"), make_user("ben")
    enrol(ana, program), enrol(ben, program)
    complete([ana, ben], program, 1)
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.user_id == ana.id))
    client.login("ben")
    path = f"/programs/{program.slug}/enrollments/{enrollment.id}/discussions/{discussion(program, 1).id}/reopen"
    assert client.submit(path, {}).status_code == 403
    assert completed_positions(ana, program) == [1]


def test_a_suspended_trainer_who_presses_reopen_is_told_why_on_the_dashboard(client):
    program = make_program(make_trainer(), discussions=1, peers=1)
    ana, ben = make_user("ana", display_name="Ana"), make_user("ben")
    enrol(ana, program), enrol(ben, program)
    complete([ana, ben], program, 1)
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.user_id == ana.id))
    dashboard = f"/programs/{program.slug}/dashboard"
    suspend(db.session.scalar(select(User).where(User.username == "tova")))
    client.login("tova")
    page = client.get(dashboard).page  # she still reads it, and the Reopen button is there as Publish and Move are
    path = f"/programs/{program.slug}/enrollments/{enrollment.id}/discussions/{discussion(program, 1).id}/reopen"
    assert "Reopen" in page and path in page
    response = client.submit(path, {"reason": "Please say more."})
    assert response.status_code == 302 and response.location.endswith(dashboard)
    page = client.get(dashboard).page
    assert "Your account is suspended until" in page and "Progress in “Group Support Basics”" in page
    assert completed_positions(ana, program) == [1]


def dashboard_row(board: str, name: str) -> list[str]:
    """The cells of `name`'s row in the trainees' table, as text, discussion by discussion."""
    row = board[board.index(f">{name}<", board.index('id="trainees-heading"')):].split("</tr>")[0]
    return [" ".join(re.sub(r"<[^>]+>", " ", cell).split())
            for cell in re.findall(r'<td class="cell-\w+">(.*?)</td>', row, flags=re.S)]


def test_after_a_reopening_the_dashboard_counts_only_the_posts_that_count_again(client):
    program = make_program(make_trainer(), discussions=2, peers=1)
    ana, ben = make_user("ana", display_name="Ana"), make_user("ben", display_name="Ben")
    enrol(ana, program), enrol(ben, program)
    complete([ana, ben], program, 1)
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.user_id == ana.id))
    client.login("tova")
    path = (f"/programs/{program.slug}/enrollments/{enrollment.id}/discussions/"
            f"{discussion(program, 1).id}/reopen")
    client.submit(path, {"reason": "", "confirmed": "yes"})

    # Her old response and reply no longer count, as her checklist says; the table does not
    # say she never responded, nor does the list of those waiting longest.
    reopened = local_date(db.session.scalar(select(DiscussionReopening.reopened_at)))
    board = client.get(f"/programs/{program.slug}/dashboard").page
    assert dashboard_row(board, "Ana")[0] == f"reopened on {reopened}; no response since; no replies since, 1 needed"
    waiting = " ".join(re.sub(r"<[^>]+>", " ", board.split('id="stuck-heading"')[1].split("</ol>")[0]).split())
    assert f"(“Discussion 1”): reopened on {reopened}; no response since; no replies since, 1 needed" in waiting
    respond(ana, program, 1)
    board = client.get(f"/programs/{program.slug}/dashboard").page
    assert dashboard_row(board, "Ana")[0] == f"reopened on {reopened}; response posted; no replies since, 1 needed"
    # Ben, who was not reopened, keeps his.
    assert dashboard_row(board, "Ben")[0].startswith("✓")


def test_a_response_short_of_a_raised_word_count_is_shown_as_such_as_on_the_trainees_checklist(client):
    tova = make_trainer()
    program = make_program(tova, peers=1, min_words=8)
    ana = make_user("ana", display_name="Ana")
    enrol(ana, program)
    respond(ana, program, 1, "One calm voice can change how the whole room feels.")
    first = discussion(program, 1)
    # The trainer asks for more words once Ana has responded.
    update_discussion(tova, first, title=first.title, lesson_md=first.lesson_md, prompt=first.prompt,
                      response_template=first.response_template, min_words="20",
                      required_peer_replies=str(first.required_peer_replies), post_first=first.post_first)
    client.login("tova")
    board = client.get(f"/programs/{program.slug}/dashboard").page
    assert dashboard_row(board, "Ana")[0] == "response too short (10 of 20 words); no replies yet, 1 needed"
    client.logout()
    client.login("ana")
    assert "Response posted, but it has 10 words of your own; 20 needed" in client.get(discussion_path(program, 1)).page


def test_the_trainees_table_words_the_replies_for_none_one_and_many(client):
    program = make_program(make_trainer(), peers=2)
    ana, ben, cleo = (make_user(name, display_name=name.capitalize()) for name in ("ana", "ben", "cleo"))
    for trainee in (ana, ben, cleo):
        enrol(trainee, program)
    responses = {trainee.username: respond(trainee, program, 1) for trainee in (ana, ben, cleo)}
    reply(ben, responses["ana"])
    reply(cleo, responses["ana"]), reply(cleo, responses["ben"])
    client.login("tova")

    board = client.get(f"/programs/{program.slug}/dashboard").page

    assert dashboard_row(board, "Ana")[0] == "response posted; no replies yet, 2 needed"
    assert dashboard_row(board, "Ben")[0] == "response posted; 1 of 2 replies"
    assert dashboard_row(board, "Cleo")[0].startswith("✓")


def test_the_trainees_table_words_one_reply_asked_as_one_reply(client):
    tova = make_trainer()
    program = make_program(tova, peers=1, min_words=8)
    ana, ben = make_user("ana", display_name="Ana"), make_user("ben", display_name="Ben")
    enrol(ana, program), enrol(ben, program)
    bens = respond(ben, program, 1, long_response(30))
    respond(ana, program, 1, "One calm voice can change how the whole room feels.")
    first = discussion(program, 1)
    # The trainer asks for more words once Ana has responded; then she replies.
    update_discussion(tova, first, title=first.title, lesson_md=first.lesson_md, prompt=first.prompt,
                      response_template=first.response_template, min_words="20",
                      required_peer_replies=str(first.required_peer_replies), post_first=first.post_first)
    reply(ana, bens)
    client.login("tova")

    board = client.get(f"/programs/{program.slug}/dashboard").page

    assert dashboard_row(board, "Ana")[0] == "response too short (10 of 20 words); 1 of 1 reply"
    assert dashboard_row(board, "Ben")[0] == "response posted; no replies yet, 1 needed"


def test_the_trainees_table_words_one_word_asked_as_one_word(client):
    tova = make_trainer()
    program = make_program(tova, peers=1, min_words=1)
    ana = make_user("ana", display_name="Ana")
    enrol(ana, program)
    respond(ana, program, 1, "Breathing slowly helps.")
    first = discussion(program, 1)
    # The trainer's new template holds her one line, so none of its words are her own now.
    update_discussion(tova, first, title=first.title, lesson_md=first.lesson_md, prompt=first.prompt,
                      response_template="Breathing slowly helps.", min_words="1",
                      required_peer_replies=str(first.required_peer_replies), post_first=first.post_first)
    client.login("tova")

    board = client.get(f"/programs/{program.slug}/dashboard").page

    assert dashboard_row(board, "Ana")[0] == "response too short (0 of 1 word); no replies yet, 1 needed"


def test_a_response_edited_up_to_a_raised_word_count_completes_the_discussion(client):
    tova = make_trainer()
    program = make_program(tova, peers=1, min_words=8)
    ana, ben = make_user("ana", display_name="Ana"), make_user("ben", display_name="Ben")
    enrol(ana, program), enrol(ben, program)
    short = respond(ana, program, 1, "One calm voice can change how the whole room feels.")
    first = discussion(program, 1)
    update_discussion(tova, first, title=first.title, lesson_md=first.lesson_md, prompt=first.prompt,
                      response_template=first.response_template, min_words="20",
                      required_peer_replies=str(first.required_peer_replies), post_first=first.post_first)
    reply(ana, respond(ben, program, 1, long_response(25)))
    # Her checklist asks for 20 words: she adds them to the response she posted.
    client.login("ana")
    edited = client.submit(f"/posts/{short.id}/edit", {"body": short.body_md + " When someone new arrives, "
                           "I greet them by name and ask what brought them here today."})
    assert edited.status_code == 302
    assert completed_positions(ana, program) == [1]
    assert "✓</span> You completed this discussion" in client.get(discussion_path(program, 1)).page
    assert client.get(discussion_path(program, 2)).status_code == 200


def test_a_discussion_asking_more_replies_than_fellow_trainees_enrolled_is_named_on_the_trainers_pages(client):
    program = make_program(make_trainer(), discussions=3, peers=2)
    for name in ("ana", "ben", "cleo"):
        enrol(make_user(name), program)
    db.session.execute(update(Discussion).where(Discussion.id == discussion(program, 2).id)
                       .values(required_peer_replies=3))
    db.session.commit()
    warning = ("“Discussion 2” asks each trainee to reply to 3 different fellow trainees, but only 3 trainees are "
               "enrolled, so each has 2 others to reply to: nobody can complete it from now on until more "
               "trainees enrol or it asks for fewer replies.")
    client.login("tova")
    board = " ".join(client.get(f"/programs/{program.slug}/dashboard").page.split())
    assert warning in board and board.count("asks each trainee to reply to") == 1
    items = " ".join(client.get(f"/programs/{program.slug}").page.split()).split('class="card discussion-item')
    assert [warning in item for item in items[1:]] == [False, True, False]
    client.logout()
    client.login("ana")  # a trainee reads what is asked, not the trainers' warning
    assert "asks each trainee to reply to" not in client.get(f"/programs/{program.slug}").page


def test_the_trainers_warning_leaves_out_graduates_a_discussion_added_later_is_not_asked_of(client):
    # Ana and Ben completed the program before discussion 2 came: only Cleo is asked it.
    program = make_program(make_trainer(), discussions=1, peers=1)
    ana, ben, cleo = (make_user(name) for name in ("ana", "ben", "cleo"))
    enrol(ana, program), enrol(ben, program)
    complete([ana, ben], program, 1)
    add_discussion_later(program, peers=1)
    enrol(cleo, program)
    client.login("tova")
    board = " ".join(client.get(f"/programs/{program.slug}/dashboard").page.split())
    assert ("“Discussion 2” asks each trainee to reply to a fellow trainee, but only 3 trainees are enrolled, "
            "2 of whom completed the program before it was added and have not responded there, so there is "
            "nobody else to reply to: nobody can complete it from now on") in board
    respond(ana, program, 2)  # offered to her, and answered: Cleo can reply to her
    assert "asks each trainee to reply to" not in client.get(f"/programs/{program.slug}/dashboard").page


def test_the_trainers_warning_counts_the_responses_of_those_who_left_as_replies_to_them_still_count(client):
    # Cleo responded to discussion 1 and left: ana and ben each have two fellows to reply to there.
    program = make_program(make_trainer(), discussions=2, peers=2)
    ana, ben, cleo = (make_user(name) for name in ("ana", "ben", "cleo"))
    for trainee in (ana, ben, cleo):
        enrol(trainee, program)
    respond(cleo, program, 1)
    services.leave(cleo, program)
    second = ("“Discussion 2” asks each trainee to reply to 2 different fellow trainees, but only 2 trainees are "
              "enrolled, so each has 1 other to reply to: nobody can complete it from now on")
    client.login("tova")
    board = " ".join(client.get(f"/programs/{program.slug}/dashboard").page.split())
    assert second in board and board.count("asks each trainee to reply to") == 1
    items = " ".join(client.get(f"/programs/{program.slug}").page.split()).split('class="card discussion-item')
    assert ["asks each trainee to reply to" in item for item in items[1:]] == [False, True]
    three = update(Discussion).where(Discussion.id == discussion(program, 1).id).values(required_peer_replies=3)
    db.session.execute(three)
    db.session.commit()
    board = " ".join(client.get(f"/programs/{program.slug}/dashboard").page.split())
    assert ("“Discussion 1” asks each trainee to reply to 3 different fellow trainees, but only 2 trainees are "
            "enrolled and 1 who left has a response there, so each has 2 others to reply to") in board
    db.session.execute(three.values(required_peer_replies=2))
    db.session.commit()
    # Nothing held them up: discussion 1 completes with replies to ben and to cleo, who left.
    complete([ana, ben], program, 1)
    for trainee in (ana, ben):
        reply(trainee, response_of(cleo, program, 1))
    assert completed_positions(ana, program) == completed_positions(ben, program) == [1]


def test_a_program_nobody_has_enrolled_in_does_not_say_every_trainee_has_finished(client):
    program = make_program(make_trainer())
    client.login("tova")
    board = client.get(f"/programs/{program.slug}/dashboard").page
    waiting = board[board.index("Waiting longest"):board.index('id="trainees-heading"')]
    assert "every trainee has finished" not in waiting
    assert "Nobody has enrolled yet." in waiting


def test_someone_who_closed_their_account_is_not_among_those_waiting(client):
    program = make_program(make_trainer(), peers=1)
    cohort(program)
    client.login("dora")
    client.submit("/settings/close", {"writing": "keep", "password": PASSWORD, "understood": "y"})

    client.login("tova")
    page = client.get(f"/programs/{program.slug}/dashboard").page

    waiting = page[page.index("Waiting longest"):page.index('id="trainees-heading"')]
    assert "Cleo" in waiting and "Former member" not in waiting and "9 days ago" not in waiting
    assert "4 enrolled" in page  # the funnel is the program's history: she did enrol


def test_a_reopening_brings_the_trainer_back_to_the_filtered_dashboard_they_left(client):
    program = make_program(make_trainer(), discussions=3, peers=1)
    ana, ben = make_user("ana", display_name="Ana"), make_user("ben", display_name="Ben")
    enrol(ana, program), enrol(ben, program)
    complete([ana, ben], program, 1)
    client.login("tova")
    filtered = f"/programs/{program.slug}/dashboard?at=2"
    page = client.get(filtered).text
    form = re.search(r'<form method="post" action="([^"]+/reopen)"[^>]*>(.*?)</form>', page, re.S)
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form.group(2)))
    response = client.post(form.group(1), data={**fields, "reason": "Say more.", "confirmed": "yes"})
    # At the trainee's row: on a phone the table sits below the funnel and the waiting
    # list, a long scroll from the top of the page it came back to.
    row = "trainee-" + re.search(r"/enrollments/(\d+)/", form.group(1)).group(1)
    assert response.status_code == 302 and response.headers["Location"] == f"{filtered}#{row}"
    assert f'<tr id="{row}">' in client.get(f"/programs/{program.slug}/dashboard").text
    # Only this program's dashboard is a place to go back to.
    for elsewhere in ("https://example.com/", "//example.com/x", "/programs/other/dashboard?at=2"):
        response = client.post(form.group(1),
                               data={**fields, "back": elsewhere, "reason": "Again.", "confirmed": "yes"})
        assert response.headers["Location"] == f"/programs/{program.slug}/dashboard"


def test_those_waiting_longest_are_shown_with_what_they_still_need_to_do(client):
    program = make_program(make_trainer(), peers=2)
    early = [make_user(f"early{n}", display_name=f"Early {n}") for n in range(3)]
    for person in early:
        enrol(person, program)
    complete(early, program, 1)
    stuck = make_user("sam", display_name="Sam")
    enrol(stuck, program)
    respond(stuck, program, 1)
    reply(stuck, db.session.scalar(select(Post).where(
        Post.thread_id == discussion(program, 1).thread_id, Post.author_id == early[1].id, Post.parent_id.is_(None))))
    db.session.execute(update(Enrollment).where(Enrollment.user_id == stuck.id)
                       .values(enrolled_at=utcnow() - timedelta(days=20)))
    db.session.commit()
    client.login("tova")
    page = " ".join(client.get(f"/programs/{program.slug}/dashboard").page.split())
    waiting = page[page.index("Waiting longest"):page.index('id="trainees-heading"')]
    sam = waiting[waiting.index("Sam"):].split("</li>")[0]
    assert "at discussion 1 (“Discussion 1”): response posted; 1 of 2 replies" in sam
    assert "20 days ago" in sam


def test_a_trainer_finds_one_trainee_among_many_by_name(client):
    # Sixty trainees fill three pages in the order they enrolled: Ana is on none in particular.
    program = make_program(make_trainer(), peers=1)
    for number in range(60):
        enrol(make_user(f"trainee{number:02d}", display_name=f"Trainee {number:02d}"), program)
    ana = make_user("ana_b", display_name="Ana Bell")
    enrol(ana, program)
    respond(ana, program, 1)
    client.login("tova")
    path = f"/programs/{program.slug}/dashboard"

    found = client.get(path, query_string={"who": "bell"}).page
    trainees = found.split('id="trainees-heading"')[1]
    assert "Ana Bell" in trainees and "Trainee 00" not in trainees
    assert 'value="bell"' in found  # the box keeps what was typed
    assert "1 trainee matches “bell”." in found
    by_username = client.get(path, query_string={"who": "@ana_b", "at": "1"}).page.split('id="trainees-heading"')[1]
    assert "Ana Bell" in by_username
    # Among the trainees at discussion 1 only, as the filter above the table says.
    nobody = client.get(path, query_string={"who": "bell", "at": "finished"}).page
    assert "No trainee matches “bell” here." in nobody
    several = client.get(path, query_string={"who": "trainee 0"}).page
    assert "10 trainees match “trainee 0”." in several
    # Pages of a search keep it.
    many = client.get(path, query_string={"who": "trainee"}).text
    assert f'href="{path}?page=2&amp;who=trainee"' in many


@pytest.mark.parametrize("typed", ["Élodie", "élodie", "ÉLODIE", "Ömer"])
def test_a_trainee_whose_name_begins_with_an_accented_capital_is_found_as_it_is_written(client, typed):
    # SQLite's lower() folds English letters only: "Élodie", typed just as the table shows
    # it, matched nobody.
    program = make_program(make_trainer(), peers=1)
    for username, name in (("elodie", "Élodie Martin"), ("omer", "Ömer Yılmaz"), ("ben", "Ben Ray")):
        enrol(make_user(username, display_name=name), program)
    client.login("tova")

    found = client.get(f"/programs/{program.slug}/dashboard", query_string={"who": typed}).page
    trainees = found.split('id="trainees-heading"')[1]
    expected = "Ömer Yılmaz" if typed == "Ömer" else "Élodie Martin"
    assert f"1 trainee matches “{typed}”." in found
    assert expected in trainees and "Ben Ray" not in trainees


def test_the_csv_export_says_in_words_what_each_trainee_still_lacks_where_they_are(client):
    tova = make_trainer()
    program = make_program(tova, discussions=2, peers=2, min_words=8)
    ana, ben, cleo, dora, eve = (make_user(name, display_name=name.capitalize())
                                 for name in ("ana", "ben", "cleo", "dora", "eve"))
    for trainee in (ana, ben, cleo, dora, eve):
        enrol(trainee, program)
    complete([ana, ben, cleo], program, 1)  # each replied to the two others: all at discussion 2
    complete([ana, ben, cleo], program, 2)  # and finished the program
    respond(dora, program, 1, "One calm voice can change how the whole room feels.")
    reply(dora, db.session.scalar(select(Post).where(
        Post.thread_id == discussion(program, 1).thread_id, Post.author_id == ana.id, Post.parent_id.is_(None))))
    first = discussion(program, 1)
    # The trainer asks for more words once Dora has responded (10 words of her own).
    update_discussion(tova, first, title=first.title, lesson_md=first.lesson_md, prompt=first.prompt,
                      response_template=first.response_template, min_words="12",
                      required_peer_replies=str(first.required_peer_replies), post_first=first.post_first)
    client.login("tova")
    rows = {row["username"]: row for row in csv.DictReader(io.StringIO(
        client.get(f"/programs/{program.slug}/dashboard.csv").get_data().decode("utf-8-sig")))}
    assert rows["eve"]["still missing"] == "a response of at least 12 words and replies to 2 different fellow trainees"
    assert rows["dora"]["still missing"] == "2 more words in their response (10 of 12) and a reply to 1 more fellow trainee"
    assert rows["ana"]["still missing"] == "nothing: they completed the program"


def table_order(page: str, names) -> list[str]:
    """The `names` in the order the trainees' table lists them."""
    table = page.split('id="trainees-heading"')[1]
    return sorted(names, key=lambda name: table.index(f">{name}<"))


def sorting_cohort(program):
    """Ana enrolled 40 days ago and finished discussion 1 30 days ago; Ben finished it just
    now; Cleo has only responded; Dora enrolled 9 days ago and has not moved."""
    people = {name: make_user(name, display_name=name.capitalize()) for name in ("ana", "ben", "cleo", "dora")}
    for person in people.values():
        enrol(person, program)
    respond(people["cleo"], program, 1)
    complete([people["ana"], people["ben"]], program, 1)
    ana, dora = (db.session.scalar(select(Enrollment).where(Enrollment.user_id == people[name].id))
                 for name in ("ana", "dora"))
    ana.enrolled_at, dora.enrolled_at = utcnow() - timedelta(days=40), utcnow() - timedelta(days=9)
    db.session.execute(update(DiscussionCompletion).where(DiscussionCompletion.enrollment_id == ana.id)
                       .values(completed_at=utcnow() - timedelta(days=30)))
    db.session.commit()
    return people


@pytest.mark.parametrize("sort, order", [
    (None, ["Ana", "Dora", "Ben", "Cleo"]),  # the order they enrolled in
    ("enrolled", ["Ana", "Dora", "Ben", "Cleo"]),
    ("name", ["Ana", "Ben", "Cleo", "Dora"]),
    # Those on the earliest discussion first; at the same one, who has waited longest there.
    ("behind", ["Dora", "Cleo", "Ana", "Ben"]),
    ("waiting", ["Ana", "Dora", "Cleo", "Ben"]),
    ("nonsense", ["Ana", "Dora", "Ben", "Cleo"]),
])
def test_a_trainer_sorts_the_trainees(client, sort, order):
    program = make_program(make_trainer(), peers=1)
    sorting_cohort(program)
    client.login("tova")
    response = client.get(f"/programs/{program.slug}/dashboard", query_string={"sort": sort} if sort else {})
    assert response.status_code == 200
    assert table_order(response.page, ["Ana", "Ben", "Cleo", "Dora"]) == order
    chosen = sort if sort in ("enrolled", "name", "behind", "waiting") else "enrolled"
    assert re.search(rf'<option value="{chosen}" selected>', response.text)


def test_the_sort_is_kept_across_pages_filters_and_finding_a_trainee(client):
    program = make_program(make_trainer(), peers=1)
    # 26 trainees enrolled from Zed back to Ada: by name, Zed is alone on page 2.
    for number in range(26):
        letter = chr(ord("Z") - number)
        enrol(make_user(f"{letter.lower()}trainee", display_name=f"{letter}{letter.lower()}d Trainee"), program)
    client.login("tova")
    path = f"/programs/{program.slug}/dashboard"
    first = client.get(path, query_string={"sort": "name"})
    assert f'href="{path}?page=2&amp;sort=name"' in first.text
    second = client.get(path, query_string={"sort": "name", "page": 2}).page.split('id="trainees-heading"')[1]
    assert "Zzd Trainee" in second and "Aad Trainee" not in second
    # The links to where trainees are keep the sort, and so does finding one by name.
    assert f'href="{path}?at=1&amp;sort=name"' in first.text
    found = client.get(path, query_string={"sort": "name", "who": "trainee"})
    assert f'href="{path}?page=2&amp;sort=name&amp;who=trainee"' in found.text
    assert '<option value="name" selected>' in found.text
    assert "Zzd Trainee" not in found.page.split('id="trainees-heading"')[1]


@pytest.mark.parametrize("sort", ["behind", "waiting"])
def test_those_who_completed_the_program_come_last_when_sorted_by_who_is_behind_or_waiting(client, sort):
    program = make_program(make_trainer(), discussions=1, peers=1)
    ana, ben, cleo = (make_user(name, display_name=name.capitalize()) for name in ("ana", "ben", "cleo"))
    enrol(ana, program), enrol(ben, program)
    complete([ana, ben], program, 1)  # they completed the program long ago
    db.session.execute(update(Enrollment).where(Enrollment.user_id.in_([ana.id, ben.id]))
                       .values(enrolled_at=utcnow() - timedelta(days=60), completed_at=utcnow() - timedelta(days=50)))
    db.session.execute(update(DiscussionCompletion).values(completed_at=utcnow() - timedelta(days=50)))
    enrol(cleo, program)
    db.session.commit()
    client.login("tova")
    page = client.get(f"/programs/{program.slug}/dashboard", query_string={"sort": sort}).page
    assert table_order(page, ["Ana", "Ben", "Cleo"])[0] == "Cleo"
