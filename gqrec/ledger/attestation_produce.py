"""The library side of `gqrec attestation`: the EPP/DPC attestations of a year, one HTML page per
eligible physician (with `pdf`, its PDF too) and, for everyone, all the pages in one HTML file to print
at once; the physicians below the threshold are named with the reason."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Callable, Iterable

from ..errors import UsageError
from ..french import counted
from ..fsio import write_files
from ..product import Outcome, quiet
from ..document import letterhead, pdf as pdf_mod
from . import attestation, attestation_html, attestation_pdf
from .figures import build as build_ledger
from .produce import check_folder, year_registry


@dataclass(frozen=True)
class Request:
    root: Path
    year: int
    out: Path
    physician: str | None = None  # one physician's attestation…
    everyone: bool = False  # …or those of every physician who reaches the threshold
    region: str | None = None
    issued: date | None = None  # the date printed on the attestations (today when None)
    pdf: bool = False
    key: bytes | None = None  # the feedback key (see `produce.Request`)
    verbose: bool = False  # name every physician without an attestation, however many
    progress: Callable[[Iterable, int, str], Iterable] | None = None  # shows long work (the command line's bar)
    as_of: date | None = None  # the reference date (today when None): a meeting after it is not certified
    jobs: int | None = None  # worker processes drawing the PDFs (`workers.workers`: one per core by default)


SUMMARISED_FROM = 6  # more physicians without an attestation than this: one line says how many


def produce(request: Request) -> Outcome:
    if (request.physician is None) == (not request.everyone):
        raise UsageError("Indiquez soit --physician RPPS, soit --all.")
    check_folder(request.out, request.root, "des attestations nominatives")
    if request.pdf:
        pdf_mod.reportlab()  # refused before anything is read or written when it is not installed
    year, region, physician, out = request.year, request.region, request.physician, request.out
    registry = year_registry(request.root, year, request.key, request.as_of)
    issued = request.issued or date.today()
    found = attestation.build(registry, build_ledger(registry, year, region), physician, issued)
    attestation.refuse_issued_before(found, issued)
    notices = [f"pas d'attestation pour {i.name or i.physician} (RPPS {i.physician}) : {i.reason}."
               for i in found.ineligible]
    if physician is not None and not found.pages:
        raise attestation.NoAttestation(notices[0][0].upper() + notices[0][1:])
    if len(notices) >= SUMMARISED_FROM and not request.verbose:
        notices = [f"{counted(len(notices), 'médecin', 'médecins')} sans attestation (sous le seuil de la charte, "
                   "attestation_min_meetings) : --verbose les nomme avec le motif."]
    logos, unprintable = letterhead.logos(request.root, {a.region_id: a.letterhead for a in found.pages})
    notices += unprintable
    found = replace(found, logos=logos)
    names = [f"attestation-{year}-{a.physician}" for a in found.pages]
    progress = request.progress or quiet
    written = tuple(write_files(out, {f"{name}.html": attestation_html.render(found, a)}, private=True)[0]  # 0600
                    for name, a in progress(zip(names, found.pages), len(names), "Attestations HTML"))
    together = f"attestations-{year}" + (f"-{region}" if region else "")
    if physician is None and found.pages:
        written += write_files(out, {f"{together}.html": attestation_html.render(found)}, private=True)
    if request.pdf:  # drawn and written a batch at a time, in worker processes (`attestation_pdf`)
        made = attestation_pdf.write(found, names, out, request.jobs)
        written += tuple(progress(made, len(names), "Attestations PDF"))
    return Outcome(written=written, notices=tuple(notices))
