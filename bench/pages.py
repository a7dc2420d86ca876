"""The pages the benchmark drives, found in the seeded database, and the SQL statements
each runs (counted in-process, one request per page, as the bench reader)."""
import statistics
import time
from dataclasses import dataclass

from sqlalchemy import event, select

from forum import create_app
from forum.bench.parts import FILTERED_TRACK
from forum.bench.people import READER, TOP_MENTOR
from forum.bench.seed import BENCH_PASSWORD, MAIN_CALL_TITLE, MAIN_PROGRAM
from forum.extensions import db
from forum.models.posts import Thread
from forum.models.training import Discussion, Program
from forum.posts.reading import POSTS_PER_PAGE

CEILING = "minimal endpoint (/healthz)"
SEARCH_TWO_WORDS = "gentle boundaries"
SEARCH_COMMON_WORD = "listening"


@dataclass
class Page:
    name: str
    path: str
    statements: int | None = None
    render_ms: float | None = None  # the median of the in-process requests
    fastest_ms: float | None = None  # the fastest: the least disturbed by the rest of the machine


def app_for(database_url: str):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": False,
                      "FORUM_ENV": "testing", "SECRET_KEY": "bench-secret-key"})
    from tests.client import ForumClient

    app.test_client_class = ForumClient
    return app


def find_pages(database_url: str) -> list[Page]:
    app = app_for(database_url)
    with app.app_context():
        call_id = db.session.scalar(select(Thread.id).where(Thread.kind == "idea_call", Thread.title == MAIN_CALL_TITLE))
        responses = db.session.scalar(select(Thread.top_level_count).join(Discussion, Discussion.thread_id == Thread.id)
                                      .join(Program).where(Program.slug == MAIN_PROGRAM, Discussion.position == 1))
        db.engine.dispose()
    last_page = max(1, -(-responses // POSTS_PER_PAGE))
    track = FILTERED_TRACK.lower().replace(" ", "-")
    discussion = f"/programs/{MAIN_PROGRAM}/discussions/1"
    return [
        Page(CEILING, "/healthz"),
        Page("home", "/"),
        Page("program catalogue", "/programs"),
        Page(f"discussion, {responses:,} responses, first page", discussion),
        Page(f"discussion, {responses:,} responses, last page", f"{discussion}?page={last_page}"),
        Page("call for ideas by reactions", f"/ideas/{call_id}?sort=reactions"),
        Page("mentor directory, filtered", f"/mentors?track={track}&sort=rated"),
        Page("mentor profile (500 reviews)", f"/mentors/{TOP_MENTOR}"),
        Page(f"search “{SEARCH_TWO_WORDS}”", "/search?q=" + SEARCH_TWO_WORDS.replace(" ", "+")),
        Page(f"search “{SEARCH_COMMON_WORD}” (common word)", "/search?q=" + SEARCH_COMMON_WORD),
    ]


def measure_in_process(pages_by_database: dict[str, list[Page]], rounds: int = 20) -> None:
    """Statements per request and the median and fastest in-process times, with the Flask
    test client, for the same pages of one or more databases (the sizes of one run).

    The sizes are compared on the fastest, and each round asks every page once, at each
    size in turn, so a busy moment of this shared machine slows one request of each page at
    both sizes rather than all of one page's or all of one size's: in a run of 4 December,
    measured one size after the other, the minimal endpoint, which reads no posts, was 1.66
    times slower at 200,000 posts than at 20,000."""
    clients = {}
    for database_url, pages in pages_by_database.items():
        app = app_for(database_url)
        client = clients[database_url] = app.test_client()
        client.login(READER, BENCH_PASSWORD)
        with app.app_context():
            for page in pages:
                client.get(page.path)  # warm: templates compiled, caches filled
                page.statements = _statements_of(client, page.path)
    times: dict[int, list[float]] = {id(page): [] for pages in pages_by_database.values() for page in pages}
    for _ in range(rounds):
        for same_page in zip(*pages_by_database.values()):
            for client, page in zip(clients.values(), same_page):
                started = time.perf_counter()
                client.get(page.path)
                times[id(page)].append((time.perf_counter() - started) * 1000)
    for pages in pages_by_database.values():
        for page in pages:
            page.render_ms = statistics.median(times[id(page)])
            page.fastest_ms = min(times[id(page)])
    for client in clients.values():
        with client.application.app_context():
            db.session.remove()
            db.engine.dispose()


def _statements_of(client, path: str) -> int:
    statements = []

    def count(*args):
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = client.get(path)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code} in-process")
    return len(statements)
