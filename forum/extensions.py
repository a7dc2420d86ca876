"""Extensions created unbound; `create_app` binds them to an application."""
import sqlite3

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names let Alembic alter and drop constraints on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate(compare_type=True, render_as_batch=True)
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address)


# Each connection's page cache, in KiB. SQLite's default of 2 MiB holds about 1% of a
# forum of 200,000 posts (180 MB), so a search read its index and its candidate posts
# back from the operating system on every request: 1.7 of the 4 ms of a two-word search's
# ranked statement (median of 200, 4 December). Only pages read are held, so a small
# forum's connections stay small; gunicorn's sync workers hold one each. A write makes
# every other connection read the pages again, so it pays where reads far outnumber
# writes, as on a forum.
SQLITE_CACHE_KIB = 32 * 1024


@event.listens_for(Engine, "connect")
def _configure_connection(dbapi_connection, _record):
    if isinstance(dbapi_connection, sqlite3.Connection):
        _configure_sqlite(dbapi_connection)
    elif type(dbapi_connection).__module__.startswith("psycopg"):
        _configure_postgresql(dbapi_connection)


def _configure_postgresql(dbapi_connection):
    """No JIT compilation: it pays off for long reports, not for pages. A search whose
    plan was estimated over PostgreSQL's threshold (the cost of a branch that never ran)
    spent 124 ms compiling and 17 ms running."""
    dbapi_connection.execute("SET jit = off")
    dbapi_connection.commit()


def _configure_sqlite(dbapi_connection):
    """SQLite needs foreign keys switched on per connection; WAL and a busy timeout
    let readers and a writer share the file without 'database is locked' errors; and a
    page cache sized for a forum rather than SQLite's default of 2 MiB."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    cursor.close()
