"""A clear 503 page while the database is unreachable (or every pooled connection stays
busy past the pool's timeout), and nothing kept from the failure.

The pool pings a connection before handing it out (pool_pre_ping), so once the database
answers again the next request gets a fresh connection: the forum recovers by itself.
"""
import logging

from flask import g, request
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from forum.errors import render_error
from forum.extensions import db, login_manager
from forum.ops import bp
from forum.ops.health import database_unavailable_answer
from forum.ops.request_log import loggable_path

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30


@bp.app_errorhandler(OperationalError)
@bp.app_errorhandler(InterfaceError)
@bp.app_errorhandler(PoolTimeout)
def database_unavailable(error: SQLAlchemyError):
    try:
        db.session.rollback()
    except DBAPIError:
        pass  # the connection is already gone; the pool has discarded it
    # The page must not ask the database who is signed in (that is what just failed):
    # show it as to a visitor. Flask-Login keeps the request's user in g._login_user.
    g._login_user = login_manager.anonymous_user()
    log.warning("database unavailable on %s %s: %s", request.method, loggable_path(), _first_line(error))
    if request.blueprint == bp.name:
        return database_unavailable_answer()
    body, status = render_error(503)
    return body, status, {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}


def database_not_answering(error: SQLAlchemyError) -> str:
    """What a flask command (or `db upgrade`) tells the operator, in place of a traceback."""
    return (f"The database is not answering ({_first_line(error)}): "
            "check DATABASE_URL, and that the database server is running.")


def _first_line(error: SQLAlchemyError) -> str:
    """The driver's own words, on one line: the log keeps one line per event."""
    words = str(getattr(error, "orig", None) or error).strip()
    return words.splitlines()[0] if words else type(error).__name__
