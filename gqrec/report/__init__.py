"""The annual report (bilan annuel) of REPORTS.md: figures from the Registry, then one renderer per format.

`files` is what `gqrec report` writes: file names and their text, the same bytes for the same records.
"""

from __future__ import annotations

from . import csv_, html, json_, markdown
from .figures import Bilan, Revision, UnknownRegion, build

FORMATS = ("md", "html", "csv", "json")
_SINGLE = {"md": markdown.render, "html": html.render, "json": json_.render}

__all__ = ["FORMATS", "Bilan", "Revision", "UnknownRegion", "build", "files"]


def stem(bilan: Bilan) -> str:
    """`bilan-2024` for every region, `bilan-2024-bretagne` for one."""
    return f"bilan-{bilan.year}" + (f"-{bilan.region}" if bilan.region else "")


def files(bilan: Bilan, fmt: str, lang: str = "fr") -> dict[str, str]:
    """File name -> text of the report in `fmt`: one file, or one CSV file per table."""
    if fmt == "csv":
        return {f"{stem(bilan)}-{slug}.csv": text for slug, text in csv_.render(bilan, lang).items()}
    return {f"{stem(bilan)}.{fmt}": _SINGLE[fmt](bilan, lang)}
