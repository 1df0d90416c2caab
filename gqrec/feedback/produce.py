"""The library side of `gqrec feedback`: the refusals that protect anonymity, the key, the profiles,
the renderer, and where the files go. The click command only passes its options here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable, Iterable

from ..check import refuse_unopened
from ..pipeline import Pipeline
from ..errors import UsageError
from ..fsio import write_files
from ..product import Outcome, quiet
from ..ids import PERIOD
from .. import personal
from . import FORMATS
from ..member_codes import KEY_ENV, codes
from ..document import pdf as pdf_mod
from .profiles import Profile, Scope, build, needing_attention


class Refusal(UsageError):
    """Something gqrec will not do, for the physicians' sake: a usage error with a French message."""


@dataclass(frozen=True)
class Request:
    root: Path
    period: str
    region: str | None = None
    group: str | None = None
    physician: str | None = None
    fmt: str = "md"
    out: Path | None = None
    lang: str = "fr"
    key: bytes | None = None  # the feedback key: it codes the members and opens the sealed rows
    csv_dialect: str = "fr"  # `document.spreadsheet`: for a French spreadsheet, or `data` for programs
    as_of: date | None = None  # the reference date (today when None): a period not over by then is provisional
    attention: bool = False  # only the indicators that need attention (`profiles.needing_attention`)
    pdf: bool = False  # also each profile's printable page as PDF (needs `out`)
    progress: Callable[[Iterable, int, str], Iterable] | None = None  # shows long work (the command line's bar)


def produce(request: Request) -> Outcome:
    """Refuse first (before reading any record), then build, render and write the profiles."""
    FORMATS.refuse_without_folder(request.fmt, request.out)
    if request.pdf and request.out is None:
        raise Refusal("--pdf écrit des fichiers : indiquez le dossier avec --out.")
    if request.group is not None and request.physician is not None:
        raise Refusal("--group et --physician s'excluent : un profil est soit celui d'un groupe, soit celui d'un médecin.")
    if request.physician is not None and request.out is not None:
        reason = personal.refusal(request.out, request.root, "un profil individuel, destiné au seul médecin,")
        if reason:
            raise Refusal(reason)
    if request.out is not None and Path(request.out).exists() and not Path(request.out).is_dir():
        raise Refusal(f"--out doit désigner un dossier : {request.out} est un fichier.")
    key = request.key
    if key is None and request.physician is None:
        raise Refusal(
            f"Pas de clé de codage : un profil de groupe montre ses membres sous des codes tirés d'une clé secrète. "
            f"Donnez-la par la variable d'environnement {KEY_ENV} ou par --key-file FICHIER (hors du dépôt des "
            "registres) ; voir docs/feedback.md."
        )
    if request.pdf:
        pdf_mod.weasyprint()  # refused before anything is read when the system cannot draw
    coder = (lambda people: codes(key, people)) if key is not None else None
    scope = Scope(request.region, request.group, request.physician)
    # the key opens the sealed rows; a region's profiles read the national files and that region's alone
    regions = frozenset((request.region,)) if request.region is not None else None
    registry = Pipeline(request.root, key=key).registry(request.as_of, years=_years_read(request.period), regions=regions)
    refuse_unopened(registry.load_findings)
    report = build(registry, request.period, scope, coder)
    if request.attention:
        report = needing_attention(report)
    render = FORMATS[request.fmt].render
    if request.out is None:
        return Outcome(render(report, request), notices=report.notices)
    private = request.physician is not None  # an individual profile is written 0600
    shown = (request.progress or quiet)(report.profiles, len(report.profiles), "Profils")
    written: list[Path] = []
    for profile in shown:  # one by one: a region's PDFs are never all in memory
        alone = type(report)(report.period, (profile,))
        files: dict[str, str | bytes] = {file_name(profile, request.fmt): render(alone, request)}
        if request.pdf:
            html = files.get(file_name(profile, "html")) or FORMATS["html"].render(alone, request)
            files[file_name(profile, "pdf")] = pdf_mod.document(html)
        written += write_files(Path(request.out), files, private=private)
    return Outcome(written=tuple(written), notices=report.notices)


def _years_read(period: str) -> frozenset[int] | None:
    """A profile compares a period with the one before: only their years' dated records are read (no
    meeting or contract is asked), not a fifteen-year archive's."""
    match = PERIOD.fullmatch(period or "")
    return frozenset((int(match["year"]) - 1, int(match["year"]))) if match else None


def file_name(profile: Profile, fmt: str) -> str:
    """profil-2024-S1-armor-lamballe.md for a group, profil-2024-S1-armor-<RPPS>.md for one physician."""
    subject = profile.physician.rpps if profile.physician is not None else profile.group
    return f"profil-{profile.period}-{profile.region}-{subject}.{fmt}"
