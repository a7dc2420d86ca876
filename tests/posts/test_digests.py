"""One email a day: a member who chooses it gets their unread notifications together, once.

Ana, active in a busy idea thread, had an email for every reply and mention. She chooses
"Together, in one email a day"; the operator runs `flask --app forum send-digests` from cron.
"""
import re
from datetime import timedelta
from email.header import decode_header, make_header
from urllib.parse import urlsplit

import pytest
from sqlalchemy import event, func, insert, select

from forum.clock import utcnow
from forum.extensions import db
from forum.models.accounts import User
from forum.models.posts import Notification
from forum.posts.digests import send_digests
from forum.posts.notifications import email_kinds, set_email_kinds
from forum.posts.services import edit_post, hide_post, toggle_reaction
from tests.factories import make_post, make_thread, make_user
from tests.safety.factories import make_block, make_flag, make_moderator

ANA = "ana@example.org"


@pytest.fixture
def ana(app, client):
    ana = make_user("ana")
    client.login("ana")
    client.submit("/settings/notifications",
                  {"email_mention": "y", "email_reply": "y", "email_reaction": "y", "delivery": "daily"})
    client.logout()
    return ana


def run(runner) -> str:
    result = runner.invoke(args=["send-digests"])
    assert result.exit_code == 0, result.output
    return result.output


def subject(mail) -> str:
    return str(make_header(decode_header(mail["Subject"])))


def body(mail) -> str:
    return mail.get_payload(decode=True).decode().replace("\r\n", "\n")


def mails_to_ana(mailbox):
    return [message for message in mailbox.messages if message["To"] == ANA]


def three_notifications(ana):
    ben, cleo = make_user("ben"), make_user("cleo")
    thread = make_thread("Evening circle")
    mine = make_post(ana, thread, "I find evenings hardest.")
    make_post(ben, thread, "Same here, the quiet gets loud.", parent=mine)
    make_post(cleo, make_thread("Mentor ideas"), "what do you think, @ana?")
    toggle_reaction(ben, mine, "hug")
    return ben, cleo, mine


def test_a_days_notifications_come_in_one_email_naming_each(ana, runner, mailbox):
    three_notifications(ana)
    assert mails_to_ana(mailbox) == []  # not one by one any more

    assert run(runner) == "1 daily email sent.\n"

    (mail,) = mails_to_ana(mailbox)
    text = body(mail)
    assert subject(mail) == "3 new notifications: Ben replied to your post in “Evening circle”, and more"
    assert "3 new notifications since you chose one email a day:" in text
    # Each under what kind it is, with who, where, and a link that marks it read.
    for kind, message in [("Someone replies to your post", "Ben replied to your post in “Evening circle”"),
                          ("Someone @mentions or quotes you", "Cleo mentioned you in “Mentor ideas”"),
                          ("People react to your post", "Ben reacted to your post in “Evening circle”")]:
        assert re.search(rf"{kind}\n- {message}\n  http://127\.0\.0\.1:5000/\S+\?notification=\d+\n", text), message
    assert mail["List-Unsubscribe"].startswith("<http://127.0.0.1:5000/email/stop/")


def test_following_a_link_in_the_daily_email_reads_that_notification(ana, client, runner, mailbox):
    three_notifications(ana)
    run(runner)
    (mail,) = mails_to_ana(mailbox)
    link = urlsplit(re.search(r"http://\S+\?notification=\d+", body(mail)).group(0))
    note_id = int(link.query.removeprefix("notification="))
    client.login("ana")
    client.get(f"{link.path}?{link.query}")
    db.session.expire_all()
    assert db.session.get(Notification, note_id).read_at is not None


def test_nothing_new_sends_no_email(app, client, runner, mailbox):
    make_user("ana")
    # Told before she chose a daily email (when she chose no email): no daily news.
    make_post(make_user("ben"), make_thread("Before"), "hello @ana")
    client.login("ana")
    client.submit("/settings/notifications", {"email_mention": "y", "delivery": "daily"})

    assert run(runner) == "0 daily emails sent.\n"
    assert mails_to_ana(mailbox) == []


