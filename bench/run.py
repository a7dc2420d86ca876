"""`make bench`: for each database and size, seed an empty database, serve it with gunicorn
on 127.0.0.1, drive the main pages with wrk at 8 connections, and print the table.

    BENCH_DATABASES=sqlite,postgresql  BENCH_SIZES=20000,200000  BENCH_SECONDS=5  BENCH_ROUNDS=3
    BENCH_WORKERS=4 BENCH_THREADS=1 (more than 1: threaded gthread workers)  BENCH_LABEL=before  (added to the results file names)

PostgreSQL runs in a database made for the run and dropped after it (BENCH_PG_URL names the
server, default the local one as user postgres); SQLite in a temporary file.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from datetime import date, datetime, timezone
from pathlib import Path

from sqlalchemy import create_engine, text

from bench import load, machine, report
from bench.pages import find_pages, measure_in_process
from forum.bench.people import READER
from forum.bench.seed import BENCH_PASSWORD
from tests.live_server import migrate_database, start_forum

PROJECT = Path(__file__).resolve().parent.parent
PG_SERVER = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
WARM_UP_SECONDS = 2


def setting(name: str, default: str) -> str:
    return os.environ.get(name) or default


@contextmanager
def empty_database(kind: str):
    if kind == "sqlite":
        folder = tempfile.mkdtemp(prefix="forum-bench-")
        try:
            yield f"sqlite:///{folder}/bench.sqlite3"
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    name = f"forum_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield PG_SERVER.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as connection:
            connection.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                               {"n": name})
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def seed(database_url: str, posts: int) -> float:
    migrate_database(database_url)
    environment = {**os.environ, "DATABASE_URL": database_url, "FORUM_ENV": "testing"}
    started = time.monotonic()
    for command in (["bench-seed", "--posts", str(posts)],
                    # The nightly job of a forum in production (README): the figures are
                    # those of a forum that runs it.
                    ["search-optimize"]):
        subprocess.run([sys.executable, "-m", "flask", "--app", "forum", *command],
                       cwd=PROJECT, env=environment, check=True)
    if database_url.startswith("postgresql"):
        engine = create_engine(database_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text("VACUUM ANALYZE"))  # as autovacuum would soon after a bulk load
        engine.dispose()
    return time.monotonic() - started


def workers_replaced(server_log: str, workers: int) -> int:
    """How many workers gunicorn started while serving, beyond its first `workers`: it
    recycles them (gunicorn.conf.py, max_requests), and a new one views every page cold,
    so a run that replaced some has those first views among its slowest requests."""
    return server_log.count("Booting worker with pid") - workers


def bench_size(database_url: str, seconds: float, rounds: int, workers: int, threads: int,
               log_dir: str) -> tuple[list[dict], int]:
    """The pages' rows, and how many workers were replaced while they were served."""
    pages = find_pages(database_url)
    measure_in_process(database_url, pages)
    server = start_forum(database_url, log_dir=Path(log_dir), workers=workers, threads=threads)
    results: dict[str, list[load.LoadResult]] = {page.name: [] for page in pages}
    try:
        server.wait_until_healthy()
        cookie = load.signed_in_cookie(server.base_url, READER, BENCH_PASSWORD)
        for page in pages:
            load.run_wrk(server.url(page.path), WARM_UP_SECONDS, cookie)
        # Rounds over every page rather than one page at a time: whatever else slows the
        # machine for a while then falls on all the pages, and the ceiling with them.
        for number in range(1, rounds + 1):
            for page in pages:
                result = load.run_wrk(server.url(page.path), seconds, cookie)
                results[page.name].append(result)
                print(f"  round {number}/{rounds} {page.name:<48} {result.requests_per_second:7.0f} req/s  "
                      f"p50 {result.p50_ms:6.1f} ms  p99 {result.p99_ms:6.1f} ms", flush=True)
    finally:
        server.process.terminate()
        server.process.wait(30)
    replaced = workers_replaced(server.log(), workers)
    rows = []
    for page in pages:
        runs = results[page.name]
        typical = load.median_run(runs)
        rows.append({"page": page.name, "path": page.path, "rps": typical.requests_per_second,
                     "rps_range": [min(r.requests_per_second for r in runs), max(r.requests_per_second for r in runs)],
                     "p50_ms": typical.p50_ms, "p99_ms": typical.p99_ms,
                     "requests": sum(r.requests for r in runs), "errors": sum(r.errors for r in runs),
                     "statements": page.statements, "render_ms": page.render_ms,
                     "fastest_ms": page.fastest_ms})
    return rows, replaced


def main() -> None:
    databases = setting("BENCH_DATABASES", "sqlite,postgresql").split(",")
    sizes = [int(size) for size in setting("BENCH_SIZES", "20000,200000").split(",")]
    seconds = float(setting("BENCH_SECONDS", "5"))
    rounds = int(setting("BENCH_ROUNDS", "3"))
    workers, threads = int(setting("BENCH_WORKERS", "4")), int(setting("BENCH_THREADS", "1"))
    label = os.environ.get("BENCH_LABEL", "")
    load.require_wrk()
    stamp = date.today().isoformat() + (f"-{label}" if label else "")
    described = machine.describe(PG_SERVER if "postgresql" in databases else None, workers, threads)
    for database in databases:
        runs, seeding, load_average, replaced = {}, {}, {}, {}
        for size in sizes:
            print(f"{database}, {size:,} posts: seeding…", flush=True)
            with empty_database(database) as url, tempfile.TemporaryDirectory() as log_dir:
                seeding[size] = seed(url, size)
                print(f"  seeded in {seeding[size]:.0f} s; serving and measuring", flush=True)
                # Other work on the machine skews every number: say how busy it was.
                before = os.getloadavg()[0]
                runs[size], replaced[size] = bench_size(url, seconds, rounds, workers, threads, log_dir)
                load_average[size] = (before, os.getloadavg()[0])
        text_report = report.render(database, described, runs, seconds, rounds, seeding, load_average, replaced)
        path = report.write(stamp, database, text_report,
                            {"machine": described, "seconds": seconds, "rounds": rounds, "seeding_seconds": seeding,
                             "load_average": load_average, "workers_replaced": replaced, "runs": runs,
                             # What `bench.summary` takes the newest run by: file times do not survive a clone.
                             "finished_at": datetime.now(timezone.utc).isoformat(timespec="seconds")})
        print("\n" + text_report + f"\nwritten to {path.relative_to(PROJECT)}\n", flush=True)


if __name__ == "__main__":
    main()
