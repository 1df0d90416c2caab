"""The bilan as CSV: one table a file, UTF-8, a header row, plain values (ISO dates, dot decimals)."""

from __future__ import annotations

import csv
import io

from .figures import Bilan
from .tables import Table, plain, tables


def table(t: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(t.headers)
    writer.writerows([plain(cell) for cell in row] for row in t.rows)
    return out.getvalue()


def render(bilan: Bilan, lang: str = "fr") -> dict[str, str]:
    """Each table's slug and text, in the report's order."""
    return {t.slug: table(t) for t in tables(bilan, lang)}