def test_run_twice_sends_one_email_and_the_next_day_only_whats_new(ana, runner, mailbox):
    ben, _, mine = three_notifications(ana)
    run(runner)
    assert run(runner) == "0 daily emails sent.\n"
    assert len(mails_to_ana(mailbox)) == 1

    # Something new the same evening waits for the next day: one email a day.
    make_post(ben, mine.thread, "And mornings?", parent=mine)
    assert run(runner) == "0 daily emails sent.\n"
    assert len(mails_to_ana(mailbox)) == 1

    mailbox.clear()
    assert send_digests(utcnow() + timedelta(hours=24)) == (1, 0)
    (mail,) = mails_to_ana(mailbox)
    assert "1 new notification since yesterday’s email:" in body(mail)
    assert body(mail).count("\n- ") == 1  # only the new reply, not yesterday's three again
    assert subject(mail) == "Ben replied to your post in “Evening circle”"


def test_two_servers_running_it_at_the_same_moment_send_one_email(ana, make_app, runner, mailbox):
    three_notifications(ana)
    other_server = make_app()
    ran = []

    def other_server_runs_first(conn, cursor, statement, parameters, context, executemany):
        # Just as this run claims Ana's email, another server's cron runs the whole command.
        if statement.startswith("UPDATE email_digests") and not ran:
            ran.append("running")
            with other_server.app_context():  # its own session and connection, as on another host
                ran[0] = other_server.test_cli_runner().invoke(args=["send-digests"]).output

    event.listen(db.engine, "before_cursor_execute", other_server_runs_first)
    try:
        output = run(runner)
    finally:
        event.remove(db.engine, "before_cursor_execute", other_server_runs_first)

    assert ran == ["1 daily email sent.\n"]
    assert output == "0 daily emails sent.\n"
    assert len(mails_to_ana(mailbox)) == 1


def test_what_was_taken_back_or_hidden_before_the_email_is_left_out(ana, runner, mailbox):
    ben, cleo, dara = make_user("ben"), make_user("cleo"), make_user("dara")
    thread = make_thread("Evening circle")
    mine = make_post(ana, thread, "I find evenings hardest.")
    make_post(ben, thread, "Same here, the quiet gets loud.", parent=mine)
    mention = make_post(cleo, make_thread("Mentor ideas"), "what do you think, @ana?")
    edit_post(cleo, mention, "what do you think, everyone?")  # the @mention taken back
    unkind = make_post(dara, thread, "Evenings are easy, try harder.", parent=mine)
    hide_post(make_moderator(), unkind, "Unkind")
    toggle_reaction(ben, mine, "hug")
    toggle_reaction(ben, mine, "hug")  # and the hug

    run(runner)

    (mail,) = mails_to_ana(mailbox)
    text = body(mail)
    assert "1 new notification" in text and "Ben replied to your post in “Evening circle”" in text
    assert "Cleo" not in text and "Dara" not in text and "reacted" not in text


def test_someone_blocked_before_the_email_is_not_in_it(ana, runner, mailbox):
    ben, cleo, mine = three_notifications(ana)
    make_block(ana, cleo)
    run(runner)
    text = body(mails_to_ana(mailbox)[0])
    assert "Cleo" not in text and "2 new notifications" in text


def test_read_notifications_are_not_emailed(ana, client, runner, mailbox):
    three_notifications(ana)
    client.login("ana")
    client.submit("/notifications/read-all")
    assert run(runner) == "0 daily emails sent.\n"
    assert mails_to_ana(mailbox) == []


def test_the_stop_link_in_a_daily_email_stops_the_daily_email(ana, client, runner, mailbox):
    ben, _, mine = three_notifications(ana)
    run(runner)
    (mail,) = mails_to_ana(mailbox)
    (stop,) = [url for url in re.findall(r"http://\S+", body(mail)) if "/email/stop/" in url]
    assert mail["List-Unsubscribe"] == f"<{stop}>"
    path = urlsplit(stop).path

    asked = client.get(path)
    assert "Stop your daily email?" in asked.page
    assert email_kinds(ana) == {"mention", "reply", "reaction"}  # opening it stops nothing
    done = client.submit(path, follow_redirects=True)
    assert "You'll get no more daily emails." in done.page
    assert email_kinds(ana) == set()

    mailbox.clear()
    make_post(ben, mine.thread, "And mornings?", parent=mine)
    assert send_digests(utcnow() + timedelta(days=2)) == (0, 0)
    assert mails_to_ana(mailbox) == []  # neither a daily email nor one each
    assert "No daily email" in client.get(path).page


