"""Instructions per request of each bench page, in-process, counted by valgrind's callgrind:

    .venv/bin/python -m bench.instructions <database url> [page name ...]

On a shared machine the same page measured a third faster or slower from one run to the
next, too noisy to judge a change of a tenth. An instruction count is the same for the same
code and data whatever else the machine is doing, so this is how a fix is judged before the
served benchmark says what it is worth. Each page is run twice under callgrind, after the
same warm-up: once with no requests and once with REQUESTS of them; the difference is what
the requests cost. It counts the forum's process only (PostgreSQL's server is another
process: use SQLite), and a count is not a time: a statement waiting on the disk costs
few instructions. Needs valgrind (Debian's package); about a minute and a half a page.
"""
import os
import re
import subprocess
import sys

from bench.pages import app_for, find_pages

REQUESTS = 40
WARM_UP_REQUESTS = 20
_COLLECTED = re.compile(r"Collected : (\d+)")


def count(database_url: str, path: str, requests: int) -> int:
    """Instructions of a process that warms `path` up and then asks for it `requests` times."""
    command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
               sys.executable, "-m", "bench.instructions", "--run", database_url, path, str(requests)]
    # The same hash seed each time: set and dict orders, and so the work, stay the same.
    environment = {**os.environ, "PYTHONHASHSEED": "0"}
    finished = subprocess.run(command, capture_output=True, text=True, env=environment, check=True)
    return int(_COLLECTED.search(finished.stderr).group(1))


def per_request(database_url: str, path: str) -> float:
    return (count(database_url, path, REQUESTS) - count(database_url, path, 0)) / REQUESTS


def run(database_url: str, path: str, requests: int) -> None:
    """What callgrind counts: the app, signed in as the bench reader, asked for `path`."""
    import logging

    from forum.bench.people import READER
    from forum.bench.seed import BENCH_PASSWORD

    logging.getLogger("forum.requests").setLevel(logging.WARNING)
    app = app_for(database_url)
    with app.app_context():
        client = app.test_client()
        client.login(READER, BENCH_PASSWORD)
        for _ in range(WARM_UP_REQUESTS):
            if client.get(path).status_code != 200:
                raise SystemExit(f"{path} did not answer 200")
        for _ in range(requests):
            client.get(path)


def main(database_url: str, names: list[str]) -> None:
    pages = [page for page in find_pages(database_url) if not names or any(name in page.name for name in names)]
    for page in pages:
        print(f"{page.name:<48} {per_request(database_url, page.path) / 1e6:6.1f} million instructions a request",
              flush=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--run"]:
        run(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    elif len(sys.argv) < 2:
        raise SystemExit(__doc__)
    else:
        main(sys.argv[1], sys.argv[2:])
