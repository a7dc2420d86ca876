"""Paths to pages, built without a request: services link notifications from anywhere."""
from flask import current_app


def path_for(endpoint: str, _anchor: str | None = None, **values) -> str:
    """Like url_for, but works in CLI commands and tests without a request context."""
    adapter = current_app.url_map.bind("", script_name=current_app.config.get("APPLICATION_ROOT") or "/")
    path = adapter.build(endpoint, values)
    return f"{path}#{_anchor}" if _anchor else path


def site_url(path: str) -> str:
    """`path` as a full address for a link in an email: on the forum's own address,
    SITE_URL, never the one a request named. A request's Host header is whatever its
    sender wrote: built from it, a password-reset mail asked for with a forged one would
    carry the reset token to the forger's site."""
    return current_app.config["SITE_URL"].rstrip("/") + path
