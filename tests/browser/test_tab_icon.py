"""The tab shows the forum's icon: the browser finds one on every page rather than asking
for /favicon.ico and getting a 404 (one logged error per page view)."""
import pytest

pytestmark = pytest.mark.browser


def test_the_browser_finds_the_forums_icon(visitors, expect):
    page = visitors.open()
    missing = []
    page.on("response", lambda response: missing.append(response.url) if response.status == 404 else None)
    with page.expect_response(lambda response: "icon" in response.url) as icon:
        page.goto("/")
    assert icon.value.status == 200
    assert icon.value.url.endswith("/static/favicon.svg")
    assert icon.value.header_value("content-type").startswith("image/svg+xml")
    assert missing == []
