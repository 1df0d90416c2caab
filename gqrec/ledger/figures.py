"""The attendance ledger of REPORTS.md (valorisation): who attended or animated which meeting of a year,
what is payable, and who reaches the attestation threshold — computed once from the Registry.

Pure: a Registry, a year and an optional region in, frozen dataclasses out; every format (md, csv,
json, html) and the attestations read these and nothing else. What is payable and for how much is
`indemnities`' computation, the one the bilan totals. Unlike the bilan, this names physicians and their
amounts: for the treasurer only.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Iterable, Mapping, Sequence

from ..errors import RecordsError, UsageError
from ..indemnities import (RATE_KEYS, Rates, Session, cap_of, group_years, payable, rates_of, sessions_by_physician,
                           total_amount)
from ..registry import Registry

KEYS = (*RATE_KEYS, "attestation_min_meetings")  # the charter keys read here


@dataclass(frozen=True)
class PhysicianLine:
    physician: str
    name: str | None  # None: the RPPS has no physician file in the region (a GQ004 of the check)
    groups: tuple[str, ...]
    attended: int
    animated: int
    absent: int
    minutes: int  # each meeting attended or animated counted once
    unpaid: int
    amount: Decimal | None
    attestation: bool
    sessions: tuple[Session, ...]

    @property
    def hours(self) -> float:
        return self.minutes / 60

    @property
    def meetings(self) -> int:
        """Attendances plus animations: what the attestation threshold counts (REPORTS.md)."""
        return self.attended + self.animated


@dataclass(frozen=True)
class GroupLine:
    group: str
    name: str
    attended: int
    animated: int
    amount: Decimal | None


@dataclass(frozen=True)
class Total:
    attended: int
    animated: int
    minutes: int  # the physicians' hours summed: hours of attendance, not of meetings
    amount: Decimal | None
    attestations: int

    @property
    def hours(self) -> float:
        return self.minutes / 60


@dataclass(frozen=True)
class RegionLedger:
    region: str
    name: str
    rates: Rates
    threshold: int  # attestation_min_meetings in force in the region
    physicians: tuple[PhysicianLine, ...]
    groups: tuple[GroupLine, ...]
    total: Total
    meetings: int  # meetings of the year in the region
    association: str = ""  # region.yaml's association, under whose letterhead the ledger prints
    letterhead: Mapping[str, Any] = field(default_factory=dict)

    def group_name(self, group: str) -> str:
        return next((g.name for g in self.groups if g.group == group), group)

    @property
    def unpaid(self) -> tuple[tuple[PhysicianLine, Session], ...]:
        """Each unpaid meeting of each physician, with its reason: what the treasurer must look into."""
        return tuple((p, s) for p in self.physicians for s in p.sessions if not s.paid)


@dataclass(frozen=True)
class Ledger:
    year: int
    region: str | None  # the region asked for, None for every region
    regions: tuple[RegionLedger, ...]
    logos: Mapping[str, str] = field(default_factory=dict)  # region id -> its letterhead's logo (data URI)


class UnknownRegion(UsageError):
    pass


class NoMeetings(RecordsError):
    pass


class CharterInDoubt(RecordsError):
    """A rate or the threshold is written invalidly: no euro is computed from a value nobody chose."""


def region_ledger(registry: Registry, region: str, year: int) -> RegionLedger:
    rates = rates_of(registry, region)
    threshold = registry.charter(region)["attestation_min_meetings"]
    years = list(group_years(registry, region, year))
    sessions = sessions_by_physician(years, cap_of(registry, region))
    absences = Counter(rpps for group_year in years for rpps in group_year.absent)
    groups = tuple(
        GroupLine(y.group.id, y.group.name, sum(s.attended for _, s in y.sessions), len(y.meetings),
                  payable((s for own in sessions.values() for s in own if s.group == y.group.id), rates))
        for y in years
    )
    lines = tuple(
        physician_line(registry, region, rpps, tuple(sessions[rpps]), absences[rpps], rates, threshold)
        for rpps in sorted(sessions)
    )
    record = registry.regions.get(region)
    return RegionLedger(region, record.name if record else region, rates, threshold, lines, groups,
                        total(lines, rates), sum(len(y.meetings) for y in years),
                        record.association["name"] if record else region, record.letterhead if record else {})


def physician_line(registry: Registry, region: str, rpps: str, sessions: tuple[Session, ...], absent: int,
                   rates: Rates, threshold: int) -> PhysicianLine:
    physician = registry.physician(region, rpps)
    attended = sum(s.attended for s in sessions)
    animated = sum(s.animated for s in sessions)
    return PhysicianLine(
        physician=rpps,
        name=physician.name if physician else None,
        groups=tuple(sorted({s.group for s in sessions})),
        attended=attended,
        animated=animated,
        absent=absent,
        minutes=sum(s.meeting.duration_minutes for s in sessions),  # one Session per meeting: counted once
        unpaid=sum(not s.paid for s in sessions),
        amount=payable(sessions, rates),
        attestation=attended + animated >= threshold,
        sessions=sessions,
    )


def total(lines: Sequence[PhysicianLine], rates: Rates) -> Total:
    return Total(
        attended=sum(line.attended for line in lines),
        animated=sum(line.animated for line in lines),
        minutes=sum(line.minutes for line in lines),
        amount=total_amount((line.amount for line in lines), rates),
        attestations=sum(line.attestation for line in lines),
    )


def build(registry: Registry, year: int, region: str | None = None) -> Ledger:
    """The ledger of a year for one region or every region; a year without any meeting is refused
    (`NoMeetings`) rather than given as an empty table a treasurer could take for « nothing to pay »."""
    refusal = registry.unknown_region(region)
    if refusal is not None:
        raise UnknownRegion(refusal)
    region_ids: Iterable[str] = (region,) if region else registry.region_ids
    for r in region_ids:
        doubtful = sorted(set(KEYS) - {key for key in KEYS if registry.charter(r).known((key,))})
        if doubtful:
            raise CharterInDoubt(
                f"Dans la charte en vigueur pour la région {r} (federation.yaml ou region.yaml), "
                f"{', '.join(doubtful)} {'est écrit' if len(doubtful) == 1 else 'sont écrits'} de façon invalide (voir gqrec "
                "check, GQ002) : corrigez d'abord ; aucun montant ni attestation n'est établi sur une valeur que "
                "le coordonnateur n'a pas choisie."
            )
    regions = tuple(region_ledger(registry, r, year) for r in region_ids)
    if not any(r.meetings for r in regions):
        scope = f"dans la région {region}" if region else "dans les registres"
        raise NoMeetings(f"Aucune réunion en {year} {scope} : pas de registre des présences à établir.")
    return Ledger(year, region, regions)
