"""HTML people type in their Markdown, kept inside what Markdown built around it.

Markdown puts typed HTML back as it was typed, and the sanitiser's parser then reads it as
part of the structure around it: a "</blockquote>" in a quoted post closed the quote, so
the words after it read as the quoting author's own (the quote box copies it in), and a
"</li>", "<p>" or "</td>" ended the list item, paragraph or cell Markdown made. So, before
Markdown puts it back:

- inside what Markdown built (a paragraph, quote, list, table cell or heading) a typed tag
  may be an inline one (a link, emphasis, code, a line break...), closed at the latest where
  the element it stands in ends; a typed block tag, an end tag of something it did not open
  and a link inside a link are shown as typed;
- HTML standing on its own between Markdown's blocks (a table typed by hand) keeps every
  allowed tag, and what it leaves open is closed where it ends.

Each tag kept is written out anew (name and attributes), everything else as text, so the
sanitiser's parser reads exactly the tags decided here, however oddly they were typed.
"""
import re
from html import escape, unescape

from markdown import util
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor

INLINE_TAGS = frozenset({"a", "abbr", "b", "br", "code", "del", "em", "i", "strong", "sub", "sup"})
_EMPTY_TAGS = frozenset({"br", "hr", "img"})

_PLACEHOLDER = util.HTML_PLACEHOLDER % r"([0-9]+)"
# Markdown's output before typed HTML is put back: its own tags (attribute values escaped,
# so no ">" inside one), its text (escaped) and a placeholder for each piece of typed HTML;
# a piece standing on its own is a paragraph of one placeholder.
_MARKDOWN_OUTPUT = re.compile(f"<p>{_PLACEHOLDER}</p>|{_PLACEHOLDER}|<(/?)([a-z][a-z0-9]*)[^>]*?(/?)>")
_TYPED_TAG = re.compile(r"<!--.*?-->|<(/?)([A-Za-z][^\s/>]*)([^>]*)>", re.S)
_ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")


class _TypedHtmlInPlace(Postprocessor):
    def __init__(self, md, allowed_tags):
        super().__init__(md)
        self.allowed_tags = allowed_tags

    def run(self, text: str) -> str:
        stash = self.md.htmlStash.rawHtmlBlocks
        if not stash:
            return text
        tags = _OpenTags(self.allowed_tags)
        standing_alone = self.md.postprocessors["raw_html"].isblocklevel

        def in_place(match: re.Match) -> str:
            alone, inline, closing, name, empty = match.groups()
            if name and closing:
                return tags.markdown_closes(name) + match.group()
            if name:
                if not empty and name not in _EMPTY_TAGS:
                    tags.markdown_opens(name)
                return match.group()
            key = int(alone or inline)
            if key >= len(stash) or not isinstance(stash[key], str):
                return match.group()
            if alone and tags.at_top() and standing_alone(stash[key]):
                stash[key] = tags.on_its_own(stash[key])
                return util.HTML_PLACEHOLDER % key  # not in a paragraph: it stands on its own
            if alone:
                tags.markdown_opens("p")
                stash[key] = tags.within_markdown(stash[key])
                return f"<p>{util.HTML_PLACEHOLDER % key}{tags.markdown_closes('p')}</p>"
            stash[key] = tags.within_markdown(stash[key])
            return match.group()

        return _MARKDOWN_OUTPUT.sub(in_place, text)


class _OpenTags:
    """The elements open at a point of the page: for each element Markdown opened (the
    page first), the typed tags open within it."""

    def __init__(self, allowed_tags):
        self.allowed_tags = allowed_tags
        self.within = [[]]
        self.links = 0  # links open, Markdown's or typed: a link in a link splits the first

    def at_top(self) -> bool:
        return len(self.within) == 1

    def markdown_opens(self, name: str) -> None:
        self.within.append([])
        self.links += name == "a"

    def markdown_closes(self, name: str) -> str:
        """The end tags of what was typed and left open in the element Markdown closes."""
        closers = self._close(self.within.pop(), 0) if len(self.within) > 1 else ""
        self.links -= name == "a"
        return closers

    def within_markdown(self, typed: str) -> str:
        return self._rewrite(typed, INLINE_TAGS & self.allowed_tags)

    def on_its_own(self, typed: str) -> str:
        self.within.append([])
        rewritten = self._rewrite(typed, self.allowed_tags)
        return rewritten + self._close(self.within.pop(), 0)

    def _rewrite(self, typed: str, allowed) -> str:
        pieces, end = [], 0
        for tag in _TYPED_TAG.finditer(typed):
            pieces += [_text(typed[end:tag.start()]), self._tag(tag, allowed)]
            end = tag.end()
        return "".join(pieces) + _text(typed[end:])

    def _tag(self, tag: re.Match, allowed) -> str:
        if tag.group(2) is None:
            return "<!---->"  # a comment, whatever it held (the sanitiser drops it)
        closing, name, open_here = tag.group(1), tag.group(2).lower(), self.within[-1]
        if name not in allowed or (name == "a" and self.links and not closing):
            return escape(tag.group(), quote=False)
        if closing:
            if name not in open_here:
                return escape(tag.group(), quote=False)
            return self._close(open_here, len(open_here) - 1 - open_here[::-1].index(name))
        if name not in _EMPTY_TAGS:
            open_here.append(name)
            self.links += name == "a"
        return f"<{name}{_attributes(tag.group(3))}>"

    def _close(self, open_here: list[str], down_to: int) -> str:
        closed = open_here[down_to:]
        del open_here[down_to:]
        self.links -= closed.count("a")
        return "".join(f"</{name}>" for name in reversed(closed))


def _text(typed: str) -> str:
    return escape(unescape(typed), quote=False)


def _attributes(typed: str) -> str:
    attributes = {}
    for attribute in _ATTRIBUTE.finditer(typed):
        value = next((group for group in attribute.groups()[1:] if group is not None), "")
        attributes.setdefault(attribute.group(1).lower(), unescape(value))
    return "".join(f' {name}="{escape(value)}"' for name, value in attributes.items())


class TypedHtmlInPlaceExtension(Extension):
    def __init__(self, allowed_tags):
        super().__init__()
        self.allowed_tags = allowed_tags

    def extendMarkdown(self, md):
        # Before Markdown's own raw_html postprocessor (priority 30) puts the typed HTML back.
        md.postprocessors.register(_TypedHtmlInPlace(md, self.allowed_tags), "typed_html_in_place", 35)
