"""The words a screen reader speaks from some HTML: its text, less what is marked aria-hidden.

Visually hidden text counts (it is there for screen readers); an `<abbr title>` or any other
title does not, as screen readers do not read titles by default. An element with role="img"
speaks its aria-label instead of what is inside it."""
from html.parser import HTMLParser

VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Speaker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.words: list[str] = []
        self.silent_depth = 0  # open elements since the outermost silenced one, counting it

    def handle_starttag(self, tag, attrs):
        if tag in VOID_TAGS:
            return
        attributes = dict(attrs)
        if self.silent_depth:
            self.silent_depth += 1
        elif attributes.get("aria-hidden") == "true":
            self.silent_depth = 1
        elif attributes.get("role") == "img":
            self.words.append(attributes.get("aria-label") or "")
            self.silent_depth = 1

    def handle_endtag(self, tag):
        if self.silent_depth and tag not in VOID_TAGS:
            self.silent_depth -= 1

    def handle_data(self, data):
        if not self.silent_depth:
            self.words.append(data)


def spoken(html: str) -> str:
    """What a screen reader reads out of `html`, with its whitespace collapsed."""
    speaker = _Speaker()
    speaker.feed(html)
    speaker.close()
    return " ".join(" ".join(speaker.words).split())
