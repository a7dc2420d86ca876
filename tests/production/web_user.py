"""A person at a browser without JavaScript, over a real socket: one keep-alive
connection and a cookie jar, forms sent with the page's CSRF token."""
import http.client
import re
import urllib.parse
from dataclasses import dataclass
from html import unescape
from http.cookies import SimpleCookie

from tests.factories import PASSWORD

CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
SUBMISSION_TOKEN = re.compile(r'name="submission_token"[^>]*value="([^"]+)"')
POST_LOCATION = re.compile(r"^/posts/(\d+)$")
# A dropped keep-alive connection: the request is sent again on a new one. Forms carry a
# one-time submission token, so sending a post twice still stores it once.
RETRIED_ERRORS = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)


@dataclass
class Answer:
    status: int
    location: str
    body: str

    @property
    def page(self) -> str:
        return unescape(self.body)

    @property
    def post_id(self) -> int | None:
        """The post a form submission was acknowledged with (303/302 to its permalink)."""
        match = POST_LOCATION.match(urllib.parse.urlsplit(self.location).path) if self.status in (302, 303) else None
        return int(match.group(1)) if match else None


class WebUser:
    def __init__(self, base_url: str, timeout: float = 30):
        parts = urllib.parse.urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.connection: http.client.HTTPConnection | None = None
        self.retries = 0

    def __enter__(self):
        return self

    def __exit__(self, *_exc):
        self.close()

    def behind(self, base_url: str) -> "WebUser":
        """The same browser (same cookies) reaching another server behind the balancer."""
        other = WebUser(base_url, self.timeout)
        other.cookies = self.cookies
        return other

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def post(self, path: str, form: dict) -> Answer:
        return self.request("POST", path, form)

    def request(self, method: str, path: str, form: dict | None = None) -> Answer:
        body = urllib.parse.urlencode(form) if form is not None else None
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            return self._send(method, path, body, headers)
        except RETRIED_ERRORS:
            self.retries += 1
            self.close()
            return self._send(method, path, body, headers)

    def _send(self, method, path, body, headers) -> Answer:
        if self.connection is None:
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        text = response.read().decode("utf-8", errors="replace")
        self._keep_cookies(response.headers.get_all("Set-Cookie") or [])
        if response.will_close:
            self.close()
        return Answer(response.status, response.headers.get("Location", ""), text)

    def _keep_cookies(self, set_cookie_headers: list[str]) -> None:
        for header in set_cookie_headers:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def submit(self, path: str, form: dict, *, page: str | None = None) -> Answer:
        """Open `page` (default: `path`) and send `form` with its CSRF token."""
        return self.post(path, {**form, "csrf_token": csrf_token(self.get(page or path).body)})

    def sign_in(self, username: str, password: str = PASSWORD) -> Answer:
        return self.submit("/login", {"login": username, "password": password})


def csrf_token(html: str) -> str:
    match = CSRF_META.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def submission_token(html: str) -> str:
    match = SUBMISSION_TOKEN.search(html)
    assert match, "no post form on the page"
    return match.group(1)
