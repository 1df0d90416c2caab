"""The EPP/DPC attestations of participation (REPORTS.md): for each physician whose ledger line reaches
the charter's `attestation_min_meetings`, the association, the physician, the groups, each meeting
attended or animated (date, theme, duration), the total hours and the coordinator as signatory. Those
under the threshold get no attestation and are named with the reason. Pure: the ledger and the Registry
in, pages and reasons out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Mapping

from .. import ids
from ..errors import RecordsError, UsageError
from ..french import counted
from ..registry import Registry
from ..indemnities import Session
from .figures import Ledger, PhysicianLine, RegionLedger
from .tables import role


@dataclass(frozen=True)
class Line:
    day: date
    group: str  # the group's name
    theme: str  # the theme's title, or what a feedback meeting was
    minutes: int
    role: str


@dataclass(frozen=True)
class Attestation:
    year: int
    region: str
    association: str
    physician: str
    name: str
    groups: tuple[str, ...]  # names
    lines: tuple[Line, ...]
    minutes: int
    signatory: str | None  # who signs: the letterhead's signatory, else the coordinator (None: no file)
    issued: date
    region_id: str = ""
    signatory_title: str = "le médecin coordonnateur"
    letterhead: Mapping[str, Any] = field(default_factory=dict)  # region.yaml's letterhead (address, ODPC…)
    dpc_action: str | None = None  # the year's programme's DPC action number


@dataclass(frozen=True)
class Ineligible:
    region: str
    physician: str
    name: str | None
    reason: str


@dataclass(frozen=True)
class Attestations:
    year: int
    region: str | None
    pages: tuple[Attestation, ...]
    ineligible: tuple[Ineligible, ...]
    logos: Mapping[str, str] = field(default_factory=dict)  # region id -> the letterhead's logo as a data URI


class UnknownPhysician(UsageError):
    pass


class NoAttestation(RecordsError):
    pass


def theme_of(registry: Registry, session: Session) -> str:
    meeting = session.meeting
    if meeting.type == "feedback":
        return f"Réunion de restitution du retour d'information ({meeting.period})"
    theme = registry.themes.get(meeting.theme or "")
    return theme.title if theme else (meeting.theme or "")


def attestation(registry: Registry, ledger: Ledger, region: RegionLedger, line: PhysicianLine, issued: date) -> Attestation:
    record = registry.regions.get(region.region)
    coordinator = registry.physician(region.region, record.coordinator) if record else None

    def group_name(group_id: str) -> str:
        group = registry.groups.get((region.region, group_id))
        return group.name if group else group_id

    lines = tuple(
        Line(s.meeting.date, group_name(s.group), theme_of(registry, s), s.meeting.duration_minutes, role(s))
        for s in sorted(line.sessions, key=lambda s: (s.meeting.date, s.group))
    )
    letterhead = record.letterhead if record else {}
    signs = letterhead.get("signatory")
    programme = registry.programme(region.region, ledger.year)
    return Attestation(
        year=ledger.year, region=region.name, association=record.association["name"] if record else region.name,
        physician=line.physician, name=line.name or line.physician, groups=tuple(group_name(g) for g in line.groups),
        lines=lines, minutes=line.minutes, issued=issued, region_id=region.region,
        signatory=signs["name"] if signs else (coordinator.name if coordinator else None),
        signatory_title=signs["title"] if signs else "le médecin coordonnateur",
        letterhead=letterhead, dpc_action=programme.dpc_action if programme else None,
    )


def under_threshold(region: RegionLedger, line: PhysicianLine, year: int) -> Ineligible:
    return Ineligible(
        region.region, line.physician, line.name,
        f"{counted(line.meetings, 'réunion suivie ou animée', 'réunions suivies ou animées')} "
        f"en {year}, sous le seuil de {region.threshold} de la charte "
        "(attestation_min_meetings)",
    )


class IssuedTooEarly(UsageError):
    """An attestation dated before a meeting it certifies (exit status 2)."""


def refuse_issued_before(found: Attestations, issued: date) -> None:
    """Refuse to certify, on `issued`, a meeting held after it: the last meeting listed must come first."""
    last = max((line.day for page in found.pages for line in page.lines), default=None)
    if last is not None and issued < last:
        raise IssuedTooEarly(
            f"Date d'émission antérieure à une réunion attestée : --issued {issued.isoformat()}, mais les "
            f"attestations listent une réunion du {last.isoformat()}. Datez-les au plus tôt de ce jour, ou "
            f"donnez --as-of {issued.isoformat()} pour n'attester que les réunions tenues à cette date."
        )


def build(registry: Registry, ledger: Ledger, physician: str | None, issued: date) -> Attestations:
    """The attestations of every physician of the ledger (`physician` None) or of one RPPS."""
    if physician is not None:
        return _one(registry, ledger, physician, issued)
    pages, ineligible = [], []
    for region in ledger.regions:
        for line in region.physicians:
            if line.attestation:
                pages.append(attestation(registry, ledger, region, line, issued))
            else:
                ineligible.append(under_threshold(region, line, ledger.year))
    return Attestations(ledger.year, ledger.region, tuple(pages), tuple(ineligible))


def _one(registry: Registry, ledger: Ledger, rpps: str, issued: date) -> Attestations:
    if not (ids.rpps_form_ok(rpps) and ids.luhn_ok(rpps)):
        raise UnknownPhysician(f"RPPS invalide : « {rpps} » (11 chiffres dont le dernier est la clé de Luhn).")
    for region in ledger.regions:
        for line in region.physicians:
            if line.physician == rpps:
                if line.attestation:
                    return Attestations(ledger.year, ledger.region, (attestation(registry, ledger, region, line, issued),), ())
                return Attestations(ledger.year, ledger.region, (), (under_threshold(region, line, ledger.year),))
    for region in ledger.regions:
        known = registry.physician(region.region, rpps)
        if known is not None:
            reason = f"aucune présence ni animation enregistrée en {ledger.year}"
            return Attestations(ledger.year, ledger.region, (), (Ineligible(region.region, rpps, known.name, reason),))
    scope = f"la région {ledger.region}" if ledger.region else "les registres"
    raise UnknownPhysician(f"RPPS inconnu : {rpps} n'a pas de fiche dans {scope} (physicians/{rpps}.yaml).")
