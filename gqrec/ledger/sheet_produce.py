"""The library side of `gqrec sheet`: the attendance sheet of a coming meeting, a printable HTML page,
shown or written."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from ..document import letterhead, pdf
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
    pdf: bool = False  # also the page as PDF (needs --out)


def produce(request: Request) -> Outcome:
    check_folder(request.out, request.root, "une feuille d'émargement nominative")
    pdf.refuse_early(request)
    found = sheet.build(year_registry(request.root, request.day.year, request.key, request.as_of), request.region, request.group,
                        request.day, request.theme)
    logo, unprintable = letterhead.logo_uri(request.root, found.letterhead)
    found = replace(found, logo=logo)
    text = sheet_html.render(found)
    notices = tuple(found.notices) + ((unprintable,) if unprintable else ())
    if request.out is None:
        return Outcome(text, notices=notices)
    stem = f"emargement-{request.region}-{request.group}-{request.day.isoformat()}"
    texts = {f"{stem}.html": text}
    if request.pdf:
        texts = pdf.with_pdf(texts, stem, lambda: text)
    return Outcome(written=write_files(request.out, texts, private=True), notices=notices)  # names physicians: 0600
