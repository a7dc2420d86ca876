"""The migrations build, on an empty database, exactly the schema the models describe."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import Column, Integer, MetaData, Table, inspect

from forum import create_app
from forum.extensions import db
from forum.search.schema import include_object, is_search_table
from tests.database import PostgresDatabase, wanted_backend

# SQLite always; PostgreSQL too when the run is on PostgreSQL.
BACKENDS = ["sqlite"] + (["postgresql"] if wanted_backend() == "postgresql" else [])


@pytest.fixture(params=BACKENDS)
def empty_database(request, tmp_path):
    """The URL of a database nobody has touched: a new SQLite file or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield "sqlite:///" + str(tmp_path / "empty.sqlite3")
    else:
        database = PostgresDatabase()
        yield database.create()
        database.drop()


@pytest.fixture
def fresh_app(empty_database):
    app = create_app({"TESTING": True, "FORUM_ENV": "testing", "SECRET_KEY": "test-secret-key",
                      "SQLALCHEMY_DATABASE_URI": empty_database})
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def tables() -> set[str]:
    # The search migration's FTS5 tables (SQLite) are raw SQL that no model describes.
    return {name for name in inspect(db.engine).get_table_names() if not is_search_table(name)}


def differences(metadata: MetaData) -> list:
    with db.engine.connect() as connection:
        # include_object: the same hook as migrations/env.py, which leaves out the search
        # indexes (FTS5 tables, tsvector columns and their GIN indexes) made with raw SQL.
        context = MigrationContext.configure(connection, opts={"compare_type": True,
                                                               "include_object": include_object})
        return compare_metadata(context, metadata)


def test_upgrade_builds_what_the_models_describe(fresh_app):
    assert tables() == set()

    upgrade()

    assert tables() == {table.name for table in db.metadata.sorted_tables} | {"alembic_version"}
    assert differences(db.metadata) == []


def test_the_comparison_would_notice_a_missing_migration(fresh_app):
    upgrade()
    ahead = MetaData()
    for table in db.metadata.sorted_tables:
        table.to_metadata(ahead)
    Table("not_migrated_yet", ahead, Column("id", Integer, primary_key=True))

    [(change, table)] = differences(ahead)

    assert (change, table.name) == ("add_table", "not_migrated_yet")


def test_downgrade_to_base_and_up_again(fresh_app):
    upgrade()

    downgrade(revision="base")

    assert tables() <= {"alembic_version"}
    upgrade()
    assert differences(db.metadata) == []
