"""The factory, configuration and error pages."""
import pytest

from forum import create_app
from forum.config import DEVELOPMENT_SECRET_KEY, ConfigurationError, load_settings, normalise_database_url
from tests.factories import make_user


def test_factory_uses_given_settings(app):
    assert app.config["TESTING"] is True
    assert app.config["SECRET_KEY"] == "test-secret-key"


def test_default_database_is_a_sqlite_file_in_instance(tmp_path):
    settings = load_settings(str(tmp_path), environ={})
    assert settings["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/forum.sqlite3"
    assert settings["RATELIMIT_STORAGE_URI"] == "memory://"


def test_settings_come_from_the_environment(tmp_path):
    settings = load_settings(str(tmp_path), environ={
        "DATABASE_URL": "postgres://u@db/forum", "REDIS_URL": "redis://cache:6379/0",
        "SECRET_KEY": "s" * 40, "FORUM_ENV": "production", "MAIL_SERVER": "smtp.example.org",
        "MAIL_PORT": "2525",
    })
    assert settings["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db/forum"
    assert settings["RATELIMIT_STORAGE_URI"] == "redis://cache:6379/0"
    assert settings["MAIL_PORT"] == 2525
    assert settings["SESSION_COOKIE_SECURE"] is True


def test_production_refuses_the_development_secret_key(monkeypatch):
    monkeypatch.setenv("FORUM_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_production_starts_with_a_real_secret_key_and_its_address(monkeypatch):
    monkeypatch.setenv("FORUM_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-long-random-production-secret-value")
    monkeypatch.setenv("SITE_URL", "https://forum.example.org")
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SECRET_KEY"] != DEVELOPMENT_SECRET_KEY


@pytest.mark.parametrize("site_url, message", [
    (None, "Refusing to start in production without SITE_URL"),
    ("forum.example.org", "SITE_URL is 'forum.example.org'"),
])
def test_production_refuses_to_start_without_the_forums_address(monkeypatch, site_url, message):
    """Started without it, every link in mail (a password reset, joining, a notification)
    pointed at http://127.0.0.1:5000, on the reader's own machine."""
    monkeypatch.setenv("FORUM_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-long-random-production-secret-value")
    if site_url is None:
        monkeypatch.delenv("SITE_URL", raising=False)
    else:
        monkeypatch.setenv("SITE_URL", site_url)
    with pytest.raises(ConfigurationError) as refused:
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert message in str(refused.value) and "for example https://forum.example.org" in str(refused.value)


def test_production_refuses_a_short_secret_key(monkeypatch):
    # A short key can be guessed offline from one signed cookie, and whoever guesses it
    # signs sessions as anyone, admins included.
    monkeypatch.setenv("FORUM_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "hunter2hunter2")
    with pytest.raises(ConfigurationError) as refused:
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert "SECRET_KEY is 14 characters long: use at least 32" in str(refused.value)


def test_unknown_environment_is_refused(monkeypatch):
    monkeypatch.setenv("FORUM_ENV", "staging-ish")
    with pytest.raises(ConfigurationError, match="FORUM_ENV"):
        create_app()


@pytest.mark.parametrize("name", ["TRUSTED_PROXIES", "MAIL_PORT", "PASSWORD_RESET_MAX_AGE"])
def test_a_setting_that_is_not_a_whole_number_is_named(tmp_path, name):
    """TRUSTED_PROXIES=one stopped every command and worker with "ValueError: invalid literal
    for int() with base 10: 'one'", naming no setting."""
    with pytest.raises(ConfigurationError, match=f"^{name} is 'one'; it must be a whole number"):
        load_settings(str(tmp_path), environ={name: "one"})


def test_database_url_spellings():
    assert normalise_database_url("postgresql://x/y") == "postgresql+psycopg://x/y"
    assert normalise_database_url("sqlite:///a.db") == "sqlite:///a.db"


def test_sqlite_runs_with_foreign_keys_wal_busy_timeout_and_a_forum_sized_cache(app):
    from sqlalchemy import text

    from forum.extensions import SQLITE_CACHE_KIB, db

    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite pragmas")
    with db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 5000
        assert connection.execute(text("PRAGMA cache_size")).scalar() == -SQLITE_CACHE_KIB


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "We couldn't find that page" in response.page
    assert 'href="/"' in response.page


def test_wrong_method_is_a_friendly_405(client):
    response = client.get("/logout")
    assert response.status_code == 405
    assert "isn't allowed" in response.page


def test_a_post_too_large_to_read_says_what_to_do_about_it(client):
    response = client.post("/login", data={"login": "ana", "password": "x" * (1024 * 1024)})
    assert response.status_code == 413
    assert "That was too large" in response.page
    assert "more than the forum takes at once (1 MB)" in response.page
    assert "Go back: what you typed is still there" in response.page
    assert 'href="/"' in response.page


def test_post_without_csrf_token_is_refused_in_plain_words(client):
    make_user("ana")
    client.login("ana")
    response = client.post("/logout")
    assert response.status_code == 400
    assert "That page had expired" in response.page
    assert "nothing was changed" in response.page
    assert "CSRF" not in response.page


def test_a_post_over_https_without_its_referrer_says_what_the_browser_held_back(client):
    """Over HTTPS the guard also asks which page a form came from; being told the page had
    expired would send the person round reloading it."""
    make_user("ana")
    client.login("ana")
    token = client.csrf_token()
    response = client.post("/logout", data={"csrf_token": token}, base_url="https://localhost")
    assert response.status_code == 400
    assert "Your browser did not say which of the forum's pages this was sent from" in response.page
    assert "That page had expired" not in response.page and "CSRF" not in response.page
    assert "Sign out" in client.get("/").page  # still signed in: nothing was changed


@pytest.mark.parametrize("method, path, data", [
    ("GET", "/users/%00", None),
    ("GET", "/users/sam?tab=%00", None),
    ("POST", "/login", {"login": "sam\x00", "password": "correct horse battery"}),
    ("POST", "/reset", {"email": "sam\x00@example.org"}),
    ("POST", "/register", {"username": "sam", "email": "sam@example.org", "password": "x\x00" * 6,
                           "age_group": "adult"}),
])
def test_nul_characters_are_refused_plainly(client, method, path, data):
    # PostgreSQL cannot hold a NUL; without this check these were 500s there.
    make_user("sam")
    response = client.get(path) if method == "GET" else client.submit(path, data)
    assert response.status_code == 400
    assert "NUL character" in response.page


def test_server_error_page_rolls_back_and_hides_the_trace(app):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/explode")
    def explode():
        raise RuntimeError("secret internals")

    response = app.test_client().get("/explode")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.page
    assert "secret internals" not in response.page
    assert "Traceback" not in response.page


def test_every_page_links_the_forums_icon_and_it_is_served(client):
    page = client.get("/login").page
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    with client.get("/static/favicon.svg") as icon:
        assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
        assert len(icon.data) < 1024  # hand-written and tiny: every first visit fetches it


def test_base_layout_has_skip_link_navigation_and_viewport(client):
    page = client.get("/").text
    assert 'class="skip-link" href="#main"' in page
    assert 'name="viewport"' in page
    assert 'aria-label="Main"' in page
    assert "Sign in" in page and "Join" in page


def _header(page: str) -> str:
    return page.split('<header class="site-header">', 1)[1].split("</header>", 1)[0]


@pytest.mark.parametrize("path, current, marked", [
    ("/programs", '<a href="/programs"', "page"),
    ("/ideas", '<a href="/ideas"', "page"),
    ("/mentors/kim", '<a href="/mentors"', "true"),
    ("/notifications", '<a href="/notifications"', "page"),
    ("/settings/profile", '<a href="/settings/account"', "true"),
    ("/users/ana", '<a href="/users/ana"', "page"),
])
def test_the_header_marks_the_part_of_the_forum_the_reader_is_in(client, path, current, marked):
    """A screen reader says "current page" on the header's link to where the reader is (and
    "current" on the one for the part they are in); the others are not marked."""
    make_user("ana")
    make_user("kim", role="mentor")
    client.login("ana")
    header = _header(client.get(path).page)
    assert f'{current} aria-current="{marked}">' in header
    assert header.count("aria-current") == 1


@pytest.mark.parametrize("path, current", [("/login", '<a href="/login"'), ("/register", '<a class="button" href="/register"')])
def test_the_header_marks_sign_in_and_join_on_their_own_pages(client, path, current):
    header = _header(client.get(path).page)
    assert f'{current} aria-current="page">' in header
    assert header.count("aria-current") == 1


def test_the_front_page_marks_no_part_of_the_forum_but_its_own_link(client):
    header = _header(client.get("/").page)
    assert '<a class="brand" href="/" aria-current="page">' in header
    assert header.count("aria-current") == 1


@pytest.mark.parametrize("environ, message", [
    ({"FORUM_ENV": "production"}, "Error: Refusing to start in production with the development SECRET_KEY."),
    ({"FORUM_ENV": "prod"}, "Error: FORUM_ENV is 'prod'; it must be one of development, production, testing."),
    ({"FORUM_ENV": "production", "SECRET_KEY": "s" * 40}, "Error: Refusing to start in production without SITE_URL"),
])
def test_a_refused_setting_reaches_the_operator_of_a_flask_command_plainly(tmp_path, environ, message):
    """`flask --app forum db upgrade` on a bad setting says what to set, in one line, where
    the operator read thirty lines of traceback through click and Flask ending in it."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {key: value for key, value in os.environ.items() if key not in ("SECRET_KEY", "FORUM_ENV", "SITE_URL")}
    env.update(environ, DATABASE_URL=f"sqlite:///{tmp_path}/forum.sqlite3")
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "forum", "db", "upgrade"],
                            cwd=Path(__file__).resolve().parent.parent, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr
