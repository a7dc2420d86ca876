"""Weekly hours typed as text, shown in the mentor's zone and in UTC; the responsiveness label."""
from datetime import datetime, timedelta

import pytest

from forum.clock import utcnow
from forum.errors import DomainError
from forum.extensions import db
from forum.mentors import requests
from forum.mentors.availability import WeeklySlot, parse_weekly_hours, show_slots, weekly_hours_text
from forum.mentors.responsiveness import label, median_wait, recompute_responsiveness, responsiveness_at
from tests.mentors.factories import make_listener, make_mentor

WINTER_MONDAY = datetime(2026, 1, 5, 9, 0)
SUMMER_MONDAY = datetime(2026, 7, 6, 9, 0)


def test_lines_become_slots_in_week_order():
    slots = parse_weekly_hours("Sat, Sun 10:00-12:30\nmonday 18-20\n\n  Wed   7:15 - 8:00 ")
    assert slots == [WeeklySlot(0, 18 * 60, 20 * 60), WeeklySlot(2, 7 * 60 + 15, 8 * 60),
                     WeeklySlot(5, 600, 750), WeeklySlot(6, 600, 750)]
    assert weekly_hours_text(slots) == "Mon 18:00-20:00\nWed 07:15-08:00\nSat 10:00-12:30\nSun 10:00-12:30"


def test_day_spans_and_wrapping_round_the_week():
    assert [s.weekday for s in parse_weekly_hours("Mon-Fri 07:00-08:00")] == [0, 1, 2, 3, 4]
    assert [s.weekday for s in parse_weekly_hours("Fri to Mon 21:00-24:00")] == [0, 4, 5, 6]


@pytest.mark.parametrize("text, words", [
    ("whenever I can", "doesn't read as weekly hours"),
    ("Funday 10:00-12:00", "“Funday” is not a day"),
    ("Mon 20:00-18:00", "the end comes before the start"),
    ("Mon 25:00-26:00", "25:00 is not a time of day"),
    ("Mon 10:60-11:00", "10:60 is not a time of day"),
    ("Mon 18:00-20:00\nMon 19:00-21:00", "Two times overlap on Monday"),
    ("Mon-Tue-Wed 10-11", "write a span of days as “Mon-Fri”"),
])
def test_hours_that_do_not_make_sense_are_named(text, words):
    with pytest.raises(DomainError, match=words) as raised:
        parse_weekly_hours(text)
    assert raised.value.field == "hours"


def test_utc_follows_daylight_saving_of_the_mentors_zone():
    slots = parse_weekly_hours("Mon 18:00-20:00")
    assert show_slots(slots, "Europe/Berlin", WINTER_MONDAY)[0].reader == "Monday 17:00–19:00"
    assert show_slots(slots, "Europe/Berlin", SUMMER_MONDAY)[0].reader == "Monday 16:00–18:00"
    assert show_slots(slots, "Europe/Berlin", SUMMER_MONDAY)[0].local == "Monday 18:00–20:00"


def test_hours_that_cross_midnight_in_utc_name_both_days():
    shown = show_slots(parse_weekly_hours("Mon 08:00-10:00"), "Asia/Tokyo", WINTER_MONDAY)[0]
    assert shown.reader == "Sunday 23:00 – Monday 01:00"
    assert show_slots(parse_weekly_hours("Sun 22:00-24:00"), "UTC", WINTER_MONDAY)[0].reader == "Sunday 22:00–24:00"


def test_an_unknown_zone_on_this_host_shows_utc_rather_than_failing():
    assert show_slots(parse_weekly_hours("Tue 10-11"), "Mars/Olympus_Mons", WINTER_MONDAY)[0].reader == "Tuesday 10:00–11:00"


@pytest.mark.parametrize("seconds, text", [
    (None, "Answer time shown after 3 requests in 90 days"),
    (59 * 60, "Usually answers within an hour"),
    (3600, "Usually answers within an hour"),
    (3601, "Usually answers within a day"),
    (2 * 86400, "Usually answers within 3 days"),
    (4 * 86400, "Usually takes longer than 3 days"),
])
def test_labels(seconds, text):
    assert label(seconds).startswith(text)


def test_the_median_needs_three_requests():
    assert median_wait([10, 20]) is None
    assert median_wait([10, 20, 9000]) == 20


def test_waiting_requests_count_and_withdrawn_ones_do_not(app):
    juniper = make_mentor("juniper")
    now = datetime(2026, 3, 1, 12, 0)
    mentees = [make_listener(f"mentee{n}") for n in range(4)]
    answered = requests.send_request(mentees[0], juniper, "Hello", now - timedelta(hours=10))
    requests.accept_request(juniper.user, answered, "", now - timedelta(hours=9, minutes=30))
    requests.send_request(mentees[1], juniper, "Hello", now - timedelta(hours=50))  # still waiting
    withdrawn = requests.send_request(mentees[2], juniper, "Hello", now - timedelta(hours=5))
    requests.close_request(mentees[2], withdrawn, now - timedelta(hours=4))
    assert recompute_responsiveness(juniper.user_id, now) is None  # two count, one is withdrawn
    requests.send_request(mentees[3], juniper, "Hello", now - timedelta(hours=2))
    assert recompute_responsiveness(juniper.user_id, now) == 2 * 3600  # waits: 0.5h, 50h, 2h
    db.session.commit()
    assert responsiveness_at(juniper.user_id, now) == 7200


def test_requests_older_than_ninety_days_are_forgotten(app):
    juniper = make_mentor("juniper")
    now = utcnow()
    for number in range(3):
        requests.send_request(make_listener(f"old{number}"), juniper, "Hello", now - timedelta(hours=1))
    assert recompute_responsiveness(juniper.user_id, now) == 3600
    assert recompute_responsiveness(juniper.user_id, now + timedelta(days=91)) is None
