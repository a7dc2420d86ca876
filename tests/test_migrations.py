"""The migrations build, on an empty database, exactly the schema the models describe."""
import ast
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from flask_migrate import downgrade, upgrade
from sqlalchemy import Column, Integer, MetaData, Table, inspect, select, text

from forum import PROJECT_ROOT, create_app
from forum.extensions import db
from forum.models.accounts import User
from forum.models.ideas import IdeaCall
from forum.models.training import Enrollment, Program
from forum.search.schema import include_object, is_search_table
from forum.training.services import progress_in
from tests.database import PostgresDatabase, wanted_backend
from tests.mentors.reading import card_names
from tests.search.pages import search, texts

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


REVIEW_REPORTS_BECOME_FLAGS = "02556d81f39c"


def _insert(table: str, **values) -> None:
    columns = ", ".join(values)
    marks = ", ".join(f":{name}" for name in values)
    with db.engine.begin() as connection:
        connection.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({marks})"), values)


def test_review_reports_made_before_they_were_flags_reach_the_queue(fresh_app):
    """The mentors part kept its own report table; the revision that drops it moves the
    reports into flags, and moving back restores them."""
    upgrade(revision="8284507f6419")
    now = datetime(2026, 1, 5, 12, 0)
    for number, name in enumerate(("juniper", "rowan", "wren"), start=1):
        _insert("users", id=number, username=name, username_key=name, email=f"{name}@example.org",
                password_hash="x", display_name=name.title(), bio_md="", bio_html="", age_group="adult",
                created_at=now, session_epoch=0)
    _insert("mentorship_requests", id=1, mentee_id=2, mentor_id=1, message="Help?", status="accepted", note="",
            created_at=now)
    _insert("mentor_reviews", id=1, request_id=1, mentor_id=1, author_id=2, rating=1, body_md="Rude",
            body_html="<p>Rude</p>", created_at=now, mentor_reply_md="", mentor_reply_html="")
    _insert("mentor_review_reports", review_id=1, reporter_id=3, reason="Names someone", created_at=now,
            resolved=False)

    upgrade(revision=REVIEW_REPORTS_BECOME_FLAGS)

    assert "mentor_review_reports" not in tables()
    with db.engine.connect() as connection:
        flags = connection.execute(text("SELECT reporter_id, target_type, target_id, reason, status FROM flags")).all()
        hidden = connection.execute(text("SELECT hidden_at, hidden_reason FROM mentor_reviews")).all()
    assert [tuple(row) for row in flags] == [(3, "review", 1, "Names someone", "open")]
    assert [tuple(row) for row in hidden] == [(None, "")]

    downgrade(revision="8284507f6419")

    with db.engine.connect() as connection:
        reports = connection.execute(text("SELECT review_id, reporter_id, reason FROM mentor_review_reports")).all()
        left = connection.execute(text("SELECT COUNT(*) FROM flags")).scalar()
    assert [tuple(row) for row in reports] == [(1, 3, "Names someone")] and left == 0


LATER_REVISION = '''
from alembic import op
import sqlalchemy as sa

revision = "later0000001"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
    # Rebuilt the way batch mode rebuilds a table for any change ALTER TABLE can't make.
    with op.batch_alter_table("users", recreate="always") as batch_op:
        batch_op.add_column(sa.Column("pronouns", sa.String(20), nullable=False, server_default=""))


def downgrade():
    with op.batch_alter_table("users", recreate="always") as batch_op:
        batch_op.drop_column("pronouns")
'''


def test_a_later_change_to_a_parent_table_keeps_the_rows_that_refer_to_it(fresh_app, tmp_path):
    """SQLite batch mode rebuilds a table and drops the old one: with foreign keys enforced
    during migrations, every post, role and badge of every user would cascade away."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("batch rebuilds are SQLite's")
    upgrade()
    head = db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    db.session.remove()
    directory = tmp_path / "migrations"
    shutil.copytree(Path(PROJECT_ROOT, "migrations"), directory, ignore=shutil.ignore_patterns("__pycache__"))
    (directory / "versions" / "later0000001_pronouns.py").write_text(LATER_REVISION.format(head=head))
    now = datetime(2026, 1, 5, 12, 0)
    _insert("users", id=1, username="ana", username_key="ana", email="ana@example.org", password_hash="x",
            display_name="Ana", bio_md="", bio_html="", age_group="adult", created_at=now, session_epoch=0)
    _insert("threads", id=1, kind="general", title="Room", audience="everyone", is_private=False, locked=False,
            post_count=1, top_level_count=1, created_at=now, author_id=1)
    _insert("posts", id=1, thread_id=1, author_id=1, body_md="Still here", body_html="<p>Still here</p>",
            created_at=now, reply_count=0, reaction_count=0, hidden_reason="")

    upgrade(directory=str(directory))

    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == "later0000001"
        assert connection.execute(text("SELECT pronouns FROM users")).scalars().all() == [""]
        assert connection.execute(text("SELECT body_md FROM posts")).scalars().all() == ["Still here"]
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1  # and enforced again after


MIGRATIONS = sorted((PROJECT_ROOT / "migrations" / "versions").glob("*.py"))


def forum_imports(path: Path) -> list[str]:
    """The modules of the forum a migration file imports, at its top or inside a function."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else \
            [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else []
        found += [name for name in names if name == "forum" or name.startswith("forum.")]
    return found


@pytest.mark.parametrize("path", MIGRATIONS, ids=lambda path: path.stem)
def test_a_migration_imports_no_code_of_the_forum(path):
    """A migration is a snapshot: what the app's code does later must not change what
    replaying it does, nor break it. What it needs of that code, it keeps a copy of."""
    assert forum_imports(path) == []


