"""The demo programs put trainees at different points, and the migration matches the models."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select

from forum.demo import DEMO_PASSWORD, seed_all
from forum.extensions import db
from forum.search.schema import include_object  # the search indexes are raw SQL, not models
from forum.models.accounts import User
from forum.models.training import Discussion, Enrollment, Program
from tests.training.factories import completed_positions

TRAINING_TABLES = {"programs", "discussions", "enrollments", "discussion_completions", "discussion_reopenings"}


def test_the_demo_puts_trainees_at_different_points_and_one_left(app, client):
    seed_all()  # loading it twice: tests/test_cli.py
    assert db.session.scalar(select(func.count(Program.id))) == 2
    program = db.session.scalar(select(Program).where(Program.slug == "group-support-foundations"))
    assert db.session.scalar(select(func.count(Discussion.id)).where(Discussion.program_id == program.id)) == 3

    def person(name):
        return db.session.scalar(select(User).where(User.username == name))
    assert completed_positions(person("juniper_mentor"), program) == [1, 2, 3]
    assert "group-support-basics" in person("quill_mentor").badge_slugs
    assert completed_positions(person("rowan_listens"), program) == [1]
    assert completed_positions(person("marigold_hears"), program) == []
    assert db.session.scalar(select(func.count(Enrollment.id))) == 5

    # A trainee who left the program.
    path = "/programs/group-support-foundations"
    client.login("pebble_adult", DEMO_PASSWORD)
    page = client.get(path).page
    assert "You left this program on" in page and "having completed 1 of 3 discussions" in page
    client.logout()
    client.login("tova_trainer", DEMO_PASSWORD)
    dashboard = client.get(f"{path}/dashboard").page
    assert "4 enrolled" in dashboard and "1 left" in dashboard
    assert "Pebble" not in dashboard


def test_the_training_migration_matches_the_models(app):
    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection, opts={"include_object": include_object}), db.metadata)

    def table_of(difference):
        item = difference[0] if isinstance(difference, list) else difference
        for part in item[1:]:
            name = getattr(part, "name", None) if not isinstance(part, str) else part
            table = getattr(part, "table", None)
            if table is not None:
                return table.name
            if name in TRAINING_TABLES:
                return name
        return None
    assert [d for d in differences if table_of(d) in TRAINING_TABLES] == []
