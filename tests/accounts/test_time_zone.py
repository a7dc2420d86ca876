"""Times in each reader's own zone: the setting, and pages, messages and mail that use it."""
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models.accounts import User
from forum.models.posts import Notification
from forum.moderation.services import suspend
from tests.factories import make_post, make_thread, make_user
from tests.safety.factories import make_moderator

# 11:10 UTC on 7 December is 22:10 the same day in Sydney (UTC+11 in summer).
POSTED = datetime(2026, 12, 7, 11, 10)
# 20:30 UTC on 30 November is already 1 December in Sydney, 07:30.
LATE_EVENING = datetime(2026, 11, 30, 20, 30)


def words(page: str) -> str:
    """The page's words, tags taken out, as a reader sees them."""
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def choose_zone(client, name: str):
    return client.submit("/settings/time-zone", {"time_zone": name})


@pytest.fixture
def nia(app):
    return make_user("nia", display_name="Nia")


@pytest.fixture
def laptop(app, nia):
    client = app.test_client()
    client.login("nia")
    return client


def in_sydney(user):
    user.time_zone = "Australia/Sydney"
    db.session.commit()
    return user


# The setting

def test_a_member_reads_utc_until_they_choose_and_their_choice_is_kept(laptop, nia):
    page = laptop.get("/settings/account").page
    assert '<option selected value="UTC">UTC</option>' in page
    assert "Times are shown in UTC" in words(page)

    response = choose_zone(laptop, "Australia/Sydney")

    assert response.status_code == 302
    assert db.session.get(User, nia.id).time_zone == "Australia/Sydney"
    page = laptop.get(response.headers["Location"]).page
    assert "Times are shown in your time zone now: Australia/Sydney." in page
    assert '<option selected value="Australia/Sydney">Australia/Sydney</option>' in page


@pytest.mark.parametrize("sent", ["Mars/Olympus_Mons", "", "australia/sydney", "x" * 500, "../../etc/passwd"])
def test_a_zone_not_on_the_list_is_refused_in_plain_words_and_nothing_changes(laptop, nia, sent):
    in_sydney(nia)
    response = choose_zone(laptop, sent)
    assert response.status_code == 422
    assert "Choose your time zone from the list." in response.page
    assert db.session.get(User, nia.id).time_zone == "Australia/Sydney"
    # The rest of the settings page is still there to use.
    assert "Change your password" in response.page


def test_the_setting_needs_an_account_and_the_page_s_token(app, client, nia):
    response = client.post("/settings/time-zone", data={"time_zone": "Europe/Paris"})
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    signed_in = app.test_client()
    signed_in.login("nia")
    refused = signed_in.post("/settings/time-zone", data={"time_zone": "Europe/Paris"})
    assert refused.status_code in (302, 400, 422)
    assert db.session.get(User, nia.id).time_zone == "UTC"


def test_the_device_zone_is_offered_by_a_button_the_page_fills_in(laptop):
    # Without JavaScript the list alone works; with it, a button names the device's zone.
    page = laptop.get("/settings/account").page
    assert re.search(r'<p class="device-zone" hidden>\s*<button type="button" class="link-button" data-device-zone', page)


# Pages

def test_a_post_time_is_shown_in_the_reader_s_zone_and_in_utc_to_a_visitor(app, client, nia, laptop):
    thread = make_thread("Evenings", author=nia)
    post = make_post(nia, thread, "Writing this over breakfast.")
    post.created_at = POSTED
    db.session.commit()

    visitor = client.get(f"/threads/{thread.id}").page
    assert '<time datetime="2026-12-07T11:10:00Z" title="7 Dec 2026, 11:10 UTC">' in visitor

    in_sydney(nia)
    member = laptop.get(f"/threads/{thread.id}").page
    # Machine-readable UTC as before; the words in her own clock, the zone she chose unnamed.
    assert '<time datetime="2026-12-07T11:10:00Z" title="7 Dec 2026, 22:10">' in member


def test_a_date_is_the_day_it_was_where_the_reader_is(app, nia):
    nia.created_at = LATE_EVENING
    db.session.commit()
    moss = make_moderator()
    client = app.test_client()
    client.login("moss")
    assert "joined 30 Nov 2026" in words(client.get("/mod/users/nia").page)
    in_sydney(moss)
    assert "joined 1 Dec 2026" in words(client.get("/mod/users/nia").page)
    # A profile that names the month names hers: December in Sydney.
    assert "Joined December 2026" in words(client.get("/users/nia").page)
    assert "Joined November 2026" in words(app.test_client().get("/users/nia").page)


# Suspensions: the banner, the refusal, the notification and its email

# 11:10 UTC on 10 January is 22:10 in Sydney.
SUSPENDED_UNTIL = datetime(2027, 1, 10, 11, 10)


def suspended_until_january(app, user):
    with app.test_request_context():
        suspension = suspend(make_moderator(), user, days=30, reason="Cooling off.")
    suspension.ends_at = user.suspended_until = SUSPENDED_UNTIL
    db.session.commit()


def test_a_suspended_member_reads_until_when_in_her_own_zone(app, nia, laptop):
    in_sydney(nia)
    suspended_until_january(app, nia)
    laptop.login("nia")

    assert "Your account is suspended until 10 Jan 2027, 22:10." in words(laptop.get("/").page)
    refused = laptop.submit("/settings/profile", {"display_name": "Nia N", "bio": ""})
    assert "Your account is suspended until 10 Jan 2027, 22:10." in words(refused.page)


def test_a_member_on_utc_reads_the_suspension_in_utc_named(app, nia, laptop):
    suspended_until_january(app, nia)
    laptop.login("nia")
    assert "Your account is suspended until 10 Jan 2027, 11:10 UTC." in words(laptop.get("/").page)


def test_the_suspension_notice_and_its_email_name_the_member_s_zone(app, mailbox, nia, laptop):
    # Kept and mailed text is read later and elsewhere: it names the zone.
    in_sydney(nia)
    laptop.submit("/settings/notifications", {"email_moderation": "y"})
    with app.test_request_context():
        suspend(make_moderator(), nia, days=3, reason="Cooling off.", now=POSTED)
    notice = db.session.scalar(select(Notification.message).where(Notification.user_id == nia.id))
    assert notice == "Your account is suspended until 10 Dec 2026, 22:10 Sydney time: Cooling off."
    (body,) = mailbox.bodies_to("nia@example.org")
    assert "Your account is suspended until 10 Dec 2026, 22:10 Sydney time: Cooling off." in body


def test_the_moderator_is_told_the_end_in_their_own_zone(app, nia):
    in_sydney(make_moderator())
    client = app.test_client()
    client.login("moss")
    response = client.submit("/mod/users/nia/suspend", {"days": "3", "reason": "Cooling off."}, follow_redirects=True)
    ends = db.session.get(User, nia.id).suspended_until
    in_sydney_then = ends.replace(tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo("Australia/Sydney"))
    assert f"@nia is suspended until {in_sydney_then.day} {in_sydney_then:%b %Y, %H:%M} and signed out" in response.page
