"""Throwaway test databases: a SQLite file, or a PostgreSQL database made and dropped here.

FORUM_TEST_DATABASE=postgresql selects PostgreSQL at FORUM_TEST_PG_URL (default: the
local server as user postgres). Under CI=true an unreachable PostgreSQL fails the run.
"""
import os
import uuid

import pytest
from sqlalchemy import create_engine, text

DEFAULT_PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def wanted_backend() -> str:
    backend = os.environ.get("FORUM_TEST_DATABASE", "sqlite").lower()
    if backend not in ("sqlite", "postgresql"):
        raise pytest.UsageError(f"FORUM_TEST_DATABASE must be sqlite or postgresql, not {backend!r}")
    return backend


class PostgresDatabase:
    def __init__(self):
        self.server_url = os.environ.get("FORUM_TEST_PG_URL", DEFAULT_PG_SERVER)
        self.name = f"forum_test_{uuid.uuid4().hex[:10]}"
        self.admin = create_engine(self.server_url, isolation_level="AUTOCOMMIT")

    def create(self) -> str:
        try:
            with self.admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{self.name}"'))
                # A throwaway database need not wait for the disk at each commit: the
                # tests commit thousands of times.
                connection.execute(text(f'ALTER DATABASE "{self.name}" SET synchronous_commit TO off'))
        except Exception as error:  # the driver's many connection errors
            message = f"PostgreSQL is not reachable at {self.server_url}: {error}"
            if os.environ.get("CI") == "true":
                pytest.exit(message, returncode=3)
            pytest.skip(message)
        return self.server_url.rsplit("/", 1)[0] + "/" + self.name

    def drop(self) -> None:
        with self.admin.connect() as connection:
            connection.execute(text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"
            ), {"name": self.name})
            connection.execute(text(f'DROP DATABASE IF EXISTS "{self.name}"'))
        self.admin.dispose()


def empty_all_tables(db) -> None:
    """Delete every row, keeping the migrated schema: much faster than re-migrating.

    DELETE rather than TRUNCATE on PostgreSQL too: TRUNCATE rewrites every table file and
    waits on the disk, which costs seconds per test for the few rows a test writes.
    """
    tables = reversed(db.metadata.sorted_tables)
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # One round trip for every table, where one each was most of a test's teardown.
            connection.exec_driver_sql("; ".join(f'DELETE FROM "{table.name}"' for table in tables))
        else:
            for table in tables:
                connection.execute(table.delete())