def test_the_import_check_would_notice_an_import_inside_a_function(tmp_path):
    migration = tmp_path / "later.py"
    migration.write_text("import sqlalchemy as sa\n\n\ndef upgrade():\n"
                         "    from forum.mentors.responsiveness import course_of\n    import forum.clock\n")
    assert forum_imports(migration) == ["forum.mentors.responsiveness", "forum.clock"]


BEFORE_RESPONSIVENESS_SPANS = "5b7e2d9c4a16"


def test_responsiveness_spans_come_from_the_requests_and_go_back_to_whole_seconds(fresh_app):
    """Two answers and a request a change ended after 3 days: the median is the 7-minute
    answer (420.6 s); the withdrawn request is left out. Going back keeps whole seconds,
    cut down as the forum cuts them, on both databases."""
    upgrade(revision=BEFORE_RESPONSIVENESS_SPANS)
    now = datetime.now(UTC).replace(tzinfo=None)
    for number, name in enumerate(("juniper", "rowan", "wren", "alder", "birch"), start=1):
        _insert("users", id=number, username=name, username_key=name, email=f"{name}@example.org",
                password_hash="x", display_name=name.title(), bio_md="", bio_html="", age_group="adult",
                created_at=now - timedelta(days=200), session_epoch=0)
    _insert("mentor_profiles", id=1, user_id=1, headline="", mentors_teens=False, mentors_adults=True,
            accepting=True, available_now=False, timezone="UTC", created_at=now - timedelta(days=200),
            rating_sum=0, review_count=0, responsiveness_seconds=999)
    requests = [  # mentee, status, made days ago, answered after, closed after, closed by, reason
        (2, "declined", 3, timedelta(minutes=5), None, None, ""),
        (3, "accepted", 4, timedelta(minutes=7, seconds=0.6), None, None, ""),
        (4, "closed", 6, None, timedelta(days=3), 1, "Juniper no longer mentors adults"),
        (5, "closed", 1, None, timedelta(hours=1), 5, ""),
    ]
    for number, (mentee, status, days_ago, answered_after, closed_after, closed_by, reason) in enumerate(requests):
        made = now - timedelta(days=days_ago)
        _insert("mentorship_requests", id=number + 1, mentee_id=mentee, mentor_id=1, message="Help?", status=status,
                note="", created_at=made, answered_at=answered_after and made + answered_after,
                closed_at=closed_after and made + closed_after, closed_by_id=closed_by, end_reason=reason)

    upgrade()

    with db.engine.connect() as connection:
        spans = connection.execute(text("SELECT base_seconds, growth FROM mentor_responsiveness_spans")).all()
    assert [(round(base, 3), growth) for base, growth in spans] == [(420.6, 0)]

    downgrade(revision=BEFORE_RESPONSIVENESS_SPANS)

    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT responsiveness_seconds FROM mentor_profiles")).scalar() == 420


BEFORE_POSTS_SEARCHED_BY_THREAD = "3c8f1a6d2e57"


def test_posts_written_before_search_knew_their_threads_are_found_in_their_part(fresh_app):
    """The revision that indexes each post's thread (SQLite) indexes the posts already
    there, shown ones only; going back leaves an index of their text that still answers."""
    upgrade(revision=BEFORE_POSTS_SEARCHED_BY_THREAD)
    now = datetime.now(UTC).replace(tzinfo=None)
    _insert("users", id=1, username="ada", username_key="ada", email="ada@example.org", password_hash="x",
            display_name="Ada", bio_md="", bio_html="", age_group="adult", created_at=now, session_epoch=0)
    for thread_id, kind in ((1, "general"), (2, "idea_call")):
        _insert("threads", id=thread_id, kind=kind, title=f"Thread {thread_id}", audience="everyone",
                is_private=False, locked=False, created_at=now, post_count=1, top_level_count=1, content_version=0)
    posts = [(1, 1, "A lantern in the open.", None), (2, 1, "A hidden lantern.", now), (3, 2, "A lantern idea.", None)]
    for post_id, thread_id, body, hidden_at in posts:
        _insert("posts", id=post_id, thread_id=thread_id, author_id=1, body_md=body, body_html=body, created_at=now,
                hidden_at=hidden_at, hidden_reason="", reply_count=0, reaction_count=0)

    upgrade()

    client = fresh_app.test_client()
    assert texts(search(client, "lantern", part="ideas")) == ["A lantern idea."]
    assert texts(search(client, "lantern", part="threads")) == ["A lantern in the open."]
    assert sorted(texts(search(client, "lantern"))) == ["A lantern idea.", "A lantern in the open."]

    downgrade(revision=BEFORE_POSTS_SEARCHED_BY_THREAD)

    if db.engine.dialect.name == "sqlite":
        with db.engine.connect() as connection:
            found = connection.execute(text("SELECT rowid FROM post_search WHERE post_search MATCH 'lantern'"))
            assert sorted(found.scalars()) == [1, 3]


BEFORE_FIRST_COMPLETED_AT = "e2b7c4a9d1f0"


