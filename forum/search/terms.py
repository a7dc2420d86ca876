"""What a reader typed, made safe: plain words for the full-text engines, and highlighted
snippets made safe for the page.

Both engines have a query syntax of their own (FTS5: quotes, `*`, `NEAR(`, `OR`, column
filters; PostgreSQL's to_tsquery: `&`, `|`, `!`, `:*`). Nobody types that syntax on
purpose here, and a stray quote must not become a 500, so a query is reduced to words
and each word is searched as itself.
"""
import re

from markupsafe import Markup, escape

QUERY_LIMIT = 200
# How much of a query is read for words (the box takes QUERY_LIMIT; a link may hold more).
READ_LIMIT = QUERY_LIMIT * 4
TERM_LIMIT = 8
# A word is searched whole up to the box's length: both engines index long words whole, so a
# word cut short (once at 40, which German compounds pass) found nothing.
LONGEST_TERM = QUERY_LIMIT
# Letters and digits of any script; everything else separates words.
_WORD = re.compile(r"[^\W_]+")

# The engines mark matches with these control characters, which never reach a page:
# the snippet is escaped as text and only these markers become <mark> elements. Text
# people write is saved without them (forum/text/typed.py), so a post cannot fake one.
MARK_START = "\x02"
MARK_STOP = "\x03"
_MARKERS = re.compile(f"({MARK_START}|{MARK_STOP})")


def search_terms(query: str | None) -> list[str]:
    """The words to search for: lower-cased, de-duplicated, at most TERM_LIMIT of them."""
    # Enough for a word that starts at the limit to be read to its longest.
    text = _lower((query or "")[:READ_LIMIT + LONGEST_TERM].replace("\x00", " "))
    terms: list[str] = []
    for match in _WORD.finditer(text):
        # Words that start within the part read are read whole: a word cut at its end
        # would be searched as a word of its own ("qu" for "quiet"), and find nothing.
        if match.start() >= READ_LIMIT:
            break
        word = match.group()[:LONGEST_TERM]
        if word not in terms:
            terms.append(word)
        if len(terms) == TERM_LIMIT:
            break
    return terms


def words_left_out(query: str | None) -> bool:
    """Whether the query held words that were not searched: more distinct words than
    TERM_LIMIT, or words past the part of a very long query that is read."""
    searched = set(search_terms(query))
    return any(word[:LONGEST_TERM] not in searched for word in _WORD.findall(_lower(query or "")))


def _lower(text: str) -> str:
    # Python lower-cases the Turkish capital İ to "i" and a combining dot, which the word
    # pattern splits ("İstanbul" became "i" and "stanbul"); both engines index it as "i".
    return text.replace("İ", "I").lower()


def quoted(words: list[str]) -> str:
    """“a”, “b” and “c”, to name the words a reader typed in a sentence."""
    marked = [f"“{word}”" for word in words]
    return marked[0] if len(marked) == 1 else f"{', '.join(marked[:-1])} and {marked[-1]}"


def fts5_match(terms: list[str]) -> str:
    """An FTS5 query that means "all these words": each word quoted, so none is an operator."""
    return " ".join(f'"{term}"' for term in terms)


def highlighted(raw: str | None) -> Markup:
    """Escape an engine's snippet as text, turning only its own markers into <mark>.

    Markers are balanced here whatever the text holds, so the markup is always well formed.
    """
    pieces = []
    open_mark = False
    for piece in _MARKERS.split(raw or ""):
        if piece == MARK_START:
            if not open_mark:
                pieces.append("<mark>")
                open_mark = True
        elif piece == MARK_STOP:
            if open_mark:
                pieces.append("</mark>")
                open_mark = False
        elif piece:
            pieces.append(str(escape(piece)))
    if open_mark:
        pieces.append("</mark>")
    return Markup("".join(pieces))
