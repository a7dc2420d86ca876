"""Gunicorn settings for running the forum in production.

    FORUM_ENV=production SECRET_KEY=... DATABASE_URL=postgresql://... REDIS_URL=redis://... \
        gunicorn -c gunicorn.conf.py

Every setting can be changed on the command line (`--workers 8`) or through the
environment variables read below. Workers keep nothing between requests that another
worker or host would need: sessions are signed cookies, rate limits live in Redis,
everything else in the database.
"""
import multiprocessing
import os
import sys

wsgi_app = "forum:create_app()"
bind = os.environ.get("FORUM_BIND", "127.0.0.1:8000")

# Threads let a worker overlap database waits; a few processes use the cores.
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2))
threads = int(os.environ.get("FORUM_THREADS", "4"))

# Each worker builds its own app and connection pool after the fork; a pool made in the
# master and shared by forked workers would hand one connection to two processes.
preload_app = False

timeout = 30
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so a slow leak cannot grow without bound.
max_requests = 5000
max_requests_jitter = 500

# The forum writes one line per request itself (logger `forum.requests`), with the user.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("FORUM_LOG_LEVEL", "info")

# Give up on an unreachable PostgreSQL after a few seconds, so visitors get the
# "resting" page quickly instead of a request that hangs (libpq reads this variable).
os.environ.setdefault("PGCONNECT_TIMEOUT", "5")


def on_starting(server):
    if os.environ.get("FORUM_ENV") == "production" and not os.environ.get("REDIS_URL"):
        print("warning: REDIS_URL is not set: each worker counts rate limits on its own",
              file=sys.stderr)
