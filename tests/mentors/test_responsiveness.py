"""How quickly a mentor answers, as the directory, the profile and the request form show it
when they are read: time passes between the writes, and waiting requests wait longer."""
import random
from datetime import datetime, timedelta
from statistics import median
from types import SimpleNamespace

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import func, select

from forum.clock import utcnow
from forum.extensions import db
from forum.mentors import directory, requests, services
from forum.mentors.responsiveness import Wait, course_of, epoch_seconds, label, responsiveness_at, wait_of
from forum.models.mentors import ResponsivenessSpan
from tests.mentors.factories import make_listener, make_mentor, make_mentorship, make_request
from tests.mentors.reading import card_names

WITHIN_AN_HOUR = "Usually answers within an hour"
LONGER = "Usually takes longer than 3 days to answer"
NOT_KNOWN = "Answer time shown after 3 requests in 90 days"


def leave_waiting(profile, hours_ago: float, count: int = 3, name: str = "asker") -> None:
    """Requests sent `hours_ago` and never answered: each one, when sent, waited no time at all."""
    for number in range(count):
        make_request(make_listener(f"{name}{number}"), profile, hours_ago=hours_ago)


def responsiveness_of(page: str) -> str:
    return page.split('class="responsiveness">')[1].split("<")[0]


@pytest.mark.parametrize("hours_waiting, shown", [
    (0.5, WITHIN_AN_HOUR),
    (5, "Usually answers within a day"),
    (50, "Usually answers within 3 days"),
    (100, LONGER),
])
def test_requests_left_waiting_make_the_mentor_look_as_slow_as_they_are(client, hours_waiting, shown):
    juniper = make_mentor("juniper")
    leave_waiting(juniper, hours_ago=hours_waiting)

    assert responsiveness_of(client.get("/mentors").page) == shown
    assert responsiveness_of(client.get("/mentors/juniper").page) == shown
    client.login("asker0")
    assert f"· {shown}</p>" in client.get("/mentors/juniper/request").page


def test_a_mentor_who_never_answers_sinks_below_one_who_answers_in_minutes(client):
    fern = make_mentor("fern")
    for number in range(3):
        make_mentorship(make_listener(f"quick{number}"), fern, hours_ago=30, answered_after_hours=0.2)
    leave_waiting(make_mentor("juniper"), hours_ago=100)  # "within an hour" when the last one was sent
    make_mentor("oakley")

    page = client.get("/mentors?sort=responsive").page

    assert card_names(page) == ["Fern", "Juniper", "Oakley"]
    assert page.count(WITHIN_AN_HOUR) == 1 and LONGER in page


def test_one_request_left_waiting_counts_once_it_is_in_the_middle(client):
    """Two quick answers and one request waiting four days: the median is a quick answer."""
    juniper = make_mentor("juniper")
    for number in range(2):
        make_mentorship(make_listener(f"quick{number}"), juniper, hours_ago=100, answered_after_hours=0.1)
    leave_waiting(juniper, hours_ago=99, count=1)
    assert responsiveness_of(client.get("/mentors/juniper").page) == WITHIN_AN_HOUR
    # A slow answer and the request still waiting outnumber the quick one.
    rowan = make_mentor("rowan")
    make_mentorship(make_listener("quick9"), rowan, hours_ago=100, answered_after_hours=0.1)
    make_mentorship(make_listener("slow9"), rowan, hours_ago=100, answered_after_hours=30)
    leave_waiting(rowan, hours_ago=99, count=1, name="waiting")
    assert responsiveness_of(client.get("/mentors/rowan").page) == "Usually answers within 3 days"


def test_answers_older_than_ninety_days_stop_counting_without_anyone_writing(client):
    juniper = make_mentor("juniper")
    for number in range(3):
        make_mentorship(make_listener(f"quick{number}"), juniper, hours_ago=91 * 24, answered_after_hours=0.1)

    assert responsiveness_of(client.get("/mentors").page) == NOT_KNOWN
    assert responsiveness_of(client.get("/mentors/juniper").page) == NOT_KNOWN


def test_a_mentor_with_two_answered_requests_is_told_when_their_answer_time_will_show(client):
    # "Answer time not known yet" after two quick answers read as if something were wrong.
    juniper = make_mentor("juniper")
    for number in range(2):
        make_mentorship(make_listener(f"quick{number}"), juniper, hours_ago=5, answered_after_hours=0.1)

    assert responsiveness_of(client.get("/mentors/juniper").page) == NOT_KNOWN
    make_mentorship(make_listener("quick2"), juniper, hours_ago=5, answered_after_hours=0.1)
    assert responsiveness_of(client.get("/mentors/juniper").page) == WITHIN_AN_HOUR


