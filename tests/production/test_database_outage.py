"""While the database is away: a plain-words 503 page and a failing health check; once
it is back, the same pages answer again without restarting anything."""
import sqlite3

from sqlalchemy.engine import make_url

from forum import create_app
from forum.extensions import db
from tests.conftest import BASE_CONFIG
from tests.factories import make_thread, make_user
from tests.live_server import serve_forum
from tests.production.conftest import needs_postgresql
from tests.production.tcp_proxy import TcpProxy
from tests.production.web_user import WebUser

RESTING_TITLE = "The forum is resting"
RESTING_WORDS = "The database is not answering right now"


def test_a_missing_database_file_shows_the_resting_page_until_it_is_back(tmp_path):
    # mode=rw: SQLite must not quietly create an empty file where the database should be.
    path = tmp_path / "forum.sqlite3"
    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///file:{path}?mode=rw&uri=true"})
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "1:0"  # a signed-in visitor: loading them is what fails

    page = client.get("/threads/1")
    assert page.status_code == 503
    assert RESTING_TITLE in page.text and RESTING_WORDS in page.text
    assert page.headers["Retry-After"]
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.get_json() == {"status": "database unavailable"}

    sqlite3.connect(path).close()
    with app.app_context():
        db.create_all()
    assert client.get("/healthz").get_json() == {"status": "ok"}
    assert client.get("/threads/1").status_code == 404  # answered by the database: no such thread
    with app.app_context():
        db.engine.dispose()


def test_what_was_being_sent_when_the_database_went_away_is_said_to_be_kept(tmp_path):
    """A reply sent while the database is away is not stored: the page says where the words
    are, rather than only that the page will work again."""
    path = tmp_path / "forum.sqlite3"
    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///file:{path}?mode=rw&uri=true",
                      "WTF_CSRF_ENABLED": False})
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "1:0"

    sent = client.post("/posts/1/reply", data={"body": "Thinking of you all tonight."})
    assert sent.status_code == 503 and RESTING_WORDS in sent.text
    assert "Go back: what you typed is still there" in sent.text
    assert "what you typed" not in client.get("/threads/1").text  # nothing was being sent
    with app.app_context():
        db.engine.dispose()


@needs_postgresql
def test_postgresql_going_away_and_coming_back_under_a_running_server(app, migrated_database, tmp_path):
    make_user("quinn")
    thread = make_thread("Sunday check-in")
    address = make_url(migrated_database)
    with TcpProxy(address.host, address.port or 5432) as proxy:
        through_proxy = address.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        with (serve_forum(through_proxy, log_dir=tmp_path, workers=2) as server,
              WebUser(server.base_url) as visitor, WebUser(server.base_url) as member):
            assert member.sign_in("quinn").status == 302
            thread_path = f"/threads/{thread.id}"

            # A blip between requests: the pool's pre-ping replaces the dead connections.
            proxy.cut()
            proxy.restore()
            for _ in range(6):
                assert visitor.get(thread_path).status == 200

            proxy.cut()
            for person in (visitor, member):
                page = person.get(thread_path)
                assert page.status == 503, page.page
                assert RESTING_TITLE in page.page and RESTING_WORDS in page.page
            health = visitor.get("/healthz")
            assert (health.status, health.body.strip()) == (503, '{"status":"database unavailable"}')

            proxy.restore()
            assert visitor.get("/healthz").status == 200
            assert visitor.get(thread_path).status == 200
            signed_in_page = member.get(thread_path)
            assert signed_in_page.status == 200 and "Quinn" in signed_in_page.page
            assert server.process.poll() is None  # the same server, never restarted
    assert "database unavailable on GET " + thread_path in server.log()
