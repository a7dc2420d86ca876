"""The flask commands an operator runs: create-admin, grant-role, remove-role, award-badge, seed-demo."""
import re

import pytest
from sqlalchemy import func, select

from forum.demo import DEMO_PASSWORD
from forum.demo.accounts import PEOPLE
from forum.extensions import db
from forum.models.accounts import Badge, Role, User, UserBadge, user_roles
from forum.models.moderation import AuditEntry
from tests.factories import make_badge, make_user
from tests.mentors.factories import make_listener, make_mentor, make_mentorship, make_request

ADMIN_PASSWORD = "a long admin sentence 7"


def user(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username_key == username.lower()))


def counts() -> dict[str, int]:
    return {
        "users": db.session.scalar(select(func.count(User.id))),
        "roles": db.session.scalar(select(func.count(Role.id))),
        "user_roles": db.session.scalar(select(func.count()).select_from(user_roles)),
        "badges": db.session.scalar(select(func.count(Badge.id))),
        "user_badges": db.session.scalar(select(func.count(UserBadge.id))),
    }


# create-admin

def test_create_admin_makes_an_admin_who_can_sign_in(runner, client):
    result = runner.invoke(args=["create-admin", "--username", "ada", "--email", "ada@example.org",
                                 "--password", ADMIN_PASSWORD])

    assert result.exit_code == 0, result.output
    assert "Admin ada created." in result.output
    assert user("ada").role_names == {"member", "admin"}
    client.login("ada", ADMIN_PASSWORD)
    assert client.get("/admin/users").status_code == 200


def test_create_admin_asks_for_what_is_missing(runner):
    result = runner.invoke(args=["create-admin"],
                           input=f"ada\nada@example.org\n{ADMIN_PASSWORD}\n{ADMIN_PASSWORD}\n")

    assert result.exit_code == 0, result.output
    assert ADMIN_PASSWORD not in result.output  # the password is not echoed
    assert user("ada").has_role("admin")


@pytest.mark.parametrize("username, password, message", [
    ("ada", "short", "password: Use at least 10 characters."),
    ("a", ADMIN_PASSWORD, "username: Use 3 to 20 letters, digits or underscores."),
    ("ADA_taken", ADMIN_PASSWORD, "username: That username is taken."),
])
def test_create_admin_refuses_bad_input_clearly(runner, username, password, message):
    make_user("ada_taken")

    result = runner.invoke(args=["create-admin", "--username", username, "--email", "new@example.org",
                                 "--password", password])

    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert db.session.scalar(select(func.count(User.id))) == 1


# grant-role

def test_grant_role(runner):
    make_user("rowan")

    result = runner.invoke(args=["grant-role", "Rowan", "mentor"])

    assert result.exit_code == 0, result.output
    assert "Rowan now has the role mentor." in result.output
    assert user("rowan").role_names == {"member", "mentor"}


def test_granting_a_held_role_changes_nothing(runner):
    make_user("rowan", role="mentor")
    result = runner.invoke(args=["grant-role", "rowan", "mentor"])
    assert result.exit_code == 0
    assert "rowan already has the role mentor." in result.output
    assert "now has" not in result.output
    assert user("rowan").role_names == {"member", "mentor"}


@pytest.mark.parametrize("username, role, message", [
    ("rowan", "wizard", "Unknown role 'wizard'; roles are member, listener, mentor, trainer, moderator, admin."),
    ("ghost", "mentor", "No user called 'ghost'."),
])
def test_grant_role_explains_unknown_names(runner, username, role, message):
    make_user("rowan")

    result = runner.invoke(args=["grant-role", username, role])

    assert result.exit_code != 0
    assert message in result.output
    assert user("rowan").role_names == {"member"}


# remove-role

def role_audit() -> list[tuple[int | None, str, str]]:
    return [(entry.actor_id, entry.target_label, entry.details)
            for entry in db.session.scalars(select(AuditEntry).where(AuditEntry.action == "roles"))]


def test_remove_role_takes_the_role_and_audits_it(runner, client):
    make_user("rowan", role=("listener", "trainer"))

    result = runner.invoke(args=["remove-role", "Rowan", "trainer"])

    assert result.exit_code == 0, result.output
    assert result.output.strip() == "rowan no longer has the role trainer."
    assert user("rowan").role_names == {"member", "listener"}
    assert role_audit() == [(None, "@rowan", "listener, member, trainer → listener, member")]
    make_user("ada", role="admin")
    client.login("ada")
    audit = client.get("/mod/audit").page
    assert "Command line" in audit and "listener, member, trainer → listener, member" in audit


