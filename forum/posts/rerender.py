"""Re-rendering stored Markdown after the text rules change."""
from sqlalchemy import inspect, select

from forum.extensions import db
from forum.models.accounts import User
from forum.models.posts import Post
from forum.posts.text import mentioned_users, render_post_body
from forum.text import render_markdown

BATCH = 500


def rerender_posts() -> int:
    """Render every post again from its Markdown; returns how many changed."""
    changed = 0
    last_id = 0
    while True:
        batch = db.session.scalars(select(Post).where(Post.id > last_id).order_by(Post.id).limit(BATCH)).all()
        if not batch:
            break
        for post in batch:
            html = render_post_body(post.body_md, mentioned_users(post.body_md))
            if html != post.body_html:
                post.body_html = html
                changed += 1
        last_id = batch[-1].id
        db.session.commit()
    return changed


def rerender_column(model, md_column: str, html_column: str, render=render_markdown) -> int:
    """Render `model`'s `md_column` again into `html_column`, a batch at a time, for the
    parts' own Markdown (reviews, sections, lessons...); returns how many rows changed.
    Empty Markdown stays empty HTML, as the parts store it."""
    key = inspect(model).primary_key[0]  # a call for ideas is keyed by its thread
    changed = 0
    last_id = 0
    while True:
        batch = db.session.scalars(select(model).where(key > last_id).order_by(key).limit(BATCH)).all()
        if not batch:
            break
        for row in batch:
            source = getattr(row, md_column)
            html = render(source) if source else ""
            if html != getattr(row, html_column):
                setattr(row, html_column, html)
                changed += 1
        last_id = getattr(batch[-1], key.key)
        db.session.commit()
    return changed


def rerender_bios() -> int:
    changed = 0
    for user in db.session.scalars(select(User).where(User.bio_md != "")):
        html = render_markdown(user.bio_md)
        if html != user.bio_html:
            user.bio_html = html
            changed += 1
    db.session.commit()
    return changed
