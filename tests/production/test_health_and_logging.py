"""The health check, one log line per request, and the login rate limit, in process."""
import logging

import pytest

from forum.config import load_settings
from tests.factories import PASSWORD, make_user


def test_health_check_answers_ok_while_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert response.headers["Cache-Control"] == "no-store"


@pytest.fixture
def request_log(caplog):
    caplog.set_level(logging.INFO, logger="forum.requests")

    def lines():
        return [record.getMessage() for record in caplog.records if record.name == "forum.requests"]

    return lines


def test_each_request_is_one_line_with_method_path_status_time_and_user(client, request_log):
    client.get("/no/such/page")
    assert len(request_log()) == 1
    method, path, status, duration, user = request_log()[0].split(" ")
    assert (method, path, status, user) == ("GET", "/no/such/page", "404", "user=-")
    assert duration.endswith("ms") and float(duration[:-2]) >= 0


def test_the_log_line_names_the_signed_in_user(client, request_log):
    member = make_user("linden")
    client.login("linden")
    assert request_log()[-1].startswith("POST /login 302 ")
    client.get("/")
    assert request_log()[-1].startswith("GET / 200 ")
    assert request_log()[-1].endswith(f" user={member.id}")


def test_static_files_are_not_logged(client, request_log):
    with client.get("/static/css/forum.css") as response:
        assert response.status_code == 200
    assert request_log() == []


def test_a_reset_token_in_the_path_is_not_written_to_the_log(client, request_log):
    client.get("/reset/a-secret-reset-token")
    assert request_log()[0].startswith("GET /reset/<token> 302 ")
    assert "a-secret-reset-token" not in request_log()[0]


@pytest.fixture
def limited_app(make_app):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://", LOGIN_RATE_LIMIT="3/minute")
    with app.app_context():
        yield app


def _wrong_password(client, login="hazel", **headers):
    return client.submit("/login", {"login": login, "password": "not it"}, headers=headers)


def test_sign_in_attempts_are_limited_per_address(limited_app):
    make_user("hazel")
    client = limited_app.test_client()
    for _ in range(3):
        assert _wrong_password(client).status_code == 200
    response = client.submit("/login", {"login": "hazel", "password": PASSWORD})
    assert response.status_code == 429
    assert "Slow down a little" in response.page
    assert client.get("/login").status_code == 200  # only sending the form is limited


def test_a_forged_forwarded_address_does_not_dodge_the_limit(limited_app):
    make_user("hazel")
    client = limited_app.test_client()
    for number in range(3):
        assert _wrong_password(client, **{"X-Forwarded-For": f"203.0.113.{number}"}).status_code == 200
    assert _wrong_password(client, **{"X-Forwarded-For": "203.0.113.99"}).status_code == 429


def test_behind_a_trusted_proxy_each_visitor_has_their_own_limit(make_app):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://", LOGIN_RATE_LIMIT="3/minute",
                   TRUSTED_PROXIES=1)
    with app.app_context():
        make_user("hazel")
        make_user("juniper")
        client = app.test_client()
        for _ in range(3):
            assert _wrong_password(client, **{"X-Forwarded-For": "203.0.113.7"}).status_code == 200
        assert _wrong_password(client, **{"X-Forwarded-For": "203.0.113.7"}).status_code == 429
        # Another visitor, with their own account: hazel's account is limited too, wherever from.
        assert _wrong_password(client, "juniper", **{"X-Forwarded-For": "198.51.100.7"}).status_code == 200


def test_login_limit_and_trusted_proxies_come_from_the_environment(tmp_path):
    defaults = load_settings(str(tmp_path), environ={})
    assert (defaults["LOGIN_RATE_LIMIT"], defaults["TRUSTED_PROXIES"]) == ("6/minute;30/hour", 0)
    chosen = load_settings(str(tmp_path), environ={"LOGIN_RATE_LIMIT": "10/minute", "TRUSTED_PROXIES": "2"})
    assert (chosen["LOGIN_RATE_LIMIT"], chosen["TRUSTED_PROXIES"]) == ("10/minute", 2)