def test_removing_the_mentor_role_ends_their_mentorships_as_the_admin_page_does(runner, client):
    juniper = make_mentor("juniper")
    with_rowan = make_mentorship(make_listener("rowan"), juniper)
    from_sage = make_request(make_listener("sage"), juniper)

    result = runner.invoke(args=["remove-role", "juniper", "mentor"])

    assert result.exit_code == 0, result.output
    assert ("juniper no longer has the role mentor. This ended 1 mentorship and 1 waiting request: the mentorship "
            "between Rowan and Juniper; Sage's request to Juniper. Both people in each were told why.") in result.output
    db.session.refresh(with_rowan)
    db.session.refresh(from_sage)
    assert (with_rowan.status, from_sage.status) == ("closed", "closed")
    [(actor, label, details)] = role_audit()
    assert (actor, label) == (None, "@juniper")
    assert details.startswith("listener, member, mentor → listener, member. This ended 1 mentorship")
    assert client.get("/mentors/juniper").status_code == 404


def test_removing_the_last_admin_says_nobody_is_admin_now(runner):
    make_user("ada", role="admin")
    make_user("bea", role="admin")

    first = runner.invoke(args=["remove-role", "bea", "admin"])
    last = runner.invoke(args=["remove-role", "ada", "admin"])

    assert first.exit_code == last.exit_code == 0
    assert "Nobody is an admin" not in first.output
    assert "ada no longer has the role admin." in last.output
    assert ("Nobody is an admin here now: 'flask --app forum grant-role USERNAME admin' makes one."
            in last.output)


@pytest.mark.parametrize("username, role, message", [
    ("ghost", "trainer", "No user called 'ghost'."),
    ("rowan", "wizard", "Unknown role 'wizard'; roles are member, listener, mentor, trainer, moderator, admin."),
    ("rowan", "mentor", "rowan does not have the role mentor (their roles: member, trainer)."),
])
def test_remove_role_explains_what_it_cannot_do(runner, username, role, message):
    make_user("rowan", role="trainer")

    result = runner.invoke(args=["remove-role", username, role])

    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert user("rowan").role_names == {"member", "trainer"}
    assert role_audit() == []


# award-badge

def test_award_badge_shows_on_the_profile(runner, client):
    make_user("rowan")
    make_badge("verified-listener", "Verified Listener", icon="✔")

    result = runner.invoke(args=["award-badge", "rowan", "verified-listener", "--reason", "First chat done"])

    assert result.exit_code == 0, result.output
    assert "rowan now holds verified-listener." in result.output
    held = db.session.scalar(select(UserBadge))
    assert (held.user.username, held.reason) == ("rowan", "First chat done")
    assert '<span aria-hidden="true">✔</span> Verified Listener' in client.get("/users/rowan").page

    again = runner.invoke(args=["award-badge", "rowan", "verified-listener"])
    assert "rowan already held verified-listener." in again.output
    assert db.session.scalar(select(func.count(UserBadge.id))) == 1


@pytest.mark.parametrize("username, slug, message", [
    ("rowan", "imaginary", "There is no badge called 'imaginary'."),
    ("ghost", "verified-listener", "No user called 'ghost'."),
])
def test_award_badge_explains_unknown_names(runner, username, slug, message):
    make_user("rowan")
    make_badge("verified-listener", "Verified Listener")

    result = runner.invoke(args=["award-badge", username, slug])

    assert result.exit_code != 0
    assert message in result.output
    assert db.session.scalar(select(func.count(UserBadge.id))) == 0


# seed-demo

def rows_in_every_table() -> dict[str, int]:
    """Rows per table, but for mentors' responsiveness spans: worked out again at each load,
    they hold the median's course from that moment on (forum/mentors/responsiveness.py)."""
    return {table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables if table.name != "mentor_responsiveness_spans"}


def test_seed_demo_loads_every_role_prints_the_accounts_and_twice_creates_nothing_new(runner, client):
    # The one test that loads the demo twice: every table, so each part's demo is covered.
    first = runner.invoke(args=["seed-demo", "--if-empty"])

    assert first.exit_code == 0, first.output
    assert "Demo data loaded." in first.output and f"with the password {DEMO_PASSWORD}" in first.output
    for username, *_ in PEOPLE:
        assert username in first.output
    held = set().union(*(u.role_names for u in db.session.scalars(select(User))))
    assert held == {"member", "listener", "mentor", "trainer", "moderator", "admin"}
    assert {u.age_group for u in db.session.scalars(select(User))} == {"teen", "adult"}
    assert counts()["users"] >= len(PEOPLE)  # parts add demo people of their own
    assert counts()["user_badges"] > 0
    client.login("ada_admin", DEMO_PASSWORD)
    assert client.get("/admin/users").status_code == 200
    after_first = rows_in_every_table()

    second = runner.invoke(args=["seed-demo"])

    assert second.exit_code == 0, second.output
    assert rows_in_every_table() == after_first


def test_seed_demo_if_empty_leaves_a_used_database_alone(runner):
    make_user("rowan", email="rowan@example.org")

    result = runner.invoke(args=["seed-demo", "--if-empty"])

    assert result.exit_code == 0
    assert "The database already has users; demo data not loaded." in result.output
    assert DEMO_PASSWORD in result.output  # the person running `make run` still learns it
    assert counts()["users"] == 1
    assert user("ada_admin") is None


