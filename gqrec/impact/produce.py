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
from ..fsio import make_folder, write_atomic
from ..pipeline import Pipeline
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


@dataclass(frozen=True)
class Outcome:
    document: str | None  # the rendered report when no --out was given
    written: tuple[Path, ...] = ()
    notices: tuple[str, ...] = ()


def produce(request: Request) -> Outcome:
    if FORMATS[request.fmt].many and request.out is None:
        raise UsageError(f"--format {request.fmt} écrit un fichier par tableau : indiquez le dossier avec --out.")
    if request.pdf and request.out is None:
        raise UsageError("--pdf écrit un fichier : indiquez le dossier avec --out.")
    if request.pdf:
        pdf_mod.weasyprint()  # refused before anything is read when the system cannot draw
    registry = Pipeline(request.root).registry(request.as_of, years=effects.years_read(request.year))
    if request.region is not None and request.region not in registry.region_ids:
        known = ", ".join(registry.region_ids) or "aucune"
        raise UsageError(f"Région inconnue : {request.region} (régions des registres : {known}).")
    impact = effects.build(registry, request.year, request.region)
    notices = (UNREAD,) if impact.unread else ()
    written = files(impact, request.fmt, request.lang)
    if request.out is None:
        return Outcome(next(iter(written.values())), (), notices)
    make_folder(request.out)
    if request.pdf:
        html = written.get(f"{stem(impact)}.html") or files(impact, "html", request.lang)[f"{stem(impact)}.html"]
        written[f"{stem(impact)}.pdf"] = next(pdf_mod.documents([html]))
    for name, content in written.items():
        write_atomic(request.out / name, content)
    return Outcome(None, tuple(request.out / name for name in written), notices)
