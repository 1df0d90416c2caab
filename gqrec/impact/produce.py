"""The library side of `gqrec impact`: read the records of the year and the years around it (the feedback
periods before and after its meetings), compute the effect of the themes, render it, print or write it.
The click command only passes its options."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .. import effects
from ..document import pdf as pdf_mod
from ..errors import UsageError
from ..fsio import write_files
from ..pipeline import Pipeline
from ..product import Outcome
from . import FORMATS, files, stem

UNREAD = ("des fichiers de retour chiffrés n'ont pas été lus faute de clé (GQREC_FEEDBACK_KEY ou --key-file) : "
          "l'effet des thèmes est incomplet.")


@dataclass(frozen=True)
class Request:
    root: Path
    year: int
    region: str | None = None
    fmt: str = "md"
    out: Path | None = None
    lang: str = "fr"
    as_of: date | None = None
    pdf: bool = False  # also the HTML page as PDF (needs --out)
    key: bytes | None = None  # the feedback key that opens the sealed feedback files (None: none)
    csv_dialect: str = "fr"  # `document.spreadsheet`: for a French spreadsheet, or `data` for programs


def produce(request: Request) -> Outcome:
    FORMATS.refuse_without_folder(request.fmt, request.out)
    pdf_mod.refuse_early(request)  # before anything is read
    registry = Pipeline(request.root, key=request.key).registry(request.as_of, years=effects.years_read(request.year))
    refusal = registry.unknown_region(request.region)
    if refusal is not None:
        raise UsageError(refusal)
    impact = effects.build(registry, request.year, request.region)
    notices = (UNREAD,) if impact.unread else ()
    written: dict[str, str | bytes] = dict(files(impact, request.fmt, request))
    if request.out is None:
        return Outcome(next(iter(written.values())), notices=notices)
    if request.pdf:
        written = pdf_mod.with_pdf(written, stem(impact), lambda: files(impact, "html", request)[f"{stem(impact)}.html"])
    return Outcome(written=write_files(request.out, written), notices=notices)
