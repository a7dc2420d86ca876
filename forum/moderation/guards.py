"""What every request and response passes through: security headers, a refusal for
numbers no database holds, the answer to a rate-limited request, and the safety
template globals."""
from flask import abort, current_app, g, request
from flask_login import current_user

from forum.clock import utcnow
from forum.extensions import db
from forum.models import LARGEST_ID
from forum.moderation import blocking, bp, services

# No inline script or style anywhere: templates link /static files only.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
# Query-string boxes people type words in: a long number there (a phone number, an order
# number) is something to search for, not an id.
TYPED_WORDS = frozenset({"q", "author", "actor", "next"})
# Far beyond any real list; past it, page offsets overflow the database's integers.
MAX_PAGE = 1_000_000


@bp.before_app_request
def refuse_numbers_too_large():
    """A number in a URL larger than the database's integers names nothing: answer 404
    rather than fail inside the query. (NUL bytes are refused in forum.errors.)"""
    numbers = [str(value) for value in (request.view_args or {}).values() if isinstance(value, int)]
    numbers += [value for name, value in request.args.items(multi=True)
                if name not in TYPED_WORDS and value.isdecimal()]
    page = request.args.get("page", "")
    if _exceeds(page, MAX_PAGE) or any(_exceeds(number, LARGEST_ID) for number in numbers):
        abort(404)


def _exceeds(digits: str, limit: int) -> bool:
    """Whether a string of digits is a number above `limit`, without converting a huge one.
    Digits of any script count: int() reads "٣" as 3, and so does the forum (forum.text.typed)."""
    if not digits.isdecimal():
        return False
    digits = digits.lstrip("0")
    return len(digits) > len(str(limit)) or (len(digits) == len(str(limit)) and int(digits) > limit)


@bp.after_app_request
def add_security_headers(response):
    for name, value in SECURITY_HEADERS.items():
        response.headers[name] = value
    if request.endpoint != "static" and current_user.is_authenticated:
        # Someone's messages, notifications and settings: on a shared computer, Back after
        # signing out must not bring them out of the browser's cache. Visitors' pages and
        # static files stay cacheable.
        response.headers["Cache-Control"] = "no-store"
    if current_app.config.get("FORUM_ENV") == "production":
        response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    retry_after = g.get("retry_after")
    if retry_after:
        # The view showed the form again with the text and when to try; say it in HTTP too.
        response.headers["Retry-After"] = str(retry_after)
        if response.status_code < 300 or 400 <= response.status_code < 500:
            response.status_code = 429
    return response


@bp.app_template_global()
def viewer_blocked_ids() -> frozenset[int]:
    return blocking.viewer_blocked_ids(current_user)


@bp.app_template_global()
def viewer_suspension():
    """The signed-in person's suspension in force, for the banner; no query unless suspended."""
    if not current_user.is_authenticated:
        return None
    if "suspension" not in g:
        g.suspension = services.current_suspension(current_user, utcnow())
    return g.suspension


@bp.app_template_global()
def viewer_blocks_preview(limit: int = 10):
    """The first people the viewer blocked and how many in all, for the settings page."""
    blocks = db.session.scalars(blocking.blocked_people(current_user).limit(limit)).all()
    return blocks, (blocking.blocked_count(current_user) if len(blocks) == limit else len(blocks))
