"""Fixtures: a migrated test database per run, an app per test, a real SMTP server (and a broken one)."""
import gc
import os

import pytest
from flask_migrate import upgrade
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import event
from sqlalchemy.engine import make_url
from werkzeug.routing import Rule

from forum import create_app
from forum.extensions import db, limiter
from tests.client import ForumClient
from tests.database import PostgresDatabase, empty_all_tables, wanted_backend
from tests.mailbox import BrokenMailServer, Mailbox

BASE_CONFIG = {
    "TESTING": True,
    "FORUM_ENV": "testing",
    "SECRET_KEY": "test-secret-key",
    "RATELIMIT_ENABLED": False,
    "SERVER_NAME": None,
    # Cheap hashing keeps a test run fast; tests of hashing itself ask for scrypt.
    "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
}


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    if wanted_backend() == "postgresql":
        database = PostgresDatabase()
        url = database.create()
        yield url
        database.drop()
    else:
        yield "sqlite:///" + str(tmp_path_factory.mktemp("db") / "forum.sqlite3")


@pytest.fixture(scope="session")
def migrated_database(database_url):
    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return database_url


@pytest.fixture(scope="session", autouse=True)
def one_engine_per_database():
    """Apps built for the same database with the same options share one engine.

    The test suite builds an app per test, and an engine with each. An engine keeps the
    SQL it has compiled from the statements the forum builds; a new one compiles them all
    again (tests/mentors on one worker: 52.6 s, 29.2 s sharing). What is compiled does not depend on
    what the database holds, so sharing it changes nothing a test sees; each test still
    empties the tables and closes the connections (`make_app`)."""
    engines = {}
    make_engine = SQLAlchemy._make_engine

    def shared(self, bind_key, options, app):
        # The address in full: a URL's repr hides its password.
        key = (make_url(options["url"]).render_as_string(hide_password=False),
               repr(sorted((name, value) for name, value in options.items() if name != "url")))
        if key not in engines:
            engines[key] = make_engine(self, bind_key, options, app)
        return engines[key]

    SQLAlchemy._make_engine = shared
    yield
    SQLAlchemy._make_engine = make_engine
    for engine in engines.values():
        engine.dispose()


@pytest.fixture(scope="session", autouse=True)
def url_builders_compiled_once():
    """Apps built for the same rules share Werkzeug's URL builders.

    Werkzeug compiles each URL rule of a new app into two builder functions (Python made
    from an AST): 90 ms an app for the forum's rules, which the suite paid once per test, a
    tenth of its time. A builder is made from the rule's parts, its defaults and whether it
    appends unknown arguments, and reads its converters through the rule it is bound to, so
    the same inputs make the same function; each app's rules still bind their own."""
    compiled = {}
    compile_builder = Rule._compile_builder

    def shared(self, append_unknown=True):
        key = (tuple(self._trace), repr(sorted((self.defaults or {}).items())), append_unknown,
               tuple((name, type(converter)) for name, converter in self._converters.items()))
        if key not in compiled:
            compiled[key] = compile_builder(self, append_unknown)
        return compiled[key]

    Rule._compile_builder = shared
    yield
    Rule._compile_builder = compile_builder


@pytest.fixture(scope="session")
def mailbox():
    box = Mailbox()
    box.start()
    yield box
    box.stop()


@pytest.fixture
def broken_server():
    server = BrokenMailServer()
    yield server
    server.close()


@pytest.fixture
def make_app(migrated_database, mailbox, tmp_path):
    """Build an app on the test database; extra settings override the defaults."""
    made = []

    def build(**settings):
        config = {**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": migrated_database,
                  "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": mailbox.port, **settings}
        app = create_app(config)
        app.test_client_class = ForumClient
        made.append(app)
        return app

    yield build
    for app in made:
        with app.app_context():
            if app.config.get("RATELIMIT_ENABLED"):
                # The limiter is one object for every app: Redis would keep counts into the next test.
                limiter.reset()
            db.session.remove()
            empty_all_tables(db)
    # The connections stay in the pool for the next test (one_engine_per_database): a new
    # PostgreSQL connection is a new server process that reads the catalog again, and
    # closing them after each test cost tests/posts and tests/accounts 37 s against 32.
    mailbox.clear()


@pytest.fixture
def app(make_app):
    app = make_app()
    with app.app_context():
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class QueryCounter:
    def __init__(self):
        self.statements: list[str] = []

    def __call__(self, conn, cursor, statement, parameters, context, executemany):
        self.statements.append(statement)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app):
    """Use as `with count_queries() as counter:`; counter.count is the SQL statements run."""
    from contextlib import contextmanager

    @contextmanager
    def counting():
        counter = QueryCounter()
        event.listen(db.engine, "before_cursor_execute", counter)
        try:
            yield counter
        finally:
            event.remove(db.engine, "before_cursor_execute", counter)

    return counting


def pytest_report_header(config):
    return f"forum test database: {wanted_backend()} (CI={os.environ.get('CI', 'false')})"


def pytest_configure(config):
    """Collect reference cycles less often than Python's default (every 700 new objects).

    Each test builds an app and renders pages: hundreds of thousands of short-lived
    objects, over a heap of imported modules and compiled SQL that every full collection
    walks again. At the default, collecting took a seventh of a run's time (tests/posts
    and the route table: 10.7 s of 74.6 s); nothing a test sees depends on when it runs."""
    gc.set_threshold(50_000, 20, 20)


def pytest_collection_finish(session):
    # What is alive once the tests are imported lives for the whole run: later collections
    # need not walk it again.
    gc.collect()
    gc.freeze()
