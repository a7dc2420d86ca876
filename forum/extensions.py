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
    let readers and a writer share the file without 'database is locked' errors."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
