"""The benchmark says how many workers gunicorn replaced while it served the pages: a new
worker views every page cold, and those views land among a run's slowest requests."""
import urllib.request

from bench.run import workers_replaced
from tests.live_server import serve_forum

WORKERS = 2
RECYCLED_AFTER = 20


def ask(server, times: int) -> None:
    for _ in range(times):
        # Both workers reach their 20 requests together and boot again at once: a request
        # waits for the app to load, which on a busy machine took more than 10 s.
        with urllib.request.urlopen(server.url("/healthz"), timeout=60) as response:
            assert response.status == 200


def test_workers_gunicorn_replaced_while_serving_are_counted_and_the_first_ones_are_not(migrated_database,
                                                                                      tmp_path):
    # gunicorn.conf.py recycles a worker after 100,000 requests or so; this server after 20.
    recycling = {"GUNICORN_CMD_ARGS": f"--max-requests {RECYCLED_AFTER} --max-requests-jitter 0"}
    with serve_forum(migrated_database, log_dir=tmp_path, workers=WORKERS, extra=recycling) as server:
        ask(server, 10)
        assert workers_replaced(server.log(), WORKERS) == 0

        ask(server, 100)
        # 110 answers and more (the start-up checks), at most 20 from each worker: at least
        # six workers served them, each logged as booting before it answered.
        assert workers_replaced(server.log(), WORKERS) >= 4
