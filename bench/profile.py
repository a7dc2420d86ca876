"""Profile one page in-process with pyinstrument, signed in as the bench reader:

    .venv/bin/python -m bench.profile sqlite:////tmp/bench.sqlite3 "/mentors/bench_mentor" [repeats]

Prints where the time of `repeats` requests (default 20) went, after one warm-up request,
and the SQL statements of one request.
"""
import sys

from pyinstrument import Profiler
from sqlalchemy import event

from bench.pages import app_for
from forum.bench.people import READER
from forum.bench.seed import BENCH_PASSWORD
from forum.extensions import db


def main(database_url: str, path: str, repeats: int = 20) -> None:
    app = app_for(database_url)
    with app.app_context():
        client = app.test_client()
        client.login(READER, BENCH_PASSWORD)
        assert client.get(path).status_code == 200
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        client.get(path)
        event.remove(db.engine, "before_cursor_execute", listener)
        profiler = Profiler(interval=0.0005)
        profiler.start()
        for _ in range(repeats):
            client.get(path)
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False, show_all=False))
        print(f"{len(statements)} statements:")
        for statement in statements:
            print("  " + " ".join(statement.split())[:300])


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], *(int(arg) for arg in sys.argv[3:4]))
