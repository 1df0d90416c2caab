"""The library side of `gqrec ledger` (and what the attestations and the attendance sheet share): refuse
first (before reading any record) to write a document naming physicians under reports/ or inside the
records root, read only the year's dated records, build, render, and write each file atomically."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from ..document import letterhead, pdf
from ..errors import UsageError
from ..personal import refusal
from ..pipeline import Pipeline
from ..product import Outcome
from . import FORMATS
from .formats import files as ledger_files, stem
from .figures import build as build_ledger


class Refusal(UsageError):
    """A place gqrec will not write personal data to (exit status 2)."""


@dataclass(frozen=True)
class Request:
    root: Path
    year: int
    region: str | None = None
    fmt: str = "md"
    out: Path | None = None  # the folder to write into; the document is printed without it
    key: bytes | None = None  # the feedback key: no feedback row is read, but the check's cache is shared
    csv_dialect: str = "fr"  # `document.spreadsheet`: for a French spreadsheet, or `data` for programs
    as_of: date | None = None  # the reference date (today when None): a meeting after it is not paid
    pdf: bool = False  # also the printable page as PDF (needs --out)


def check_folder(out: Path | None, root: Path, what: str) -> None:
    if out is None:
        return
    reason = refusal(out, root, what)
    if reason:
        raise Refusal(reason)
    if Path(out).exists() and not Path(out).is_dir():
        raise Refusal(f"--out doit désigner un dossier : {out} est un fichier.")


def year_registry(root: Path, year: int, key: bytes | None, as_of: date | None = None):
    """As `report --year` reads: only the dated records (meetings, contracts, programmes) of the year,
    under the command's feedback key (so through the same cache as the check)."""
    return Pipeline(root, key=key).registry(as_of, years=frozenset((year,)))


def produce(request: Request) -> Outcome:
    """The ledger of a year, printed or written (one file, or one file per table)."""
    from ..fsio import write_files

    FORMATS.refuse_without_folder(request.fmt, request.out)
    check_folder(request.out, request.root, "le registre des présences et indemnités, nominatif,")
    pdf.refuse_early(request)
    ledger = build_ledger(year_registry(request.root, request.year, request.key, request.as_of), request.year,
                          request.region)
    logos, unprintable = letterhead.logos(request.root, {r.region: r.letterhead for r in ledger.regions})
    ledger = replace(ledger, logos=logos)
    texts = ledger_files(ledger, request.fmt, request)
    if request.out is None:
        return Outcome(next(iter(texts.values())), notices=tuple(unprintable))
    if request.pdf:
        texts = pdf.with_pdf(texts, stem(ledger), lambda: ledger_files(ledger, "html", request)[f"{stem(ledger)}.html"])
    return Outcome(written=write_files(request.out, texts, private=True),  # names physicians: 0600
                   notices=tuple(unprintable))
