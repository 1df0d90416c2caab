"""The bilan as Markdown: a title, the inventory in one line, then the titled tables (`document.markdown`)."""

from __future__ import annotations

from ..document.markdown import document
from ..safe import markdown_text as escape
from .figures import Bilan
from .labels import inventory_line, meta_line, report_title
from .tables import tables
from ..formats import language


def render(bilan: Bilan, request=None) -> str:
    lang = language(request)
    return document(report_title(bilan, lang),
                    [escape(meta_line(bilan, lang)), f"**{inventory_line(bilan, lang)}**"], tables(bilan, lang), lang)
