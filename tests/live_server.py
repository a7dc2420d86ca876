"""Run the forum as a real server process (gunicorn, with gunicorn.conf.py) on a free
loopback port, for tests that must see what a deployed forum does: several processes,
a real socket, a database that goes away.

    with serve_forum(database_url, log_dir=tmp_path) as server:      # one server
        urlopen(server.url("/healthz"))
    with serve_forums(2, database_url, log_dir=tmp_path, redis_url=...) as (first, second):
        ...

The `live_server` fixture serves the session's (migrated) test database with rate limits
off; import it into a test module or conftest. The listening socket is bound here and
handed to gunicorn, so no other process can take the port in between; startup waits
until /healthz answers. The server's output goes to a file whose end is printed when the
server stops, which pytest shows for a failed test only.
"""
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
GUNICORN_CONFIG = PROJECT_ROOT / "gunicorn.conf.py"
LIVE_SECRET_KEY = "live-server-test-secret-key-f3b8a1c2d4e5"
STARTUP_SECONDS = 60
STOP_SECONDS = 10
LOG_LINES_SHOWN = 150

# What forum/config.py reads from the environment: the server gets only what a test says.
FORUM_VARIABLES = (
    "FORUM_ENV", "SECRET_KEY", "DATABASE_URL", "REDIS_URL", "RATELIMIT_ENABLED", "LOGIN_RATE_LIMIT",
    "TRUSTED_PROXIES", "MAIL_SERVER", "MAIL_PORT", "MAIL_USERNAME", "MAIL_PASSWORD", "MAIL_USE_TLS",
    "SITE_URL", "FORUM_BIND", "WEB_CONCURRENCY", "FORUM_THREADS",
)


@dataclass
class LiveServer:
    base_url: str
    log_path: Path
    process: subprocess.Popen

    def url(self, path: str = "/") -> str:
        return self.base_url + path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_until_healthy(self, seconds: float = STARTUP_SECONDS) -> None:
        deadline = time.monotonic() + seconds
        last_problem = "no answer yet"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the forum server exited with {self.process.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(self.url("/healthz"), timeout=2) as response:
                    if response.status == 200:
                        return
            except urllib.error.HTTPError as error:
                last_problem = f"/healthz answered {error.code}"
            except OSError as error:
                last_problem = str(error)
            time.sleep(0.1)
        raise RuntimeError(f"the forum server was not healthy within {seconds} s ({last_problem}):\n{self.log()}")

    def stop(self) -> None:
        """Stop gracefully, or kill the process group this test started; then show the log's end."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)  # quick shutdown: every request has been answered
            try:
                self.process.wait(STOP_SECONDS)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(STOP_SECONDS)
        lines = self.log().splitlines()
        print(f"----- forum server {self.base_url}: last {min(len(lines), LOG_LINES_SHOWN)} "
              f"of {len(lines)} log lines ({self.log_path}) -----")
        print("\n".join(lines[-LOG_LINES_SHOWN:]))


def server_environment(database_url: str, *, redis_url: str | None = None, rate_limits: bool = False,
                       forum_env: str = "testing", secret_key: str = LIVE_SECRET_KEY,
                       site_url: str | None = None, extra: dict | None = None) -> dict:
    environ = {name: value for name, value in os.environ.items() if name not in FORUM_VARIABLES}
    environ.update(FORUM_ENV=forum_env, SECRET_KEY=secret_key, DATABASE_URL=database_url,
                   RATELIMIT_ENABLED="1" if rate_limits else "0", PYTHONUNBUFFERED="1")
    if site_url:
        environ["SITE_URL"] = site_url
    if redis_url:
        environ["REDIS_URL"] = redis_url
    environ.update(extra or {})
    return environ


def migrate_database(database_url: str) -> None:
    """Bring a database the test made itself up to the newest migration."""
    from flask_migrate import upgrade

    from forum import create_app
    from forum.extensions import db

    app = create_app({"FORUM_ENV": "testing", "SECRET_KEY": LIVE_SECRET_KEY,
                      "SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        upgrade()
        db.engine.dispose()


def start_forum(database_url: str, *, log_dir: Path, workers: int = 2, threads: int | None = None,
                **environment) -> LiveServer:
    """Start gunicorn serving the forum on a free 127.0.0.1 port; `environment` goes to
    server_environment (redis_url, rate_limits, forum_env, secret_key, extra); SITE_URL is the
    server's own address.

    Without `threads`, the workers are gunicorn.conf.py's: sync workers, one request at a
    time each, as production runs them behind a proxy. A browser talking to gunicorn
    directly needs threads (threads=4): Chromium opens spare connections it may never send
    a request on, and a sync worker would wait on one of them until its timeout."""
    listener = _listening_socket()
    port = listener.getsockname()[1]
    base_url = f"http://127.0.0.1:{port}"
    log_path = Path(log_dir) / f"forum-server-{port}.log"
    command = [
        sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONFIG),
        "--bind", f"fd://{listener.fileno()}", "--workers", str(workers),
        *(["--threads", str(threads)] if threads else []),
        "--graceful-timeout", "5", *_without_control_socket(), "forum:create_app()",
    ]
    with open(log_path, "wb") as log_file:
        process = subprocess.Popen(
            # Its own address, as production must be given (forum/config.py): links in mail open it.
            command, cwd=PROJECT_ROOT, env=server_environment(database_url, site_url=base_url, **environment),
            stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT,
            pass_fds=(listener.fileno(),), start_new_session=True,
        )
    listener.close()
    return LiveServer(base_url, log_path, process)


@contextmanager
def serve_forums(count: int, database_url: str, *, migrate: bool = False,
                 startup_seconds: float = STARTUP_SECONDS, **settings):
    """`count` servers on the same database, started side by side, stopped at the end."""
    if migrate:
        migrate_database(database_url)
    servers = []
    try:
        for _ in range(count):
            servers.append(start_forum(database_url, **settings))
        for server in servers:
            server.wait_until_healthy(startup_seconds)
        yield servers
    finally:
        for server in servers:
            server.stop()


@contextmanager
def serve_forum(database_url: str, **settings):
    """One server: `with serve_forum(url, log_dir=tmp_path) as server:`."""
    with serve_forums(1, database_url, **settings) as (server,):
        yield server


@pytest.fixture
def live_server(app, migrated_database, tmp_path):
    """The forum served by gunicorn on the test database, rate limits off. It asks for
    `app`, so the test can make rows in its app context and they are emptied after."""
    with serve_forum(migrated_database, log_dir=tmp_path) as server:
        yield server


def _listening_socket() -> socket.socket:
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    return listener


def _without_control_socket() -> list[str]:
    # Gunicorn 24+ opens a control socket at one fixed path per user; servers started
    # side by side would fight over it.
    from gunicorn.config import KNOWN_SETTINGS

    return ["--no-control-socket"] if any(s.name == "control_socket_disable" for s in KNOWN_SETTINGS) else []
