"""The bilan as CSV: one table a file, in the CSV dialect the request asks (`document.spreadsheet`):
for a French spreadsheet by default (`;`, decimal comma, percentages, UTF-8 with BOM), or for programs
(`data`: comma, dot decimals, shares from 0 to 1, English headers); record text that a spreadsheet
would run as a formula is neutralised (`csvsafe`)."""

from __future__ import annotations

from ..document.spreadsheet import dialect_of
from ..formats import language
from .figures import Bilan
from .tables import tables


def render(bilan: Bilan, request=None) -> dict[str, str]:
    """Each table's slug and text, in the report's order."""
    dialect = dialect_of(request)
    lang = language(request) if dialect.lang == "fr" else dialect.lang
    return {t.slug: dialect.table(t) for t in tables(bilan, lang)}
