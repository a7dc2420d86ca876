"""Running the forum as a service: a health check, one log line per request, a clear
503 page while the database is away, and the real client address behind a proxy.

Everything here hooks into the whole application through this blueprint, so the
factory only registers it.
"""
from flask import Blueprint

bp = Blueprint("ops", __name__)

from forum.ops import health, outage, proxies, request_log, transactions  # noqa: E402,F401  (hooks register on import)