def test_trainees_reopened_before_first_completions_were_kept_count_as_having_completed(fresh_app):
    """Ash completed the program (day 2) and had the second discussion reopened (day 3)
    before first_completed_at existed; a third discussion came on day 4. Birch had the
    first one reopened before doing the second, so never completed the program; Cedar
    completed it and keeps it. Ash gets day 2 back, so the third discussion is offered to
    them, open, and not asked of them; going back leaves the dates."""
    upgrade(revision=BEFORE_FIRST_COMPLETED_AT)
    start = datetime(2026, 3, 1, 9, 0)
    day = lambda number: start + timedelta(days=number)  # noqa: E731
    for number, name in enumerate(("trainer", "ash", "birch", "cedar"), start=1):
        _insert("users", id=number, username=name, username_key=name, email=f"{name}@example.org",
                password_hash="x", display_name=name.title(), bio_md="", bio_html="", age_group="adult",
                created_at=start, session_epoch=0)
    _insert("programs", id=1, slug="listening", title="Listening", summary_md="", summary_html="",
            audience="everyone", published=True, created_by_id=1, created_at=start, updated_at=start)
    for position, added in ((1, start), (2, start), (3, day(4))):
        _insert("threads", id=position, kind="discussion", title=f"Discussion {position}", audience="everyone",
                is_private=False, locked=False, created_at=added, post_count=0, top_level_count=0, content_version=0)
        _insert("discussions", id=position, program_id=1, position=position, title=f"Discussion {position}",
                lesson_md="", lesson_html="", prompt="Say", response_template="", min_words=1,
                required_peer_replies=1, post_first=False, thread_id=position)
    for trainee, completed in ((2, None), (3, None), (4, day(2))):
        _insert("enrollments", id=trainee, user_id=trainee, program_id=1, enrolled_at=start, completed_at=completed)
    for enrollment, discussion, done in ((2, 1, day(1)), (3, 2, day(3)), (4, 1, day(1)), (4, 2, day(2))):
        _insert("discussion_completions", enrollment_id=enrollment, discussion_id=discussion, completed_at=done)
    for enrollment, discussion, done, back in ((2, 2, day(2), day(3)), (3, 1, day(1), day(2))):
        _insert("discussion_reopenings", enrollment_id=enrollment, discussion_id=discussion, reopened_by_id=1,
                reason="", previously_completed_at=done, reopened_at=back)

    upgrade()

    first = dict(db.session.execute(select(Enrollment.id, Enrollment.first_completed_at)).all())
    assert first == {2: day(2), 3: None, 4: day(2)}
    with fresh_app.test_request_context():
        ash = progress_in(db.session.get(User, 2), db.session.get(Program, 1))
        assert [d.position for d in ash.required_left] == [2]
        assert [d.position for d in ash.added_since_completion] == [3] and ash.is_open(ash.at(3))
    db.session.remove()

    downgrade(revision="9f3a6c1d2e85")

    with db.engine.connect() as connection:
        kept = connection.execute(text("SELECT COUNT(*) FROM enrollments WHERE first_completed_at IS NOT NULL"))
        assert kept.scalar() == 2


BEFORE_POST_SEARCH_DAYS = "b6e2d4f8a1c3"


def test_posts_written_before_the_days_were_kept_are_found_by_their_dates(fresh_app):
    """The revision that keeps each day's range of post ids (SQLite) fills it from the posts
    already there, so a search up to or from a date still finds them."""
    upgrade(revision=BEFORE_POST_SEARCH_DAYS)
    now = datetime.now(UTC).replace(tzinfo=None)
    _insert("users", id=1, username="ada", username_key="ada", email="ada@example.org", password_hash="x",
            display_name="Ada", bio_md="", bio_html="", age_group="adult", created_at=now, session_epoch=0)
    _insert("threads", id=1, kind="general", title="Imported", audience="everyone", is_private=False, locked=False,
            created_at=now, post_count=3, top_level_count=3, content_version=0)
    # Ids out of date order, as an import writes them.
    for post_id, body, days_ago in ((1, "Today's lantern.", 0), (2, "An old lantern.", 40), (3, "A lantern.", 10)):
        _insert("posts", id=post_id, thread_id=1, author_id=1, body_md=body, body_html=body,
                created_at=now - timedelta(days=days_ago), hidden_reason="", reply_count=0, reaction_count=0)

    upgrade()

    client = fresh_app.test_client()
    old, recent = (now - timedelta(days=20)).date().isoformat(), (now - timedelta(days=5)).date().isoformat()
    assert texts(search(client, "lantern", until=old)) == ["An old lantern."]
    assert texts(search(client, "lantern", since=old, until=recent)) == ["A lantern."]
    assert texts(search(client, "lantern", since=recent)) == ["Today's lantern."]


BEFORE_MENTOR_NAMES_SEARCHED = "b8d4e2f6a9c1"


def test_mentors_made_before_names_were_searched_are_found_by_name(fresh_app):
    """The revision that indexes each mentor's name and username fills them in for the
    profiles already there, keeping their headline and shown sections; going back leaves
    an index of headlines and sections that still answers."""
    upgrade(revision=BEFORE_MENTOR_NAMES_SEARCHED)
    now = datetime.now(UTC).replace(tzinfo=None)
    _insert("users", id=1, username="harbor_mentor", username_key="harbor_mentor", email="h@example.org",
            password_hash="x", display_name="Harbor", bio_md="", bio_html="", age_group="adult", created_at=now,
            session_epoch=0)
    _insert("roles", id=1, name="mentor")
    _insert("user_roles", user_id=1, role_id=1)
    _insert("mentor_profiles", id=1, user_id=1, headline="Calm voice for night shifts", mentors_teens=False,
            mentors_adults=True, accepting=True, available_now=False, timezone="UTC", created_at=now,
            rating_sum=0, review_count=0)
    _insert("mentor_profile_sections", id=1, profile_id=1, kind="about", body_md="I know bereavement groups.",
            body_html="", position=0, hidden=False)

    upgrade()

    client = fresh_app.test_client()
    for words in ("harbor", "night shifts", "bereavement"):
        assert [result.link for result in search(client, words)] == ["/mentors/harbor_mentor"], words

    downgrade(revision=BEFORE_MENTOR_NAMES_SEARCHED)

    assert _mentor_links_found(client, "bereavement") == ["/mentors/harbor_mentor"]
    assert _mentor_links_found(client, "night shifts") == ["/mentors/harbor_mentor"]


