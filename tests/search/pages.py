"""Reading the search page as a reader would: the results shown, in order."""
import re
from dataclasses import dataclass
from html import unescape

_RESULT = re.compile(r'<li class="search-result search-(\w+)">(.*?)</li>', re.S)
_TITLE = re.compile(r"<h2><a href=\"([^\"]+)\">(.*?)</a></h2>", re.S)
_SNIPPET = re.compile(r'<p class="search-snippet">(.*?)</p>', re.S)
_TAGS = re.compile(r"<[^>]+>")


@dataclass
class Shown:
    kind: str
    link: str
    title: str
    snippet: str
    snippet_html: str
    html: str


def shown_results(response) -> list[Shown]:
    assert response.status_code == 200, response.status_code
    results = []
    for kind, html in _RESULT.findall(response.get_data(as_text=True)):
        link, title = _TITLE.search(html).groups()
        snippet = _SNIPPET.search(html)
        snippet_html = snippet.group(1) if snippet else ""
        results.append(Shown(kind, unescape(link), unescape(_TAGS.sub("", title)),
                             unescape(_TAGS.sub("", snippet_html)), snippet_html, html))
    return results


def search(client, q: str, **filters) -> list[Shown]:
    return shown_results(client.get("/search", query_string={"q": q, **filters}))


def texts(results: list[Shown]) -> list[str]:
    return [result.snippet for result in results]


def places_offered(client, **args) -> list[str]:
    """The values of the search page's "Where" choices, as the reader is offered them."""
    page = client.get("/search", query_string=args).get_data(as_text=True)
    choices = re.search(r'<select id="search-part".*?</select>', page, re.S).group(0)
    return re.findall(r'<option value="([^"]*)"', choices)
