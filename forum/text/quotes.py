"""Quoting a post into a reply box, and leaving others' quoted words out of a post's HTML."""
import re

from markupsafe import Markup

QUOTE_LIMIT = 2000
# In clean HTML (forum/text/render.py): a blockquote keeps no attributes, a mention's link is
# the only one with a class, and a quote's opening line ("> @ana wrote:") is a paragraph of its own.
_QUOTE_TAG = re.compile(r"<(/?)blockquote>")
_QUOTE_TAG_OR_OPENING = re.compile(r"<(/?)blockquote>|<p>(?:<a [^>]*>)?@([A-Za-z0-9_]{3,20})(?:</a>)? wrote:")
_MENTION_LINK = re.compile(r'<a [^>]*class="mention"[^>]*>@([A-Za-z0-9_]{3,20})</a>')


def quote_for_reply(author_username: str, source: str) -> str:
    """Markdown that quotes `source` as `> @author wrote:`, ready for the reply box."""
    text = source.strip()
    if len(text) > QUOTE_LIMIT:
        text = text[:QUOTE_LIMIT].rstrip() + " …"
    lines = [f"> @{author_username} wrote:", ">"]
    lines += [f"> {line}".rstrip() for line in text.splitlines()]
    return "\n".join(lines) + "\n\n"


def others_left_out(html: str, username: str, note: str) -> str:
    """A post's clean HTML, as written by `username`, with the words it quotes of anyone else
    (from "@ana wrote:" to the quote's end, quotes within them too) each replaced by the
    paragraph `note`, in the quote's place; and @mentions of anyone
    else as plain text, not links. Its author's own words, and their quotes of themselves,
    stay as they are."""
    own = username.lower()
    unlinked = _MENTION_LINK.sub(lambda link: link.group() if link.group(1).lower() == own else "@" + link.group(1),
                                 html)
    return _within_quotes(unlinked, own, str(Markup('<p class="quote-left-out">{}</p>').format(note)))


def _within_quotes(html: str, own: str, note: str) -> str:
    """`html` with each outermost quote's parts by others replaced by `note`."""
    shown, depth, start, end = [], 0, 0, 0
    for tag in _QUOTE_TAG.finditer(html):
        if not tag.group(1):
            depth += 1
            if depth == 1:
                shown.append(html[end:tag.end()])
                start = tag.end()
        elif depth:
            depth -= 1
            if depth == 0:
                shown.append(_quote_shown(html[start:tag.start()], own, note))
                end = tag.start()
    return "".join(shown) + html[end:]


def _quote_shown(inner: str, own: str, note: str) -> str:
    """The inside of one quote: each part that opens "@someone wrote:" outside any quote
    within it is theirs, up to the next such opening; from the first part by someone else to
    the quote's end, `note`. Their words may hold an "@author wrote:" of their own (quoting
    the author by hand, or naming them so), which reads in HTML as the author quoting
    themselves next: what followed it would be shown as the author's."""
    openings = list(_openings(inner))
    if not openings:
        return _within_quotes(inner, own, note)
    parts = [_within_quotes(inner[:openings[0].start()], own, note)]
    for opening, after in zip(openings, [*openings[1:], None]):
        if opening.group(2).lower() != own:
            parts.append(note + "\n")
            break
        parts.append(_within_quotes(inner[opening.start():after.start() if after else len(inner)], own, note))
    return "".join(parts)


def _openings(inner: str):
    """The quote openings ("@ana wrote:") in `inner` outside any quote within it."""
    depth = 0
    for token in _QUOTE_TAG_OR_OPENING.finditer(inner):
        if token.group(2) is not None:
            if depth == 0:
                yield token
        else:
            depth = max(depth - 1, 0) if token.group(1) else depth + 1