def test_a_mail_apps_one_click_unsubscribe_stops_the_daily_email(ana, app, runner, mailbox):
    three_notifications(ana)
    run(runner)
    (mail,) = mails_to_ana(mailbox)
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = urlsplit(mail["List-Unsubscribe"].strip("<>")).path

    done = app.test_client().post(path, data={"List-Unsubscribe": "One-Click"})  # the provider: no cookies
    assert done.status_code == 200
    assert email_kinds(ana) == set()


def checked_delivery(page: str) -> str:
    (value,) = re.findall(r'<input checked[^>]*name="delivery"[^>]*value="(\w+)"', page)
    return value


def test_choosing_the_daily_email_is_kept_and_each_as_it_happens_stays_the_default(app, client, mailbox):
    make_user("ana")
    cleo = make_user("cleo")
    client.login("ana")
    assert checked_delivery(client.get("/settings/notifications").page) == "each"
    client.submit("/settings/notifications", {"email_mention": "y", "delivery": "daily"})
    assert checked_delivery(client.get("/settings/notifications").page) == "daily"
    make_post(cleo, make_thread("Daily"), "@ana, hello")
    assert mails_to_ana(mailbox) == []

    client.submit("/settings/notifications", {"email_mention": "y", "delivery": "each"})
    make_post(cleo, make_thread("Back to each"), "@ana, hello again")
    (mail,) = mails_to_ana(mailbox)  # one by one again, at once
    assert subject(mail) == "Cleo mentioned you in “Back to each”"


def test_a_flag_saying_someone_may_be_in_danger_still_comes_at_once(client, runner, mailbox):
    make_moderator("moss")
    pebble = make_user("pebble")
    client.login("moss")
    settings = client.get("/settings/notifications").page
    assert "Whichever you choose, these come at once: “A flag says someone may be in danger" in settings
    client.submit("/settings/notifications", {"email_urgent_flag": "y", "email_reply": "y", "delivery": "daily"})

    make_flag(pebble, make_post(make_user("ana"), make_thread("Tonight"), "I can't go on."), urgent=True)

    (mail,) = [message for message in mailbox.messages if message["To"] == "moss@example.org"]
    assert "may be in danger" in subject(mail)
    assert run(runner) == "0 daily emails sent.\n"  # and not told again in the daily email


def test_a_mail_server_that_is_down_stops_the_run_says_so_and_the_next_run_sends_the_emails(
        ana, make_app, runner, mailbox, broken_server):
    # It said "0 daily emails sent." and exited 0, so cron saw nothing wrong, having marked
    # every member's notifications told and their email sent: nobody had that day's email,
    # nor the next day's, and each member cost a new connection to the dead server.
    bea = make_user("bea")
    set_email_kinds(bea, ["reply"], daily=True)
    three_notifications(ana)
    mornings = make_thread("Mornings")
    make_post(make_user("dara"), mornings, "Same.", parent=make_post(bea, mornings, "Up early."))
    down = make_app(MAIL_PORT=broken_server.port)
    with down.app_context():
        result = down.test_cli_runner().invoke(args=["send-digests"])

    assert result.exit_code == 1
    assert ("The mail server failed, so the run stopped: 2 members still to email get their daily "
            "email at the next run.") in result.output
    assert broken_server.connections == 1  # not knocked on once for every member
    assert mailbox.messages == []

    assert run(runner) == "2 daily emails sent.\n"
    assert "3 new notifications since you chose one email a day:" in body(mails_to_ana(mailbox)[0])
    (to_bea,) = [message for message in mailbox.messages if message["To"] == "bea@example.org"]
    assert "Dara replied to your post in “Mornings”" in body(to_bea)


def test_an_email_days_after_the_last_one_names_that_day_in_the_members_zone(ana, runner, mailbox):
    # It said "since yesterday’s email" whenever there had been one, though a day with nothing
    # new sends none: three days after the last one, "yesterday" was wrong.
    ana.time_zone = "Australia/Sydney"  # UTC+11 in December
    db.session.commit()
    ben, _, mine = three_notifications(ana)
    first = utcnow().replace(hour=18, minute=0, second=0, microsecond=0)  # 05:00 the next day in Sydney
    assert send_digests(first) == (1, 0)
    make_post(ben, mine.thread, "And mornings?", parent=mine)
    mailbox.clear()

    assert send_digests(first + timedelta(days=3)) == (1, 0)

    sydney_day = first + timedelta(hours=11)
    assert f"1 new notification since your daily email of {sydney_day.day} {sydney_day:%b %Y}:" in body(
        mails_to_ana(mailbox)[0])


