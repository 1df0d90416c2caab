"""The bilan as CSV: one table a file, UTF-8, a header row, plain values (ISO dates, dot decimals);
record text that a spreadsheet would run as a formula is neutralised (`csvsafe`)."""

from __future__ import annotations

from ..csvsafe import csv_text
from ..document.table import Table, plain
from .figures import Bilan
from .tables import tables
from ..formats import language


def table(t: Table) -> str:
    return csv_text(t.headers, t.rows, plain)


def render(bilan: Bilan, request=None) -> dict[str, str]:
    """Each table's slug and text, in the report's order."""
    lang = language(request)
    return {t.slug: table(t) for t in tables(bilan, lang)}
