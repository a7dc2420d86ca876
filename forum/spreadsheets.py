"""CSV files made to be opened in a spreadsheet: the trainers' progress export, a member's
own writing. Pure functions; the parts choose the columns."""
import csv
import io
from collections.abc import Iterable
from datetime import datetime

# A spreadsheet runs a cell starting with one of these as a formula (a tab or a carriage
# return in front of one is skipped by some): =HYPERLINK(...) in a post would run on the
# downloader's computer.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value) -> str:
    """`value` as a spreadsheet should show it: a time as "2026-12-07 14:05:00" (stored in
    UTC, so the column's header must say so), and text that would start a formula kept as
    text by a leading apostrophe."""
    text = "" if value is None else value.isoformat(sep=" ", timespec="seconds") if isinstance(value, datetime) \
        else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(header: list[str], rows: Iterable[Iterable]) -> str:
    """The whole file, each heading and value through `cell`. It starts with a byte-order
    mark, which tells a spreadsheet the file is UTF-8: without it Excel reads "Zoë" as "ZoÃ«"."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([cell(name) for name in header])
    writer.writerows([cell(value) for value in row] for row in rows)
    return out.getvalue()
