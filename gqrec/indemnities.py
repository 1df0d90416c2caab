"""What a year of meetings pays (REPORTS.md, valorisation): which attendance or animation is payable, at
which rate, for how much — one computation, that the ledger details physician by physician and the
bilan totals per region.

Amounts are exact decimals (`decimal.Decimal`): a rate written 95.50 is 95.50 €, and 12 sessions make
1 146,00 €, with no float drift.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable, Iterator

from . import i18n
from .records import Group, Meeting
from .registry import Registry

CENT = Decimal("0.01")
RATE_KEYS = ("indemnity_participant", "indemnity_animator", "indemnity_max_meetings")  # what sets the amounts


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


def unpaid_reason(signed: date | None, day: date, year: int) -> str | None:
    """Why a meeting is not payable (French, for the treasurer), None when it is."""
    if signed is None:
        return f"aucun contrat {year} valide"
    if signed > day:
        return f"contrat {year} signé le {i18n.day(signed)}, après la réunion"
    return None


def payable(sessions: Iterable[Session], rates: Rates) -> Decimal | None:
    """What some sessions pay (a physician's, a group's): the payable ones at the rates."""
    sessions = tuple(sessions)
    return rates.amount(sum(s.attended and s.paid for s in sessions), sum(s.animated and s.paid for s in sessions))


def total_amount(amounts: Iterable[Decimal | None], rates: Rates) -> Decimal | None:
    """The physicians' amounts summed; None when the charter sets no rate."""
    return sum((amount for amount in amounts if amount is not None), Decimal(0)) if rates.any else None


def year_meetings(registry: Registry, group: Group, year: int) -> list[Meeting]:
    return [m for m in registry.counted_meetings(group) if m.date.year == year]


def region_groups(registry: Registry, region: str) -> list[Group]:
    return [g for (r, _), g in sorted(registry.groups.items()) if r == region]


@dataclass(frozen=True)
class GroupYear:
    """A group's meetings of a year, with each physician's session at each of them, in meeting order."""

    group: Group
    meetings: tuple[Meeting, ...]
    sessions: tuple[tuple[str, Session], ...]  # (RPPS, session): an active member listed present, the animator
    absent: tuple[str, ...]  # the RPPS of each active member listed absent, once per meeting missed


def group_years(registry: Registry, region: str, year: int) -> Iterator[GroupYear]:
    """The region's groups that met in the year, in id order."""
    signatures = registry.signatures(region, year)
    for group in region_groups(registry, region):
        meetings = year_meetings(registry, group, year)
        if not meetings:
            continue
        sessions: list[tuple[str, Session]] = []
        absent: list[str] = []
        for meeting in meetings:
            active = group.active_members(meeting.date)
            present = active.intersection(meeting.present)
            absent += sorted(active.intersection(meeting.absent))
            for rpps in sorted(present | {meeting.animator}):
                reason = unpaid_reason(signatures.get(rpps), meeting.date, year)
                sessions.append((rpps, Session(group.id, meeting, rpps in present, rpps == meeting.animator, reason)))
        yield GroupYear(group, tuple(meetings), tuple(sessions), tuple(absent))


def sessions_by_physician(years: Iterable[GroupYear], cap: int | None = None) -> dict[str, list[Session]]:
    """Each physician's sessions of the year, group after group, by RPPS; with a `cap`
    (`indemnity_max_meetings`), the payable sessions beyond it in a role, by date, are unpaid and say so."""
    sessions: dict[str, list[Session]] = defaultdict(list)
    for group_year in years:
        for rpps, session in group_year.sessions:
            sessions[rpps].append(session)
    if cap is not None:
        for rpps, own in sessions.items():
            sessions[rpps] = capped(own, cap)
    return sessions


def capped(sessions: list[Session], cap: int) -> list[Session]:
    """The sessions with those paid beyond `cap` meetings in a role (in date order) made unpaid."""
    paid = {"attended": 0, "animated": 0}
    by_date = sorted(range(len(sessions)), key=lambda i: (sessions[i].meeting.date, i))
    out = list(sessions)
    for i in by_date:
        session = sessions[i]
        if not session.paid:
            continue
        over = False
        for role in paid:
            if getattr(session, role):
                paid[role] += 1
                over |= paid[role] > cap
        if over:
            out[i] = replace(session, unpaid_reason=f"au-delà du plafond de {cap} réunions payées dans l'année "
                                                    "(indemnity_max_meetings)")
    return out


def cap_of(registry: Registry, region: str) -> int | None:
    return registry.charter(region)["indemnity_max_meetings"]


def indemnities(registry: Registry, region: str, year: int) -> Decimal | None:
    """The region's total for the bilan: None without rates, or when a rate is written invalidly."""
    if not registry.charter(region).known(RATE_KEYS):
        return None
    rates = rates_of(registry, region)
    sessions = sessions_by_physician(group_years(registry, region, year), cap_of(registry, region))
    return total_amount((payable(sessions[rpps], rates) for rpps in sorted(sessions)), rates)
