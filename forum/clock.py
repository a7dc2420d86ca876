"""One notion of "now" for the whole forum.

Times are stored as naive UTC: SQLite has no time zone type, and mixing aware and naive
datetimes between databases is a classic source of comparison errors.
"""
from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
