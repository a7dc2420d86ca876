"""A test client that submits forms as a browser would: with the page's CSRF token."""
import re
from html import unescape

from flask import has_app_context
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from forum.extensions import db

from tests.factories import PASSWORD

_CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
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

    def csrf_token(self, page: str = "/") -> str:
        response = self.get(page)
        match = _CSRF_META.search(response.get_data(as_text=True))
        if match is None:
            match = _CSRF_META.search(self.get("/").get_data(as_text=True))
        assert match, "no CSRF token on the page"
        return match.group(1)

    def submit(self, path: str, data: dict | None = None, *, page: str | None = None, **kwargs):
        """POST `data` to `path` with a CSRF token taken from `page` (default: `path`)."""
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf_token(page or path))
        return self.post(path, data=data, **kwargs)

    def login(self, username: str, password: str = PASSWORD, **kwargs):
        response = self.submit("/login", {"login": username, "password": password, **kwargs})
        assert response.status_code == 302, f"could not sign in as {username}"
        return response

    def logout(self):
        return self.submit("/logout", page="/")
