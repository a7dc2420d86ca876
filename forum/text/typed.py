"""Text as people type it, made fit to keep: one kind of line end, and none of the control
characters that no keyboard makes on purpose (they arrive by pasting). Pure functions."""
import re

# C0 controls but tab and newline, and DEL. Invisible on a page, and two of them (\x02 and
# \x03) are how the search engines mark a match (forum/search/terms.py): a post holding
# them would show a highlight of its own in a search snippet.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


def typed_text(text: str | None) -> str:
    """Several lines: \\r\\n and a lone \\r become \\n, controls go, ends are trimmed."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROLS.sub("", text).strip()


def typed_line(text: str | None) -> str:
    """One line: as typed_text, with every run of white space made a single space."""
    return " ".join(typed_text(text).split())


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
