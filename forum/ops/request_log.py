"""One line per request on the `forum.requests` logger:

    GET /threads/12 200 8.4ms user=31

Static files are left out (a page brings several); secrets in a path (a password reset
token) are logged as the route's pattern instead.
"""
import logging
from time import perf_counter

from flask import g, request, request_started

from forum.ops import bp

log = logging.getLogger("forum.requests")

SECRET_VIEW_ARGS = frozenset({"token"})


def _note_start(_sender, **_extra) -> None:
    g.request_started_at = perf_counter()


@bp.record_once
def start_the_clock(state) -> None:
    # The signal fires before any before_request hook, so a hook that fails (the
    # database is down) still leaves a start time behind.
    request_started.connect(_note_start, state.app)


@bp.after_app_request
def log_request(response):
    if request.endpoint == "static":
        return response
    started = g.get("request_started_at")
    milliseconds = (perf_counter() - started) * 1000 if started is not None else 0.0
    log.info("%s %s %s %.1fms user=%s", request.method, loggable_path(), response.status_code,
             milliseconds, _signed_in_user_id())
    return response


def loggable_path() -> str:
    if request.url_rule is not None and SECRET_VIEW_ARGS & set(request.view_args or ()):
        return request.url_rule.rule
    return request.path


def _signed_in_user_id() -> str:
    # Only a user Flask-Login already loaded for this request: logging never queries.
    user = g.get("_login_user")
    if user is None or not user.is_authenticated:
        return "-"
    return str(user.id)
