"""The bilan as Markdown: a title, the inventory in one line, then the titled tables (`document.markdown`)."""

from __future__ import annotations

from ..document.markdown import document
from ..safe import markdown_text as escape
from .figures import Bilan
from .labels import inventory_line, meta_line, report_title
from .tables import tables


def render(bilan: Bilan, lang: str = "fr") -> str:
    return document(report_title(bilan, lang),
                    [escape(meta_line(bilan, lang)), f"**{inventory_line(bilan, lang)}**"], tables(bilan, lang), lang)
