"""Gunicorn settings for running the forum in production.

    FORUM_ENV=production SECRET_KEY=... SITE_URL=https://... DATABASE_URL=postgresql://... REDIS_URL=redis://... \
        gunicorn -c gunicorn.conf.py

Every setting can be changed on the command line (`--workers 8`) or through the
environment variables read below. Workers keep nothing between requests that another
worker or host would need: sessions are signed cookies, rate limits live in Redis,
everything else in the database.
"""
import gc
import multiprocessing
import os
import sys

wsgi_app = "forum:create_app()"
bind = os.environ.get("FORUM_BIND", "127.0.0.1:8000")

# One request at a time in each worker process (gunicorn's sync worker), and a few more
# processes than cores so that one waiting on the database leaves the cores busy. Pages
# cost CPU, not waiting: threads in one process take turns on its one interpreter, and a
# worker with threads accepts connections while they are busy, so some requests waited
# behind others on a busy worker while another idled. With sync workers each connection
# waits in the kernel's queue for the first free process: at 8 connections the slowest
# requests (the 99th percentile) of the benchmark's pages were 1.6 to 2 times faster, for
# the same requests/s (bench/results/2026-12-04-{gthread,sync}-sqlite.md). A sync worker
# reads one request and then closes the connection, so it needs a proxy in front that
# buffers slow clients and opens a connection for each request (nginx does both by default). FORUM_THREADS=4 gives
# threaded (gthread) workers instead, for a browser talking to gunicorn directly.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("FORUM_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"

# Each worker builds its own app and connection pool after the fork; a pool made in the
# master and shared by forked workers would hand one connection to two processes.
preload_app = False

timeout = 30
graceful_timeout = 20
keepalive = 5  # gthread workers only: a sync worker closes each connection after its answer
# Recycle workers now and then so a slow leak cannot grow without bound, but rarely: a
# worker keeps pages, cards, compiled templates and statements (all bounded in size), and
# a new one pays for them again, page by page: the first view of a discussion page took
# 180-225 ms in each new worker against 16 ms warm (the server's times, under the
# benchmark's load). At 5,000 requests ± 500, each of the benchmark's workers was replaced
# about twice at each size it measures, three of four within two seconds (they serve
# alike, so they reach the count together), and those cold pages were the 99th percentile
# of whatever page was being measured. A wide jitter spreads the restarts out.
max_requests = 100_000
max_requests_jitter = 50_000

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


# Python's full garbage collection walks every object a worker holds: about 150,000 once
# the app, its templates and its caches are warm, which paused a request for 50 ms now
# and then (the tail of the benchmark's latencies). What exists once a worker is warm
# lives as long as the worker, so it is set aside (gc.freeze) where the collector no
# longer walks it: once the app is loaded, and again after the first requests have
# compiled the templates and filled the statement caches. A full collection then takes
# about 3 ms. (A frozen object that later ends up in a garbage cycle stays until the
# worker is recycled, max_requests above: a bounded cost, and rare.)
WARM_AFTER_REQUESTS = 200
_served = 0


def post_worker_init(worker):
    gc.collect()
    gc.freeze()


def post_request(worker, req, environ, resp):
    global _served
    _served += 1
    if _served == WARM_AFTER_REQUESTS:
        gc.freeze()
