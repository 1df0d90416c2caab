"""CSV for spreadsheets: a text cell that a spreadsheet would read as a formula is made inert.

Every CSV gqrec writes (bilan, feedback profiles, ledger, export) goes through `csv_text` or
`neutralise`. Following OWASP's advice on CSV injection, a text cell starting with `=`, `+`, `-`, `@`,
a tab or a carriage return gets a leading apostrophe, which spreadsheets show as nothing and which
keeps `=HYPERLINK(…)`, `+cmd|…` or `@SUM(…)` from being evaluated. Only text is touched: a number
gqrec computed itself (an int or a float, a negative balance included) is written as a number, since
it comes from no user. A caller that formats its numbers as text first must pass them as numbers.
"""

from __future__ import annotations

import csv
import io
from typing import Any, Callable, Iterable, TextIO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: Any) -> Any:
    """The cell as a spreadsheet may safely read it: text starting like a formula gets a leading `'`;
    numbers, None and everything that is not text are returned unchanged."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


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
