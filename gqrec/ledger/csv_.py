"""The ledger as CSV for the treasurer's spreadsheet, one table a file, written the way French
spreadsheets open it by a double click (see docs/ledger.md):

- UTF-8 with a byte-order mark, without which Excel reads the file as Windows-1252 and breaks accents;
- `;` between cells, the list separator of a French Windows (a `,` file opens as one column);
- decimal comma and no thousands separator (« 1146,00 »), so amounts and hours are numbers, not text;
- ISO dates (2024-03-12), which Excel and LibreOffice both take as dates; CRLF line ends.

A cell of record text that a spreadsheet would run as a formula is neutralised.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from typing import Any

from ..report.tables import Table
from .figures import Ledger, cents
from .tables import tables

BOM = "\ufeff"
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> str:
    match value:
        case None:
            return ""
        case bool():
            return "oui" if value else "non"
        case Decimal():
            return f"{cents(value):.2f}".replace(".", ",")
        case int():
            return str(value)
        case float():
            return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",") or "0"
        case date():
            return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def table(t: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(t.headers)
    writer.writerows([cell(value) for value in row] for row in t.rows)
    return BOM + out.getvalue()


def render(ledger: Ledger) -> dict[str, str]:
    """Each table's slug and text."""
    return {t.slug: table(t) for t in tables(ledger)}
