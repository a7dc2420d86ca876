"""A page of a mentor's reviews as plain values, as the profile page shows them.

Each review was loaded as a `Review` with its author as a `User`, whose roles and badges
came in two select-ins of ORM objects, and the pager counted the reviews again: a third of
the profile page's time went to what a byline and a few dates show. The columns shown are
read as rows now, the bylines in one statement, and the total comes with the rating
distribution (reviews.review_counts).
"""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from forum.accounts.bylines import bylines
from forum.extensions import db
from forum.mentors.reviews import shown_to
from forum.models.accounts import User
from forum.models.mentors import Review
from forum.posts.reading import KnownPagination
from forum.posts.shown import Author

REVIEWS_PER_PAGE = 10


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
    hidden_at: datetime | None
    hidden_reason: str
    author: Author


_SHOWN_COLUMNS = (Review.id, Review.mentor_id, Review.author_id, Review.rating, Review.body_html,
                  Review.created_at, Review.edited_at, Review.mentor_reply_html, Review.replied_at,
                  Review.hidden_at, Review.hidden_reason)


def reviews_page(mentor_id: int, viewer, page: int, total: int) -> KnownPagination:
    """Page `page` of the mentor's reviews `viewer` may see, newest first; `total` is how
    many they see in all."""
    statement = (select(*_SHOWN_COLUMNS, User.username, User.display_name)
                 .join(User, User.id == Review.author_id).where(Review.mentor_id == mentor_id))
    shown = shown_to(viewer)
    if shown is not None:
        statement = statement.where(shown)
    statement = (statement.order_by(Review.created_at.desc(), Review.id.desc())
                 .limit(REVIEWS_PER_PAGE).offset((page - 1) * REVIEWS_PER_PAGE))
    rows = db.session.execute(statement).all() if (page - 1) * REVIEWS_PER_PAGE < total else []
    authors = bylines({row.author_id: (row.username, row.display_name) for row in rows})
    items = [ShownReview(*row[:len(_SHOWN_COLUMNS)], authors[row.author_id]) for row in rows]
    return KnownPagination(page=page, per_page=REVIEWS_PER_PAGE, error_out=False, items=items, total=total)
