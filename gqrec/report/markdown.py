"""The bilan as Markdown: a title, who made it (the cover: association, partners, coordinator, COPIL),
the inventory in one line, then the titled tables (`document.markdown`)."""

from __future__ import annotations

from ..document.markdown import document
from ..safe import markdown_text as escape
from .figures import Bilan
from .labels import association_line, cover_lines, inventory_line, label, meta_line, report_title
from .tables import tables
from ..formats import language


def _lines(region, lang: str) -> list[str]:
    colon = ": " if lang == "en" else " : "
    return [f"{escape(key)}{colon}{escape(', '.join(names))}" for key, names in cover_lines(region, lang)]


def cover(bilan: Bilan, lang: str) -> list[str]:
    """A region's association and, on one line each, its partners, coordinator and COPIL; a national
    bilan's federation, then each region's line."""
    if bilan.region is not None:
        region = bilan.regions[0]
        return [f"**{escape(association_line(region))}**", *_lines(region, lang)]
    lines = [f"**{escape(bilan.federation)}**"] if bilan.federation else []
    lines.append(escape(label("national", lang, n=len(bilan.regions))))
    for region in bilan.regions:
        parts = [f"**{escape(region.name)}** — {escape(association_line(region))}", *_lines(region, lang)]
        lines.append(("; " if lang == "en" else " ; ").join(parts))
    return lines


def render(bilan: Bilan, request=None) -> str:
    lang = language(request)
    return document(report_title(bilan, lang),
                    [*cover(bilan, lang), escape(meta_line(bilan, lang)), f"**{inventory_line(bilan, lang)}**"],
                    tables(bilan, lang), lang)
