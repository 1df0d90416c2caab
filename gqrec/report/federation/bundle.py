"""`gqrec bundle`: a region's aggregates for the nation, as one JSON document (FEDERATION.md).

A bundle holds, for each region of the records (or the one asked): the bilan's region object as
`gqrec report --format json` gives it, with `counts` (every count the national total pools: minutes,
attendances, absences, covered members and territories' GPs, findings, indemnities…) and `report` (the
rest of the region's bilan — groups, settings, waves, themes, rules, indicators with the numerator and
denominator sums of each rate shown, effects, idées forces, actions — from which every format of the
national bilan is rendered); then the impact report's rows, the findings counted per rule, the
provenance, and `digest`, the SHA-256 of the canonical JSON of all the rest.

It holds nothing the region's committed bilan does not already publish, plus those sums: no RPPS, no
name of a physician, no individual figure; a rate on fewer than 10 patients, or on fewer participants
than `feedback_min_members`, is absent with its sums (`report.figures.indicator_series`); every figure of
an impact row under five physicians is null (`effects`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ...effects import region_json
from ...errors import UsageError
from ...fsio import write_atomic
from ...product import Outcome
from .. import json_ as report_json
from ..figures import Bilan, RegionReport
from . import FORMAT, codec, provenance, signing

WRITTEN = "Paquet écrit : "


@dataclass(frozen=True)
class Request:
    root: Path
    year: int
    out: Path
    region: str | None = None
    as_of: date | None = None
    key: bytes | None = None  # the feedback key that opens the sealed feedback files
    sign: Path | None = None  # an SSH private key: the bundle is signed beside it (FILE.json.sig)


def canonical(body: dict) -> bytes:
    """The bytes the digest is taken of: keys sorted, no spaces, UTF-8."""
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def digest(body: dict) -> str:
    """`sha256:…` of the canonical JSON of a bundle without its `digest`."""
    return "sha256:" + hashlib.sha256(canonical({k: v for k, v in body.items() if k != "digest"})).hexdigest()


def region_object(report: RegionReport) -> dict:
    """The bilan's region object, with the counts its total pools and the rest of its bilan; the cover
    keeps the association, its legal form, partners and letterhead, not the names of the coordinator and
    the COPIL's members (people: the nation's bilan names regions and associations)."""
    if report.masthead is not None:
        report = dataclasses.replace(report, masthead=dataclasses.replace(report.masthead, coordinator=None, copil=()))
    rest = {f.name: codec.encode(getattr(report, f.name)) for f in dataclasses.fields(report) if f.name != "figures"}
    return {**report_json.region(report), "counts": codec.encode(report.figures), "report": rest}


def document(bilan: Bilan, origin: dict, federation: str | None = None) -> dict:
    """The bundle of a bilan (of one region or several) and its provenance, digest included; `federation`
    the name of the federation (federation.yaml), for the national bilan's cover."""
    findings: Counter[str] = Counter()
    for region in bilan.regions:
        for count in region.rules:
            findings[count.rule] += count.count
    body = {
        "format": FORMAT,
        "year": bilan.year,
        "as_of": bilan.as_of.isoformat(),
        "federation": federation,
        "regions": [region_object(r) for r in bilan.regions],
        "impact": [region_json(r.effects) for r in bilan.regions if r.effects is not None],
        "findings": dict(sorted(findings.items())),
        "provenance": origin,
    }
    return {**body, "digest": digest(body)}


def text(bundle: dict) -> str:
    """The bundle as written: indented for a reader (the digest does not depend on the layout)."""
    return json.dumps(bundle, ensure_ascii=False, indent=2) + "\n"


UNREAD = ("des fichiers de retour chiffrés n'ont pas été lus faute de clé (GQREC_FEEDBACK_KEY ou --key-file) : un "
          "paquet sans leurs lignes donnerait à la fédération des indicateurs vides. Rien n'est écrit.")


def produce(request: Request) -> Outcome:
    """Read the records, build their bilan, write its bundle (and sign it when a key is given)."""
    from .. import produce as report

    if request.sign is not None and not Path(request.sign).is_file():
        raise UsageError(f"--sign : clé de signature introuvable : {request.sign}")
    bilan, notices = report.read(request.root, request.year, request.region, request.as_of, request.key)
    if report.UNREAD in notices:
        raise UsageError(UNREAD)
    origin = provenance.of(request.root)
    out = Path(request.out)
    write_atomic(out, text(document(bilan, origin, bilan.federation)))
    written = (out,) + ((signing.sign(out, request.sign),) if request.sign is not None else ())
    return Outcome(written=written, notices=notices, written_as=WRITTEN)
