"""Weekly hours: typed as lines of text, stored in the mentor's zone, shown in theirs and on the reader's clock.

A line reads "Mon 18:00-20:30", "Mon-Fri 07:00-08:00" or "Sat, Sun 10:00-12:00". Pure
functions: no database here.
"""
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from forum.errors import DomainError
from forum.local_time import UTC, UTC_NAME, in_zone, zone

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MAX_SLOTS = 28
_LINE = re.compile(r"^(?P<days>.+?)\s+(?P<start>\d{1,2}(?::\d{2})?)\s*(?:-|–|to)\s*(?P<end>\d{1,2}(?::\d{2})?)$",
                   re.I)
_DAY_SPAN = re.compile(r"\s*(?:-|–|\bto\b)\s*", re.I)


@dataclass(frozen=True)
class WeeklySlot:
    weekday: int
    start_minute: int
    end_minute: int


def _minute(text: str, line: str) -> int:
    hours, _, minutes = text.partition(":")
    hours, minutes = int(hours), int(minutes or 0)
    if minutes > 59 or hours > 24 or (hours == 24 and minutes):
        raise DomainError(f"“{line[:60]}”: {text} is not a time of day (use 00:00 to 24:00).", "hours")
    return hours * 60 + minutes


def _weekday(name: str, line: str) -> int:
    key = name.strip().lower()
    for number, full in enumerate(WEEKDAY_NAMES):
        if len(key) >= 3 and full.lower().startswith(key):
            return number
    raise DomainError(f"“{line[:60]}”: “{name.strip()}” is not a day; use Mon, Tue, Wed, Thu, Fri, Sat or Sun.",
                      "hours")


def _weekdays(days: str, line: str) -> list[int]:
    """"Mon", "Mon-Fri", "Sat, Sun": a range wraps round the week ("Fri-Mon")."""
    found = []
    for part in days.split(","):
        ends = _DAY_SPAN.split(part.strip())
        if len(ends) > 2:
            raise DomainError(f"“{line[:60]}”: write a span of days as “Mon-Fri”.", "hours")
        first, last = _weekday(ends[0], line), _weekday(ends[-1], line)
        found.extend((first + step) % 7 for step in range((last - first) % 7 + 1))
    return found


def parse_weekly_hours(text: str) -> list[WeeklySlot]:
    """Slots from the lines of `text`; a line that does not read as hours is named in the error."""
    slots = []
    for raw in (text or "").replace("\r", "").split("\n"):
        line = " ".join(raw.split())
        if not line:
            continue
        match = _LINE.match(line)
        if match is None:
            raise DomainError(f"“{line[:60]}” doesn't read as weekly hours; write it like “Mon 18:00-20:30”.",
                              "hours")
        start, end = _minute(match["start"], line), _minute(match["end"], line)
        if start >= end:
            raise DomainError(f"“{line[:60]}”: the end comes before the start. For hours past midnight, "
                              "write two lines, e.g. “Fri 22:00-24:00” and “Sat 00:00-01:00”.", "hours")
        slots.extend(WeeklySlot(day, start, end) for day in _weekdays(match["days"], line))
    slots.sort(key=lambda slot: (slot.weekday, slot.start_minute))
    for earlier, later in zip(slots, slots[1:]):
        if earlier.weekday == later.weekday and later.start_minute < earlier.end_minute:
            raise DomainError(f"Two times overlap on {WEEKDAY_NAMES[earlier.weekday]}; merge them into one line.",
                              "hours")
    if len(slots) > MAX_SLOTS:
        raise DomainError(f"Keep it to {MAX_SLOTS} stretches a week.", "hours")
    return slots


def clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def slot_text(slot) -> str:
    return f"{WEEKDAYS[slot.weekday]} {clock(slot.start_minute)}-{clock(slot.end_minute)}"


def weekly_hours_text(slots) -> str:
    """The slots as the lines a mentor would type, for the edit form."""
    return "\n".join(slot_text(slot) for slot in slots)


@dataclass(frozen=True)
class ShownSlot:
    """A slot as a reader sees it: in the mentor's zone, and on the reader's own clock (UTC
    for visitors and those who chose no zone) for the coming week."""

    local: str
    reader: str
    utc_start: datetime
    utc_end: datetime


def _next_date(weekday: int, today: date) -> date:
    return today + timedelta(days=(weekday - today.weekday()) % 7)


def _in_utc(day: date, minute: int, where: ZoneInfo) -> datetime:
    moment = datetime.combine(day, time()) + timedelta(minutes=minute)
    return moment.replace(tzinfo=where).astimezone(UTC).replace(tzinfo=None)


def show_slots(slots, zone_name: str, now: datetime, reader_zone: str = UTC_NAME) -> list[ShownSlot]:
    """Each slot's next occurrence, so daylight saving (the mentor's and the reader's) gives
    this week's hours on the reader's clock."""
    where = zone(zone_name)
    today = in_zone(now, zone_name).date()
    shown = []
    for slot in slots:
        day = _next_date(slot.weekday, today)
        start, end = _in_utc(day, slot.start_minute, where), _in_utc(day, slot.end_minute, where)
        local = f"{WEEKDAY_NAMES[slot.weekday]} {clock(slot.start_minute)}–{clock(slot.end_minute)}"
        shown.append(ShownSlot(local=local, reader=_span(in_zone(start, reader_zone), in_zone(end, reader_zone)),
                               utc_start=start, utc_end=end))
    return shown


def _span(start: datetime, end: datetime) -> str:
    if start.date() == (end - timedelta(minutes=1)).date():
        return f"{WEEKDAY_NAMES[start.weekday()]} {start:%H:%M}–{_end_clock(end)}"
    return f"{WEEKDAY_NAMES[start.weekday()]} {start:%H:%M} – {WEEKDAY_NAMES[end.weekday()]} {end:%H:%M}"


def clock_in_zone(moment: datetime, zone_name: str) -> str:
    """A stored (naive UTC) moment as the clock reads in `zone_name`."""
    return f"{in_zone(moment, zone_name):%H:%M}"


def _end_clock(end: datetime) -> str:
    # An end at midnight belongs to the day it closes.
    return "24:00" if end.hour == 0 and end.minute == 0 else f"{end:%H:%M}"