START = datetime(2026, 3, 1, 12, 0)
HOUR = 3600
DAY = 24 * HOUR


def test_the_course_bends_where_a_waiting_request_passes_an_answer_and_ends_with_the_window():
    quick = Wait(START - timedelta(hours=10), 0.5 * HOUR)
    slow = Wait(START - timedelta(hours=40), 30 * HOUR)
    waiting = Wait(START - timedelta(hours=20), None)

    spans = course_of([quick, slow, waiting], START)

    # The waiting request is in the middle and grows until it passes the slow answer, 10
    # hours on; then the slow answer is the median until it turns 90 days old, leaving two.
    assert [(span.starts_at, span.ends_at, span.seconds_at_start, span.growth) for span in spans] == [
        (START, START + timedelta(hours=10), 20 * HOUR, 1),
        (START + timedelta(hours=10), slow.leaves_at, 30 * HOUR, 0),
    ]


def test_an_even_number_of_requests_grows_at_half_speed_and_too_few_have_no_course():
    answered = [Wait(START - timedelta(hours=5), HOUR * hours) for hours in (1, 100)]
    waiting = Wait(START - timedelta(hours=2), None)
    first, second, *_ = course_of([*answered, waiting, Wait(START - timedelta(hours=3), 10 * HOUR)], START)
    # Waits 1h, 2h (growing), 10h, 100h: the middle two are the waiting one and 10h, and
    # stay the middle two when it passes 10h; once past 100h, the middle is 10h and 100h.
    assert (first.seconds_at_start, first.growth) == (6 * HOUR, 0.5)
    assert first.ends_at == START + timedelta(hours=98) and (second.seconds_at_start, second.growth) == (55 * HOUR, 0)
    assert course_of(answered, START) == []


def spread_waits(count: int) -> list[Wait]:
    """Half waiting, half answered after anything from a minute to as long as they could have."""
    rng = random.Random(5)
    waits = []
    for number in range(count):
        created = START - timedelta(seconds=rng.uniform(0, 89 * DAY))
        waits.append(Wait(created, None) if number % 2 else
                     Wait(created, rng.uniform(60, (START - created).total_seconds())))
    return waits


def median_by_the_rule(waits: list[Wait], moment: datetime) -> float | None:
    counted = [wait.seconds_at(moment) for wait in waits if wait.created_at <= moment < wait.leaves_at]
    return median(counted) if len(counted) >= 3 else None


def test_the_course_of_four_hundred_requests_is_worked_out_without_trying_every_crossing(monkeypatch):
    """The course is worked out holding the mentor's lock (the whole database's, on SQLite);
    trying every moment a waiting request passes an answer and ordering all the requests
    at each looked at each wait millions of times for 400 requests, and took seconds."""
    waits = spread_waits(400)
    looks = 0
    seconds_at = Wait.seconds_at

    def counted_look(wait, moment):
        nonlocal looks
        looks += 1
        return seconds_at(wait, moment)

    monkeypatch.setattr(Wait, "seconds_at", counted_look)
    spans = course_of(waits, START)
    monkeypatch.undo()

    # Each wait is looked at a few times each time a request turns 90 days old, not once
    # for every pair of a waiting request and an answer (40,000 pairs here).
    assert looks <= len(waits) ** 2
    moments = [START + timedelta(seconds=random.Random(6).uniform(0, 91 * DAY)) for _ in range(300)]
    moments += [moment for span in spans
                for moment in (span.starts_at, span.starts_at + (span.ends_at - span.starts_at) / 2)]
    for moment in moments:
        held = [span for span in spans if span.starts_at <= moment < span.ends_at]
        shown = held[0].base_seconds + held[0].growth * epoch_seconds(moment) if held else None
        expected = median_by_the_rule(waits, moment)
        assert len(held) <= 1 and (shown is None) == (expected is None)
        assert shown is None or shown == pytest.approx(expected, abs=0.01)


def test_requests_made_after_the_start_count_from_when_they_were_made():
    waits = [Wait(START - timedelta(hours=1), 60.0), Wait(START - timedelta(hours=2), 120.0),
             Wait(START + timedelta(hours=1), None)]

    spans = course_of(waits, START)

    # None before the third arrives; then the new one passes the 1-minute answer, then the 2-minute one.
    made = waits[2].created_at
    assert [(span.starts_at, span.seconds_at_start, span.growth) for span in spans] == [
        (made, 60, 0), (made + timedelta(minutes=1), 60, 1), (made + timedelta(minutes=2), 120, 0)]
    assert spans[-1].ends_at == waits[1].leaves_at  # the oldest leaves, two are too few


