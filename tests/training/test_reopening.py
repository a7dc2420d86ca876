"""A trainer reopens a discussion for a trainee who has moved on: the trainee does it again
without losing the discussions they had already opened."""
import re

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models.posts import Thread
from forum.posts.visibility import visible_threads_clause
from tests.factories import make_user
from tests.search.pages import search
from tests.training.factories import (
    complete, completed_positions, discussion_path, enrol, long_response, make_program, make_trainer, reopen, reply,
    respond, response_of,
)


def started_discussion_two(program):
    """ana and ben complete discussion 1; ana responds in discussion 2 and ben replies to her."""
    ana, ben = make_user("ana", role="listener"), make_user("ben", role="listener")
    enrol(ana, program), enrol(ben, program)
    complete([ana, ben], program, 1)
    anas = respond(ana, program, 2, long_response(who="Ana"))
    reply(ben, respond(ben, program, 2, long_response(who="Ben")))
    reply(ben, anas, "Ben's periwinkle thought on what Ana wrote.")
    return ana, ben


def test_reopening_a_discussion_keeps_the_next_one_they_had_started_open(client):
    program = make_program(make_trainer(), discussions=3, peers=1)
    ana, _ = started_discussion_two(program)
    reopen(client, program, ana, 1)
    assert completed_positions(ana, program) == []

    client.login("ana")
    second = client.get(discussion_path(program, 2))
    assert second.status_code == 200
    assert "Anaword3" in second.page and "Locked" not in second.page
    listing = client.get(f"/programs/{program.slug}").page
    assert "opens when you complete “Discussion 1”" not in listing
    # Only what was open before stays open: the one after it still waits for it.
    assert "“Discussion 3” opens when you complete “Discussion 2”" in listing
    third = client.get(discussion_path(program, 3))
    assert third.status_code == 403 and "opens when you complete “Discussion 2”" in third.page
    # And the reopened one is open to be done again.
    assert "reopened this discussion for you" in client.get(discussion_path(program, 1)).page

    client.logout()
    client.login("tova")
    board = client.get(f"/programs/{program.slug}/dashboard").page
    anas_row = board[board.index("<tr id=\"trainee-", board.index('id="trainees-heading"')):].split("</tr>")[0]
    assert re.findall(r'<td class="cell-(\w+)">', anas_row) == ["current", "open", "locked"]


@pytest.mark.parametrize("reason, told, on_the_page", [
    ("Say more, please.", "for you: Say more, please. Post a new response", ": “Say more, please.” Posts written"),
    ("What will you try next week?", "for you: What will you try next week? Post a new response",
     ": “What will you try next week?” Posts written"),
    ("say more about your lows", "for you: say more about your lows. Post a new response",
     ": “say more about your lows”. Posts written"),
    ("", "reopened “Discussion 1” in “Group Support Basics” for you. Post a new response", ". Posts written"),
    # A notification keeps 300 characters: a long reason is cut, not what to do after it.
    ("Tell us more " * 20 + "then end with your lows.",
     "Tell us… Post a new response and replies to complete it again.",
     "Tell us more then end with your lows.” Posts written"),
])
def test_the_trainers_reason_reads_as_one_sentence_in_the_notice_and_on_the_discussion(
        client, reason, told, on_the_page):
    # A reason that ends a sentence itself was followed by a second full stop:
    # "for you: Say more, please.. Post a new response".
    program = make_program(make_trainer(), discussions=2, peers=1)
    ana, _ = started_discussion_two(program)
    reopen(client, program, ana, 1, reason)

    client.login("ana")
    assert told in client.get("/notifications").page
    notice = client.get(discussion_path(program, 1)).page.split("reopened this discussion for you")[1]
    assert on_the_page in " ".join(notice.split())


def test_search_lists_and_notifications_still_reach_the_discussion_they_had_started(client):
    program = make_program(make_trainer(), discussions=3, peers=1)
    ana, _ = started_discussion_two(program)
    reopen(client, program, ana, 1)

    client.login("ana")
    assert [result.title for result in search(client, "Anaword3")] == ["Discussion 2"]
    notifications = client.get("/notifications").page
    assert "Ben replied to your response in “Discussion 2”" in notifications
    opened = sorted(db.session.scalars(select(Thread.title).where(visible_threads_clause(ana))))
    assert opened == ["Discussion 1", "Discussion 2"]


