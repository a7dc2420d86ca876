"""Markdown in, sanitised HTML out.

Markdown lets raw HTML through, so its output is never trusted: bleach cleans it against
an explicit allowlist. Tags outside the list are escaped (shown as text, so nothing a
person typed disappears), attributes and URL schemes outside it are dropped. Before that,
HTML typed inside what Markdown built may only open and close within it (forum.text.raw_html):
a "</blockquote>" in a quoted post cannot end the quote and pass the rest off as the quoter's.
"""
import re
import threading
from html import escape, unescape
from collections.abc import Callable, Mapping
from functools import partial

import bleach
from bleach.linkifier import LinkifyFilter
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from forum.text.mentions import MentionExtension
from forum.text.raw_html import TypedHtmlInPlaceExtension
from forum.text.tables import table_names
from forum.text.workload import markdown_within_limits

ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4",
    "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "strong", "sub", "sup", "table",
    "tbody", "td", "th", "thead", "tr", "ul",
})
MENTION_CLASS = "mention"


def _link_attribute_allowed(tag: str, name: str, value: str) -> bool:
    # The only class a link keeps is the mark of an @mention: any other (typed as HTML)
    # would dress a link as the site's own "Sign in" button or error notice.
    return name in ("href", "title", "rel") or (name == "class" and value == MENTION_CLASS)


