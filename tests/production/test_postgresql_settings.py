"""How the forum talks to PostgreSQL for pages: prepared statements are kept (a request
that only read ends with COMMIT, since psycopg forgets every prepared statement at a
ROLLBACK: forum/ops/transactions.py), and no JIT compilation (forum/extensions.py)."""
from sqlalchemy import text

from forum.extensions import db
from tests.factories import make_post, make_thread, make_user
from tests.production.conftest import needs_postgresql

pytestmark = needs_postgresql


def prepared_statements() -> list[str]:
    # The pool hands the test the connection the requests used (one at a time, reused).
    return list(db.session.scalars(text("SELECT statement FROM pg_prepared_statements")))


def test_pages_read_by_a_member_are_planned_once_per_connection(app, client):
    author = make_user("ana")
    make_post(author, make_thread("Evenings"), "Walking after dinner helps me wind down.")
    make_user("ben")
    client.login("ben")
    db.session.commit()
    db.engine.dispose()  # start from a fresh connection, with nothing prepared
    for _ in range(6):
        assert client.get("/").status_code == 200
    assert any("count(notifications.id)" in statement for statement in prepared_statements())



def test_pages_are_not_compiled_by_the_jit(app):
    # JIT compilation pays off for long reports; a page's plan estimated over the
    # threshold spent 124 ms compiling to run 17 ms (forum/extensions.py).
    db.engine.dispose()
    assert db.session.scalar(text("SHOW jit")) == "off"
