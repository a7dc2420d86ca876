"""Mentor cards as plain values: what the directory's cards and the "active now" strip show.

A card reads a dozen columns of the profile, four of its mentor, the median wait of the
moment (a span joined: forum.mentors.responsiveness) and the names of its tags. Loading
them as `MentorProfile` and `User` objects, with the tags through a select-in of
`ProfileTag` objects joined to their `Tag`, cost the directory about three times as much
as the rows themselves (1.2 ms against 0.3 ms for a page of twelve on SQLite).
"""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, select

from forum.accounts.permissions import not_suspended_at
from forum.extensions import db
from forum.mentors import responsiveness
from forum.models.accounts import User
from forum.models.mentors import MentorProfile, ProfileTag, ResponsivenessSpan, Tag


@dataclass(frozen=True, slots=True)
class CardPerson:
    """The mentor, under the names of `User` that cards and `directory.is_active` read."""
    id: int
    username: str
    display_name: str
    last_seen_at: datetime | None
    age_group: str


@dataclass(frozen=True, slots=True)
class CardTag:
    kind: str
    name: str


@dataclass(frozen=True, slots=True)
class MentorCard:
    """A listed profile under the names of `MentorProfile` that templates/mentors/_macros.html reads."""
    id: int
    headline: str
    rating_sum: int
    review_count: int
    responsiveness_seconds: float | None  # at the time the card was read (responsiveness.py)
    mentors_teens: bool
    mentors_adults: bool
    accepting: bool  # and not suspended: see taking_mentees
    available_now: bool
    available_until: datetime | None
    user: CardPerson
    tags: tuple[CardTag, ...] = ()

    @property
    def average_rating(self) -> float | None:
        return self.rating_sum / self.review_count if self.review_count else None

    def tags_of(self, kind: str) -> list[CardTag]:
        return [tag for tag in self.tags if tag.kind == kind]


# The time a statement with cards is run for (statements are made once and kept, so the
# time is a parameter): forum.mentors.directory runs them all with it, and NOW_SECONDS.
NOW = responsiveness.NOW


def taking_mentees():
    """SQL: the mentor takes new mentees at NOW: they say so, and are not suspended. A
    suspended mentor could not answer, so their profile says they take no one
    (forum.mentors.permissions.request_refusal); lists and cards must say the same."""
    return and_(MentorProfile.accepting.is_(True), not_suspended_at(NOW))


CARD_COLUMNS = (MentorProfile.id, MentorProfile.headline, MentorProfile.rating_sum, MentorProfile.review_count,
                responsiveness.seconds_now().label("responsiveness_seconds"), MentorProfile.mentors_teens,
                MentorProfile.mentors_adults,
                taking_mentees().label("accepting"), MentorProfile.available_now, MentorProfile.available_until,
                User.id, User.username, User.display_name, User.last_seen_at, User.age_group)
_PERSON_AT = CARD_COLUMNS.index(User.id)


def with_responsiveness(statement):
    """The statement with the span that CARD_COLUMNS reads the median wait from."""
    return statement.outerjoin(ResponsivenessSpan, responsiveness.holds_now(MentorProfile.user_id))


def cards_of(rows, with_tags: bool = True) -> list[MentorCard]:
    """Cards from rows that begin with CARD_COLUMNS; their tags in one more statement."""
    tags = _tags_of([row[0] for row in rows]) if with_tags and rows else {}
    return [MentorCard(*row[:_PERSON_AT], CardPerson(*row[_PERSON_AT:len(CARD_COLUMNS)]), tags.get(row[0], ()))
            for row in rows]


def _tags_of(profile_ids: list[int]) -> dict[int, tuple[CardTag, ...]]:
    """Each profile's tags in the mentor's own order (MentorProfile.tag_links)."""
    tags: dict[int, list[CardTag]] = {}
    rows = db.session.execute(select(ProfileTag.profile_id, Tag.kind, Tag.name)
                              .join(Tag, Tag.id == ProfileTag.tag_id).where(ProfileTag.profile_id.in_(profile_ids))
                              .order_by(ProfileTag.profile_id, ProfileTag.position))
    for profile_id, kind, name in rows:
        tags.setdefault(profile_id, []).append(CardTag(kind, name))
    return {profile_id: tuple(shown) for profile_id, shown in tags.items()}
