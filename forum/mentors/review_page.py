"""What the profile page shows of a mentor's reviews: the rating distribution, how many
reviews the reader sees, and a page of them as plain values.

Each review was loaded as a `Review` with its author as a `User`, whose roles and badges
came in two select-ins of ORM objects, and the pager counted the reviews again: a third of
the profile page's time went to what a byline and a few dates show. The columns shown are
read as rows now, the bylines in one statement, and the total comes with the rating
distribution. The statements are made once for each kind of reader (staff, signed in,
signed out) and run with the ids as parameters: SQLAlchemy finds a statement's compiled
form by a key worked out from the whole statement, which costs about as much as running
these small queries.
"""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, bindparam, case, func, or_, select

from forum.accounts.bylines import bylines
from forum.accounts.permissions import is_signed_in, is_staff
from forum.extensions import db
from forum.mentors.reviews import RATINGS
from forum.models.accounts import User
from forum.models.mentors import Review
from forum.posts.reading import KnownPagination
from forum.posts.shown import Author

REVIEWS_PER_PAGE = 10
# Which reviews each kind of reader sees: the SQL twin of `can_see_review` (None: all).
SHOWN_TO = {
    "staff": None,
    "signed_in": or_(Review.hidden_at.is_(None), Review.author_id == bindparam("viewer_id")),
    "signed_out": Review.hidden_at.is_(None),
}


def reader_kind(viewer) -> str:
    if is_staff(viewer):
        return "staff"
    return "signed_in" if is_signed_in(viewer) else "signed_out"


def _parameters(mentor_id: int, viewer) -> dict:
    return {"mentor_id": mentor_id, "viewer_id": viewer.id if is_signed_in(viewer) else None}


def _counts_statement(shown):
    """(rating, reviews not hidden, reviews the reader sees) for each rating given."""
    seen = func.count() if shown is None else func.count(case((shown, 1)))
    return (select(Review.rating, func.count(case((Review.hidden_at.is_(None), 1))), seen)
            .where(Review.mentor_id == bindparam("mentor_id")).group_by(Review.rating))


_COUNTS = {kind: _counts_statement(shown) for kind, shown in SHOWN_TO.items()}


def review_counts(mentor_id: int, viewer) -> tuple[dict[int, int], int]:
    """How many reviews gave each number of stars (hidden ones don't count), and how many
    reviews `viewer` sees (hidden ones too, to their author and moderators), in one
    grouped query: the second was a count of its own for the pager."""
    counts = dict.fromkeys(RATINGS, 0)
    total = 0
    for rating, count, seen in db.session.execute(_COUNTS[reader_kind(viewer)], _parameters(mentor_id, viewer)):
        counts[rating] = count
        total += seen
    return counts, total


@dataclass(frozen=True, slots=True)
class ShownReview:
    """A review under the same names as on `Review`, for the template and the permission
    predicates (can_edit_review and the others read the ids, the dates and hidden_at)."""
    id: int
    mentor_id: int
    author_id: int
    rating: int
    body_html: str
    created_at: datetime
    edited_at: datetime | None
    mentor_reply_html: str
    replied_at: datetime | None
    reply_edited_at: datetime | None
    hidden_at: datetime | None
    hidden_reason: str
    author: Author
    author_age_group: str  # a teen's review is answered only by a mentor who may mentor teens


_SHOWN_COLUMNS = (Review.id, Review.mentor_id, Review.author_id, Review.rating, Review.body_html,
                  Review.created_at, Review.edited_at, Review.mentor_reply_html, Review.replied_at,
                  Review.reply_edited_at, Review.hidden_at, Review.hidden_reason)


def _page_statement(shown):
    """A page of the reviews shown, newest first, with their authors' names."""
    statement = (select(*_SHOWN_COLUMNS, User.username, User.display_name, User.age_group)
                 .join(User, User.id == Review.author_id).where(Review.mentor_id == bindparam("mentor_id")))
    if shown is not None:
        statement = statement.where(shown)
    return (statement.order_by(Review.created_at.desc(), Review.id.desc())
            .limit(bindparam("limit")).offset(bindparam("offset")))


_PAGES = {kind: _page_statement(shown) for kind, shown in SHOWN_TO.items()}


def reviews_page(mentor_id: int, viewer, page: int, total: int) -> KnownPagination:
    """Page `page` of the mentor's reviews `viewer` may see, newest first; `total` is how
    many they see in all (review_counts)."""
    offset = (page - 1) * REVIEWS_PER_PAGE
    rows = []
    if offset < total:  # past the last page there is nothing to read
        rows = db.session.execute(_PAGES[reader_kind(viewer)],
                                  {**_parameters(mentor_id, viewer), "limit": REVIEWS_PER_PAGE, "offset": offset}).all()
    authors = bylines({row.author_id: (row.username, row.display_name) for row in rows})
    items = [ShownReview(*row[:len(_SHOWN_COLUMNS)], authors[row.author_id], row.age_group) for row in rows]
    return KnownPagination(page=page, per_page=REVIEWS_PER_PAGE, error_out=False, items=items, total=total)


def page_of_review(review: Review, viewer) -> int:
    """The page of its mentor's reviews `review` is on for `viewer`: how many they see
    that come before it, newest first, as reviews_page orders them."""
    newer = select(func.count()).select_from(Review).where(
        Review.mentor_id == review.mentor_id,
        or_(Review.created_at > review.created_at, and_(Review.created_at == review.created_at, Review.id > review.id)))
    if (shown := SHOWN_TO[reader_kind(viewer)]) is not None:
        newer = newer.where(shown)
    before = db.session.scalar(newer, _parameters(review.mentor_id, viewer)) or 0
    return before // REVIEWS_PER_PAGE + 1
