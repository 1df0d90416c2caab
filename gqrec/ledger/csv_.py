"""The ledger as CSV for the treasurer's spreadsheet, one table a file, written the way French
spreadsheets open it by a double click (see docs/ledger.md):

- UTF-8 with a byte-order mark, without which Excel reads the file as Windows-1252 and breaks accents;
- `;` between cells, the list separator of a French Windows (a `,` file opens as one column);
- decimal comma and no thousands separator (« 1146,00 »), so amounts and hours are numbers, not text;
- ISO dates (2024-03-12), which Excel and LibreOffice both take as dates; CRLF line ends.

A cell of record text that a spreadsheet would run as a formula is neutralised (`csvsafe`);
the numbers, formatted here, are gqrec's own.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from ..csvsafe import csv_text
from ..document.table import Hours, Table
from ..indemnities import cents
from .figures import Ledger
from .tables import tables

BOM = "\ufeff"


def cell(value: Any) -> str:
    """A cell that is not record text (text is neutralised by `csv_text`), French style."""
    match value:
        case None:
            return ""
        case bool():
            return "oui" if value else "non"
        case Decimal():
            return f"{cents(value):.2f}".replace(".", ",")
        case int():
            return str(value)
        case Hours(minutes=minutes):  # decimal hours, a number the spreadsheet can add up
            return f"{minutes / 60:.2f}".rstrip("0").rstrip(".").replace(".", ",")
        case date():
            return value.isoformat()
    return str(value)


def table(t: Table) -> str:
    return BOM + csv_text(t.headers, t.rows, cell, delimiter=";", lineterminator="\r\n")


def render(ledger: Ledger, request=None) -> dict[str, str]:
    """Each table's slug and text."""
    return {t.slug: table(t) for t in tables(ledger)}
