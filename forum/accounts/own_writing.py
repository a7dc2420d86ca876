"""Download what I wrote: everything a member wrote here, as one CSV file a spreadsheet opens.

First their profile as it stands now, undated (no date is kept for it): display name,
bio, and a mentor's headline and sections, hidden ones marked so. Closing an account
deletes these, so the file is the one copy the member can keep.
Their posts in every part (posts, responses, replies, ideas, mentorship messages), named
and placed as their profile names them; the reviews of mentors they wrote; a mentor's
replies to reviews. Oldest first, as a journal reads. Their words whatever became of them:
a post they removed, or one a moderator hid (with the reason they were told), is in the
file and marked so.

It costs the same statements however much they wrote: their posts with their threads, one
for each part whose places name more than the thread (a discussion's program), the reviews
they wrote, and the replies they gave, and their mentor page with its sections.
"""
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import defer, joinedload, lazyload

from forum import rate_limits
from forum.extensions import db
from forum.links import path_for, site_url
from forum.local_time import in_zone, zone_of
from forum.models.mentors import MentorProfile, ProfileSection, Review
from forum.models.posts import Post
from forum.posts.policies import policy_for
from forum.spreadsheets import csv_text

COLUMNS = ["When (UTC)", "What", "Where", "Link", "Status", "Stars", "Edited (UTC)", "Text"]


def own_writing_file(user, now: datetime) -> tuple[str, str]:
    """(file name, CSV text) of what `user` wrote; RateLimited after a few in an hour."""
    rate_limits.hit(("writing_download", user.id))
    dated = sorted(_post_rows(user) + _review_rows(user) + _reply_rows(user), key=lambda row: row[0])
    rows = _profile_rows(user) + _mentor_page_rows(user) + dated
    # The day on the member's own calendar, as the settings page would show it.
    return f"what-i-wrote-{user.username}-{in_zone(now, zone_of(user)):%Y-%m-%d}.csv", csv_text(COLUMNS, rows)


def _profile_rows(user) -> list[list]:
    link = site_url(path_for("accounts.profile", username=user.username))
    rows = [["", "Display name", "your profile", link, "", "", "", user.display_name]]
    if user.bio_md:
        rows.append(["", "Bio", "your profile", link, "", "", "", user.bio_md])
    return rows


def _mentor_page_rows(user) -> list[list]:
    # Asked of everyone, mentor or not, so the file costs the same statements for each.
    profile = db.session.scalars(
        select(MentorProfile).where(MentorProfile.user_id == user.id)
        .options(lazyload(MentorProfile.user), joinedload(MentorProfile.sections).defer(ProfileSection.body_html))
    ).unique().first()
    if profile is None:
        return []
    link = site_url(path_for("mentors.profile", username=user.username))
    rows = [["", "Headline", "your mentor page", link, "", "", "", profile.headline]] if profile.headline else []
    return rows + [["", f"Section “{section.title}”", "your mentor page", link,
                    "Hidden by you" if section.hidden else "", "", "", section.body_md]
                   for section in profile.sections if section.body_md]


def _post_rows(user) -> list[list]:
    posts = db.session.scalars(
        select(Post).where(Post.author_id == user.id)
        .options(lazyload(Post.author), defer(Post.body_html))
        .order_by(Post.created_at, Post.id)).all()
    threads = {post.thread_id: post.thread for post in posts}
    places = {}
    for kind in {thread.kind for thread in threads.values()}:
        places.update(policy_for(kind).places_of([thread for thread in threads.values() if thread.kind == kind]))
    rows = []
    for post in posts:
        named = policy_for(post.thread.kind).name_of_post(post)
        rows.append([post.created_at, named[:1].upper() + named[1:], places[post.thread_id],
                     site_url(path_for("posts.permalink", post_id=post.id)), _post_status(post), "",
                     post.edited_at, post.body_md])
    return rows


def _post_status(post: Post) -> str:
    said = ["Removed by you"] if post.deleted_at else []
    if post.hidden_at:
        said.append(_hidden(post.hidden_reason))
    return "; ".join(said)


def _hidden(reason: str) -> str:
    return f"Hidden by a moderator: {reason}" if reason else "Hidden by a moderator"


def _review_link(review: Review) -> str:
    return site_url(path_for("mentors.review_permalink", review_id=review.id))


def _review_rows(user) -> list[list]:
    written = db.session.scalars(
        select(Review).where(Review.author_id == user.id)
        .options(joinedload(Review.mentor), lazyload(Review.author), defer(Review.body_html),
                 defer(Review.mentor_reply_html))
        .order_by(Review.created_at, Review.id)).all()
    return [[review.created_at, "Review",
             f"the mentor page of {review.mentor.display_name} (@{review.mentor.username})", _review_link(review),
             _hidden(review.hidden_reason) if review.hidden_at else "", review.rating, review.edited_at,
             review.body_md] for review in written]


def _reply_rows(user) -> list[list]:
    answered = db.session.scalars(
        select(Review).where(Review.mentor_id == user.id, Review.replied_at.is_not(None))
        .options(defer(Review.body_html), defer(Review.mentor_reply_html))
        .order_by(Review.replied_at, Review.id)).all()
    return [[review.replied_at, "Reply to a review", f"{review.author.display_name}’s review on your mentor page",
             _review_link(review), "", "", review.reply_edited_at, review.mentor_reply_md] for review in answered]