BEFORE_MENTOR_TAGS_SEARCHED = "d4e8a1c7b3f9"


def test_mentors_made_before_tags_were_searched_are_found_by_their_tags(fresh_app):
    """The revision that indexes the names of each mentor's tags fills them in for the
    profiles already there, keeping their headline, sections and name; going back leaves
    an index that still finds them by those."""
    upgrade(revision=BEFORE_MENTOR_TAGS_SEARCHED)
    now = datetime.now(UTC).replace(tzinfo=None)
    _insert("users", id=1, username="harbor_mentor", username_key="harbor_mentor", email="h@example.org",
            password_hash="x", display_name="Harbor", bio_md="", bio_html="", age_group="adult", created_at=now,
            session_epoch=0)
    _insert("roles", id=1, name="mentor")
    _insert("user_roles", user_id=1, role_id=1)
    _insert("mentor_profiles", id=1, user_id=1, headline="Calm voice for night shifts", mentors_teens=False,
            mentors_adults=True, accepting=True, available_now=False, timezone="UTC", created_at=now,
            rating_sum=0, review_count=0)
    _insert("mentor_profile_sections", id=1, profile_id=1, kind="situations", body_md="A parent with dementia.",
            body_html="", position=0, hidden=False)
    _insert("mentor_tags", id=1, kind="knowledge", name="Grief", slug="grief")
    _insert("mentor_profile_tags", profile_id=1, tag_id=1, position=0)
    client = fresh_app.test_client()
    assert _directory_names(client, "grief") == []

    upgrade()

    for words in ("grief", "dementia", "night shifts", "harbor"):
        assert _directory_names(client, words) == ["Harbor"], words
        assert [result.link for result in search(client, words)] == ["/mentors/harbor_mentor"], words

    downgrade(revision=BEFORE_MENTOR_TAGS_SEARCHED)

    if db.engine.dialect.name == "sqlite":
        assert _directory_names(client, "grief") == []
        assert _directory_names(client, "dementia") == ["Harbor"]
    assert _mentor_links_found(client, "grief") == []
    assert _mentor_links_found(client, "dementia") == ["/mentors/harbor_mentor"]
    assert _mentor_links_found(client, "harbor") == ["/mentors/harbor_mentor"]


def _directory_names(client, words: str) -> list[str]:
    return card_names(client.get("/mentors", query_string={"words": words}).get_data(as_text=True))


def _mentor_links_found(client, words: str) -> list[str]:
    """The mentors search finds for `words` in a database gone back before accents were folded:
    on SQLite through the search page; on PostgreSQL from the index, as the code of that
    release searched it (today's code names the configuration that going back drops)."""
    if db.engine.dialect.name == "sqlite":
        return [result.link for result in search(client, words)]
    with db.engine.connect() as connection:
        return connection.execute(text(
            "SELECT '/mentors/' || users.username FROM mentor_profiles JOIN users ON users.id = mentor_profiles.user_id "
            "WHERE mentor_profiles.search_vector @@ plainto_tsquery('english', :words) ORDER BY mentor_profiles.id"),
            {"words": words}).scalars().all()


BEFORE_AUDIT_SUBJECTS = "f3b8d1c6a2e4"


def test_audit_entries_written_before_they_named_their_subject_find_the_person(fresh_app):
    """The revision that records whom each entry is about fills it in for the entries
    already there: a person or profile is that person, a post or review still there is its
    author's, one deleted for good its author's as the entry's label names them (a closed
    account's retired name too); a program, a badge, an unknown name stay about nobody."""
    upgrade(revision=BEFORE_AUDIT_SUBJECTS)
    now = datetime(2026, 1, 5, 12, 0)
    for number, name in enumerate(("moss", "sam", "kai", "lee", "former-5"), start=1):
        _insert("users", id=number, username=name, username_key=name, email=f"{name}@example.org",
                password_hash="x", display_name=name.title(), bio_md="", bio_html="", age_group="adult",
                created_at=now, session_epoch=0)
    _insert("retired_usernames", username_key="wren", user_id=5)
    _insert("threads", id=1, kind="general", title="Long week", audience="everyone", is_private=False, locked=False,
            created_at=now, post_count=1, top_level_count=1, content_version=0)
    _insert("posts", id=1, thread_id=1, author_id=2, body_md="Useless.", body_html="<p>Useless.</p>", created_at=now,
            hidden_reason="", reply_count=0, reaction_count=0)
    _insert("mentor_profiles", id=1, user_id=3, headline="", mentors_teens=False, mentors_adults=True, accepting=True,
            available_now=False, timezone="UTC", created_at=now, rating_sum=0, review_count=0)
    _insert("mentorship_requests", id=1, mentee_id=4, mentor_id=3, message="Help?", status="accepted", note="",
            created_at=now)
    _insert("mentor_reviews", id=1, request_id=1, mentor_id=3, author_id=4, rating=1, body_md="Rude",
            body_html="<p>Rude</p>", created_at=now, mentor_reply_md="", mentor_reply_html="", hidden_reason="")
    entries = [  # id, action, target type, target id, label
        (1, "hide", "post", 1, "post 1 by @sam in “Long week”"),
        (2, "delete", "post", 9, "post 9 by @sam in “Long week”"),
        (3, "idea_status", "post", 8, "idea 8 by @wren in “Quiet hours”"),
        (4, "dismiss", "post", 7, "post 7 by @nobody_here in “Gone”"),
        (5, "hide_review", "review", 1, "review 1 by @lee of @kai"),
        (6, "suspend", "user", 2, "@sam"),
        (7, "clear_profile", "profile", 3, "@kai"),
        (8, "badge_create", "badge", 1, "First aid (first-aid)"),
        (9, "program_publish", "program", 1, "“Listening”"),
        (10, "dismiss", "profile", 42, "@gone"),
    ]
    for entry_id, action, target_type, target_id, label in entries:
        _insert("audit_entries", id=entry_id, actor_id=1, action=action, target_type=target_type,
                target_id=target_id, target_label=label, reason="", details="", created_at=now)

    upgrade()

    with db.engine.connect() as connection:
        subjects = dict(connection.execute(text("SELECT id, subject_id FROM audit_entries")).all())
    assert subjects == {1: 2, 2: 2, 3: 5, 4: None, 5: 4, 6: 2, 7: 3, 8: None, 9: None, 10: None}

    downgrade(revision=BEFORE_AUDIT_SUBJECTS)

    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM audit_entries")).scalar() == 10


