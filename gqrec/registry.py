"""The index of a records root, built once: records by kind and id, the charter per region, and the
time queries the rules need, so that no rule walks the tree or reparses a file."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from functools import cached_property
from typing import Iterable

from . import charter as charter_mod
from .ids import period_bounds
from .layout import Place, partition_of
from .load import Loaded
from .records import (
    Contract, Federation, Feedback, Group, Indicator, Meeting, Physician, Programme, Region, Tenure, Territory, Theme,
)


def covers(tenures: Iterable[Tenure], first: date, last: date) -> bool:
    """True when the union of the periods includes every day from first to last."""
    reach = first
    for tenure in sorted(tenures, key=lambda t: t.since):
        if tenure.since > reach:
            return False
        if tenure.until is None:
            return True
        if tenure.until >= reach:
            reach = tenure.until + timedelta(days=1)
        if reach > last:
            return True
    return reach > last


class Registry:
    """Everything the rules and reports ask of the records, indexed once."""

    def __init__(self, loaded: Loaded, as_of: date):
        self.root = loaded.root
        self.as_of = as_of
        self.places: tuple[Place, ...] = loaded.places
        self.load_findings = loaded.findings
        self.federation: Federation | None = None
        self.regions: dict[str, Region] = {}
        self.territories: dict[tuple[str, str], Territory] = {}
        self.physicians: dict[tuple[str, str], Physician] = {}
        self.groups: dict[tuple[str, str], Group] = {}
        self.meetings: dict[tuple[str, str], list[Meeting]] = defaultdict(list)
        self.programmes: dict[tuple[str, int], Programme] = {}
        self.contracts: dict[tuple[str, int, str], Contract] = {}
        self.themes: dict[str, Theme] = {}
        self.indicators: dict[str, Indicator] = {}
        self.feedback: dict[tuple[str, str], Feedback] = {}
        self._present = frozenset((p.kind, p.region, p.id) for p in loaded.places)
        self._memo: dict = {}
        for record in loaded.records:
            self._add(record)
        for meetings in self.meetings.values():
            meetings.sort(key=lambda m: m.date)
        self.meetings = dict(self.meetings)

    def _add(self, record) -> None:
        match record:
            case Federation():
                self.federation = record
            case Region():
                self.regions[record.id] = record
            case Territory():
                self.territories[record.region, record.id] = record
            case Physician():
                self.physicians[record.region, record.id] = record
            case Group():
                self.groups[record.region, record.id] = record
            case Meeting():
                self.meetings[record.region, record.group].append(record)
            case Programme():
                self.programmes[record.region, record.year] = record
            case Contract():
                self.contracts[record.region, record.year, record.physician] = record
            case Theme():
                self.themes[record.id] = record
            case Indicator():
                self.indicators[record.id] = record
            case Feedback():
                self.feedback[record.region, record.period] = record

    def memo(self, key: str, compute):
        """A value several rules derive from the records, computed once per registry."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    # -- existence, whatever the file's validity, so a broken file does not cascade into GQ004s
    def exists(self, kind: str, region: str | None, ident: str) -> bool:
        return (kind, region, ident) in self._present

    # -- charter
    @cached_property
    def _charters(self) -> dict[str | None, charter_mod.Charter]:
        national = self.federation.charter if self.federation else None
        out = {None: charter_mod.merge(national, None)}
        for region_id in self.region_ids:
            region = self.regions.get(region_id)
            out[region_id] = charter_mod.merge(national, region.charter if region else None)
        return out

    def charter(self, region: str | None) -> charter_mod.Charter:
        return self._charters.get(region) or self._charters[None]

    @cached_property
    def region_ids(self) -> tuple[str, ...]:
        return tuple(sorted({p.region for p in self.places if p.region}))

    # -- time
    def judged_year(self, year: int) -> bool:
        """A year-long rule judges a year only once it is over before the as-of date."""
        return date(year, 12, 31) < self.as_of

    def judged_period(self, period: str) -> bool:
        bounds = period_bounds(period)
        return bounds is not None and bounds[1] < self.as_of

    def group_meetings(self, group: Group) -> list[Meeting]:
        return self.meetings.get((group.region, group.id), [])

    def active_all_year(self, group: Group, year: int) -> bool:
        return self.active_throughout(group, date(year, 1, 1), date(year, 12, 31))

    def active_throughout(self, group: Group, first: date, last: date) -> bool:
        """Constituted by `first` and with at least one active member on every day to `last`."""
        return group.constituted <= first and covers(group.members, first, last)

    def active_in_year(self, group: Group, year: int) -> bool:
        first, last = date(year, 1, 1), date(year, 12, 31)
        return any(t.overlaps(first, last) for t in group.members)

    def years_of(self, group: Group) -> range:
        """Calendar years from the group's constitution to the as-of date."""
        return range(group.constituted.year, self.as_of.year + 1)

    def physician(self, region: str, rpps: str) -> Physician | None:
        return self.physicians.get((region, rpps))

    def contract(self, region: str, year: int, rpps: str) -> Contract | None:
        return self.contracts.get((region, year, rpps))

    def signatures(self, region: str, year: int) -> dict[str, date]:
        """The date each physician of a region signed the year's contract (looked up per attendance)."""
        return self._signatures.get((region, year), {})

    @cached_property
    def _signatures(self) -> dict[tuple[str, int], dict[str, date]]:
        out: dict[tuple[str, int], dict[str, date]] = defaultdict(dict)
        for (region, year, rpps), contract in self.contracts.items():
            out[region, year][rpps] = contract.signed
        return dict(out)

    def programme(self, region: str, year: int) -> Programme | None:
        return self.programmes.get((region, year))

    # -- shared queries of the rules, the bilan and the feedback profiles
    def coverage_day(self, group: Group, year: int) -> date | None:
        """The day a year's coverage is measured: 31 December of a judged year, else the last meeting date."""
        last_meeting = max((m.date for m in self.group_meetings(group) if m.date.year == year), default=None)
        december = date(year, 12, 31)
        if self.judged_year(year) and group.active_members(december):
            return december
        return last_meeting

    def coverage(self, group: Group, day: date) -> tuple[int, int] | None:
        """(active members practising in the group's territory on `day`, the territory's GPs)."""
        territory = self.territories.get((group.region, group.territory))
        if territory is None:
            return None
        local = sum(
            1 for rpps in group.active_members(day)
            if (p := self.physician(group.region, rpps)) is not None and p.territory == group.territory
        )
        return local, territory.general_practitioners

    def members_in_period(self, region: str, period: str) -> dict[str, frozenset[str]]:
        """Each group of the region (by id) with its members active on some day of the period."""
        bounds = period_bounds(period)
        if bounds is None:
            return {}
        first, last = bounds
        out = {}
        for (group_region, group_id), group in sorted(self.groups.items()):
            if group_region == region:
                people = frozenset(t.physician for t in group.members if t.overlaps(first, last))
                if people:
                    out[group_id] = people
        return out

    def region_of_path(self, path: str) -> str | None:
        return partition_of(path)  # the layout is the one reader of paths

    @cached_property
    def groups_in_path_order(self) -> list[Group]:
        return sorted(self.groups.values(), key=lambda g: g.src.path)
