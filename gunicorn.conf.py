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
# Short, so that an idle keep-alive connection does not hold a worker's place for long.
keepalive = 2
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


# gunicorn's own default for worker_connections, meaning the operator did not set one.
_DEFAULT_WORKER_CONNECTIONS = 1000


def on_starting(server):
    # A gthread worker accepts connections while its threads are busy (up to 1,000 by
    # default) and keeps each one for its keep-alive requests. The benchmark's 8 keep-alive
    # connections then sometimes all landed on one worker, which served them on one core
    # while the others idled: the discussion page measured 62 requests/s in one run and 30
    # in the next. Capped at twice its threads, a worker leaves further connections in the
    # queue for the others (60 to 65 requests/s in every run; capped at its threads, the
    # ceiling page lost a fifth). Set here, after the command line, so `--threads` counts.
    if server.cfg.worker_connections == _DEFAULT_WORKER_CONNECTIONS:
        server.cfg.set("worker_connections", server.cfg.threads * 2)
    server.log.info("Each worker holds at most %d connections", server.cfg.worker_connections)
    if os.environ.get("FORUM_ENV") == "production" and not os.environ.get("REDIS_URL"):
        print("warning: REDIS_URL is not set: each worker counts rate limits on its own",
              file=sys.stderr)
