"""The ledger as Markdown: the bilan's table writer (`document.markdown`: tabulate, record text made inert) on the ledger's tables."""

from __future__ import annotations

from ..document.markdown import table
from ..safe import markdown_text as escape
from .figures import Ledger
from .tables import WARNING, tables, title


def render(ledger: Ledger, request=None) -> str:
    parts = [f"# {escape(title(ledger))}", f"*{WARNING}*"]
    for number, t in enumerate(tables(ledger), 1):
        parts.append(f"## {number}. {escape(t.title)}")
        parts.append(table(t, "fr"))
        if t.note and t.rows:
            parts.append(f"*{escape(t.note)}*")
    return "\n\n".join(parts) + "\n"
