"""Sending a form as the page shows it (with its hidden fields), and where the answer leads."""
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit


class _Forms(HTMLParser):
    """The hidden fields of each form on a page, by the form's action."""

    def __init__(self, own_path):
        super().__init__()
        self.own_path, self.forms, self._action = own_path, {}, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._action = attrs.get("action") or self.own_path  # no action: sent to its own page
            self.forms.setdefault(self._action, {})
        elif tag == "input" and self._action and attrs.get("type") == "hidden":
            self.forms[self._action][attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._action = None


def send_from(client, page_path, action, meanwhile=None, **typed):
    """Press the button of the form to `action` on the page at `page_path`, as a browser
    would; `meanwhile` happens between opening the page and pressing."""
    page = client.get(page_path)
    assert page.status_code == 200
    finder = _Forms(page_path)
    finder.feed(page.get_data(as_text=True))
    assert action in finder.forms, f"no form to {action} on {page_path}"
    if meanwhile is not None:
        meanwhile()
    return client.post(action, data={**finder.forms[action], **typed})


def landed(response):
    """The path, query (as a dict) and anchor the response sends the browser to."""
    assert response.status_code == 302, response.status_code
    parts = urlsplit(response.headers["Location"])
    return parts.path, dict(parse_qsl(parts.query)), parts.fragment
