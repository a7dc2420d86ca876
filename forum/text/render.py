"""Markdown in, sanitised HTML out.

Markdown lets raw HTML through, so its output is never trusted: bleach cleans it against
an explicit allowlist. Tags outside the list are escaped (shown as text, so nothing a
person typed disappears), attributes and URL schemes outside it are dropped.
"""
import re
import threading
from html import unescape
from collections.abc import Callable, Mapping
from functools import partial

import bleach
import markdown
from bleach.linkifier import LinkifyFilter

from forum.text.mentions import MentionExtension

ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4",
    "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "strong", "sub", "sup", "table",
    "tbody", "td", "th", "thead", "tr", "ul",
})
ALLOWED_ATTRIBUTES = {
    "a": ["href", "title", "class", "rel"],
    "abbr": ["title"],
    "td": ["align"],
    "th": ["align"],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"
MARKDOWN_EXTENSIONS = ["fenced_code", "tables", "sane_lists", "nl2br"]


def _set_link_rel(attrs, new=False):
    attrs[(None, "rel")] = LINK_REL
    return attrs


def _make_cleaner() -> bleach.sanitizer.Cleaner:
    return bleach.sanitizer.Cleaner(
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=False,
        strip_comments=True,
        filters=[partial(
            LinkifyFilter,
            callbacks=[_set_link_rel],
            skip_tags={"pre", "code"},
            parse_email=True,
        )],
    )


_per_thread = threading.local()


def _cleaner() -> bleach.sanitizer.Cleaner:
    # A Cleaner keeps its parser's state while it works, so two threads sharing one
    # corrupt each other's output (gunicorn's gthread workers render on several threads).
    cleaner = getattr(_per_thread, "cleaner", None)
    if cleaner is None:
        cleaner = _per_thread.cleaner = _make_cleaner()
    return cleaner


def render_markdown(
    source: str,
    mentionable: Mapping[str, str] | None = None,
    profile_url: Callable[[str], str] | None = None,
) -> str:
    """Turn Markdown into HTML that is safe to show.

    `mentionable` maps a lower-cased username to its spelling; those @mentions become
    links to `profile_url(username)`. Everything else stays text.
    """
    extensions = list(MARKDOWN_EXTENSIONS)
    if mentionable and profile_url:
        extensions.append(MentionExtension(mentionable, profile_url))
    html = markdown.markdown(source, extensions=extensions, output_format="html")
    return _cleaner().clean(html)


_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def render_plain_excerpt(html: str, length: int = 200) -> str:
    """A short plain-text preview of rendered HTML, for lists and notification emails."""
    # Plain text, unescaped: templates escape it again when they show it.
    text = unescape(_SPACE.sub(" ", _TAG.sub(" ", html)).strip())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"
