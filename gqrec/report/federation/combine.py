"""`gqrec report --from-bundles`: the national bilan from the regions' bundles alone (FEDERATION.md).

Each bundle is read once and refused (exit 2, a French sentence naming the file) when it cannot be
trusted: not a bundle of this format, of another year, a digest that does not match its content (edited
after writing), a missing or bad signature when allowed signers are given, a region already given by
another bundle, or region objects that do not agree with the bilan they carry. The regions' reports are
then assembled by `report.figures.assemble`, the same function that totals a whole tree's bilan, so the
national total is pooled from the same counts in both cases; the bilan is rendered by the renderers of
`gqrec report`, in every format, with a provenance table.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ... import rules
from ...errors import UsageError
from ...fsio import ReadError, read_small_file
from ...product import Outcome
from .. import json_ as report_json
from ..figures import Bilan, RegionReport, assemble
from . import FORMAT, codec, signing
from .bundle import digest

MAX_BUNDLE_BYTES = 256 << 20  # a national archive's bundle is a few MiB


class BundleError(UsageError):
    """A bundle refused, the file named."""


@dataclass(frozen=True)
class Source:
    """One region's row of the provenance table: which bundle gave it, from which commit, signed by whom."""

    region: str
    name: str
    association: str | None
    bundle: str  # the file name
    repository: str | None
    commit: str | None
    committed: date | None
    dirty: bool | None
    gqrec: str | None
    library: str | None  # the library revision pulled (library.lock), None when unknown
    signed_by: str | None  # the allowed signer's identity, None when signatures were not asked for


@dataclass(frozen=True)
class _Read:
    path: Path
    as_of: date
    reports: tuple[RegionReport, ...]
    sources: tuple[Source, ...]
    library: str | None
    federation: str | None  # the name of the federation the region belongs to (federation.yaml)


def read(path: Path, year: int, allowed_signers: Path | None) -> _Read:
    """One bundle, checked: its regions' reports and their provenance rows."""
    path = Path(path)
    try:
        raw = read_small_file(path, MAX_BUNDLE_BYTES, "Le paquet")
    except ReadError as error:
        raise BundleError(str(error)) from None
    try:
        bundle = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BundleError(f"{path} : ce n'est pas un paquet gqrec (JSON illisible : {error}).") from None
    if not isinstance(bundle, dict) or bundle.get("format") != FORMAT:
        found = bundle.get("format") if isinstance(bundle, dict) else None
        raise BundleError(f"{path} : format « {found} » au lieu de « {FORMAT} » : ce n'est pas un paquet de "
                          f"cette version de gqrec.")
    if bundle.get("year") != year:
        raise BundleError(f"{path} : paquet de l'année {bundle.get('year')}, le bilan demandé est celui de {year}.")
    if bundle.get("digest") != digest(bundle):
        raise BundleError(f"{path} : l'empreinte (digest) ne correspond pas au contenu : le paquet a été modifié "
                          f"après son écriture. Demandez à la région de le refaire avec gqrec bundle.")
    signed_by = signing.signer(path, raw, allowed_signers) if allowed_signers is not None else None
    try:
        as_of = codec.decode(date, bundle.get("as_of"), "as_of")
        origin = bundle.get("provenance")
        if not isinstance(origin, dict) or not isinstance(bundle.get("regions"), list):
            raise codec.Malformed("provenance ou regions manquant")
        reports = tuple(_report(obj, i) for i, obj in enumerate(bundle["regions"]))
        library = origin.get("library")
        revision = library.get("revision") if isinstance(library, dict) else None
        committed = codec.decode(date | None, origin.get("committed"), "provenance.committed")
    except codec.Malformed as error:
        raise BundleError(f"{path} : paquet mal formé ({error}).") from None
    sources = tuple(Source(r.id, r.name, r.masthead.association if r.masthead else None, path.name, _text(origin.get("repository")),
                           _text(origin.get("commit")), committed, origin.get("dirty") if isinstance(origin.get("dirty"), bool) else None,
                           _text(origin.get("gqrec")), _text(revision), signed_by)
                    for r in reports)
    return _Read(path, as_of, reports, sources, _text(revision), _text(bundle.get("federation")))


def _text(value) -> str | None:
    return value if isinstance(value, str) else None


def _report(obj, index: int) -> RegionReport:
    """A region's report from its bundle object, which must agree with the bilan object it carries."""
    where = f"regions[{index}]"
    if not isinstance(obj, dict) or not isinstance(obj.get("report"), dict):
        raise codec.Malformed(f"{where} : objet de région attendu")
    report = codec.decode(RegionReport, {**obj["report"], "figures": obj.get("counts")}, where)
    shown = {k: v for k, v in obj.items() if k not in ("counts", "report")}
    if report_json.region(report) != shown:
        raise codec.Malformed(f"{where} : les chiffres de la région ne s'accordent pas avec ses comptes")
    return report


def combine(year: int, paths: tuple[Path, ...], allowed_signers: Path | None = None) -> tuple[Bilan, tuple[str, ...]]:
    """The national bilan of the bundles, and the notices to give with it (different library revisions)."""
    if not paths:
        raise UsageError("--from-bundles : indiquez au moins un paquet (fichier .json écrit par gqrec bundle).")
    if allowed_signers is not None and not Path(allowed_signers).is_file():
        raise UsageError(f"--allowed-signers : fichier introuvable : {allowed_signers}")
    given: dict[str, Path] = {}
    bundles = []
    for path in paths:
        bundle = read(path, year, allowed_signers)
        for report in bundle.reports:
            if report.id in given:
                raise BundleError(f"{path} : la région {report.id} est déjà donnée par {given[report.id]} : une "
                                  f"région n'entre qu'une fois dans le bilan national.")
            given[report.id] = Path(path)
        bundles.append(bundle)
    reports = sorted((r for b in bundles for r in b.reports), key=lambda r: r.id)
    sources = tuple(sorted((s for b in bundles for s in b.sources), key=lambda s: s.region))
    federation = next((b.federation for b in bundles if b.federation), None)
    bilan = assemble(year, max(b.as_of for b in bundles), None, reports, rules.titles(), federation=federation,
                     sources=sources)
    return bilan, _library_notices(bundles)


def _library_notices(bundles) -> tuple[str, ...]:
    revisions = {b.library for b in bundles}
    if len(revisions) < 2:
        return ()
    named = " ; ".join(f"{b.path.name} : {b.library or 'inconnue'}" for b in bundles)
    return (f"les paquets viennent de révisions différentes de la bibliothèque nationale ({named}) : les thèmes "
            f"et indicateurs peuvent différer d'une région à l'autre.",)


def produce(request) -> Outcome:
    """The national bilan of a `report.produce.Request` that gives bundles, printed or written in its format."""
    for given, option in ((request.region, "--region"), (request.at_rev, "--at")):
        if given is not None:
            raise UsageError(f"{option} ne s'emploie pas avec --from-bundles : les paquets sont déjà faits.")
    from ..produce import deliver

    bilan, notices = combine(request.year, request.bundles, request.allowed_signers)
    return deliver(bilan, request, notices)


__all__ = ["BundleError", "Source", "combine", "produce", "read"]
