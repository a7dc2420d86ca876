"""A snippet as a reader reads it: the engines cut snippets from the Markdown people
typed, so a result showed `**bold**`, `[a link](https://…)` and the `>` of every quoted
line. This reads that Markdown as the page would show it, in plain text. Pure functions.

A snippet is a fragment, which may start or stop inside any of these, so each rule takes
only what is plainly syntax and leaves the rest as typed. The engines' match markers
(forum/search/terms.py) are not white space, so a marked word keeps its emphasis
stripped as any other: `**\\x02calm\\x03**` reads `\\x02calm\\x03`.

Raw HTML is read as the page reads it too: the tags the page renders (forum/text/render.py's
ALLOWED_TAGS) go and their words stay, comments go whole (the page never shows them), and
every other tag stays as typed, as the page shows it escaped.
"""
import re

from forum.search.terms import MARK_START, MARK_STOP
from forum.text.render import ALLOWED_TAGS

# Line starts: quote markers (nested too), then a heading's #s or a list's bullet; and the
# lines of code fences and rules.
_LINE_START = re.compile(r"^[ \t]*(?:>[ \t]?)*(?:#{1,6}[ \t]+|[-*+][ \t]+)?", re.M)
# Most snippets hold none of what starts those lines, and are spared looking at every line.
_MAY_START_A_LINE = re.compile(r"[>#*+`~_-]")
_FENCE_OR_RULE = re.compile(r"^[ \t]*(?:`{3,}|~{3,})[^\n]*$|^[ \t]*(?:[-*_][ \t]*){3,}$", re.M)
# [text](address) and ![alt](address): the text the page shows as the link.
_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)")
# <https://…>: an address typed to be a link shows as the address.
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]*)>")
# Runs of emphasis and code marks, and of underscores, each judged by what is beside it
# (a pattern that looked behind at every character cost ten times as much).
_MARKS = re.compile(r"[*~`]+")
_UNDERSCORES = re.compile(r"_+")
# A backslash escapes the punctuation after it: \* is a star that shows.
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
# A comment, or one left open (the page hides everything after it).
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
# A tag the page renders, opening or closing, its name perhaps marked as a match ("b").
_RENDERED_TAG = re.compile(
    rf"</?{MARK_START}?({'|'.join(sorted(ALLOWED_TAGS, key=len, reverse=True))}){MARK_STOP}?(?:\s[^<>]*)?/?>",
    re.I)
# The rest break a line or start a block, where the page shows space.
_INLINE_TAGS = frozenset({"a", "abbr", "b", "code", "del", "em", "i", "strong", "sub", "sup"})
# What is inside backticks is code, which the page shows as typed, tags and all.
_CODE_SPAN = re.compile(r"(`[^`\n]*`)")
_ESCAPED = "\x00"
_ESCAPED_AGAIN = re.compile(_ESCAPED)


def plain_snippet(raw: str | None) -> str:
    """The Markdown of a snippet read as plain text, the engines' markers kept."""
    text = raw or ""
    # Escaped characters are set aside so that no rule below reads them as syntax.
    escaped: list[str] = []
    if "\\" in text:
        text = _ESCAPE.sub(lambda match: _set_aside(escaped, match.group(1)), text)
    if _MAY_START_A_LINE.search(text):
        text = _LINE_START.sub("", _FENCE_OR_RULE.sub("", text))
    if "](" in text:
        text = _LINK.sub(r"\1", text)
    if "<" in text:
        text = _AUTOLINK.sub(r"\1", text)
        text = "".join(piece if piece.startswith("`") else _without_html(piece) for piece in _CODE_SPAN.split(text))
    text = _MARKS.sub(lambda match: _unless_spaced(match, text), text)
    if "_" in text:
        text = _UNDERSCORES.sub(lambda match: _unless_in_a_word(match, text), text)
    if escaped:
        kept = iter(escaped)
        text = _ESCAPED_AGAIN.sub(lambda _: next(kept), text)
    return text


def _without_html(text: str) -> str:
    text = _COMMENT.sub("", text)
    return _RENDERED_TAG.sub(lambda match: "" if match.group(1).lower() in _INLINE_TAGS else " ", text)


def _set_aside(escaped: list[str], character: str) -> str:
    escaped.append(character)
    return _ESCAPED


def _beside(match, text: str) -> tuple[str, str]:
    """The characters before and after a match ("" at either end of the text)."""
    return text[match.start() - 1:match.start()], text[match.end():match.end() + 1]


def _unless_spaced(match, text: str) -> str:
    # Emphasis touches a word on one side; a run with space on both sides ("3 * 4") is text.
    before, after = _beside(match, text)
    return match.group() if (not before or before.isspace()) and (not after or after.isspace()) else ""


def _unless_in_a_word(match, text: str) -> str:
    # Underscores mark emphasis only at a word's edge: @rowan_listens keeps its own. The
    # engines' markers count as part of the word they mark.
    before, after = _beside(match, text)
    return match.group() if _in_word(before) and _in_word(after) else ""


def _in_word(character: str) -> bool:
    return character.isalnum() or character in (MARK_START, MARK_STOP)
