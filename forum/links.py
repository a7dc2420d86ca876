"""Paths to pages, built without a request: services link notifications from anywhere."""
from flask import current_app, has_request_context, request

# Where `flask run` and `make run` serve unless told otherwise.
DEVELOPMENT_PORT = 5000


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
    return site_address().rstrip("/") + path


def site_address() -> str:
    """SITE_URL when it is set. Unset (a development machine), 127.0.0.1 on the port the
    development server took this request on, so the demo served with `flask run --port 5107`
    mails links that open it; 5000 outside a request (`flask send-digests`) or under another
    server."""
    configured = current_app.config.get("SITE_URL")
    if configured:
        return configured
    return f"http://127.0.0.1:{_development_server_port() or DEVELOPMENT_PORT}"


def _development_server_port() -> int | None:
    """The port of the socket werkzeug's development server accepted this request on: its
    own, not one the request wrote (gunicorn's SERVER_PORT comes from the Host header)."""
    if not has_request_context():
        return None
    connection = request.environ.get("werkzeug.socket")
    try:
        address = connection.getsockname()
    except (AttributeError, OSError):
        return None
    # (host, port) for IPv4, (host, port, flow, scope) for IPv6; a Unix socket's is its path.
    return address[1] if isinstance(address, tuple) else None
