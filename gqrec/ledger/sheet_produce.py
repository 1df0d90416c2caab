"""The library side of `gqrec sheet`: the attendance sheet of a coming meeting, a printable HTML page,
shown or written."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..fsio import write_files
from ..product import Outcome
from . import sheet, sheet_html
from .produce import check_folder, year_registry


@dataclass(frozen=True)
class Request:
    root: Path
    region: str
    group: str
    day: date
    theme: str | None = None
    out: Path | None = None  # the folder to write into; the page is printed without it
    key: bytes | None = None  # the feedback key (see `produce.Request`)
    as_of: date | None = None  # the reference date (today when None): a sheet for a day before it is late


def produce(request: Request) -> Outcome:
    check_folder(request.out, request.root, "une feuille d'émargement nominative")
    found = sheet.build(year_registry(request.root, request.day.year, request.key, request.as_of), request.region, request.group,
                        request.day, request.theme)
    text = sheet_html.render(found)
    notices = tuple(found.notices)
    if request.out is None:
        return Outcome(text, notices=notices)
    name = f"emargement-{request.region}-{request.group}-{request.day.isoformat()}.html"
    return Outcome(written=write_files(request.out, {name: text}, private=True), notices=notices)