BEFORE_POST_NUMBERS_KEPT = "55d32ad8e624"


def test_posts_copied_to_keep_their_numbers_keep_their_replies_and_are_still_searched(fresh_app):
    """The revision that stops SQLite giving a deleted post's number to the next one copies
    the posts table: their replies stay, and search still learns what is written, edited
    and deleted after it, by dates too."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL's sequences never give a number twice; the revision does nothing there")
    upgrade(revision=BEFORE_POST_NUMBERS_KEPT)
    now = datetime.now(UTC).replace(tzinfo=None)
    _insert("users", id=1, username="ada", username_key="ada", email="ada@example.org", password_hash="x",
            display_name="Ada", bio_md="", bio_html="", age_group="adult", created_at=now, session_epoch=0)
    _insert("threads", id=1, kind="general", title="Room", audience="everyone", is_private=False, locked=False,
            created_at=now, post_count=3, top_level_count=2, content_version=0)
    for post_id, parent_id, body in ((1, None, "A lantern."), (2, 1, "A reply by lantern light."),
                                     (3, None, "Spam, the newest post.")):
        _insert("posts", id=post_id, thread_id=1, parent_id=parent_id, author_id=1, body_md=body, body_html=body,
                created_at=now, hidden_reason="", reply_count=int(post_id == 1), reaction_count=0)

    upgrade()

    client = fresh_app.test_client()
    assert sorted(texts(search(client, "lantern"))) == ["A lantern.", "A reply by lantern light."]
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE posts SET body_md = 'A candle.' WHERE id = 1"))
        connection.execute(text("DELETE FROM posts WHERE id = 3"))
    _insert("posts", thread_id=1, author_id=1, body_md="A new lantern.", body_html="A new lantern.",
            created_at=now, hidden_reason="", reply_count=0, reaction_count=0)
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT id, body_md FROM posts ORDER BY id")).all() == [
            (1, "A candle."), (2, "A reply by lantern light."), (4, "A new lantern.")]
    assert sorted(texts(search(client, "lantern"))) == ["A new lantern.", "A reply by lantern light."]
    assert texts(search(client, "candle", since=now.date().isoformat())) == ["A candle."]


BEFORE_TEEN_APPROVALS = "a4e6b8c0d2f1"


def test_adult_mentors_of_teens_are_approved_as_of_the_migration_by_nobody(fresh_app):
    """The revision that asks an admin to approve adults who mentor teens approves those
    who did already (no mentorship breaks), by nobody, now; takes the tick off an adult who
    lost the mentor role; leaves teen mentors and mentors of adults as they were; and the
    mentors' search still learns of a headline changed after it."""
    upgrade(revision=BEFORE_TEEN_APPROVALS)
    before = datetime.now(UTC).replace(tzinfo=None)
    people = {1: ("juniper", "adult"), 2: ("fern", "teen"), 3: ("birch", "adult"), 4: ("oak", "adult")}
    for number, (name, age_group) in people.items():
        _insert("users", id=number, username=name, username_key=name, email=f"{name}@example.org",
                password_hash="x", display_name=name.title(), bio_md="", bio_html="", age_group=age_group,
                created_at=before, session_epoch=0)
    _insert("roles", id=1, name="mentor")
    for number in (1, 2, 3):  # oak lost the mentor role
        _insert("user_roles", user_id=number, role_id=1)
    for number, teens, adults in ((1, True, True), (2, True, False), (3, False, True), (4, True, False)):
        _insert("mentor_profiles", id=number, user_id=number, headline="Calm voice", mentors_teens=teens,
                mentors_adults=adults, accepting=True, available_now=False, timezone="UTC", created_at=before,
                rating_sum=0, review_count=0)

    upgrade()

    with db.engine.connect() as connection:
        rows = {row[0]: row[1:] for row in connection.execute(text(
            "SELECT user_id, mentors_teens, accepting, teens_approved_at, teens_approved_by_id FROM mentor_profiles"))}
    juniper_approved = rows[1][2]
    if isinstance(juniper_approved, str):  # SQLite's plain SQL gives the text it keeps
        juniper_approved = datetime.fromisoformat(juniper_approved)
    assert juniper_approved is not None and before <= juniper_approved <= datetime.now(UTC).replace(tzinfo=None)
    assert rows[1][3] is None  # approved by nobody: an admin is to review it
    assert [tuple(bool(v) for v in rows[n][:2]) + (rows[n][2], rows[n][3]) for n in (2, 3, 4)] == [
        (True, True, None, None), (False, True, None, None), (False, False, None, None)]
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE mentor_profiles SET headline = 'Night owl' WHERE id = 1"))
    client = fresh_app.test_client()
    assert [result.link for result in search(client, "night owl")] == ["/mentors/juniper"]

    downgrade(revision=BEFORE_TEEN_APPROVALS)

    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT user_id FROM mentor_profiles WHERE mentors_teens ORDER BY user_id"
                                       )).scalars().all() == [1, 2]


