"""GET /mentions/suggest?q=: people a writer may @mention, for the post box's autocomplete.

A small JSON endpoint; the box works without it (typing @name by hand). Who may be
offered is decided with the other visibility rules, in forum.posts.visibility
(`mentionable_people_clause`): the age-group rule of the spaces, and blocks either way.
"""
import unicodedata
from functools import wraps

from flask import jsonify, request
from flask_limiter import RateLimitExceeded
from flask_login import current_user
from sqlalchemy import func, or_, select

from forum.accounts.permissions import is_signed_in
from forum.extensions import db, limiter
from forum.models.accounts import User
from forum.posts import bp
from forum.posts.visibility import mentionable_people_clause

SUGGESTION_LIMIT = 8
QUERY_LIMIT = 20
SUGGEST_RATE = "60/minute"


def like_prefix(text: str) -> str:
    """A LIKE pattern for "starts with `text`", its wildcards taken literally (escape '\\')."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def suggestion_query_problem(query: str) -> str | None:
    if not query:
        return "Type at least one letter after @ to see suggestions."
    if len(query) > QUERY_LIMIT:
        return f"Usernames are at most {QUERY_LIMIT} characters; type fewer letters."
    return None


def name_prefixes(query: str) -> list[str]:
    """The typed letters as a display name may hold them. SQLite's lower() and LIKE fold
    only English letters, so "мар" is looked for as "Мар" and "МАР" too (PostgreSQL folds
    every alphabet, and finds it through lower() alone)."""
    return list(dict.fromkeys([query, query.lower(), query.upper(), query[:1].upper() + query[1:].lower()]))


def mention_suggestions(writer, query: str):
    """Select up to SUGGESTION_LIMIT people whose username or display name starts with `query`."""
    query = unicodedata.normalize("NFC", query)  # as display names are stored
    pattern = like_prefix(query.lower())
    names_as_held = [User.display_name.like(like_prefix(prefix), escape="\\") for prefix in name_prefixes(query)]
    return (select(User)
            .where(or_(User.username_key.like(pattern, escape="\\"),
                       func.lower(User.display_name).like(pattern, escape="\\"), *names_as_held),
                   mentionable_people_clause(writer), User.closed_at.is_(None))
            .order_by(User.username_key).limit(SUGGESTION_LIMIT))


def _per_writer() -> str:
    if is_signed_in(current_user):
        return f"mention-suggest:user:{current_user.id}"
    return f"mention-suggest:ip:{request.remote_addr}"


def _json_when_limited(view):
    """Answer a breached rate limit in JSON, as the rest of this endpoint does."""
    @wraps(view)
    def answer(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except RateLimitExceeded as error:
            retry = getattr(error, "retry_after", None)
            headers = {"Retry-After": str(retry)} if retry else {}
            message = "Too many lookups in a short time. Wait a moment, or type the name in full."
            return jsonify(error=message), 429, headers
    return answer


@bp.get("/mentions/suggest")
@_json_when_limited
@limiter.limit(SUGGEST_RATE, key_func=_per_writer)
def suggest_mentions():
    if not is_signed_in(current_user):
        return jsonify(error="Sign in to look people up."), 401
    query = request.args.get("q", "").strip().removeprefix("@")
    problem = suggestion_query_problem(query)
    if problem:
        return jsonify(error=problem), 400
    people = db.session.scalars(mention_suggestions(current_user, query))
    return jsonify(users=[{"username": person.username, "display_name": person.display_name}
                          for person in people])
