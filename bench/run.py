"""`make bench`: for each database, seed an empty database of each size, serve them with
gunicorn on 127.0.0.1, drive the main pages with wrk at 8 connections, the sizes side by
side, and print the table.

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
from contextlib import ExitStack, contextmanager
from datetime import date, datetime, timezone
from pathlib import Path

from sqlalchemy import create_engine, text

from bench import load, machine, report
from bench.pages import Page, find_pages, measure_in_process
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


def serve_and_drive(pages_by_size: dict[int, list[Page]], urls: dict[int, str], seconds: float, rounds: int,
                    workers: int, threads: int, log_dir: str) -> tuple[dict[int, list[dict]], dict[int, int]]:
    """Serve every size at once, one gunicorn each, and drive their pages in rounds that
    alternate between the sizes page by page: the minimal endpoint at 20,000 posts, then at
    200,000, then home at each, and so on. Whatever slows this shared machine for a while
    then falls on both sizes alike, where serving one size after the other put minutes of
    the machine's drift between them. Only the server being driven is busy.

    Returns each size's rows, and how many workers each server replaced while serving."""
    servers = {size: start_forum(urls[size], log_dir=Path(log_dir), workers=workers, threads=threads)
               for size in urls}
    results: dict[tuple[int, str], list[load.LoadResult]] = {
        (size, page.name): [] for size, pages in pages_by_size.items() for page in pages}
    try:
        cookies = {}
        for size, server in servers.items():
            server.wait_until_healthy()
            cookies[size] = load.signed_in_cookie(server.base_url, READER, BENCH_PASSWORD)
        for size, pages in pages_by_size.items():
            for page in pages:
                load.run_wrk(servers[size].url(page.path), WARM_UP_SECONDS, cookies[size])
        for number in range(1, rounds + 1):
            for same_page in zip(*pages_by_size.values()):
                for size, page in zip(pages_by_size, same_page):
                    result = load.run_wrk(servers[size].url(page.path), seconds, cookies[size])
                    results[size, page.name].append(result)
                    print(f"  round {number}/{rounds} {size:>7,} posts {page.name:<48} "
                          f"{result.requests_per_second:7.0f} req/s  p50 {result.p50_ms:6.1f} ms  "
                          f"p99 {result.p99_ms:6.1f} ms", flush=True)
    finally:
        for server in servers.values():
            server.process.terminate()
        for server in servers.values():
            server.process.wait(30)
    replaced = {size: workers_replaced(server.log(), workers) for size, server in servers.items()}
    rows = {size: [_row(page, results[size, page.name]) for page in pages] for size, pages in pages_by_size.items()}
    return rows, replaced


def _row(page: Page, runs: list[load.LoadResult]) -> dict:
    typical = load.median_run(runs)
    return {"page": page.name, "path": page.path, "rps": typical.requests_per_second,
            "rps_range": [min(r.requests_per_second for r in runs), max(r.requests_per_second for r in runs)],
            "p50_ms": typical.p50_ms, "p99_ms": typical.p99_ms,
            "requests": sum(r.requests for r in runs), "errors": sum(r.errors for r in runs),
            "statements": page.statements, "render_ms": page.render_ms, "fastest_ms": page.fastest_ms}


def bench_database(database: str, sizes: list[int], seconds: float, rounds: int, workers: int,
                   threads: int) -> dict:
    """Seed one database of each size, then measure them side by side: in-process, then served."""
    with ExitStack() as stack:
        urls, seeding = {}, {}
        for size in sizes:
            print(f"{database}, {size:,} posts: seeding…", flush=True)
            urls[size] = stack.enter_context(empty_database(database))
            seeding[size] = seed(urls[size], size)
            print(f"  seeded in {seeding[size]:.0f} s", flush=True)
        log_dir = stack.enter_context(tempfile.TemporaryDirectory())
        pages_by_size = {size: find_pages(url) for size, url in urls.items()}
        # Other work on the machine skews every number: say how busy it was.
        load_before = os.getloadavg()[0]
        print(f"{database}: measuring in-process, then serving and driving", flush=True)
        measure_in_process({urls[size]: pages for size, pages in pages_by_size.items()})
        runs, replaced = serve_and_drive(pages_by_size, urls, seconds, rounds, workers, threads, log_dir)
        load_average = (load_before, os.getloadavg()[0])
    return {"seeding_seconds": seeding, "load_average": load_average, "workers_replaced": replaced, "runs": runs,
            # How `bench.report` judges the size target: runs before this one served the sizes apart.
            "sizes_side_by_side": True}


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
        measured = bench_database(database, sizes, seconds, rounds, workers, threads)
        text_report = report.render(database, described, measured["runs"], seconds, rounds,
                                    measured["seeding_seconds"], measured["load_average"], measured["workers_replaced"])
        path = report.write(stamp, database, text_report,
                            {"machine": described, "seconds": seconds, "rounds": rounds, **measured,
                             # What `bench.summary` takes the newest run by: file times do not survive a clone.
                             "finished_at": datetime.now(timezone.utc).isoformat(timespec="seconds")})
        print("\n" + text_report + f"\nwritten to {path.relative_to(PROJECT)}\n", flush=True)

if __name__ == "__main__":
    main()
