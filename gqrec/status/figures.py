"""What `gqrec status` tells of each group on the reference date, computed once from the Registry with the
rules' own queries: expected meetings pro rata (`Registry.meetings_expected`, as GQ102 and the bilan), an
overdue roll call (`Registry.roll_call_late`, as GQ123), a pending feedback period (GQ113's
`periods_without_feedback`). Pure: a Registry in, frozen dataclasses out; the renderers read these alone.

The attendance trend: the presence rate of a held meeting is its members listed present over the members
active that day. Attendance is « falling » when the mean rate of the last `RECENT` held meetings is at
least `DROP` (ten points) below the mean of the (up to) `BASE` held meetings before them; it needs
`RECENT` meetings and as many before them to say so. A single meeting's absences say nothing; three in a
row below the group's habit do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..errors import RecordsError, UsageError
from ..records import CANCELLED, PLANNED, Group, Meeting
from ..registry import Registry
from ..rules.feedback import periods_without_feedback
from ..suggest import did_you_mean

RECENT = 3  # the last held meetings whose attendance is compared…
BASE = 9  # …with that of (up to) this many held meetings before them
DROP = 0.10  # a fall of the mean presence rate by at least this much is shown
SHOWN = 6  # attendances listed, the latest last


@dataclass(frozen=True)
class Ahead:
    """A planned meeting on or after the reference date."""

    day: date
    theme: str | None  # the theme's title, or what a feedback meeting restitutes
    start: str | None
    place: str | None


@dataclass(frozen=True)
class RollCall:
    """A planned meeting before the reference date: its roll call is to be recorded."""

    day: date
    days: int  # since its date
    overdue: bool  # past roll_call_within_days (GQ123)


@dataclass(frozen=True)
class Attendance:
    day: date
    present: int  # active members listed present
    active: int  # members active that day

    @property
    def rate(self) -> float | None:
        return self.present / self.active if self.active else None


@dataclass(frozen=True)
class Trend:
    attendances: tuple[Attendance, ...]  # the last held meetings, the latest last
    recent: float | None  # mean presence rate of the last RECENT held meetings
    before: float | None  # …and of the BASE before them (None: too few to compare)

    @property
    def falling(self) -> bool:
        return self.recent is not None and self.before is not None and round(self.before - self.recent, 9) >= DROP


@dataclass(frozen=True)
class Person:
    rpps: str
    name: str | None  # None: no physician file


@dataclass(frozen=True)
class GroupStatus:
    region: str
    group: str
    name: str
    year: int
    held: int  # held meetings of the year on or before the reference date
    expected: int | None  # meetings expected so far this year, pro rata (None: not active this year)
    expected_year: int | None  # meetings expected over the whole year
    cancelled: int  # cancelled meetings of the year
    ahead: tuple[Ahead, ...]
    roll_calls: tuple[RollCall, ...]
    contracts_missing: dict[int, tuple[Person, ...]]  # year -> active members and animators without a contract
    contracts_due: dict[int, int]  # year -> active members and animators who owe a contract
    feedback_pending: tuple[str, ...]  # periods over, without feedback for the group (GQ113)
    trend: Trend
    active: int  # members active on the reference date

    def signers(self, year: int) -> int:
        return self.contracts_due.get(year, 0)

    @property
    def behind(self) -> int:
        """Held meetings short of those expected so far."""
        return max(0, (self.expected or 0) - self.held)


@dataclass(frozen=True)
class Status:
    as_of: date
    groups: tuple[GroupStatus, ...]


class UnknownGroup(UsageError):
    pass


class NoGroup(RecordsError):
    pass


def theme_title(registry: Registry, meeting: Meeting) -> str | None:
    if meeting.type == "feedback":
        return f"restitution du retour d'information {meeting.period}" if meeting.period else "restitution"
    theme = registry.themes.get(meeting.theme or "")
    return theme.title if theme else meeting.theme


def trend(registry: Registry, group: Group) -> Trend:
    meetings = registry.counted_meetings(group)[-(RECENT + BASE):]
    found = tuple(Attendance(m.date, len(group.active_members(m.date) & set(m.present)),
                             len(group.active_members(m.date))) for m in meetings)

    def mean(items) -> float | None:
        rates = [a.rate for a in items if a.rate is not None]
        return sum(rates) / len(rates) if rates else None

    recent, before = found[-RECENT:], found[:-RECENT]
    return Trend(found[-SHOWN:], mean(recent) if len(recent) == RECENT else None,
                 mean(before) if len(before) >= RECENT else None)


def contract_holders(group: Group, year: int, day: date) -> frozenset[str]:
    """Members and animators active on `day` and still on 1 January of `year` at the latest: who owes a
    contract for `year`."""
    on = max(day, date(year, 1, 1))
    return frozenset(t.physician for t in (*group.members, *group.animators)
                     if t.active_on(day) and (t.until is None or t.until >= on))


def contracts_missing(registry: Registry, group: Group, year: int, day: date) -> tuple[Person, ...]:
    """Those who owe a contract for `year` and have none (a contract file at fault counts as there: its
    own finding says what to fix)."""
    missing = sorted(rpps for rpps in contract_holders(group, year, day)
                     if registry.contract(group.region, year, rpps) is None
                     and (group.region, year, rpps) not in registry.partial_contracts)
    return tuple(Person(rpps, p.name if (p := registry.physician(group.region, rpps)) else None) for rpps in missing)


def group_status(registry: Registry, group: Group) -> GroupStatus:
    as_of, year = registry.as_of, registry.as_of.year
    meetings = registry.group_meetings(group)
    within = registry.charter(group.region)["roll_call_within_days"]
    rhythm = registry.charter(group.region)["feedback_period"]
    pending = periods_without_feedback(registry, group, rhythm,
                                       [y for y in (year - 1, year) if y >= group.constituted.year])
    return GroupStatus(
        region=group.region, group=group.id, name=group.name, year=year,
        held=sum(m.date.year == year for m in registry.held(group.region, group.id)),
        expected=registry.meetings_expected(group, year, as_of),
        expected_year=registry.meetings_expected(group, year),
        cancelled=sum(m.status == CANCELLED and m.date.year == year for m in meetings),
        ahead=tuple(Ahead(m.date, theme_title(registry, m), m.start, m.place)
                    for m in meetings if m.status == PLANNED and m.date >= as_of),
        roll_calls=tuple(RollCall(m.date, (as_of - m.date).days, registry.roll_call_late(m, within) is not None)
                         for m in meetings if m.status == PLANNED and m.date < as_of),
        contracts_missing={y: found for y in (year, year + 1) if (found := contracts_missing(registry, group, y, as_of))},
        contracts_due={y: len(contract_holders(group, y, as_of)) for y in (year, year + 1)},
        feedback_pending=tuple(period for period, _ in pending),
        trend=trend(registry, group),
        active=len(group.active_members(as_of)),
    )


def build(registry: Registry, region: str | None = None, group: str | None = None) -> Status:
    """The status of every group (of a region), or of one group (found in the region given, else in the
    only region that has it)."""
    refusal = registry.unknown_region(region)
    if refusal is not None:
        raise UnknownGroup(refusal)
    groups = [g for (r, _), g in sorted(registry.groups.items()) if region in (None, r)]
    if group is not None:
        found = [g for g in groups if g.id == group]
        if not found:
            known = sorted({g.id for g in groups})
            scope = f"dans la région {region}" if region else "dans les registres"
            raise UnknownGroup(f"Groupe inconnu {scope} : {group}.{did_you_mean(group, known)} "
                               f"(groupes : {', '.join(known) or 'aucun'}).")
        if len(found) > 1:
            raise UnknownGroup(f"Groupe {group} présent dans plusieurs régions "
                               f"({', '.join(g.region for g in found)}) : précisez --region.")
        groups = found
    if not groups:
        raise NoGroup("Aucun groupe dans " + (f"la région {region}." if region else "les registres."))
    return Status(registry.as_of, tuple(group_status(registry, g) for g in groups))
