"""The library side of `gqrec export`: the refusals, the key, the records (read once, as the other
commands read them), the check's findings, and the writer of the format. The Click command only passes
its options here."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .. import check, gitio, personal
from ..load import unread
from ..pipeline import Pipeline
from ..errors import UsageError
from ..member_codes import KEY_ENV
from ..findings import count_by_severity
from ..french import counted
from ..fsio import WriteError
from ..product import Outcome
from ..registry import Registry
from . import FORMATS
from .pseudonyms import Identity, Pseudonyms
from .rows import Slice, all_rows, findings_in


# SQLite's own words for the system's refusals, said in French like every other refusal (`fsio.why`).
SQLITE_REASONS = {
    "database or disk is full": "disque plein",
    "disk I/O error": "erreur d'entrée-sortie",
    "unable to open database file": "fichier de base impossible à ouvrir",
    "attempt to write a readonly database": "système de fichiers en lecture seule",
}


class ExportError(UsageError):
    """An export gqrec will not or cannot write (a usage error), French message."""


@dataclass(frozen=True)
class Request:
    root: Path
    fmt: str
    out: Path
    year: int | None = None
    region: str | None = None
    at: str | None = None
    pseudonymise: bool = False
    key: bytes | None = None  # the feedback key: it opens the sealed feedback files and, with pseudonymise, codes
    as_of: date | None = None
    use_cache: bool = True
    csv_dialect: str = "fr"  # `document.spreadsheet`: for a French spreadsheet, or `data` for programs


def closing(out: Path, rows: dict[str, int], errors: int, warnings: int) -> str:
    """The line `gqrec export` closes with: where, how much (rows per table), and the check's verdict."""
    return (f"Écrit : {out} ({len(rows)} tables, {sum(rows.values())} lignes ; constats : "
            f"{counted(errors, 'erreur', 'erreurs')}, "
            f"{counted(warnings, 'avertissement', 'avertissements')}, table findings).\n")


def produce(request: Request) -> Outcome:
    """Refuse first (before reading any record), then read, judge and write the export.

    The feedback key, when there is one, both opens the sealed feedback files (`sealing`) and, with
    --pseudonymise, codes the physicians."""
    out = Path(request.out)
    _refuse_place(out, Path(request.root), request.fmt)
    key = _key(request)
    if request.at is None:
        return _export(request, Path(request.root), key, request.use_cache, Slice(request.year, request.region))
    try:
        commit, _ = gitio.commit_of(Path(request.root), request.at)
        with gitio.tree_at(Path(request.root), request.at) as past_root:
            chosen = Slice(request.year, request.region, request.at, commit)
            return _export(request, past_root, key, False, chosen)
    except gitio.GitError as error:
        raise ExportError(f"--at : {error}") from None


def _refuse_place(out: Path, root: Path, fmt: str) -> None:
    """An export holds physicians' personal data (names, RPPS, prescribing figures): never under the
    records root nor in a `reports` folder, which are committed (`personal`, as every such document)."""
    reason = personal.refusal(out, root, "un export (données personnelles des médecins)")
    if reason is not None:
        raise ExportError(reason)
    if fmt == "sqlite" and out.is_dir():
        raise ExportError(f"--out doit désigner un fichier pour --format sqlite : {out} est un dossier.")
    if fmt == "csv" and out.exists() and not out.is_dir():
        raise ExportError(f"--out doit désigner un dossier pour --format csv : {out} est un fichier.")


def _key(request: Request) -> bytes | None:
    """The feedback key, required by --pseudonymise."""
    key = request.key
    if key is None and request.pseudonymise:
        raise ExportError(
            "Pas de clé de codage : --pseudonymise remplace chaque RPPS par le code que lui donne la clé des "
            f"profils de retour d'information. Donnez-la par la variable d'environnement {KEY_ENV} ou par "
            "--key-file FICHIER (hors du dépôt des registres) ; voir docs/export.md."
        )
    return key


def identity(registry: Registry, key: bytes | None) -> Identity:
    """Physicians as written, or under the key's codes (computed once over every RPPS the records name)."""
    if key is None:
        return Identity()
    named = {rpps for _, rpps in registry.physicians}
    for group in registry.groups.values():
        named.update(t.physician for t in (*group.animators, *group.members))
    for meetings in registry.meetings.values():
        for m in meetings:
            named.update((m.animator, *m.present, *m.absent))
    named.update(rpps for _, _, rpps in registry.contracts)
    named.update(region.coordinator for region in registry.regions.values())
    for data in registry.feedback.values():
        named.update(data.physicians)
    return Pseudonyms(key, named)


def _export(request: Request, root: Path, key: bytes | None, use_cache: bool, chosen: Slice) -> Outcome:
    years = None if request.year is None else frozenset((request.year,))
    as_of = request.as_of or date.today()
    # The check and the registry from one listing of the tree (the check first: cold, its workers fill
    # the file cache that the registry is then read from).
    checked, registry = check.run_and_read(Pipeline(root, key=key, use_cache=use_cache), as_of, years)
    found = checked.findings
    refusal = registry.unknown_region(request.region)
    if refusal is not None:
        raise ExportError(refusal)
    kept = findings_in(registry, found, chosen)
    rows = all_rows(registry, kept, chosen, identity(registry, key if request.pseudonymise else None))
    try:
        counts = FORMATS[request.fmt].render(rows, request)
    except WriteError as error:  # the system's refusal (disk full…), not a bug
        raise ExportError(str(error)) from None
    except sqlite3.OperationalError as error:  # the same, as SQLite says it
        reason = SQLITE_REASONS.get(str(error), f"SQLite dit « {error} »")
        raise ExportError(f"Impossible d'écrire {request.out} : {reason} ; le fichier précédent est intact.") from None
    severities = count_by_severity([f for f, _ in kept])
    return Outcome(notices=_notices(found),
                   closing=closing(Path(request.out), counts, severities["errors"], severities["warnings"]))


def _notices(found) -> tuple[str, ...]:
    if any(map(unread, found)):
        return (f"des fichiers de retour chiffrés n'ont pas été lus faute de clé ({KEY_ENV} ou --key-file) : "
                "la table feedback ne contient pas leurs lignes (constat GQ120 dans la table findings).",)
    return ()