ALLOWED_ATTRIBUTES = {
    "a": _link_attribute_allowed,
    "abbr": ["title"],
    "td": ["align"],
    "th": ["align"],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"
MARKDOWN_EXTENSIONS = ["fenced_code", "tables", "sane_lists", "nl2br"]
# Longer runs without a space are left as text rather than turned into links: see
# _BoundedLinkifyFilter. Real addresses are shorter; the ones that are not stay readable.
LINKIFY_WORD_LIMIT = 256
_LONG_WORD = re.compile(r"\S{%d,}" % (LINKIFY_WORD_LIMIT + 1))


class _ImagesAsLinks(Treeprocessor):
    """`![alt](address)` becomes a link to the picture, named by its alt text.

    Posts show no pictures (img is not allowed), and the sanitiser escaped the tag
    Markdown made of one, so the post read `<img alt=... src=...>`: code the writer never
    typed. An <img> typed by hand is raw HTML, not Markdown, and is still shown as typed."""

    def run(self, root):
        # An image that is a link's text (a badge) gives the link its alt text: two links,
        # one of them empty, would lose where the writer meant it to lead.
        for link in root.iter("a"):
            for holder in list(link.iter()):
                for image in holder.findall("img"):
                    _replace_with_text(holder, image, image.get("alt") or "")
        for image in root.iter("img"):
            address, alt, title = image.get("src", ""), image.get("alt", ""), image.get("title")
            image.clear()
            image.tag, image.text = "a", alt or address
            image.set("href", address)
            if title:
                image.set("title", title)


def _replace_with_text(parent, child, text: str) -> None:
    index = list(parent).index(child)
    joined = text + (child.tail or "")
    if index:
        parent[index - 1].tail = (parent[index - 1].tail or "") + joined
    else:
        parent.text = (parent.text or "") + joined
    parent.remove(child)


class _LinksInLinksAsText(Treeprocessor):
    """A link inside a link's text stays words of the outer link.

    Mentions are linked before links are read, so "[@ana's tips](https://...)" held a
    second link; browsers and the sanitiser split the two, leaving the writer's link empty,
    with nothing to click."""

    def run(self, root):
        for link in list(root.iter("a")):
            for holder in list(link.iter()):
                for inner in holder.findall("a"):
                    _replace_with_text(holder, inner, "".join(inner.itertext()))


class _ImagesAsLinksExtension(Extension):
    def extendMarkdown(self, md):
        # After the inline patterns (priority 20), which make the images and the links.
        md.treeprocessors.register(_ImagesAsLinks(md), "images_as_links", 5)
        md.treeprocessors.register(_LinksInLinksAsText(md), "links_in_links_as_text", 4)


def _set_link_rel(attrs, new=False):
    attrs[(None, "rel")] = LINK_REL
    return attrs


class _BoundedLinkifyFilter(LinkifyFilter):
    """bleach's linkifier, kept away from very long words.

    Its URL and email patterns are tried at every position of a word, so their time grows
    with the square of its length: one 20,000-character word in a post took 11 seconds of
    a worker's time. Neither pattern can match across a space, so words longer than
    LINKIFY_WORD_LIMIT are passed through as plain (escaped) text and the rest of the text
    is linkified exactly as before."""

    def handle_email_addresses(self, src_iter):
        for token in src_iter:
            yield from self._around_long_words(token, super().handle_email_addresses)

    def handle_links(self, src_iter):
        # Text inside a link made from an email address must not become a second link.
        in_link = False
        for token in src_iter:
            if token["type"] == "StartTag" and token["name"] == "a":
                in_link = True
            elif token["type"] == "EndTag" and token["name"] == "a":
                in_link = False
            elif not in_link:
                yield from self._around_long_words(token, super().handle_links)
                continue
            yield token

    @staticmethod
    def _around_long_words(token, handle):
        if token["type"] != "Characters":
            yield from handle(iter([token]))
            return
        text, end = token["data"], 0
        for word in _LONG_WORD.finditer(text):
            if word.start() > end:
                yield from handle(iter([{"type": "Characters", "data": text[end:word.start()]}]))
            yield {"type": "Characters", "data": word.group()}
            end = word.end()
        if end < len(text):
            yield from handle(iter([{"type": "Characters", "data": text[end:]}]))


def _make_cleaner() -> bleach.sanitizer.Cleaner:
    return bleach.sanitizer.Cleaner(
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=False,
        strip_comments=True,
        filters=[partial(
            _BoundedLinkifyFilter,
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
    links to `profile_url(username)`. Everything else stays text. Text that would cost
    Markdown far too much, or nests deeper than Python's stack (forum.text.workload), is
    shown as plain paragraphs instead: every character is there, only unformatted.
    """
    extensions = [*MARKDOWN_EXTENSIONS, _ImagesAsLinksExtension(), TypedHtmlInPlaceExtension(ALLOWED_TAGS)]
    if mentionable and profile_url:
        extensions.append(MentionExtension(mentionable, profile_url))
    html = markdown_within_limits(source, extensions)
    return _tables_in_regions(_below_page_title(_cleaner().clean(_plain_paragraphs(source) if html is None else html)))


# Clean HTML spells a heading's tags exactly so: headings keep no attributes.
_HEADING_TAG = re.compile(r"<(/?)h([1-6])>")


def _below_page_title(html: str) -> str:
    """Headings one level down ("# Lesson" is an <h2>), so the page's title stays its one
    <h1> and what people write sits below it in a screen reader's list of headings."""
    return _HEADING_TAG.sub(lambda tag: f"<{tag[1]}h{min(int(tag[2]) + 1, 6)}>", html)


# Clean HTML spells a table's tags exactly so (tables keep no attributes); one typed as
# text is escaped by then, so only real tables match, one for each table opened.
_TABLE_OPEN, _TABLE_CLOSE = "<table>", "</table>"
TABLE_REGION = '<div class="table-wrap" role="region" aria-label="{name}" tabindex="0">'


def _tables_in_regions(html: str) -> str:
    """Each table in a box that scrolls sideways when wider than a phone, which Tab reaches
    so the arrow keys scroll it, named for screen readers by its headers (forum.text.tables).
    Added after cleaning: writers may not give anything a tabindex or a role themselves."""
    if _TABLE_OPEN not in html:
        return html
    names = iter(table_names(html))

    def in_region(_) -> str:
        return TABLE_REGION.format(name=next(names, "Table")) + _TABLE_OPEN

    opened = re.sub(re.escape(_TABLE_OPEN), in_region, html)
    return opened.replace(_TABLE_CLOSE, _TABLE_CLOSE + "</div>")


_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def _plain_paragraphs(source: str) -> str:
    """The text as escaped paragraphs with its line breaks, the way nl2br would show it."""
    paragraphs = (escape(paragraph.strip("\n")) for paragraph in _BLANK_LINE.split(source))
    return "\n".join("<p>" + paragraph.replace("\n", "<br>\n") + "</p>" for paragraph in paragraphs if paragraph.strip())


_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
_INLINE_TAG = re.compile(r"</?(?:a|em|strong|code|del|s|span)\b[^>]*>")


def render_plain_excerpt(html: str, length: int = 200) -> str:
    """A short plain-text preview of rendered HTML, for lists and notification emails."""
    # Plain text, unescaped: templates escape it again when they show it.
    # Tags inside a line (a link, an emphasis) go without a trace, so "the [chat](/c)." reads
    # "the chat." and not "the chat ."; the others become a space, so paragraphs don't run together.
    text = unescape(_SPACE.sub(" ", _TAG.sub(" ", _INLINE_TAG.sub("", html))).strip())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"
