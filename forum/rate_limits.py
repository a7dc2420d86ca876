"""Rate limits, counted in Flask-Limiter's storage (memory, or Redis when REDIS_URL is set).

Limits are checked where the rule lives rather than by decorating routes, because a
limited request must come back as the form the person filled in, with their text and
a plain message saying when to try again; a decorator would answer before the view
could re-render anything. Services raise `RateLimited` (a DomainError with status 429),
and views show it beside the form like any other refusal.

Usage: `hit(("post", user.id))` counts one and refuses when over; for limits that count
only failures (sign-in, the current password asked by the settings forms),
`refuse_if_limited(...)` first and `count(...)` after a failure. Only requests are
limited: the command line and demo seeding write freely. The sign-in and current-password
limits follow the LOGIN_RATE_LIMIT setting.

While Redis does not answer, each process counts in its own memory instead (as it does
without REDIS_URL), with a warning line in the log each time, rather than answering the
sign-in, post or reaction with a 500.
"""
import logging
import math
import time

from flask import current_app, g, has_request_context, request
from limits import parse_many
from limits.errors import StorageError
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from forum.errors import DomainError
from forum.extensions import limiter

log = logging.getLogger(__name__)

# Named limits: what is counted per what key. Parts may add their own with `define_limit`.
LIMITS: dict[str, str] = {
    "sign_in_address": "6/minute;30/hour",
    "sign_in_account": "6/minute;30/hour",
    "current_password": "6/minute;30/hour",
    "register_address": "3/day",
    # Anyone can type a member's address: reset mail is limited per address (with an account
    # or not, so the answer tells nothing) and per network, or a stranger could fill an inbox.
    "reset_email": "3/hour",
    "reset_address": "10/hour",
    # Each new address typed in the settings is mailed, so the same holds there, per account.
    "email_change": "10/hour",
    "post": "1/5 seconds",
    "thread": "1/15 seconds",
    "reaction": "50/day",
    "flag": "20/day",
    # Counted apart: a day of flagging spam must never refuse the flag about someone in danger.
    "flag_urgent": "20/day",
    # Each download of "what I wrote" reads everything someone ever wrote here.
    "writing_download": "5/hour",
}
# Settings that replace a default, so operators can tune a limit without a release.
SETTINGS = {"sign_in_address": "LOGIN_RATE_LIMIT", "sign_in_account": "LOGIN_RATE_LIMIT",
            "current_password": "LOGIN_RATE_LIMIT"}
MESSAGES = {
    "sign_in_address": "Too many sign-in attempts from this network.",
    # Guesses by a stranger close the account to its owner too: the way out, for them.
    "sign_in_account": ("Too many sign-in attempts for this account. If this is your account, “Forgot your "
                        "password?” lets you choose a new one by email and sign in with it straight away."),
    # The one who typed them may be someone else at an open session: the owner can still
    # sign out and choose a new password by email, which also signs out every other device.
    "current_password": ("Too many wrong passwords for this account. If you have forgotten it, sign out "
                         "and use “Forgot your password?” to choose a new one by email."),
    "register_address": "Too many new accounts from this network today.",
    "reset_email": "We have sent several reset links for this address already; check its inbox and spam folder.",
    "reset_address": "Too many reset links from this network.",
    "email_change": "You have asked to move to several new addresses already; check those inboxes first.",
    "post": "You're posting very quickly.",
    "thread": "You're starting threads very quickly.",
    "reaction": "You've reacted a lot today.",
    "flag": "You've flagged a lot today; thank you. Moderators will get to them.",
    "flag_urgent": ("You've said someone may be in danger many times today; thank you, moderators will look at "
                    "each. If someone is in danger now, call your local emergency number; Help now lists crisis lines."),
    "writing_download": "You have downloaded what you wrote several times in the last hour.",
}


class RateLimited(DomainError):
    status = 429

    def __init__(self, message: str, retry_after: int, field: str | None = None):
        super().__init__(message, field)
        self.retry_after = retry_after


def define_limit(name: str, rule: str, message: str) -> None:
    """Add a named limit for another part, e.g. define_limit("request", "5/day", "...")."""
    parse_many(rule)  # fails now, at import, rather than on someone's request
    LIMITS[name] = rule
    MESSAGES[name] = message


def _active() -> bool:
    return has_request_context() and bool(current_app.config.get("RATELIMIT_ENABLED"))


# Counts kept in this process while the shared storage (Redis) does not answer.
FALLBACK_STORAGE = MemoryStorage()


def _strategy(storage=None) -> MovingWindowRateLimiter:
    # Moving window: "one post per 5 seconds" means 5 seconds, not "once per clock tick".
    return MovingWindowRateLimiter(storage or limiter.storage)


def _counting(action):
    """Run action(strategy) on the shared storage, or on this process's while it fails."""
    storage = limiter.storage
    if isinstance(storage, MemoryStorage):
        return action(_strategy(storage))
    try:
        return action(_strategy(storage))
    except (StorageError, storage.base_exceptions) as error:
        words = str(error).strip()
        log.warning("rate limit storage unavailable, counting in this process: %s",
                    words.splitlines()[0] if words else type(error).__name__)
        return action(_strategy(FALLBACK_STORAGE))


def _key(value) -> str:
    return str(value).strip().lower()[:200] or "-"


def _rules(name: str):
    return parse_many(current_app.config.get(SETTINGS.get(name, ""), None) or LIMITS[name])


def refuse_if_limited(*checks: tuple[str, object], field: str | None = None) -> None:
    """Raise RateLimited if any (limit name, key) is used up; counts nothing."""
    if not _active():
        return

    def refuse(strategy):
        for name, key in checks:
            for item in _rules(name):
                if not strategy.test(item, name, _key(key)):
                    reset_at, _ = strategy.get_window_stats(item, name, _key(key))
                    raise _refusal(name, reset_at, field)
    _counting(refuse)


def count(*checks: tuple[str, object]) -> None:
    """Count one event against each (limit name, key)."""
    if not _active():
        return

    def add(strategy):
        for name, key in checks:
            for item in _rules(name):
                strategy.hit(item, name, _key(key))
    _counting(add)


def clear(*checks: tuple[str, object]) -> None:
    """Forget what was counted against each (limit name, key)."""
    if not _active():
        return

    def forget(strategy):
        for name, key in checks:
            for item in _rules(name):
                strategy.clear(item, name, _key(key))
    _counting(forget)


def hit(*checks: tuple[str, object], field: str | None = None) -> None:
    """Refuse when over any limit, otherwise count this one."""
    refuse_if_limited(*checks, field=field)
    count(*checks)


def _refusal(name: str, reset_at: float, field: str | None) -> RateLimited:
    seconds = max(1, math.ceil(reset_at - time.time()))
    g.retry_after = seconds
    return RateLimited(f"Slow down a little. {MESSAGES[name]} Please try again {wait_in_words(seconds)}.",
                       seconds, field)


def wait_in_words(seconds: int) -> str:
    if seconds < 60:
        return f"in {seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    if minutes < 60:
        return f"in {minutes} minute{'s' if minutes != 1 else ''}"
    hours = math.ceil(minutes / 60)
    return f"in about {hours} hour{'s' if hours != 1 else ''}"


def client_address() -> str:
    """The address a request came from. Behind a load balancer, TRUSTED_PROXIES makes
    this the client's own address rather than the balancer's (see forum.ops.proxies)."""
    return request.remote_addr or "unknown"