BEFORE_URGENT_FLAGS = "c9e4a7b2d6f3"


def test_flags_raised_before_the_danger_box_are_not_urgent_and_stay_in_the_queue(fresh_app):
    upgrade(revision=BEFORE_URGENT_FLAGS)
    now = datetime(2026, 1, 5, 12, 0)
    _insert("users", id=1, username="sam", username_key="sam", email="sam@example.org", password_hash="x",
            display_name="Sam", bio_md="", bio_html="", age_group="adult", created_at=now, session_epoch=0)
    _insert("flags", id=1, reporter_id=1, target_type="profile", target_id=1, reason="Odd", created_at=now,
            status="open", resolution_note="")

    upgrade()

    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT id, urgent, status FROM flags")).all() == [(1, False, "open")]

    downgrade(revision=BEFORE_URGENT_FLAGS)

    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM flags")).scalar() == 1


BEFORE_TEEN_ASKS = "d8b2f6a4c1e7"


def test_mentors_there_before_asks_were_kept_have_asked_nothing_and_are_still_searched(fresh_app):
    """The revision that keeps a mentor's ask to be approved for teens leaves every profile
    there without one, and going back keeps the profiles and the mentors' search."""
    upgrade(revision=BEFORE_TEEN_ASKS)
    now = datetime(2026, 1, 5, 12, 0)
    _insert("users", id=1, username="juniper", username_key="juniper", email="juniper@example.org",
            password_hash="x", display_name="Juniper", bio_md="", bio_html="", age_group="adult", created_at=now,
            session_epoch=0)
    _insert("roles", id=1, name="mentor")
    _insert("user_roles", user_id=1, role_id=1)
    _insert("mentor_profiles", id=1, user_id=1, headline="Calm voice", mentors_teens=False, mentors_adults=True,
            accepting=True, available_now=False, timezone="UTC", created_at=now, rating_sum=0, review_count=0)

    upgrade()

    with db.engine.begin() as connection:
        assert connection.execute(text("SELECT teens_asked_at, teens_ask_note FROM mentor_profiles")).all() == [
            (None, "")]
        connection.execute(text("UPDATE mentor_profiles SET teens_asked_at = :now, teens_ask_note = 'Hi', "
                                "headline = 'Night owl' WHERE id = 1"), {"now": now})
    client = fresh_app.test_client()
    assert [result.link for result in search(client, "night owl")] == ["/mentors/juniper"]

    downgrade(revision=BEFORE_TEEN_ASKS)

    with db.engine.begin() as connection:
        assert connection.execute(text("SELECT user_id, headline FROM mentor_profiles")).all() == [(1, "Night owl")]
        connection.execute(text("UPDATE mentor_profiles SET headline = 'Lantern keeper' WHERE id = 1"))
    assert _mentor_links_found(client, "lantern keeper") == ["/mentors/juniper"]


BEFORE_TIME_ZONES = "7a1d3f5b9c2e"


def test_members_from_before_time_zones_read_utc_and_going_back_keeps_them(fresh_app):
    upgrade(revision=BEFORE_TIME_ZONES)
    now = datetime(2026, 12, 7, 12, 0)
    _insert("users", id=1, username="sam", username_key="sam", email="sam@example.org", password_hash="x",
            display_name="Sam", bio_md="", bio_html="", age_group="adult", created_at=now, session_epoch=0)

    upgrade()

    assert db.session.get(User, 1).time_zone == "UTC"
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE users SET time_zone = 'Australia/Sydney' WHERE id = 1"))
    db.session.remove()

    downgrade(revision=BEFORE_TIME_ZONES)

    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT username FROM users")).scalars().all() == ["sam"]
        assert "time_zone" not in {column["name"] for column in inspect(connection).get_columns("users")}


def test_going_back_from_time_zones_keeps_mentors_found_by_their_new_name(fresh_app):
    """On SQLite dropping the column copies the users table, which drops the trigger that
    keeps a mentor's name in the search index."""
    upgrade(revision=BEFORE_TIME_ZONES)
    now = datetime(2026, 12, 7, 12, 0)
    _insert("users", id=1, username="sam", username_key="sam", email="sam@example.org", password_hash="x",
            display_name="Sam", bio_md="", bio_html="", age_group="adult", created_at=now, session_epoch=0)
    _insert("roles", id=1, name="mentor")
    _insert("user_roles", user_id=1, role_id=1)
    _insert("mentor_profiles", id=1, user_id=1, headline="Calm voice", mentors_teens=False, mentors_adults=True,
            accepting=True, available_now=False, timezone="UTC", created_at=now, rating_sum=0, review_count=0)
    upgrade()
    db.session.remove()

    downgrade(revision=BEFORE_TIME_ZONES)

    with db.engine.begin() as connection:
        connection.execute(text("UPDATE users SET display_name = 'Lantern Keeper' WHERE id = 1"))
    assert _mentor_links_found(fresh_app.test_client(), "lantern keeper") == ["/mentors/sam"]


