"""Rendering a post's Markdown with the mentions that resolve to real people."""
from sqlalchemy import select

from forum.extensions import db
from forum.links import path_for
from forum.models.accounts import User
from forum.text import MENTION_LIMIT, extract_mentions, quoted_authors, render_markdown

BODY_LIMIT = 20_000


def mentioned_users(body_md: str) -> list[User]:
    """Existing users mentioned in `body_md`, in order of first mention."""
    names = extract_mentions(body_md)
    if not names:
        return []
    found = {u.username_key: u for u in db.session.scalars(select(User).where(User.username_key.in_(names)))}
    return [found[name] for name in names if name in found]


def render_post_body(body_md: str, mentioned: list[User]) -> str:
    mentionable = {user.username_key: user.username for user in mentioned}
    return render_markdown(body_md, mentionable,
                           lambda username: path_for("accounts.profile", username=username))


def notifiable_mentions(mentioned: list[User], body_md: str) -> list[User]:
    """The people a post tells it names them: those its author named, not those named in
    the words it quotes (each quote of a quote would page them again), and at most
    MENTION_LIMIT of them, however many it names."""
    named = set(extract_mentions(body_md, in_quotes=False))
    return [user for user in mentioned if user.username_key in named][:MENTION_LIMIT]


def mention_verbs(people: list[User], body_md: str) -> dict[int, str]:
    """How a post names each of `people`, by id: "quoted" when it quotes their words
    ("> @ana wrote:"), else "mentioned"."""
    quoted = set(quoted_authors(body_md)) if people else set()
    return {user.id: "quoted" if user.username_key in quoted else "mentioned" for user in people}


def preview_html(body_md: str) -> str:
    """What `body_md` would look like once posted (mentions of real people linked)."""
    return render_post_body(body_md, mentioned_users(body_md))
