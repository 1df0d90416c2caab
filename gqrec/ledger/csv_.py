"""The ledger as CSV for the treasurer's spreadsheet, one table a file, in the CSV dialect the request
asks (`document.spreadsheet`): by default the way French spreadsheets open it by a double click (UTF-8
with BOM, `;`, decimal comma « 1146,00 », decimal hours, ISO dates, CRLF; see docs/ledger.md). A cell
of record text that a spreadsheet would run as a formula is neutralised (`csvsafe`).
"""

from __future__ import annotations

from ..document.spreadsheet import dialect_of
from .figures import Ledger
from .tables import tables


def render(ledger: Ledger, request=None) -> dict[str, str]:
    """Each table's slug and text."""
    dialect = dialect_of(request)
    return {t.slug: dialect.table(t) for t in tables(ledger)}