BEFORE_ACCENTS_FOLDED = "d4b7e2a9c5f8"


def _insert_accented_post_call_and_mentor() -> None:
    now = datetime(2026, 12, 20, 12, 0)
    _insert("users", id=1, username="juniper", username_key="juniper", email="juniper@example.org",
            password_hash="x", display_name="Juniper", bio_md="", bio_html="", age_group="adult", created_at=now,
            session_epoch=0)
    _insert("roles", id=1, name="mentor")
    _insert("user_roles", user_id=1, role_id=1)
    for thread_id, kind, title in ((1, "general", "Meeting places"), (2, "idea_call", "Ideas for the Café corner")):
        _insert("threads", id=thread_id, kind=kind, title=title, audience="everyone", is_private=False,
                locked=False, created_at=now, post_count=1, top_level_count=1, content_version=0)
    _insert("posts", id=1, thread_id=1, author_id=1, body_md="We met at the café.", body_html="", created_at=now,
            reply_count=0, reaction_count=0, hidden_reason="")
    _insert("idea_calls", thread_id=2, question_md="What would make it cosier?", question_html="",
            phase="collecting", hide_reactions_while_collecting=False, opened_by_id=1, created_at=now,
            phase_changed_at=now)
    _insert("mentor_profiles", id=1, user_id=1, headline="Ask for Zoë", mentors_teens=False, mentors_adults=True,
            accepting=True, available_now=False, timezone="UTC", created_at=now, rating_sum=0, review_count=0)
    _insert("mentor_profile_sections", id=1, profile_id=1, kind="about", body_md="I run a café for carers.",
            body_html="", position=0, hidden=False)


def _kinds_found(client, words: str) -> list[str]:
    return sorted(result.kind for result in search(client, words))


def _matched_in_sql(config: str, words: str) -> list[str]:
    """What the index holds, read as the release before this revision searched it (its code
    names the English configuration, which a forum gone back to it runs)."""
    with db.engine.connect() as connection:
        return sorted(connection.execute(text(
            f"SELECT 'post' FROM posts WHERE search_vector @@ plainto_tsquery('{config}', :words) "
            f"UNION ALL SELECT 'call' FROM idea_calls WHERE search_vector @@ plainto_tsquery('{config}', :words) "
            f"UNION ALL SELECT 'mentor' FROM mentor_profiles "
            f"WHERE search_vector @@ plainto_tsquery('{config}', :words)"), {"words": words}).scalars())


def test_posts_calls_and_mentors_written_before_accents_were_folded_are_found_without_them(fresh_app):
    """The revision that folds accents on PostgreSQL (SQLite's index always did) recomputes
    what was already indexed; going back restores the English configuration's vectors,
    which find the accented words as typed."""
    upgrade(revision=BEFORE_ACCENTS_FOLDED)
    _insert_accented_post_call_and_mentor()
    postgresql = db.engine.dialect.name == "postgresql"
    if postgresql:
        assert _matched_in_sql("english", "cafe") == []

    upgrade()

    client = fresh_app.test_client()
    for words in ("cafe", "café"):
        assert _kinds_found(client, words) == ["call", "mentor", "post"], words
    assert _kinds_found(client, "zoe") == ["mentor"]
    assert "<mark>café</mark>" in search(client, "cafe", part="threads")[0].snippet_html

    downgrade(revision=BEFORE_ACCENTS_FOLDED)

    if postgresql:
        assert _matched_in_sql("english", "café") == ["call", "mentor", "post"]
        assert _matched_in_sql("english", "cafe") == []
        with db.engine.connect() as connection:
            assert connection.execute(text(
                "SELECT count(*) FROM pg_ts_config WHERE cfgname = 'english_unaccent'")).scalar() == 0
    else:
        assert _kinds_found(client, "cafe") == ["call", "mentor", "post"]


def test_without_the_right_to_add_unaccent_the_migration_says_what_to_run_as_a_superuser(fresh_app, capfd):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite folds accents with nothing to install")
    upgrade(revision=BEFORE_ACCENTS_FOLDED)
    role = "forum_no_rights_" + fresh_app.config["SQLALCHEMY_DATABASE_URI"].rsplit("_", 1)[-1]
    with db.engine.begin() as connection:
        connection.exec_driver_sql(f"CREATE ROLE {role}")
        connection.exec_driver_sql(f"GRANT SELECT, UPDATE ON alembic_version TO {role}")
    db.session.remove()
    db.engine.dispose()
    database_name = db.engine.url.database
    fresh_app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"options": f"-c role={role}"}}
    limited = create_app({**fresh_app.config})
    try:
        with limited.app_context():
            with pytest.raises(SystemExit):  # as `flask db upgrade` exits
                upgrade()
            db.engine.dispose()
        # Alembic's logging writes it to stderr as one line.
        assert [line for line in capfd.readouterr().err.splitlines() if "Error" in line] == [
            f"ERROR [flask_migrate] Error: Search needs PostgreSQL's unaccent extension, which {role} may not add: as a superuser, "
            f"run  psql -d {database_name} -c 'CREATE EXTENSION unaccent'  then upgrade again."]
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == BEFORE_ACCENTS_FOLDED
    finally:
        with db.engine.begin() as connection:
            connection.exec_driver_sql(f"REVOKE ALL ON alembic_version FROM {role}")
            connection.exec_driver_sql(f"DROP ROLE {role}")


