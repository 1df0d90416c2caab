"""`gqrec impact`: the effect of the themes (REPORTS.md), figures from `effects`, one renderer per format.

`FORMATS` is the table `gqrec impact --format` offers; `files` gives a format's file names and texts (the
same bytes for the same records); `produce.produce` is what the command calls.
"""

from __future__ import annotations

from ..formats import Formats, Renderer

FORMATS = Formats()
FORMATS.add("md", Renderer("gqrec.impact.render:markdown", "Markdown"))
FORMATS.add("html", Renderer("gqrec.impact.render:html", "page autonome imprimable, un graphique avant/après par indicateur"))
FORMATS.add("csv", Renderer("gqrec.impact.render:csv", "un tableau par fichier (demande --out)", many=True))
FORMATS.add("json", Renderer("gqrec.impact.render:json", "l'objet de REPORTS.md"))


def stem(impact) -> str:
    """`impact-2024` for every region, `impact-2024-bretagne` for one."""
    return f"impact-{impact.year}" + (f"-{impact.region}" if impact.region else "")


def files(impact, fmt: str, request=None) -> dict[str, str]:
    return FORMATS.files(stem(impact), fmt, impact, request)