def backlog(person, size: int) -> None:
    """`size` unread replies to `person`, all but one written in one statement (a month away)."""
    ben = db.session.scalar(select(User).where(User.username == "ben")) or make_user("ben")
    thread = make_thread("Evening circle")
    reply = make_post(ben, thread, "Same here.", parent=make_post(person, thread, "I find evenings hardest."))
    db.session.execute(insert(Notification), [
        {"user_id": person.id, "kind": "reply", "message": f"Ben replied to your post in “Evening circle” ({number})",
         "link": f"/posts/{reply.id}", "actor_id": ben.id, "post_id": reply.id, "created_at": utcnow()}
        for number in range(size - 1)])
    db.session.commit()


def test_a_large_backlog_is_counted_with_thousands_separated(ana, client, runner, mailbox):
    # It read "1151 new notifications" and "And 1101 more on your notifications page.", and
    # the header "Notifications 1151".
    backlog(ana, 1_151)
    run(runner)
    (mail,) = mails_to_ana(mailbox)
    text = body(mail)
    assert "1,151 new notifications since you chose one email a day:" in text
    assert text.count("\n- ") == 50
    assert "And 1,101 more on your notifications page." in text
    assert subject(mail).startswith("1,151 new notifications: Ben replied to your post")
    client.login("ana")
    assert '<span class="count-pill" aria-label="1,151 unread">1,151</span>' in client.get("/notifications").page


def statements_of_a_run(runner, count_queries, mailbox, to: str) -> list[int]:
    """The length of each SQL statement a run sends, in order."""
    mailbox.clear()
    with count_queries() as counter:
        assert run(runner) == "1 daily email sent.\n"
    assert [message["To"] for message in mailbox.messages] == [to]
    return [len(statement) for statement in counter.statements]


def test_the_daily_email_costs_the_same_statements_for_a_large_backlog_as_for_a_small_one(
        ana, runner, count_queries, mailbox):
    # A member back after a long while, with 40,000 unread, held the run for 27 s: each of
    # them was loaded, and all their ids sent back in one statement to mark them told, which
    # SQLAlchemy then checked against each loaded one (pyinstrument: 8.7 of 12.8 s).
    backlog(ana, 3)
    small = statements_of_a_run(runner, count_queries, mailbox, ANA)
    bea = make_user("bea")
    set_email_kinds(bea, ["reply"], daily=True)
    backlog(bea, 1_200)
    large = statements_of_a_run(runner, count_queries, mailbox, "bea@example.org")
    assert len(large) == len(small)
    assert large == small  # and none of them names the backlog's notifications one by one
    told = select(func.count()).where(Notification.user_id == bea.id, Notification.digested_at.is_not(None))
    assert db.session.scalar(told) == 1_200  # each told, the 50 listed and the rest counted


def test_right_to_left_names_and_titles_keep_the_english_around_them_in_order(app, runner, mailbox):
    # "- דנה replied to your post in “ערב”" opened with a right-to-left letter, so a mail app
    # laid the whole line out right to left: "in your post to replied" read backwards.
    dana = make_user("dana", display_name="דנה")
    set_email_kinds(dana, ["reply"], daily=True)
    omar = make_user("omar", display_name="عمر")
    thread = make_thread("مساء الخير")
    make_post(omar, thread, "وأنا كذلك", parent=make_post(dana, thread, "ערב קשה"))
    run(runner)

    (mail,) = [message for message in mailbox.messages if message["To"] == "dana@example.org"]
    text = body(mail)
    assert text.startswith("Hello \u2068דנה\u2069,\n")
    assert "\n- \u2068عمر\u2069 replied to your post in “\u2068مساء الخير\u2069”\n" in text
    assert subject(mail) == "\u2068عمر\u2069 replied to your post in “\u2068مساء الخير\u2069”"
