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


def isolate(text: str) -> str:
    """`text` to set into a sentence: in an isolate when it holds right-to-left letters or
    Arabic digits. Text without them cannot move the words around it, so it is left as it
    is, and a subject made of it stays plain ASCII."""
    text = _DIRECTION_CONTROLS.sub("", text)
    if any(unicodedata.bidirectional(char) in _RIGHT_TO_LEFT for char in text):
        return f"{FIRST_STRONG_ISOLATE}{text}{POP_DIRECTIONAL_ISOLATE}"
    return text
