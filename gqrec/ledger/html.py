"""The ledger as one self-contained HTML page (the bilan's style and table writer, `document.html`), to print or keep."""

from __future__ import annotations

from html import escape

from ..document.html import table
from .figures import Ledger
from .page import document
from .tables import WARNING, tables, title


def render(ledger: Ledger, request=None) -> str:
    sections = []
    for number, t in enumerate(tables(ledger), 1):
        parts = [f"<h2>{number}. {escape(t.title)}</h2>", table(t, "fr")]
        if t.note and t.rows:
            parts.append(f'<p class="note">{escape(t.note)}</p>')
        sections.append(f'<section id="{t.slug}">' + "\n".join(parts) + "</section>")
    body = f'<h1>{escape(title(ledger))}</h1>\n<p class="meta">{escape(WARNING)}</p>\n' + "\n".join(sections)
    return document(title(ledger), body)