@pytest.mark.parametrize("args", [["seed-demo"], ["seed-demo", "--if-empty"]])
def test_seed_demo_refuses_a_production_forum(make_app, args):
    # Every demo account, ada_admin included, signs in with the password the README
    # prints: loaded into a live forum, anyone could sign in as its admin.
    app = make_app(FORUM_ENV="production", SECRET_KEY="s" * 40, SITE_URL="https://forum.example.org")
    with app.app_context():
        result = app.test_cli_runner().invoke(args=args)
        assert result.exit_code == 1
        assert "not loaded in production" in result.output
        assert "Traceback" not in result.output
        assert user("ada_admin") is None and counts()["users"] == 0


# before `db upgrade`

@pytest.mark.parametrize("args", [
    ["create-admin", "--username", "ada", "--email", "ada@example.org", "--password", ADMIN_PASSWORD],
    ["grant-role", "rowan", "mentor"],
    ["remove-role", "rowan", "mentor"],
    ["award-badge", "rowan", "trained"],
    ["seed-demo", "--if-empty"],
    ["rerender"],
    ["search-optimize"],
    ["bench-seed"],
])
def test_a_database_not_yet_upgraded_is_named_not_a_traceback(tmp_path, args):
    """An operator who runs a command before `db upgrade` reads what to do, where they
    read forty lines of SQLAlchemy ending in 'no such table: users'."""
    from forum import create_app
    from tests.conftest import BASE_CONFIG

    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/new.sqlite3"})
    with app.app_context():
        result = app.test_cli_runner().invoke(args=args)
        db.engine.dispose()
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "The database has no tables yet: run 'flask --app forum db upgrade' first." in result.output
    assert "Traceback" not in result.output


# the database not answering

UNREACHABLE_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:1/forum"


@pytest.mark.parametrize("args", [
    ["create-admin", "--username", "ada", "--email", "ada@example.org", "--password", ADMIN_PASSWORD],
    ["grant-role", "rowan", "mentor"],
    ["seed-demo", "--if-empty"],
    ["search-optimize"],
    ["bench-seed"],
])
def test_a_database_not_answering_is_named_not_a_traceback(args):
    """An operator (or the nightly cron job) whose DATABASE_URL names a database that does not
    answer reads so in one line with the driver's words, where they read a traceback."""
    from forum import create_app
    from tests.conftest import BASE_CONFIG

    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": UNREACHABLE_DATABASE})
    with app.app_context():
        result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Error: The database is not answering (connection failed:" in result.output
    assert "check DATABASE_URL, and that the database server is running." in result.output


def test_db_upgrade_against_a_database_not_answering_says_so_plainly(tmp_path):
    """`flask --app forum db upgrade` is the first command of a deploy: a wrong DATABASE_URL
    is named in one line, where it printed forty lines of SQLAlchemy and psycopg."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {**os.environ, "FORUM_ENV": "development", "DATABASE_URL": UNREACHABLE_DATABASE}
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "forum", "db", "upgrade"],
                            cwd=Path(__file__).resolve().parent.parent, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "Error: The database is not answering (connection failed:" in result.stderr
    assert "Traceback" not in result.stderr


def test_send_digests_without_a_mail_server_says_the_emails_went_to_the_log(make_app):
    """`make run` sets no MAIL_SERVER: whoever tries the demo's daily email read "0 daily
    emails sent." though Marigold's email was written to the log and its notices told."""
    app = make_app(MAIL_SERVER="")
    with app.app_context():
        runner = app.test_cli_runner()
        assert runner.invoke(args=["seed-demo"]).exit_code == 0
        result = runner.invoke(args=["send-digests"])
    assert result.exit_code == 0
    assert result.output == "1 daily email written to the log: no MAIL_SERVER is set, so none was sent.\n"


def test_the_demo_has_members_in_other_time_zones_and_one_on_the_daily_email(runner, client, mailbox):
    """Whoever tries the demo finds times read in a member's own zone, and a member who
    chose one email a day, whose email `send-digests` sends."""
    assert runner.invoke(args=["seed-demo"]).exit_code == 0

    client.login("rowan_listens", DEMO_PASSWORD)
    assert "Times are shown in America/Toronto" in client.get("/settings/account").page
    client.logout()
    client.login("sunny_teen", DEMO_PASSWORD)
    assert "Times are shown in Australia/Sydney" in client.get("/settings/account").page
    client.logout()
    client.login("marigold_hears", DEMO_PASSWORD)
    settings = client.get("/settings/notifications").page
    assert re.search(r'<input[^>]*checked[^>]*value="daily"|<input[^>]*value="daily"[^>]*checked', settings)

    result = runner.invoke(args=["send-digests"])
    assert result.output == "1 daily email sent.\n"
    to_marigold = [mail for mail in mailbox.messages if mail["To"] == "marigold_hears@example.org"]
    assert len(to_marigold) == 1
    assert "since you chose one email a day" in to_marigold[0].get_payload(decode=True).decode()