BEFORE_CALLS_WERE_EDITED = "e4c2a8f6b1d9"


def test_calls_opened_before_they_could_be_edited_read_unedited_and_going_back_keeps_them_searched(fresh_app):
    """On SQLite dropping the column copies the idea_calls table, which drops the triggers
    that keep a call's question in the search index."""
    upgrade(revision=BEFORE_CALLS_WERE_EDITED)
    _insert_accented_post_call_and_mentor()

    upgrade()

    call = db.session.get(IdeaCall, 2)
    assert call.edited_at is None and call.question_md == "What would make it cosier?"
    db.session.remove()

    downgrade(revision=BEFORE_CALLS_WERE_EDITED)

    with db.engine.begin() as connection:
        assert "edited_at" not in {column["name"] for column in inspect(connection).get_columns("idea_calls")}
        connection.execute(text("UPDATE idea_calls SET question_md = 'Any lantern ideas?' WHERE thread_id = 2"))
    assert _kinds_found(fresh_app.test_client(), "lantern") == ["call"]


BEFORE_EMAILS_PAUSED = "b6e1d4a8c2f7"


def test_members_from_before_emails_could_pause_get_them_and_going_back_keeps_mentors_found(fresh_app):
    """On SQLite dropping the column copies the users table, which drops the trigger that
    keeps a mentor's name in the search index."""
    upgrade(revision=BEFORE_EMAILS_PAUSED)
    _insert_accented_post_call_and_mentor()

    upgrade()

    assert db.session.get(User, 1).emails_paused_until is None
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE users SET emails_paused_until = :until WHERE id = 1"),
                           {"until": datetime(2026, 12, 30, 12, 0)})
    db.session.remove()

    downgrade(revision=BEFORE_EMAILS_PAUSED)

    with db.engine.begin() as connection:
        assert "emails_paused_until" not in {column["name"] for column in inspect(connection).get_columns("users")}
        assert connection.execute(text("SELECT username FROM users")).scalars().all() == ["juniper"]
        connection.execute(text("UPDATE users SET display_name = 'Lantern Keeper' WHERE id = 1"))
    assert _mentor_links_found(fresh_app.test_client(), "lantern keeper") == ["/mentors/juniper"]


# The last merge: every revision after it has one parent, so each can be undone alone.
LAST_MERGE = "da92406274db"


def _linear_revisions_since(revision: str) -> list[str]:
    """The revisions after `revision`, oldest first, as `flask db upgrade` runs them."""
    scripts = ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config())
    chain = [script.revision for script in scripts.iterate_revisions("heads", revision)]
    return list(reversed(chain))[1:]


def _one_line(sql: str | None) -> str:
    return " ".join((sql or "").replace('"', "").split())


def schema_objects() -> dict:
    """What a migration makes or must keep, besides rows: the tables' columns and foreign keys,
    indexes, triggers and (PostgreSQL) functions, written the same way however they were made."""
    with db.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            objects = {f"{kind} {name}": _one_line(sql) for kind, name, sql in connection.exec_driver_sql(
                "SELECT type, name, sql FROM sqlite_master WHERE type IN ('trigger', 'index', 'view')")}
            # sqlite_sequence: SQLite's own, made by the first AUTOINCREMENT table and kept.
            for (table,) in connection.exec_driver_sql(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all():
                objects[f"table {table}"] = (
                    sorted(tuple(row)[1:] for row in connection.exec_driver_sql(f'PRAGMA table_info("{table}")')),
                    sorted(tuple(row)[2:] for row in connection.exec_driver_sql(
                        f'PRAGMA foreign_key_list("{table}")')))
            return objects
        objects = {f"index {name}": definition for name, definition in connection.exec_driver_sql(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'")}
        objects.update({f"trigger {name}": definition for name, definition in connection.exec_driver_sql(
            "SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal")})
        objects.update({f"function {name}": _one_line(definition) for name, definition in connection.exec_driver_sql(
            "SELECT p.proname, pg_get_functiondef(p.oid) FROM pg_proc AS p "
            "JOIN pg_namespace AS n ON n.oid = p.pronamespace WHERE n.nspname = 'public'")})
        for table, column, kind, nullable, default in connection.exec_driver_sql(
                "SELECT table_name, column_name, data_type, is_nullable, column_default "
                "FROM information_schema.columns WHERE table_schema = 'public'"):
            objects[f"column {table}.{column}"] = (kind, nullable, default)
        return objects


def test_going_back_one_revision_at_a_time_leaves_each_as_it_was_made(fresh_app):
    """An operator who goes back from today's release finds each earlier revision as it was
    when it ran: on SQLite a revision that copies a table (batch mode) drops the triggers on
    it, and one written beside another may undo the other's work; the search index then
    misses every later change, and nothing says so."""
    upgrade(revision=LAST_MERGE)
    made = {LAST_MERGE: schema_objects()}
    revisions = _linear_revisions_since(LAST_MERGE)
    for revision in revisions:
        upgrade(revision=revision)
        made[revision] = schema_objects()

    for earlier, later in reversed(list(zip([LAST_MERGE] + revisions, revisions))):
        downgrade(revision=earlier)
        now = schema_objects()
        lost = {name: value for name, value in made[earlier].items() if now.get(name) != value}
        added = sorted(set(now) - set(made[earlier]))
        assert (lost, added) == ({}, []), f"going back from {later} to {earlier}"
