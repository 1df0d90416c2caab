"""The annual report (bilan annuel) of REPORTS.md: figures from the Registry, then one renderer per format.

`FORMATS` is the table `gqrec report --format` offers (each renderer imported when used); `files`
gives a format's file names and texts, the same bytes for the same records; `produce.produce` is what
the command calls.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..formats import Formats, Renderer

if TYPE_CHECKING:
    from .figures import Bilan

FORMATS = Formats()
FORMATS.add("md", Renderer("gqrec.report.markdown:render", "Markdown"))
FORMATS.add("html", Renderer("gqrec.report.html:render", "page autonome imprimable avec graphiques"))
FORMATS.add("csv", Renderer("gqrec.report.csv_:render", "un tableau par fichier (demande --out)", many=True))
FORMATS.add("json", Renderer("gqrec.report.json_:render", "l'objet de REPORTS.md"))

__all__ = ["FORMATS", "build", "files", "stem"]


def stem(bilan: Bilan) -> str:
    """`bilan-2024` for every region, `bilan-2024-bretagne` for one."""
    return f"bilan-{bilan.year}" + (f"-{bilan.region}" if bilan.region else "")


def files(bilan: Bilan, fmt: str, request=None) -> dict[str, str]:
    """File name -> text of the report in `fmt`: one file, or one file per table (`request`: its language)."""
    return FORMATS.files(stem(bilan), fmt, bilan, request)


def build(registry, year: int, region: str | None = None, findings=None, revision=None) -> Bilan:
    """The bilan of a year (see `figures.build`), with the rules run when no findings are given."""
    from .produce import bilan

    return bilan(registry, year, region, findings, revision)
