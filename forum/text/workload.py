"""How much work Python-Markdown would do on a text, estimated in one linear pass.

Python-Markdown is quick on anything a person writes, but some of its steps scan ahead
from every occurrence of a character: from each "[" to its "]" (link and image text),
from each "](" to its ")" (the address), from each "<" to the next ">" (raw HTML, in
the whole text), and its block parser re-reads a block once per line it peels off. Text
made of thousands of those costs the square of its length: 20,000 "[" took over a minute
of a worker's time.
`markdown_work` adds those scans up without doing them, and `markdown_within_limits`
refuses to hand such text to Markdown (its callers show it as plain text instead), as it
does text nested deeper than Python's stack.
"""
import re

import markdown

_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_BRACKETS = re.compile(r"[\[\]]")
_PARENTHESES = re.compile(r"[()]")
# Only a "<" that could open a tag, a comment or a declaration is parsed as one ("<3" is not).
_ANGLES = re.compile(r"<(?=[A-Za-z/!?])|>")
# A line of a block costs far less than a character scanned from a bracket.
LINE_WEIGHT = 0.1
# About a third of a second of scanning: far above anything people write, far below
# what text built to be slow would cost.
MARKDOWN_WORK_LIMIT = 1_000_000


def _nested_scans(block: str, pattern: re.Pattern, opener: str, counts=lambda block, at: True) -> int:
    """Characters scanned from each opener that `counts` to its matching closer (or the
    end of the block), nesting included, as Markdown's own bracket matching does."""
    work, open_at = 0, []
    for match in pattern.finditer(block):
        if match.group() == opener:
            open_at.append(match.start())
        elif open_at:
            start = open_at.pop()
            if counts(block, start):
                work += match.start() - start
    return work + sum(len(block) - start for start in open_at if counts(block, start))


def _scans_to_next_closer(text: str) -> int:
    """Characters scanned from each "<" to the next ">" (or the end of the text)."""
    work, waiting = 0, []
    for match in _ANGLES.finditer(text):
        if match.group() == "<":
            waiting.append(match.start())
        else:
            work += sum(match.start() - start for start in waiting)
            waiting = []
    return work + sum(len(text) - start for start in waiting)


def _after_bracket(block: str, at: int) -> bool:
    return at > 0 and block[at - 1] == "]"


def markdown_work(source: str) -> int:
    """An estimate, in characters scanned, of Python-Markdown's work on `source`."""
    # Raw HTML is looked for across the whole text; links and lines within a block.
    work = _scans_to_next_closer(source)
    for block in _BLANK_LINE.split(source):
        work += _nested_scans(block, _BRACKETS, "[")
        work += _nested_scans(block, _PARENTHESES, "(", _after_bracket)
        work += int(LINE_WEIGHT * block.count("\n") ** 2)
    return work


def markdown_within_limits(source: str, extensions: list) -> str | None:
    """Markdown's HTML for `source`, or None when it would cost too much or nest too deep."""
    if markdown_work(source) > MARKDOWN_WORK_LIMIT:
        return None
    try:
        return markdown.markdown(source, extensions=extensions, output_format="html")
    except RecursionError:
        return None  # lists or quotes nested hundreds deep
