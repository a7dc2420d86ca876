"""Names for the tables in a post, read from their header cells. Pure functions.

A post's tables each sit in a region a screen reader lists by name (render._tables_in_regions):
all named "Table", three in a post read "Table, Table, Table". Each is named from its own
header row instead ("Table: Week, Highs, Lows"), as plain text: the cells are what people
typed, so their markup goes and the name is cut short."""
from html import escape
from html.parser import HTMLParser

from forum.text.bidi import isolate, shortened
from forum.text.typed import typed_line

# A name is heard before the table, each time Tab or a list of regions reaches it: a few
# headers say which table it is, the rest are read with the table itself.
NAMED_HEADERS = 3
HEADERS_LIMIT = 60  # characters of the headers named, a long one cut short


class _HeaderRows(HTMLParser):
    """The text of each table's header cells, tables in the order they open. A header row is
    a table's first row when every cell in it is a header (<th>): a <th> beside data cells
    heads its row, not the table."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.headers: list[list[str]] = []
        self._open: list[_Table] = []  # the tables open at this point, innermost last

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._open.append(_Table(len(self.headers)))
            self.headers.append([])
        elif self._open:
            self._open[-1].start(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "table" and self._open:
            table = self._open.pop()
            self.headers[table.index] = table.header_texts()
        elif self._open:
            self._open[-1].end(tag)

    def handle_data(self, data):
        if self._open:
            self._open[-1].read(data)


class _Table:
    """One table as _HeaderRows reads it: its first row's cells, while that row is read."""

    def __init__(self, index: int):
        self.index, self.rows, self.cells, self.all_headers = index, 0, [], True
        self._cell: list[str] | None = None  # the text of the first row's cell being read

    def start(self, tag: str) -> None:
        if tag == "tr":
            self.rows += 1
        elif tag in ("th", "td") and self.rows == 1:
            self.all_headers = self.all_headers and tag == "th"
            self._cell = []
            self.cells.append(self._cell)
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def end(self, tag: str) -> None:
        if tag in ("th", "td", "tr"):
            self._cell = None

    def read(self, text: str) -> None:
        if self._cell is not None:
            self._cell.append(text)

    def header_texts(self) -> list[str]:
        return ["".join(cell) for cell in self.cells] if self.all_headers else []


def table_names(html: str) -> list[str]:
    """The name of each table in clean `html`, in the order they open, escaped for an attribute."""
    reader = _HeaderRows()
    reader.feed(html)
    reader.close()
    return [escape(_name(headers), quote=True) for headers in reader.headers]


def _name(headers: list[str]) -> str:
    """"Table: Day, Morning, Afternoon and 4 more"; "Table" when no header says anything."""
    said = [isolate(text) for text in map(typed_line, headers) if text]
    if not said:
        return "Table"
    named = ", ".join(said[:NAMED_HEADERS])
    if len(named) > HEADERS_LIMIT:
        named = shortened(named, HEADERS_LIMIT - 1).rstrip(", ") + "…"
    more = len(said) - NAMED_HEADERS
    return f"Table: {named}" + (f" and {more} more" if more > 0 else "")
