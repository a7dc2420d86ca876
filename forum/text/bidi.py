"""Names and titles people wrote, set into the forum's own sentences without reordering them.

A right-to-left name at the start of a line ("דנה replied to your post in …") makes a mail
app lay the whole line out right to left, and a title ending in Hebrew or Arabic pulls the
quote mark and the words after it to its side. In an isolate (U+2068 FSI … U+2069 PDI,
Unicode's bidirectional algorithm, UAX #9) the text takes its own direction and the
sentence around it keeps the forum's. Pure functions."""
import re
import unicodedata

FIRST_STRONG_ISOLATE = "\u2068"
POP_DIRECTIONAL_ISOLATE = "\u2069"
# Embeddings, overrides and isolates typed or pasted into a title: one left open would run
# on past the isolate's end (an override reverses every word after it), one closed would
# end the isolate early. They draw nothing, so leaving them out changes nothing read.
_DIRECTION_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_RIGHT_TO_LEFT = frozenset({"R", "AL", "AN"})


def without_direction_controls(text: str) -> str:
    """`text` without embeddings, overrides and isolates, for a name kept to show as it is
    (a badge's): one typed into it reverses or reorders it, and what follows it, wherever it shows."""
    return _DIRECTION_CONTROLS.sub("", text)


def isolate(text: str) -> str:
    """`text` to set into a sentence: in an isolate when it holds right-to-left letters or
    Arabic digits. Text without them cannot move the words around it, so it is left as it
    is, and a subject made of it stays plain ASCII."""
    text = without_direction_controls(text)
    if any(unicodedata.bidirectional(char) in _RIGHT_TO_LEFT for char in text):
        return f"{FIRST_STRONG_ISOLATE}{text}{POP_DIRECTIONAL_ISOLATE}"
    return text


_OPENING_ISOLATES = frozenset("\u2066\u2067\u2068")
_ZERO_WIDTH_JOINER = "\u200d"


def _continues(char: str) -> bool:
    """Whether `char` belongs to the character before it: an accent written apart, a
    variation selector, an emoji's skin tone or tag, a joiner, a low surrogate."""
    return (unicodedata.category(char) in ("Mn", "Mc", "Me") or char == _ZERO_WIDTH_JOINER
            or "\ufe00" <= char <= "\ufe0f" or "\U000e0020" <= char <= "\U000e007f"
            or "\U0001f3fb" <= char <= "\U0001f3ff" or "\U000e0100" <= char <= "\U000e01ef"
            or "\udc00" <= char <= "\udfff")


def _is_regional_indicator(char: str) -> bool:
    return "\U0001f1e6" <= char <= "\U0001f1ff"


def _whole_at(text: str, end: int) -> int:
    """The greatest cut at or before `end` that splits no character as it is drawn."""
    while 0 < end < len(text) and (_continues(text[end]) or text[end - 1] == _ZERO_WIDTH_JOINER):
        end -= 1
    if 0 < end < len(text) and _is_regional_indicator(text[end]):
        # Flags are pairs of regional indicators: an odd number before the cut splits one.
        before = end
        while before > 0 and _is_regional_indicator(text[before - 1]):
            before -= 1
        end -= (end - before) % 2
    return end


def _open_isolates(text: str) -> int:
    depth = 0
    for char in text:
        if char in _OPENING_ISOLATES:
            depth += 1
        elif char == POP_DIRECTIONAL_ISOLATE and depth:
            depth -= 1
    return depth


def close_isolates(text: str) -> str:
    """`text` with every isolate it leaves open closed at its end (an empty one opened
    last taken off): cut inside a name, a message would lay out the rest of the line,
    and the words set after it, in the name's direction."""
    while text and text[-1] in _OPENING_ISOLATES:
        text = text[:-1]
    return text + POP_DIRECTIONAL_ISOLATE * _open_isolates(text)


def shortened(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, as notifications are kept: no character
    split (an accent from its letter, an emoji from its skin tone, half a flag) and no
    isolate left open (see `close_isolates`), its closing mark counted in the limit."""
    if len(text) <= limit:
        return text
    end = limit
    while True:
        cut = close_isolates(text[:_whole_at(text, end)])
        if len(cut) <= limit:
            return cut
        end -= len(cut) - limit
