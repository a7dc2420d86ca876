"""Text as people type it, made fit to keep: one kind of line end, and none of the control
characters that no keyboard makes on purpose (they arrive by pasting). Pure functions."""
import re
import unicodedata

# C0 controls but tab and newline, and DEL. Invisible on a page, and two of them (\x02 and
# \x03) are how the search engines mark a match (forum/search/terms.py): a post holding
# them would show a highlight of its own in a search snippet.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


# Letters that draw nothing (Hangul fillers, the blank Braille pattern): with the format
# characters (zero-width spaces and joiners, bidi marks), what an "empty" title is made of.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def typed_text(text: str | None) -> str:
    """Several lines: \\r\\n and a lone \\r become \\n, controls go, ends are trimmed.

    Text with nothing visible in it (only spaces, zero-width characters and the like)
    becomes "", so that every "write something" check refuses it: a title of zero-width
    spaces was a link nobody could see or click. Invisible characters among visible ones
    stay, since emoji sequences and some scripts are written with joiners."""
    text = _CONTROLS.sub("", (text or "").replace("\r\n", "\n").replace("\r", "\n")).strip()
    return text if any(map(_is_visible, text)) else ""


def _is_visible(char: str) -> bool:
    return not (char.isspace() or char in _BLANK_LETTERS or unicodedata.category(char) == "Cf")


def typed_line(text: str | None) -> str:
    """One line: as typed_text, with every run of white space made a single space."""
    return " ".join(typed_text(text).split())


# Marks that end a sentence typed in a box ("Say more, please."), so the sentence a page
# sets it in needs no full stop of its own after it.
_SENTENCE_ENDS = (".", "?", "!", "…", "。", "؟")


def ends_a_sentence(text: str | None) -> bool:
    return (text or "").rstrip().endswith(_SENTENCE_ENDS)


def typed_note(text: str | None) -> str:
    """A short note of a few lines, shown as typed (white-space: pre-line): as typed_text,
    each line's spaces at its ends taken off and a run of empty lines made one, so a
    note of a few words cannot stand a screen tall."""
    lines = [line.strip() for line in typed_text(text).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines))


# More digits than any count or position here could need; Python refuses to read an int
# of more than 4,300 digits at all (a ValueError, which would be a 500).
_LONGEST_NUMBER = 18


def typed_whole_number(text: str | None, *, negative: bool = False) -> int | None:
    """The whole number typed, or None when `text` is not one.

    Digits of any script that int() reads as decimal ("٣" is 3), but not the other
    characters str.isdigit() accepts, such as "²", on which int() fails. A leading minus
    only where `negative` allows it, so the caller can say why a negative is refused."""
    text = (text or "").strip()
    sign = 1
    if negative and text.startswith("-"):
        sign, text = -1, text[1:]
    digits = text.lstrip("0") or text[-1:]
    if not text.isdecimal() or len(digits) > _LONGEST_NUMBER:
        return None
    return sign * int(digits)
