"""CSV for spreadsheets: a text cell that a spreadsheet would read as a formula is made inert.

Every CSV gqrec writes (bilan, feedback profiles, ledger, export) goes through `csv_text` or
`neutralise`. Following OWASP's advice on CSV injection, a text cell starting with `=`, `+`, `-`, `@`,
a tab or a carriage return gets a leading apostrophe, which spreadsheets show as nothing and which
keeps `=HYPERLINK(…)`, `+cmd|…` or `@SUM(…)` from being evaluated. Only text is touched: a number
gqrec computed itself (an int or a float, a negative balance included) is written as a number, since
it comes from no user. A caller that formats its numbers as text first must pass them as numbers.

A line break inside a text cell (CR, LF, and the others Unicode knows: VT, FF, NEL, U+2028…) becomes a
space: a bare CR is not quoted by Python's writer when lines end in LF, and spreadsheets took
`Diabète\r@SUM(1)` for a new row starting with a formula. One record, one row, whatever the reader.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any, Callable, Iterable, TextIO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LINE_BREAKS = re.compile("\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")


def neutralise(cell: Any) -> Any:
    """The cell as a spreadsheet may safely read it: text starting like a formula gets a leading `'`,
    and every line break becomes a space; numbers, None and everything that is not text are returned
    unchanged."""
    if not isinstance(cell, str):
        return cell
    if cell.startswith(FORMULA_STARTS):
        cell = "'" + cell
    return LINE_BREAKS.sub(" ", cell) if not cell.isprintable() else cell


def csv_text(header: Iterable[Any], rows: Iterable[Iterable[Any]], plain: Callable[[Any], Any] | None = None,
             *, delimiter: str = ",", lineterminator: str = "\n") -> str:
    """A CSV document (comma, LF, minimal quoting, unless told otherwise: `document.spreadsheet`'s
    French dialect writes `;` and CRLF) with every text cell neutralised, header included (`write_csv`)."""
    out = io.StringIO()
    write_csv(out, header, rows, plain, delimiter=delimiter, lineterminator=lineterminator)
    return out.getvalue()


def write_csv(handle: TextIO, header: Iterable[Any], rows: Iterable[Iterable[Any]],
              plain: Callable[[Any], Any] | None = None, *, delimiter: str = ",", lineterminator: str = "\n") -> int:
    """Write a CSV document row by row to an open text handle (a file opened with newline=""); the rows
    written. Every text cell is neutralised, header included.

    `plain` formats the cells that are not text (dates, numbers, rates) after the text cells were
    neutralised, so a negative number gqrec computed stays a number. Without it, None is an empty
    cell and ints and floats are written as Python writes them (`repr`).
    """
    def cell(value: Any) -> Any:
        if isinstance(value, str):
            return neutralise(value)
        return value if plain is None else plain(value)

    writer = csv.writer(handle, delimiter=delimiter, lineterminator=lineterminator)
    writer.writerow([neutralise(h) for h in header])
    count = 0
    for row in rows:
        writer.writerow([cell(value) for value in row])
        count += 1
    return count
