"""Settings read from the environment, with defaults that are safe for development.

`load_settings` is the only place that looks at os.environ, so tests can pass a
mapping instead and production refuses to start on a development default.
"""
import os
import re
from pathlib import Path
from typing import NamedTuple

import click

DEVELOPMENT_SECRET_KEY = "dev-only-secret-key-change-me"
SHORTEST_SECRET_KEY = 32
ENVIRONMENTS = ("development", "production", "testing")


class ConfigurationError(click.ClickException):
    """The forum cannot start with these settings; the message says why. A `flask` command
    prints it as one line ("Error: ..."), as click does its own errors, not as a traceback."""


def load_settings(instance_path: str, environ=os.environ) -> dict:
    env = environ.get("FORUM_ENV", "development")
    if env not in ENVIRONMENTS:
        raise ConfigurationError(
            f"FORUM_ENV is {env!r}; it must be one of {', '.join(ENVIRONMENTS)}."
        )
    sqlite_default = "sqlite:///" + str(Path(instance_path) / "forum.sqlite3")
    production = env == "production"
    redis_url = environ.get("REDIS_URL") or None
    return {
        "FORUM_ENV": env,
        "SECRET_KEY": environ.get("SECRET_KEY", DEVELOPMENT_SECRET_KEY),
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(
            environ.get("DATABASE_URL") or sqlite_default
        ),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "REDIS_URL": redis_url,
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        # A Redis that hangs rather than refuses holds each request only this long before the
        # process counts on its own (forum/rate_limits.py): redis-py's own defaults vary by version.
        "RATELIMIT_STORAGE_OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        "RATELIMIT_ENABLED": environ.get("RATELIMIT_ENABLED", "1") != "0",
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_RATE_LIMIT": environ.get("LOGIN_RATE_LIMIT", "6/minute;30/hour"),
        "TRUSTED_PROXIES": _whole_number(environ, "TRUSTED_PROXIES", 0),
        "MAIL_SERVER": environ.get("MAIL_SERVER") or None,
        "MAIL_PORT": _whole_number(environ, "MAIL_PORT", 25),
        "MAIL_USERNAME": environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": environ.get("MAIL_PASSWORD") or None,
        "MAIL_USE_TLS": environ.get("MAIL_USE_TLS", "0") == "1",
        "MAIL_SENDER": environ.get("MAIL_SENDER", "Forum <no-reply@forum.localhost>"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": production,
        # Unset: the development server's own address (forum/links.py).
        "SITE_URL": environ.get("SITE_URL") or None,
        "CRISIS_LINES": parse_crisis_lines(environ.get("CRISIS_LINES", "")),
        "PASSWORD_HASH_METHOD": "scrypt",
        "PASSWORD_RESET_MAX_AGE": _whole_number(environ, "PASSWORD_RESET_MAX_AGE", 3600),
        "WTF_CSRF_TIME_LIMIT": None,
        "MAX_CONTENT_LENGTH": 1024 * 1024,
    }


def _whole_number(environ, name: str, default: int) -> int:
    value = environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ConfigurationError(f"{name} is {value!r}; it must be a whole number, such as {default}.") from None


class CrisisLine(NamedTuple):
    """A crisis line the help page lists: `contact` is a phone number or an http(s) address."""
    name: str
    contact: str
    for_whom: str = ""

    @property
    def href(self) -> str:
        if self.is_web_address:
            return self.contact
        # "+44 (0)20 …": the (0) is dialled only from inside the country, never after its code.
        number = re.sub(r"^(\+[0-9 .-]+?)\s*\(0\)", r"\1", self.contact)
        return "tel:" + re.sub(r"[^0-9+]", "", number)

    @property
    def is_web_address(self) -> bool:
        return self.contact.startswith(("https://", "http://"))

    @property
    def shown_contact(self) -> str:
        """What the link says: a phone number as written, an address without its scheme."""
        if self.is_web_address:
            return self.contact.split("://", 1)[1].rstrip("/")
        return self.contact


CRISIS_LINES_FORMAT = 'Name|phone or URL|who it is for, with ";" between entries'
# Digits with the spaces, dashes, dots, brackets and leading + people write numbers with.
PHONE_NUMBER = re.compile(r"\+?\(?[0-9][0-9 ().-]*")
WEB_ADDRESS = re.compile(r"https?://[^\s/]+\.[^\s]+")


def parse_crisis_lines(value: str) -> tuple[CrisisLine, ...]:
    """CRISIS_LINES as the help page lists them, or one plain line saying which entry is wrong.

    A typo here would show a hurting reader a dead or wrong link, so the forum refuses to
    start rather than guess."""
    lines = []
    entries = [entry for entry in value.split(";") if entry.strip()]
    for number, entry in enumerate(entries, start=1):
        parts = [part.strip() for part in entry.strip().split("|")]
        where = f"CRISIS_LINES entry {number} ({entry.strip()!r})"
        if len(parts) > 3:
            raise ConfigurationError(f"{where} has {len(parts)} parts; write {CRISIS_LINES_FORMAT}.")
        if len(parts) < 2 or not parts[0] or not parts[1]:
            raise ConfigurationError(
                f"{where} needs a name and a phone number or web address; write {CRISIS_LINES_FORMAT}.")
        if not (PHONE_NUMBER.fullmatch(parts[1]) or WEB_ADDRESS.fullmatch(parts[1])):
            raise ConfigurationError(
                f"{where}: {parts[1]!r} is neither a phone number (such as +44 116 123) nor a web address "
                f"starting with https://; write {CRISIS_LINES_FORMAT}.")
        lines.append(CrisisLine(*parts))
    return tuple(lines)


def normalise_database_url(url: str) -> str:
    """Accept the postgres:// and postgresql:// spellings hosts hand out; use psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


EXAMPLE_SITE_URL = "https://forum.example.org"


def check_settings(settings) -> None:
    """Refuse to run production on development defaults."""
    if settings["FORUM_ENV"] != "production":
        return
    if settings["SECRET_KEY"] in (DEVELOPMENT_SECRET_KEY, "", None):
        raise ConfigurationError(
            "Refusing to start in production with the development SECRET_KEY. "
            "Set SECRET_KEY to a long random value, for example the output of "
            "`python3 -c 'import secrets; print(secrets.token_hex(32))'`."
        )
    if len(settings["SECRET_KEY"]) < SHORTEST_SECRET_KEY:
        # It signs every session: a short one can be guessed offline from one cookie.
        raise ConfigurationError(
            f"Refusing to start in production: SECRET_KEY is {len(settings['SECRET_KEY'])} characters long: "
            f"use at least {SHORTEST_SECRET_KEY}, for example the output of "
            "`python3 -c 'import secrets; print(secrets.token_hex(32))'`."
        )
    _check_site_url(settings.get("SITE_URL"))


def _check_site_url(site_url) -> None:
    """Every link in mail is built on SITE_URL (forum/links.py): unset, gunicorn's would point
    at 127.0.0.1:5000, on the reader's own machine, and without its scheme mail apps show
    plain text rather than a link."""
    if not site_url:
        raise ConfigurationError(
            "Refusing to start in production without SITE_URL: every link in mail (password resets, "
            "joining, notifications) would point at http://127.0.0.1:5000. Set SITE_URL to the forum's "
            f"address as its readers reach it, for example {EXAMPLE_SITE_URL}."
        )
    if not site_url.startswith(("https://", "http://")):
        raise ConfigurationError(
            f"Refusing to start in production: SITE_URL is {site_url!r}; set it to the forum's whole "
            f"address, starting with https://, for example {EXAMPLE_SITE_URL}."
        )
