"""Times as each reader reads them.

Times are stored as naive UTC (forum/clock.py) and shown in the reader's own zone, in one
date format and one date-and-time format:

- a date: "7 Dec 2026" (a month alone, where a page says no more: "December 2026");
- a date and time: "7 Dec 2026, 14:05".

A time of day names its zone when the reader's zone is UTC ("7 Dec 2026, 14:05 UTC"): a
visitor, or a member who has not chosen one, is told it may not be their clock. A member
who chose a zone reads their own clock, unnamed, as on their phone. Text kept or sent
beyond the page (a notification, an email) always names the zone ("… 01:05 Sydney time"),
since it is read later, maybe after the setting changed, and outside the forum.
Pure functions: the reader's zone is passed in (forum/templating.py finds it for pages).
"""
from datetime import date, datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

UTC_NAME = "UTC"
UTC = ZoneInfo(UTC_NAME)


@lru_cache(maxsize=1)
def time_zone_names() -> tuple[str, ...]:
    """Zones a person would pick: "Region/City" names, plus UTC."""
    names = {name for name in available_timezones()
             if "/" in name and not name.startswith(("Etc/", "SystemV/", "posix/", "right/", "US/"))}
    return (UTC_NAME, *sorted(names))


def is_time_zone(name: str) -> bool:
    return name in time_zone_names()


def zone(name: str) -> ZoneInfo:
    """The zone called `name`; UTC when this host does not know it, so a page never fails."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def zone_label(name: str) -> str:
    """How a time names its zone: "UTC", or the zone's place ("Sydney time", "Buenos Aires time")."""
    key = zone(name).key
    return UTC_NAME if key == UTC_NAME else key.rpartition("/")[2].replace("_", " ") + " time"


def in_zone(moment: datetime, zone_name: str) -> datetime:
    """A stored (naive UTC) moment as the clock and calendar read in `zone_name`."""
    return moment.replace(tzinfo=UTC).astimezone(zone(zone_name))


def stored_moment(day: date, at: time, zone_name: str) -> datetime | None:
    """When the clock in `zone_name` reads `at` on `day`, as stored (naive UTC), to filter by
    the days a reader reads; None where that falls past the calendar (year 1 or 9999 in UTC),
    which bounds nothing."""
    try:
        return datetime.combine(day, at, tzinfo=zone(zone_name)).astimezone(UTC).replace(tzinfo=None)
    except OverflowError:
        return None


def local_date(moment: datetime | None, zone_name: str = UTC_NAME) -> str:
    """ "7 Dec 2026": the day it was in the reader's zone."""
    if moment is None:
        return ""
    local = in_zone(moment, zone_name)
    return f"{local.day} {local:%b %Y}"


def local_month(moment: datetime | None, zone_name: str = UTC_NAME) -> str:
    """ "December 2026", where a page says no more than the month."""
    return f"{in_zone(moment, zone_name):%B %Y}" if moment else ""


def local_datetime(moment: datetime | None, zone_name: str = UTC_NAME, *, named: bool = False) -> str:
    """ "7 Dec 2026, 14:05" in the reader's zone; the zone named when it is UTC, or always
    with `named` (text kept or mailed)."""
    if moment is None:
        return ""
    local = in_zone(moment, zone_name)
    shown = f"{local.day} {local:%b %Y, %H:%M}"
    if named or local.tzinfo.key == UTC_NAME:
        shown += f" {zone_label(zone_name)}"
    return shown


def zone_of(user) -> str:
    """The zone `user` reads times in: theirs when signed in, else UTC."""
    if not getattr(user, "is_authenticated", False):
        return UTC_NAME
    return getattr(user, "time_zone", None) or UTC_NAME
