"""GET /mentions/suggest?q=: people a writer may @mention, for the post box's autocomplete.

A small JSON endpoint; the box works without it (typing @name by hand). Who may be
offered is decided with the other visibility rules, in forum.posts.visibility
(`mentionable_people_clause`): the age-group rule of the spaces (but for a private
conversation, such as a teen's with their adult mentor), and blocks either way.
A box that writes in a thread (`thread=`, or `post=` for a reply or an edit) is offered
only people who can read it: naming anyone else tells them nothing (forum/posts/services.py).
"""
import unicodedata
from functools import wraps

from flask import jsonify, request
from flask_limiter import RateLimitExceeded
from flask_login import current_user
from sqlalchemy import func, or_, select

from forum.accounts.permissions import is_signed_in
from forum.extensions import db, limiter
from forum.errors import NotFound
from forum.models.accounts import User
from forum.models.posts import ThreadMember
from forum.posts import bp
from forum.posts.services import get_post_for, get_thread_for
from forum.posts.visibility import can_see_thread, mentionable_people_clause

SUGGESTION_LIMIT = 8
# Looked at for a thread not everyone reads (a teen space, a badge-locked call), of whom
# those who can read it are offered: a bounded number, whatever the thread.
CANDIDATE_LIMIT = 40
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


def mention_suggestions(writer, query: str, limit: int = SUGGESTION_LIMIT, *, in_conversation: bool = False):
    """Select up to `limit` people whose username or display name starts with `query`.
    `in_conversation`: see `mentionable_people_clause`."""
    query = unicodedata.normalize("NFC", query)  # as display names are stored
    pattern = like_prefix(query.lower())
    names_as_held = [User.display_name.like(like_prefix(prefix), escape="\\") for prefix in name_prefixes(query)]
    return (select(User)
            .where(or_(User.username_key.like(pattern, escape="\\"),
                       func.lower(User.display_name).like(pattern, escape="\\"), *names_as_held),
                   mentionable_people_clause(writer, in_conversation=in_conversation), User.closed_at.is_(None))
            .order_by(User.username_key).limit(limit))


def suggestions_in(writer, query: str, thread) -> list[User]:
    """`mention_suggestions` among the people who can read `thread`."""
    statement = mention_suggestions(writer, query, CANDIDATE_LIMIT, in_conversation=thread.is_private)
    if thread.is_private:
        statement = statement.where(User.id.in_(
            select(ThreadMember.user_id).where(ThreadMember.thread_id == thread.id)))
    return [person for person in db.session.scalars(statement) if can_see_thread(person, thread)][:SUGGESTION_LIMIT]


def _thread_written_in(args):
    """The thread the box writes in, from `thread` or `post`; None for a box of no thread."""
    if thread_id := args.get("thread", type=int):
        return get_thread_for(current_user, thread_id)
    if post_id := args.get("post", type=int):
        return get_post_for(current_user, post_id).thread
    return None


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
    try:
        thread = _thread_written_in(request.args)
    except NotFound as error:
        return jsonify(error=error.message), 404
    if thread is None:
        people = db.session.scalars(mention_suggestions(current_user, query))
    else:
        people = suggestions_in(current_user, query, thread)
    return jsonify(users=[{"username": person.username, "display_name": person.display_name}
                          for person in people])
