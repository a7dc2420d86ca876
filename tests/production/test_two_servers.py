"""No state in a process: two servers on one PostgreSQL database and one Redis behave as
one forum. A session, a rate limit and a new post made through one hold on the other."""
import pytest

from tests.factories import PASSWORD, make_thread, make_user
from tests.live_server import serve_forums
from tests.production.conftest import TEST_REDIS_URL, needs_postgresql
from tests.production.web_user import WebUser, csrf_token, submission_token

pytestmark = needs_postgresql

LOGINS_PER_MINUTE = 4


@pytest.fixture(scope="module")
def two_servers(migrated_database, shared_redis, tmp_path_factory):
    settings = {"redis_url": TEST_REDIS_URL, "rate_limits": True,
                "extra": {"LOGIN_RATE_LIMIT": f"{LOGINS_PER_MINUTE}/minute"}}
    with serve_forums(2, migrated_database, log_dir=tmp_path_factory.mktemp("servers"), **settings) as servers:
        yield servers


@pytest.fixture
def first(two_servers, app, redis_url):
    return two_servers[0]


@pytest.fixture
def second(two_servers, first):
    return two_servers[1]


def test_the_two_servers_are_separate_processes(first, second):
    assert first.base_url != second.base_url
    assert first.process.pid != second.process.pid


def test_a_session_made_on_one_server_works_on_the_other(first, second):
    make_user("rowan")
    with WebUser(first.base_url) as on_first:
        assert on_first.sign_in("rowan").status == 302
        with on_first.behind(second.base_url) as on_second:
            settings = on_second.get("/settings/account")
            assert settings.status == 200
            assert "Rowan" in settings.page
    with WebUser(second.base_url) as stranger:
        assert stranger.get("/settings/account").status == 302  # no cookie: sent to sign in
    assert "POST /login 302" in first.log()


def test_a_rate_limit_counted_on_one_server_holds_on_the_other(first, second):
    make_user("sage")
    with WebUser(first.base_url) as guesser:
        for _ in range(LOGINS_PER_MINUTE):
            attempt = guesser.submit("/login", {"login": "sage", "password": "not the password"})
            assert attempt.status == 200  # the form again, with its error
    with WebUser(second.base_url) as same_address:
        refused = same_address.submit("/login", {"login": "sage", "password": PASSWORD})
        assert refused.status == 429
        assert "Slow down a little" in refused.page


def test_a_post_written_through_one_server_is_read_through_the_other(first, second):
    author = make_user("ash")
    thread = make_thread("Evening check-in", author=author)
    words = "Made it through the week, thank you all for the kind words."
    with WebUser(first.base_url) as writer:
        writer.sign_in("ash")
        page = writer.get(f"/threads/{thread.id}").body
        sent = writer.post(f"/threads/{thread.id}/posts", {
            "body": words, "csrf_token": csrf_token(page), "submission_token": submission_token(page)})
        assert sent.post_id is not None
    with WebUser(second.base_url) as reader:
        shown = reader.get(f"/threads/{thread.id}")
        assert shown.status == 200
        assert words in shown.page
        assert f'id="post-{sent.post_id}"' in shown.body
