"""The one CSV writer of gqrec, in one of two dialects; every cell of record text neutralised against
spreadsheet formulas (`csvsafe`).

- `fr`, for people (bilan, profiles, ledger, export by default): what a French Excel or LibreOffice
  opens by a double click — UTF-8 with a byte-order mark (without it Excel reads Windows-1252 and breaks
  the accents), `;` between cells (a French Windows' list separator: a `,` file opens as one column),
  decimal comma without thousands separator (« 1146,00 », numbers and not text), rates as percentages
  (« 87,5 % », which both read as the number 0,875 shown in percent), oui/non, ISO dates (both take them
  as dates), CRLF line ends; headers and values in French.
- `data`, for programs (`--csv-dialect data`): comma, dot decimals, shares from 0 to 1, 1/0, no BOM,
  LF, English keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Callable, Iterable, TextIO

from ..csvsafe import csv_text, write_csv
from .table import Hours, Interval, Points, Rate, Table, plain, rounded

BOM = "\ufeff"


def _comma(number: float, digits: int) -> str:
    """A decimal number with a comma, trailing zeros dropped: 19.25 -> « 19,25 », 26.0 -> « 26 »."""
    return f"{number:.{digits}f}".rstrip("0").rstrip(".").replace(".", ",")


def french(cell: Any) -> str:
    """A cell that is not record text, as a French spreadsheet reads it (text is neutralised apart)."""
    match cell:
        case None | Rate(value=None):
            return ""
        case Rate(value=value):  # a percentage the spreadsheet reads as a number
            return _comma(value * 100, 2) + " %"
        case bool():
            return "oui" if cell else "non"
        case Decimal():  # euros, to the cent
            return f"{cell.quantize(Decimal('0.01'), ROUND_HALF_UP):.2f}".replace(".", ",")
        case int():
            return str(cell)
        case float():
            return _comma(rounded(cell), 4)
        case Hours(minutes=minutes):  # decimal hours, a number the spreadsheet can add up
            return _comma(minutes / 60, 2)
        case Points(value=None):
            return ""
        case Points(value=value):  # a change in percentage points, a number
            return _comma(rounded(value), 4)
        case Interval(low=low, high=high):
            return f"[{_comma(rounded(low), 4)} ; {_comma(rounded(high), 4)}]"
        case date():
            return cell.isoformat()
    return str(cell)


@dataclass(frozen=True)
class Dialect:
    name: str
    delimiter: str
    lineterminator: str
    bom: str
    cell: Callable[[Any], Any]  # how a cell that is not text is written
    lang: str  # the language of the headers and of the words among the values

    def text(self, headers: Iterable[Any], rows: Iterable[Iterable[Any]]) -> str:
        """The CSV document: header row, then the rows, every text cell neutralised."""
        return self.bom + csv_text(headers, rows, self.cell, delimiter=self.delimiter,
                                   lineterminator=self.lineterminator)

    def write(self, handle: TextIO, headers: Iterable[Any], rows: Iterable[Iterable[Any]]) -> int:
        """The same document written row by row to a handle opened with newline=""; the rows written."""
        handle.write(self.bom)
        return write_csv(handle, headers, rows, self.cell, delimiter=self.delimiter,
                         lineterminator=self.lineterminator)

    def table(self, table: Table) -> str:
        return self.text(table.headers, table.rows)


FR = Dialect("fr", ";", "\r\n", BOM, french, "fr")
DATA = Dialect("data", ",", "\n", "", plain, "en")
DIALECTS = {dialect.name: dialect for dialect in (FR, DATA)}
HELP = ("Dialecte des fichiers CSV : fr (tableur français : point-virgule, virgule décimale, pourcentages, "
        "UTF-8 avec BOM, en-têtes en français) ou data (pour un programme : virgule, point décimal, "
        "clés anglaises).")


def dialect_of(request) -> Dialect:
    """The dialect a request asks (`--csv-dialect`), the French spreadsheet's when not said."""
    return DIALECTS[getattr(request, "csv_dialect", None) or "fr"]