def test_a_request_sent_while_the_mentor_answers_another_still_counts(app):
    """The mentor's decline took its moment first, but the listener's request got in first:
    the decline's course must not be one from before that request was made."""
    fern = make_mentor("fern")
    quick = make_request(make_listener("quick1"), fern, hours_ago=24 * 10)
    requests.decline_request(fern.user, quick, "", quick.created_at + timedelta(minutes=5))
    make_request(make_listener("waits"), fern, hours_ago=24 * 4)
    answering = make_request(make_listener("quick2"), fern, hours_ago=0.1)
    declined_at = answering.created_at + timedelta(minutes=5)

    requests.send_request(make_listener("newcomer"), fern, "Hello?", declined_at + timedelta(milliseconds=100))
    requests.decline_request(fern.user, answering, "", declined_at)

    # Two 5-minute answers, the request waiting since 4 days before, and the newcomer's:
    # once the newcomer waits 5 days, the middle two are 5 minutes and 5 days.
    later = declined_at + timedelta(days=5)
    assert responsiveness_at(fern.user_id, later) == pytest.approx((300 + 5 * DAY) / 2, abs=1)
    assert label(responsiveness_at(fern.user_id, later)) == "Usually answers within 3 days"


def test_a_page_read_just_before_a_request_was_sent_still_finds_the_median(app):
    fern = make_mentor("fern")
    leave_waiting(fern, hours_ago=30)
    make_mentor("oakley")  # no requests: nothing to tell
    sent_at = utcnow()
    requests.send_request(make_listener("late"), fern, "Hi", sent_at)

    read_at = sent_at - timedelta(milliseconds=5)  # the page took its moment first

    assert label(responsiveness_at(fern.user_id, read_at)) == "Usually answers within 3 days"
    page = directory.directory_page(AnonymousUserMixin(), directory.DirectoryFilters(sort="responsive"), 1, read_at)
    assert [card.user.display_name for card in page.items] == ["Fern", "Oakley"]


def test_spans_that_ended_a_day_before_a_write_are_not_kept(app):
    fern = make_mentor("fern")
    leave_waiting(fern, hours_ago=24 * 10)  # a course from 10 days ago...
    make_request(make_listener("middle"), fern, hours_ago=24 * 5)  # ...that held until 5 days ago
    last_write = utcnow()
    requests.send_request(make_listener("late"), fern, "Hi", last_write)

    ended = db.session.scalar(select(func.min(ResponsivenessSpan.ends_at)).where(
        ResponsivenessSpan.mentor_id == fern.user_id))
    assert ended >= last_write - timedelta(days=1)


def test_waiting_requests_a_change_ended_keep_counting_with_their_wait(client):
    """Fern stops mentoring adults, which ends the adults' requests left waiting 5 days:
    those waits were hers, and she must not look quick again."""
    fern = make_mentor("fern", teens=True, adults=True)
    for number in range(3):
        make_mentorship(make_listener(f"teen{number}", age_group="teen"), fern, hours_ago=24 * 6,
                        answered_after_hours=0.1)
    leave_waiting(fern, hours_ago=24 * 5)
    shown = "Usually answers within 3 days"  # the middle two: 6 minutes and 5 days
    assert responsiveness_of(client.get("/mentors/fern").page) == shown

    settings = dict(headline="Here to help", tracks="", knowledge="", languages="English", accepting=True,
                    timezone="UTC", hours="")
    services.update_settings(fern.user, fern, mentors_teens=True, mentors_adults=False, **settings)
    services.update_settings(fern.user, fern, mentors_teens=True, mentors_adults=True, **settings)

    assert responsiveness_of(client.get("/mentors/fern").page) == shown


CREATED = datetime(2026, 3, 1, 12, 0)


@pytest.mark.parametrize("closed_by_id, end_reason, counted", [
    (7, "", False),  # the mentee withdrew it
    (9, "Fern no longer mentors adults", True),  # the mentor's change ended it
    (None, "Fern is no longer a mentor here", True),  # a command line change
    (None, "", False),  # no one named and no reason given: only a mentee withdraws so
])
def test_a_request_closed_unanswered_counts_unless_its_mentee_withdrew_it(closed_by_id, end_reason, counted):
    request = SimpleNamespace(status="closed", created_at=CREATED, answered_at=None,
                              closed_at=CREATED + timedelta(hours=5), closed_by_id=closed_by_id, mentee_id=7,
                              end_reason=end_reason)
    assert wait_of(request) == (Wait(CREATED, 5 * HOUR) if counted else None)
