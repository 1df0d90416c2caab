"""The bilan as Markdown: a title, the inventory in one line, then the titled tables (`document.markdown`)."""

from __future__ import annotations

from ..document.markdown import table
from ..safe import markdown_text as escape
from .figures import Bilan
from .labels import inventory_line, meta_line, report_title
from .tables import tables
from ..formats import language


def render(bilan: Bilan, request=None) -> str:
    lang = language(request)
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
