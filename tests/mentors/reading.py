"""Reading mentor pages as a person would: which cards, which names in the active strip."""
import re

_CARD = re.compile(r'<h3 id="mentor-\d+"><a href="[^"]+">([^<]+)</a></h3>')
_STRIP = re.compile(r'<section class="active-strip.*?</section>', re.S)
_STRIP_NAME = re.compile(r'<span class="name">([^<]+)</span>')


def card_names(page: str) -> list[str]:
    """Display names on the directory's cards, in order."""
    return _CARD.findall(page)


def active_names(page: str) -> list[str]:
    """Display names in the "active now" strip or panel."""
    strip = _STRIP.search(page)
    return _STRIP_NAME.findall(strip.group(0)) if strip else []
