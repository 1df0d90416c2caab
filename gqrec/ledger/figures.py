"""The attendance ledger of REPORTS.md (valorisation): who attended or animated which meeting of a year,
what is payable, and who reaches the attestation threshold — computed once from the Registry.

Pure: a Registry, a year and an optional region in, frozen dataclasses out; every format (md, csv,
json, html), the attestations and the bilan's indemnity totals read these and nothing else. Amounts are
exact decimals (`decimal.Decimal`): a rate written 95.50 is 95.50 €, and 12 sessions make 1 146,00 €,
with no float drift. Unlike the bilan, this names physicians and their amounts: for the treasurer only.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable, Sequence

from .. import i18n
from ..errors import RecordsError, UsageError
from ..records import Group, Meeting
from ..registry import Registry

CENT = Decimal("0.01")


def to_decimal(value: int | float | None) -> Decimal | None:
    """A charter rate as the exact decimal written in the YAML file (95.50 → 95.5, not 95.4999…)."""
    if value is None:
        return None
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def cents(amount: Decimal | None) -> Decimal | None:
    return None if amount is None else amount.quantize(CENT, ROUND_HALF_UP)


def money(amount: Decimal | None) -> float | None:
    """An amount for JSON: the exact decimal rounded to the cent, then a number (1146.0 for 1 146,00 €)."""
    return None if amount is None else float(cents(amount))


@dataclass(frozen=True)
class Rates:
    """Euros per meeting attended and per meeting animated; None where the charter sets no rate."""

    participant: Decimal | None
    animator: Decimal | None

    @property
    def any(self) -> bool:
        return self.participant is not None or self.animator is not None

    def amount(self, paid_attended: int, paid_animated: int) -> Decimal | None:
        """What REPORTS.md pays: payable attendances and animations at their rates (an unset rate pays
        nothing for its role), None when the charter sets neither."""
        if not self.any:
            return None
        return paid_attended * (self.participant or 0) + paid_animated * (self.animator or 0)


KEYS = ("indemnity_participant", "indemnity_animator", "attestation_min_meetings")  # the charter keys read here


def rates_of(registry: Registry, region: str) -> Rates:
    charter = registry.charter(region)
    return Rates(to_decimal(charter["indemnity_participant"]), to_decimal(charter["indemnity_animator"]))


@dataclass(frozen=True)
class Session:
    """One meeting in one physician's year: as a member listed present, as its animator, or both."""

    group: str
    meeting: Meeting
    attended: bool
    animated: bool
    unpaid_reason: str | None  # why it is not payable: no contract of the year signed by that day

    @property
    def paid(self) -> bool:
        return self.unpaid_reason is None


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

    @property
    def unpaid(self) -> tuple[tuple[PhysicianLine, Session], ...]:
        """Each unpaid meeting of each physician, with its reason: what the treasurer must look into."""
        return tuple((p, s) for p in self.physicians for s in p.sessions if not s.paid)


@dataclass(frozen=True)
class Ledger:
    year: int
    region: str | None  # the region asked for, None for every region
    regions: tuple[RegionLedger, ...]


class UnknownRegion(UsageError):
    pass


class NoMeetings(RecordsError):
    pass


class CharterInDoubt(RecordsError):
    """A rate or the threshold is written invalidly: no euro is computed from a value nobody chose."""


def unpaid_reason(signed: date | None, day: date, year: int) -> str | None:
    """Why a meeting is not payable (French, for the treasurer), None when it is."""
    if signed is None:
        return f"aucun contrat {year} valide"
    if signed > day:
        return f"contrat {year} signé le {i18n.day(signed)}, après la réunion"
    return None


def year_meetings(registry: Registry, group: Group, year: int) -> list[Meeting]:
    return [m for m in registry.group_meetings(group) if m.date.year == year]


def region_groups(registry: Registry, region: str) -> list[Group]:
    return [g for (r, _), g in sorted(registry.groups.items()) if r == region]


def region_ledger(registry: Registry, region: str, year: int) -> RegionLedger:
    rates = rates_of(registry, region)
    threshold = registry.charter(region)["attestation_min_meetings"]
    signatures = registry.signatures(region, year)
    sessions: dict[str, list[Session]] = defaultdict(list)
    absences: dict[str, int] = defaultdict(int)
    groups: list[GroupLine] = []
    held = 0
    for group in region_groups(registry, region):
        meetings = year_meetings(registry, group, year)
        if not meetings:
            continue
        held += len(meetings)
        attended = paid_attended = paid_animated = 0
        for meeting in meetings:
            active = group.active_members(meeting.date)
            present = active.intersection(meeting.present)
            for rpps in active.intersection(meeting.absent):
                absences[rpps] += 1
            for rpps in sorted(present | {meeting.animator}):
                reason = unpaid_reason(signatures.get(rpps), meeting.date, year)
                session = Session(group.id, meeting, rpps in present, rpps == meeting.animator, reason)
                sessions[rpps].append(session)
                paid_attended += session.attended and session.paid
                paid_animated += session.animated and session.paid
            attended += len(present)
        groups.append(GroupLine(group.id, group.name, attended, len(meetings), rates.amount(paid_attended, paid_animated)))
    lines = tuple(
        physician_line(registry, region, rpps, tuple(sessions[rpps]), absences[rpps], rates, threshold)
        for rpps in sorted(sessions)
    )
    record = registry.regions.get(region)
    return RegionLedger(region, record.name if record else region, rates, threshold, lines, tuple(groups),
                        total(lines, rates), held)


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
        amount=rates.amount(sum(s.attended and s.paid for s in sessions), sum(s.animated and s.paid for s in sessions)),
        attestation=attended + animated >= threshold,
        sessions=sessions,
    )


def total(lines: Sequence[PhysicianLine], rates: Rates) -> Total:
    amounts = [line.amount for line in lines if line.amount is not None]
    return Total(
        attended=sum(line.attended for line in lines),
        animated=sum(line.animated for line in lines),
        minutes=sum(line.minutes for line in lines),
        amount=sum(amounts, Decimal(0)) if rates.any else None,
        attestations=sum(line.attestation for line in lines),
    )


def indemnities(registry: Registry, region: str, year: int) -> Decimal | None:
    """The region's total for the bilan: None without rates, or when a rate is written invalidly."""
    if not registry.charter(region).known(KEYS[:2]):
        return None
    return region_ledger(registry, region, year).total.amount


def build(registry: Registry, year: int, region: str | None = None) -> Ledger:
    """The ledger of a year for one region or every region; a year without any meeting is refused
    (`NoMeetings`) rather than given as an empty table a treasurer could take for « nothing to pay »."""
    if region is not None and region not in registry.region_ids:
        known = ", ".join(registry.region_ids) or "aucune"
        raise UnknownRegion(f"Région inconnue : {region} (régions des registres : {known}).")
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
