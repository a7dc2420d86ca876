"""A test client that submits forms as a browser would: with its session's CSRF token."""
import re
from html import unescape

from flask import has_app_context, session
from flask.testing import FlaskClient
from flask_wtf.csrf import generate_csrf
from werkzeug.test import TestResponse

from forum.extensions import db

from tests.factories import PASSWORD

_CSRF_VALUES = re.compile(r'(name="csrf[-_]token" (?:content|value)=")[^"]+"')


class PageResponse(TestResponse):
    @property
    def page(self) -> str:
        """The body with HTML entities decoded, as a reader would see the words."""
        return unescape(self.get_data(as_text=True))

    @property
    def page_without_csrf_tokens(self) -> str:
        """The page with its CSRF tokens blanked, for comparing two answers: a token carries
        the second it was signed, so two renders of the same page can differ by it alone."""
        return _CSRF_VALUES.sub(r'\1"', self.page)


class ForumClient(FlaskClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.response_wrapper = PageResponse

    def open(self, *args, **kwargs):
        # Each request gets its own app context (fresh `g`, its own database session),
        # as it would in a server, even while the test holds an app context of its own.
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        # The test's own session must see what the request stored.
        if has_app_context():
            db.session.expire_all()
        return response

    def csrf_token(self) -> str:
        """A CSRF token for this client's session, as every page it is shown carries in its forms.

        Made for the session as a page would make it (Flask-WTF's own generate_csrf), rather
        than read off a page fetched for it: those fetches were a tenth of the suite's time,
        and a test that means to see the page fetches it itself."""
        # Its own app context: `g` caches a token, and the test may hold an app context of its own.
        with self.session_transaction() as stored, self.application.app_context(), \
                self.application.test_request_context():
            if "csrf_token" in stored:
                session["csrf_token"] = stored["csrf_token"]
            token = generate_csrf()
            stored["csrf_token"] = session["csrf_token"]
        return token

    def submit(self, path: str, data: dict | None = None, **kwargs):
        """POST `data` to `path` with the session's CSRF token, as the form's page would send it."""
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf_token())
        return self.post(path, data=data, **kwargs)

    def login(self, username: str, password: str = PASSWORD, **kwargs):
        response = self.submit("/login", {"login": username, "password": password, **kwargs})
        assert response.status_code == 302, f"could not sign in as {username}"
        return response

    def logout(self):
        return self.submit("/logout")