def test_a_graduate_reopened_is_told_how_to_get_their_certificate_back_and_gets_it_back(client):
    program = make_program(make_trainer(), discussions=2, peers=1)
    ana, ben = make_user("ana", role="listener"), make_user("ben", role="listener")
    enrol(ana, program), enrol(ben, program)
    complete([ana, ben], program, 1)
    complete([ana, ben], program, 2)
    reopen(client, program, ana, 2)

    client.login("ana")
    waiting = client.get(f"/programs/{program.slug}/certificate")
    assert "A trainer reopened “Discussion 2” for you" in waiting.page
    assert "comes back when you complete it again" in waiting.page
    assert f'href="{discussion_path(program, 2)}">Go to “Discussion 2”' in waiting.text
    assert "ask a moderator" not in waiting.page and "Certificate of completion" not in waiting.page

    respond(ana, program, 2, long_response(who="Again"))
    reply(ana, response_of(ben, program, 2))
    back = client.get(f"/programs/{program.slug}/certificate")
    assert back.status_code == 200 and "Certificate of completion" in back.page


def test_someone_who_never_completed_the_program_is_still_refused_its_certificate(client):
    program = make_program(make_trainer(), discussions=2, peers=1)
    enrol(make_user("ana", role="listener"), program)
    client.login("ana")
    # Not a wall saying "You can't do that here ... ask a moderator": the program's page,
    # where her progress and the way on are.
    refused = client.get(f"/programs/{program.slug}/certificate")
    assert refused.status_code == 302 and refused.location == f"/programs/{program.slug}"
    page = client.get(refused.location).page
    assert "Your certificate appears once you complete every discussion" in page
    assert 'Continue with “Discussion 1”' in page
    assert "Certificate of completion" not in page and "ask a moderator" not in page


def test_done_again_the_page_points_to_where_they_carry_on_or_says_the_program_is_finished(client):
    program = make_program(make_trainer(), discussions=3, peers=1)
    ana, ben = make_user("ana", role="listener"), make_user("ben", role="listener")
    enrol(ana, program), enrol(ben, program)
    complete([ana, ben], program, 1)
    complete([ana, ben], program, 2)
    reopen(client, program, ana, 1)
    respond(ana, program, 1, long_response(who="Again"))
    reply(ana, response_of(ben, program, 1))
    assert completed_positions(ana, program) == [1, 2]

    client.login("ana")
    page = client.get(discussion_path(program, 1)).page
    assert "You completed this discussion" in page
    assert "Continue to “Discussion 3”" in page and "Continue to “Discussion 2”" not in page

    complete([ana, ben], program, 3)
    client.logout()
    reopen(client, program, ana, 2)
    respond(ana, program, 2, long_response(who="Again"))
    reply(ana, response_of(ben, program, 2))
    assert completed_positions(ana, program) == [1, 2, 3]
    client.login("ana")
    page = client.get(discussion_path(program, 2)).page
    assert "You have completed the whole program" in page and "Continue to" not in page


def test_a_graduate_completing_again_after_a_reopening_is_not_told_they_earned_the_badge_again(client):
    from forum.models.posts import Notification
    from tests.factories import make_badge
    make_badge("group-basics", "Group Basics", icon="🤝")
    program = make_program(make_trainer(), discussions=1, peers=1, awarded_badge="group-basics")
    ana, ben = make_user("ana", role="listener"), make_user("ben", role="listener")
    enrol(ana, program), enrol(ben, program)
    complete([ana, ben], program, 1)
    reopen(client, program, ana, 1)

    respond(ana, program, 1, long_response(who="Again"))
    reply(ana, response_of(ben, program, 1))
    told = [n.message for n in db.session.scalars(select(Notification).where(
        Notification.user_id == ana.id).order_by(Notification.id)) if "You completed the program" in n.message]
    assert len(told) == 2
    assert "earned the 🤝 Group Basics badge" in told[0]
    # She has held the badge since the first time: the second notice does not announce it as new.
    assert "earned" not in told[1] and "Your certificate is ready" in told[1]
