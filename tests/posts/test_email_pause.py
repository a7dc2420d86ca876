"""Taking a break: a member pauses all their emails for a while, and their choices are kept.

Ana gets an email when someone mentions her and, for a week, wants none: she pauses them
in her email settings rather than unticking each choice (and then forgetting which).
"""
from datetime import timedelta

from sqlalchemy import update

from forum.clock import utcnow
from forum.extensions import db
from forum.local_time import local_date
from forum.models.accounts import User
from forum.posts.digests import send_digests
from forum.posts.notifications import email_kinds
from tests.factories import make_post, make_thread, make_user

ANA = "ana@example.org"
SETTINGS = "/settings/notifications"


def mention(ben, title: str) -> None:
    make_post(ben, make_thread(title), "what do you think, @ana?")


def test_paused_emails_stop_until_resumed_while_the_forum_still_tells_and_the_choices_stay(client, mailbox):
    ana, ben = make_user("ana"), make_user("ben")
    ana.time_zone = "Pacific/Kiritimati"  # a day ahead of UTC for most of it: the date is hers
    db.session.commit()
    client.login("ana")
    client.submit(SETTINGS, {"email_mention": "y"})

    page = client.submit(f"{SETTINGS}/pause", {"pause_for": "week"}, follow_redirects=True).page
    until = db.session.get(User, ana.id).emails_paused_until
    assert timedelta(days=6, hours=23) < until - utcnow() <= timedelta(days=7)
    shown = f"Emails are paused until {local_date(until, 'Pacific/Kiritimati')}"
    assert shown in page
    assert 'checked id="email_mention"' in page  # the choice is kept, and shown
    assert "Resume emails now" in page

    mention(ben, "During the break")
    assert mailbox.bodies_to(ANA) == []
    assert "Ben mentioned you in “During the break”" in client.get("/notifications").page

    page = client.submit(f"{SETTINGS}/resume", follow_redirects=True).page
    assert "Emails are paused" not in page
    mention(ben, "After the break")
    (body,) = mailbox.bodies_to(ANA)
    assert "After the break" in body

    # A pause ends by itself at its time, with nothing to press.
    assert "Emails are paused until" in client.submit(f"{SETTINGS}/pause", {"pause_for": "day"},
                                                      follow_redirects=True).page
    mention(ben, "Still resting")
    assert len(mailbox.bodies_to(ANA)) == 1
    a_day_later = utcnow() - timedelta(minutes=1)  # the pause's end, as it will be then
    db.session.execute(update(User).where(User.id == ana.id).values(emails_paused_until=a_day_later))
    db.session.commit()
    assert "Emails are paused" not in client.get(SETTINGS).page
    mention(ben, "A day later")
    assert "A day later" in mailbox.bodies_to(ANA)[-1]
    assert email_kinds(ana) == {"mention"}


def test_a_pause_of_no_known_length_is_refused_in_plain_words_and_until_turned_back_on_is_kept(client):
    ana = make_user("ana")
    client.login("ana")

    for sent in ({"pause_for": "fortnight"}, {}):
        response = client.submit(f"{SETTINGS}/pause", sent)
        assert response.status_code == 200
        assert "Choose how long to pause emails for." in response.page
    response = client.post(f"{SETTINGS}/pause", data={"pause_for": "month", "csrf_token": "expired"})
    assert "This page was open too long" in response.page
    assert 'checked id="pause_for-2"' in response.page  # the choice kept, to send again
    assert db.session.get(User, ana.id).emails_paused_until is None

    page = client.submit(f"{SETTINGS}/pause", {"pause_for": "until_resumed"}, follow_redirects=True).page
    assert "Emails are paused until you turn them back on." in page


def test_the_daily_email_waits_out_a_pause_and_then_tells_only_of_what_came_after_it(client, mailbox):
    make_user("ana")
    ben = make_user("ben")
    client.login("ana")
    client.submit(SETTINGS, {"email_mention": "y", "delivery": "daily"})
    client.submit(f"{SETTINGS}/pause", {"pause_for": "day"})
    mention(ben, "During the break")

    assert send_digests(utcnow() + timedelta(hours=2)) == (0, 0)  # paused
    # Over by itself: what came during the break is on her notifications page, not in one long email.
    assert send_digests(utcnow() + timedelta(days=2)) == (0, 0)

    client.submit(f"{SETTINGS}/resume")
    mention(ben, "After the break")
    assert send_digests(utcnow() + timedelta(days=3)) == (1, 0)
    (body,) = mailbox.bodies_to(ANA)
    assert f"1 new notification since emails resumed on {local_date(utcnow())}:" in body
    assert "After the break" in body and "During the break" not in body
