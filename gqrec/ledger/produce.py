"""The library side of `gqrec ledger`, `gqrec attestation` and `gqrec sheet`: refuse first (before
reading any record) to write a document naming physicians under reports/ or inside the records root,
read only the year's dated records, build, render, and write each file atomically."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..fsio import make_folder, write_atomic
from ..pipeline import Pipeline
from ..errors import UsageError
from ..personal import refusal
from . import attestation as attestation_mod
from . import attestation_html, pdf as pdf_mod, sheet as sheet_mod, sheet_html
from .formats import files as ledger_files
from .figures import build as build_ledger


class Refusal(UsageError):
    """A place gqrec will not write personal data to (exit status 2)."""


@dataclass(frozen=True)
class Outcome:
    document: str | None = None  # the text to print when no folder was given
    written: tuple[Path, ...] = ()
    notices: tuple[str, ...] = ()


def check_folder(out: Path | None, root: Path, what: str) -> None:
    if out is None:
        return
    reason = refusal(out, root, what)
    if reason:
        raise Refusal(reason)
    if Path(out).exists() and not Path(out).is_dir():
        raise Refusal(f"--out doit désigner un dossier : {out} est un fichier.")


def write(out: Path, texts: dict[str, str | bytes]) -> tuple[Path, ...]:
    make_folder(out)
    written = []
    for name, text in texts.items():
        write_atomic(out / name, text, private=True)  # names physicians: 0600
        written.append(out / name)
    return tuple(written)


def _registry(root: Path, year: int, as_of: date | None = None):
    """As `report --year` reads: only the dated records (meetings, contracts, programmes) of the year."""
    return Pipeline(root).registry(as_of, years=frozenset((year,)))


def ledger(root: Path, year: int, region: str | None, fmt: str, out: Path | None) -> Outcome:
    check_folder(out, root, "le registre des présences et indemnités, nominatif,")
    texts = ledger_files(build_ledger(_registry(root, year), year, region), fmt)
    if out is None:
        return Outcome(next(iter(texts.values())))
    return Outcome(written=write(out, texts))


def attestations(root: Path, year: int, physician: str | None, region: str | None, out: Path,
                 issued: date | None = None, pdf: bool = False) -> Outcome:
    """One HTML page per eligible physician (with `pdf`, its PDF too), and for everyone (`physician`
    None) all the pages in one HTML file to print at once; the others named with the reason."""
    check_folder(out, root, "des attestations nominatives")
    if pdf:
        pdf_mod.weasyprint()  # refused before anything is read or written when the system cannot draw
    registry = _registry(root, year)
    found = attestation_mod.build(registry, build_ledger(registry, year, region), physician,
                                  issued or date.today())
    notices = [f"pas d'attestation pour {i.name or i.physician} (RPPS {i.physician}) : {i.reason}."
               for i in found.ineligible]
    if physician is not None and not found.pages:
        raise attestation_mod.NoAttestation(notices[0][0].upper() + notices[0][1:])
    names = [f"attestation-{year}-{a.physician}" for a in found.pages]
    files = {f"{name}.html": attestation_html.render(found, a)
             for name, a in zip(names, found.pages)}
    together = f"attestations-{year}" + (f"-{region}" if region else "")
    if physician is None and found.pages:
        files[f"{together}.html"] = attestation_html.render(found)
    written = write(out, files)
    if pdf:  # written one by one: a region's PDFs are never all in memory
        written += tuple(write(out, {f"{name}.pdf": data})[0]
                         for name, data in zip(names, pdf_mod.documents(files[f"{name}.html"] for name in names)))
    return Outcome(written=written, notices=tuple(notices))


def sheet(root: Path, region: str, group: str, day: date, theme: str | None, out: Path | None) -> Outcome:
    check_folder(out, root, "une feuille d'émargement nominative")
    found = sheet_mod.build(_registry(root, day.year), region, group, day, theme)
    text = sheet_html.render(found)
    notices = tuple(found.notices)
    if out is None:
        return Outcome(text, notices=notices)
    return Outcome(written=write(out, {f"emargement-{region}-{group}-{day.isoformat()}.html": text}), notices=notices)
