"""Domain errors raised by services, and the error pages that answer HTTP errors.

Services raise these with a message in plain words (and the form field it concerns);
views show the message next to the field or on a 4xx page.
"""
import logging

from flask import abort, flash, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from forum.extensions import db
from forum.forms import EXPIRED_BUTTON_MESSAGE

log = logging.getLogger(__name__)


class DomainError(Exception):
    """A request the rules refuse. `field` names the form field it concerns, if any;
    `title` heads its error page where the status's own title would mislead."""

    status = 400

    def __init__(self, message: str, field: str | None = None, *, title: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.title = title


def flash_outcome(action, done: str, *, refusal_category: str = "error") -> bool:
    """Run `action()` for a button that answers with a flashed message: `done` when it went
    through, the refusal's plain words (a 400: nothing to undo, no reason given) when not.
    A 403 or 404 still raises, to its error page. True when it went through."""
    try:
        action()
    except DomainError as error:
        if error.status != 400:
            raise
        flash(error.message, refusal_category)
        return False
    flash(done, "success")
    return True


class Refusals(DomainError):
    """Several problems with one form, each naming its field: told together, so a form is
    put right in one round rather than one message at a time. Read as a DomainError, it
    is the first of them."""

    def __init__(self, problems: list[DomainError]):
        super().__init__(problems[0].message, problems[0].field)
        self.problems = problems


def refuse_any(problems: list[DomainError]) -> None:
    """Raise `problems`, if there are any: the one alone, or all of them together."""
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise Refusals(problems)


class Problems:
    """The problems a service finds while it checks a form's values field by field, told
    together: each check that refuses (a 400) is noted and the next field is checked, so a
    form is put right in one round. A 403, 404, 409 or 429 still stops at once.

        problems = Problems()
        title = problems.check(clean_title, title)    # None when refused
        if audience not in AUDIENCES:
            problems.add("Choose who it is for.", "audience")
        problems.refuse_any()                          # raises them all, if any
    """

    def __init__(self):
        self.found: list[DomainError] = []

    def check(self, clean, *args, **kwargs):
        """`clean(*args, **kwargs)`, or None when it refuses (its refusal kept)."""
        try:
            return clean(*args, **kwargs)
        except DomainError as problem:
            if problem.status != 400:
                raise
            self.found.extend(getattr(problem, "problems", [problem]))
            return None

    def add(self, message: str, field: str | None = None) -> None:
        self.found.append(DomainError(message, field))

    def about(self, field: str) -> bool:
        """Whether a problem was found with `field` (a later check that builds on it waits)."""
        return any(problem.field == field for problem in self.found)

    def refuse_any(self) -> None:
        refuse_any(self.found)


class NotFound(DomainError):
    """Missing, or not visible to this user: strangers cannot tell the two apart."""

    status = 404


class Forbidden(DomainError):
    status = 403


class Conflict(DomainError):
    status = 409


def attach_to_form(form, error: DomainError) -> None:
    """Show a domain error beside the field it names, or above the form (each of them, for
    Refusals)."""
    for problem in getattr(error, "problems", [error]):
        field = getattr(form, problem.field, None) if problem.field else None
        if field is not None:
            field.errors = [*field.errors, problem.message]
        else:
            form.form_errors.append(problem.message)


def attach_where_free(form, problems: list[DomainError]) -> None:
    """After the form's own checks refused it: the forum's rules too, beside each field the
    form found nothing wrong with, so everything is told in one round (a field already
    refused is told that alone)."""
    for problem in problems:
        field = getattr(form, problem.field, None) if problem.field else None
        if field is not None and not field.errors:
            attach_to_form(form, problem)


ERROR_TITLES = {
    400: "That request did not make sense",
    403: "You can't do that here",
    404: "We couldn't find that page",
    405: "That isn't allowed on this page",
    409: "That clashes with something already there",
    413: "That was too large",
    429: "Slow down a little",
    500: "Something went wrong on our side",
    503: "The forum is resting",
}


def render_error(status: int, message: str | None = None, *, title: str | None = None, **context):
    title = title or ERROR_TITLES.get(status, "Something went wrong")
    return render_template("errors/error.html", status=status, title=title, message=message,
                           typed=_writing_sent(status), **context), status


# The boxes people write in (posts, replies, responses, reviews, requests, lessons).
WRITING_FIELDS = ("body", "message", "lesson_md", "summary_md", "question", "note", "bio")


def _writing_sent(status: int) -> list[str]:
    """What was written in a form refused as a whole (the thread was hidden, the program
    closed, the mentorship ended while they typed): shown back to copy, never lost."""
    if request.method != "POST" or status not in (403, 404, 409):
        return []
    return [text for name in WRITING_FIELDS if (text := request.form.get(name, "")).strip()]


REFERRER_MESSAGE = ("Your browser did not say which of the forum's pages this was sent from, which the forum "
                    "checks so that other sites cannot act in your name. Nothing was changed. If a privacy "
                    "setting or extension hides it, allow it for this site, then go back and try again.")
NUL_MESSAGE = "That contained a NUL character, which the forum cannot accept. Please remove it and try again."


def _contains_nul() -> bool:
    values = [request.path, *(value for _, value in request.args.items(multi=True))]
    if request.method == "POST":
        values += [value for _, value in request.form.items(multi=True)]
    return any("\x00" in value for value in values)


def configure_error_pages(app) -> None:
    @app.before_request
    def refuse_nul_characters():
        # No one types a NUL, and PostgreSQL cannot compare or store one: refuse it
        # here with a 400 rather than fail inside a query with a 500.
        if _contains_nul():
            abort(400, NUL_MESSAGE)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        message = None
        # Ours when given (abort(403, "why")); Werkzeug's own ("read-protected or not
        # readable by the server") says nothing a reader can use, so the title stands alone.
        if error.code in (400, 403, 409, 429) and error.description != type(error).description:
            message = error.description
        response = render_error(error.code or 500, message)
        if error.code == 429:
            retry = getattr(error, "retry_after", None)
            if retry:
                return response[0], 429, {"Retry-After": str(retry)}
        return response

    @app.errorhandler(CSRFError)
    def expired_page(error: CSRFError):
        # The site-wide guard's own words ("The CSRF token is missing.") mean nothing to
        # a reader; what happened is almost always that the page had been open too long.
        # Over HTTPS the guard also wants the page a form came from (the Referer), which a
        # privacy setting or extension may hold back: reloading would not help there.
        if "referrer" in (error.description or "").lower():
            return render_error(400, REFERRER_MESSAGE, title="Your browser held something back")
        return render_error(400, EXPIRED_BUTTON_MESSAGE, title="That page had expired", expired=True)

    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        return render_error(error.status, error.message, title=error.title, said_why=error.title is not None)

    @app.errorhandler(Exception)
    def server_error(error: Exception):
        # Roll back so the next request on this session does not inherit a failed transaction.
        db.session.rollback()
        log.exception("unhandled error on %s %s", request.method, request.path)
        return render_error(500)
