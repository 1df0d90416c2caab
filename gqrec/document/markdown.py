"""A titled table as Markdown (tabulate's pipe tables), record text made inert, numbers right-aligned."""

from __future__ import annotations

from tabulate import tabulate

from ..safe import markdown_text as escape
from .table import Table, display, numeric_columns


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


def document(heading: str, lines: list[str], tables: list[Table], lang: str) -> str:
    """A title, lines of text (each kept as written: bold or not), then each table as a numbered section."""
    parts = [f"# {escape(heading)}", *lines]
    for number, t in enumerate(tables, 1):
        parts.append(f"## {number}. {escape(t.title)}")
        parts.append(table(t, lang))
        if t.note and t.rows:
            parts.append(f"*{escape(t.note)}*")
    return "\n\n".join(parts) + "\n"
