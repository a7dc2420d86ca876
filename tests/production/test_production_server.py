"""The forum in production mode under gunicorn with gunicorn.conf.py, on this run's database."""
import urllib.request

from tests.factories import make_post, make_thread, make_user
from tests.live_server import serve_forum
from tests.production.web_user import WebUser


def test_production_mode_serves_pages_with_secure_cookies_and_logs_each_request(app, migrated_database, tmp_path):
    with (serve_forum(migrated_database, log_dir=tmp_path, workers=2, forum_env="production",
                      secret_key="a-long-random-value-for-this-test-only-5d1c") as server,
          WebUser(server.base_url) as visitor):
        assert visitor.get("/healthz").body.strip() == '{"status":"ok"}'
        front = visitor.get("/")
        assert front.status == 200 and "Peer Support Forum" in front.page
        assert visitor.get("/login").status == 200
        cookie_headers = _set_cookie_headers(server.base_url, "/login")
        assert any("Secure" in header and "HttpOnly" in header for header in cookie_headers)
        assert server.process.poll() is None
    log = server.log()
    assert "Using worker: sync" in log  # gunicorn.conf.py's workers, as production runs them
    for line in ("GET /healthz 200 ", "GET / 200 ", "GET /login 200 "):
        assert line in log


def _set_cookie_headers(base_url: str, path: str) -> list[str]:
    with urllib.request.urlopen(base_url + path, timeout=10) as response:
        return response.headers.get_all("Set-Cookie") or []


def test_the_live_server_fixture_serves_what_the_test_made(live_server):
    author = make_user("juniper")
    thread = make_thread("Morning pages", author=author)
    make_post(author, thread, "Wrote three pages before breakfast today.")
    with WebUser(live_server.base_url) as reader:
        page = reader.get(f"/threads/{thread.id}")
    assert page.status == 200
    assert "Wrote three pages before breakfast today." in page.page
