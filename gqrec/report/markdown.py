"""The bilan as Markdown: a title, the inventory in one line, then the titled tables (tabulate)."""

from __future__ import annotations

from tabulate import tabulate

from .. import i18n
from ..safe import markdown_text as escape
from .figures import Bilan
from .labels import inventory_line, meta_line, report_title
from .tables import Table, display, numeric_columns, tables


def table(t: Table, lang: str) -> str:
    if not t.rows:
        return t.empty
    numeric = numeric_columns(t)
    return tabulate(
        [[escape(display(cell, lang)) for cell in row] for row in t.rows],
        headers=[escape(h) for h in t.headers],
        tablefmt="pipe",
        disable_numparse=True,
        colalign=["right" if n else "left" for n in numeric],
    )


def render(bilan: Bilan, lang: str = "fr") -> str:
    parts = [
        f"# {escape(report_title(bilan, lang))}",
        escape(meta_line(bilan, lang)),
        f"**{inventory_line(bilan, lang)}**",
    ]
    for number, t in enumerate(tables(bilan, lang), 1):
        parts.append(f"## {number}. {escape(t.title)}")
        parts.append(table(t, lang))
        if t.note and t.rows:
            parts.append(f"*{escape(t.note)}*")
    return "\n\n".join(parts) + "\n"
