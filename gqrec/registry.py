"""The index of a records root, built once: records by kind and id, the charter per region, and the
time queries the rules need, so that no rule walks the tree or reparses a file."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from functools import cached_property
from typing import Iterable

from . import charter as charter_mod
from . import gitio, ids
from . import records as records_mod
from .ids import period_bounds
from .kinds import KINDS
from .layout import Place, partition_of
from .load import Loaded
from .records import Contract, Group, Held, Meeting, Physician, Programme, Tenure, held_of_partial
from .findings import ERROR, Finding


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
        self.library_digests = loaded.digests  # with a library.lock: each national library file's (GQ125)
        self._present = frozenset((p.kind, p.region, p.id) for p in loaded.places)
        self._memo: dict = {}
        self._index(loaded.records)
        self.load_findings = loaded.findings + tuple(self._charter_findings())

    def _index(self, found) -> None:
        """Each record into its kind's index and each partial file (`records.Partial`) into its kind's
        partial index, as the kind table says (`kinds.KINDS`: attribute, key, one or many per key): one
        attribute per kind and per kind's partial files, all made here from the table (`federation`,
        `themes`, `meetings`…; `partial_federation`, `partial_contracts`, `partial_meetings`…)."""
        whole: dict[type, tuple] = {}  # record class -> (attribute, index, key, many)
        partial: dict[str, tuple] = {}  # kind -> the same for its partial files
        for kind in KINDS.values():
            for attribute, key in ((kind.index, kind.key), (kind.partial_index, kind.partial_key)):
                setattr(self, attribute, None if key is None else defaultdict(list) if kind.many else {})
            whole[getattr(records_mod, kind.record)] = kind.index, getattr(self, kind.index), kind.key, kind.many
            partial[kind.name] = kind.partial_index, getattr(self, kind.partial_index), kind.partial_key, kind.many
        for record in found:
            attribute, index, key, many = whole.get(type(record)) or partial[record.kind]
            if key is None:
                setattr(self, attribute, record)
            elif many:
                index[key(record)].append(record)
            else:
                index[key(record)] = record
        for kind in KINDS.values():
            if kind.many:
                for attribute in (kind.index, kind.partial_index):
                    setattr(self, attribute, dict(getattr(self, attribute)))
                for listed in getattr(self, kind.index).values():
                    listed.sort(key=kind.order)

    def first_committed(self) -> dict[str, date]:
        """When each file was first committed, for the rules that need git (asked of git once); gitio's
        errors (no repository, a shallow clone) are for those rules to judge."""
        return self.memo("first_committed", lambda: gitio.first_added(self.root))

    def memo(self, key: str, compute):
        """A value several rules derive from the records, computed once per registry."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    # -- existence, whatever the file's validity, so a broken file does not cascade into GQ004s
    def exists(self, kind: str, region: str | None, ident: str) -> bool:
        return (kind, region, ident) in self._present

    def faulty_entries(self, group: Group) -> frozenset[str]:
        """The RPPS of the group's member and animator entries that are at fault in group.yaml: a wrong Luhn
        key (GQ005) or no physician file in the region (GQ004). Their finding is there, once: the roll
        calls naming them, or naming whom they were meant to be, are not judged on them again."""
        def compute():
            out: dict[tuple[str, str], frozenset[str]] = {}
            for key, each in self.groups.items():
                named = {t.physician for t in (*each.members, *each.animators)}
                faulty = frozenset(rpps for rpps in named
                                   if not ids.luhn_ok(rpps) or not self.exists("physician", each.region, rpps))
                if faulty:
                    out[key] = faulty
            return out

        return self.memo("faulty_entries", compute).get((group.region, group.id), frozenset())

    # -- charter
    def _charter_layer(self, region: str | None):
        """(the charter a federation.yaml or region.yaml writes, its source, the keys it writes but not
        validly): a file that fails its schema elsewhere still gives its valid keys."""
        record = self.federation if region is None else self.regions.get(region)
        if record is not None:
            return record.charter, record.src, frozenset()
        partial = self.partial_federation if region is None else self.partial_regions.get(region)
        if partial is None:
            return None, None, frozenset()
        if partial.faulty is None or ("charter" in partial.faulty and "charter" not in partial.fields):
            return {}, partial.src, frozenset(charter_mod.DEFAULTS)  # nothing of its charter can be read
        unsure = frozenset(key.split(".", 1)[1] for key in partial.faulty if key.startswith("charter."))
        return partial.fields.get("charter", {}), partial.src, unsure

    @cached_property
    def _charters(self) -> dict[str | None, charter_mod.Charter]:
        national, _, unsure = self._charter_layer(None)
        out = {None: charter_mod.merge(national, None, (unsure, frozenset()))}
        for region_id in self.region_ids:
            regional, _, regional_unsure = self._charter_layer(region_id)
            out[region_id] = charter_mod.merge(national, regional, (unsure, regional_unsure))
        return out

    def _charter_findings(self):
        """GQ002 where a merged charter is not valid (only the merged value is judged), at the value of
        the layer at fault: the national file for the national charter, region.yaml for a region's."""
        for region in (None, *self.region_ids):
            _, src, _ = self._charter_layer(region)
            for fault in self.charter(region).faults if src is not None else ():
                if (fault.layer == "national") == (region is None):
                    line, column = src.at("charter", *fault.path)
                    yield Finding(src.path, line, column, "GQ002", ERROR, fault.message)

    def charter(self, region: str | None) -> charter_mod.Charter:
        return self._charters.get(region) or self._charters[None]

    @cached_property
    def region_ids(self) -> tuple[str, ...]:
        return tuple(sorted({p.region for p in self.places if p.region}))

    def unknown_region(self, region: str | None) -> str | None:
        """The French refusal of a region the records do not hold, naming those they do (None when the
        region is known, or none is asked): every product refuses it alike, with its own error class."""
        if region is None or region in self.region_ids:
            return None
        return f"Région inconnue : {region} (régions des registres : {', '.join(self.region_ids) or 'aucune'})."

    # -- time
    def judged_year(self, year: int) -> bool:
        """A year-long rule judges a year only once it is over before the as-of date."""
        return date(year, 12, 31) < self.as_of

    def judged_period(self, period: str) -> bool:
        bounds = period_bounds(period)
        return bounds is not None and bounds[1] < self.as_of

    def group_meetings(self, group: Group) -> list[Meeting]:
        return self.meetings.get((group.region, group.id), [])

    def held(self, region: str, group: str) -> list[Meeting | Held]:
        """The meetings of a group that count (held, dated on or before the reference date), from every
        meeting file, valid or not, by date: what the counting rules and the bilan read."""
        return self.held_by_group.get((region, group), [])

    @cached_property
    def held_by_group(self) -> dict[tuple[str, str], list[Meeting | Held]]:
        out: dict = {key: [m for m in meetings if m.counts(self.as_of)] for key, meetings in self.meetings.items()}
        for key, partials in self.partial_meetings.items():
            read = [h for h in map(held_of_partial, partials) if h.counts(self.as_of)]
            out[key] = sorted([*out.get(key, ()), *read], key=lambda h: h.date)
        return {key: meetings for key, meetings in out.items() if meetings}

    def roll_call_late(self, meeting: Meeting, within: int) -> int | None:
        """Days since a planned meeting's date when its roll call is overdue, more than `within` days
        (`roll_call_within_days`) after it (GQ123, `gqrec status`); None when it is not."""
        late = (self.as_of - meeting.date).days
        return late if meeting.status == records_mod.PLANNED and late > within else None

    def counted_meetings(self, group: Group) -> list[Meeting]:
        """The group's valid meeting records that count (held, on or before the reference date): what the
        ledger pays, the attestations certify and the export's attendance lists."""
        return [m for m in self.group_meetings(group) if m.counts(self.as_of)]

    def active_all_year(self, group: Group, year: int) -> bool:
        return self.active_throughout(group, date(year, 1, 1), date(year, 12, 31))

    def active_throughout(self, group: Group, first: date, last: date) -> bool:
        """Constituted by `first` and with at least one active member on every day to `last`."""
        return group.constituted <= first and covers(group.members, first, last)

    def days_active(self, group: Group, year: int, until: date | None = None) -> int:
        """Days of the year from the group's constitution on which it has at least one active member
        (with `until`, up to that day only)."""
        first, last = max(date(year, 1, 1), group.constituted), min(date(year, 12, 31), until or date.max)
        days, reach = 0, first
        for tenure in sorted(group.members, key=lambda t: t.since):
            start, end = max(tenure.since, reach), min(tenure.until or last, last)
            if end >= start:
                days += (end - start).days + 1
                reach = end + timedelta(days=1)
        return days

    def meetings_expected(self, group: Group, year: int, until: date | None = None) -> int | None:
        """Meetings the charter expects of the group in the year: `meetings_per_year`, pro rata of the days
        it is active in a year it is active only part of (floor, RECORDS.md); None when never active in it.
        With `until`, those expected so far: pro rata of its active days up to that day (`gqrec status`)."""
        per_year = self.charter(group.region)["meetings_per_year"]
        if (until is None or until >= date(year, 12, 31)) and self.active_all_year(group, year):
            return per_year
        days = self.days_active(group, year, until)
        in_year = (date(year, 12, 31) - date(year, 1, 1)).days + 1
        return per_year * days // in_year if days else None

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

    def programme_terms(self, region: str, year: int) -> tuple[tuple[str, ...] | None, date | None] | None:
        """(themes, validation date) of the year's programme, each None when its file does not say it
        validly; None when there is no programme file."""
        programme = self.programmes.get((region, year))
        if programme is not None:
            return programme.themes, programme.validated
        partial = self.partial_programmes.get((region, year))
        if partial is None:
            return None
        themes = tuple(partial.fields["themes"]) if partial.known("themes") and "themes" in partial.fields else None
        return themes, partial.day("validated")

    # -- shared queries of the rules, the bilan and the feedback profiles
    def coverage_day(self, group: Group, year: int) -> date | None:
        """The day a year's coverage is measured: 31 December of a judged year, else the last meeting date."""
        last_meeting = max((m.date for m in self.held(group.region, group.id) if m.date.year == year), default=None)
        december = date(year, 12, 31)
        if self.judged_year(year) and group.active_members(december):
            return december
        return last_meeting

    def coverage(self, group: Group, day: date) -> tuple[int, int, int] | None:
        """(active members practising in the group's territory on `day`, the territory's GPs, active members
        whose territory cannot be read: no valid physician file, or one whose `territory` is at fault)."""
        territory = self.territories.get((group.region, group.territory))
        if territory is None:
            return None
        local, unsure = 0, len(group.doubtful_members(day))
        for rpps in group.active_members(day):
            physician = self.physician(group.region, rpps)
            if physician is not None:
                local += physician.territory == group.territory
                continue
            partial = self.partial_physicians.get((group.region, rpps))
            if partial is not None and partial.known("territory"):
                local += partial.fields.get("territory") == group.territory
            else:
                unsure += 1
        return local, territory.general_practitioners, unsure

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

    # -- tenures: who holds a role in which group, and when
    def tenures(self, region: str, role: str = "members") -> dict[str, list[tuple[Group, Tenure]]]:
        """Each physician of the region with their periods in `role` ("members" or "animators") across its
        groups, groups in path order and periods in list order (indexed once for every region)."""
        return self._tenures(role).get(region, {})

    def groups_of(self, region: str, rpps: str, day: date, role: str = "members") -> list[Group]:
        """The groups in which the physician holds `role` on `day`, in path order (a group once per period
        active that day: a period listed twice shows twice)."""
        return [group for group, tenure in self.tenures(region, role).get(rpps, ()) if tenure.active_on(day)]

    def _tenures(self, role: str) -> dict[str, dict[str, list[tuple[Group, Tenure]]]]:
        def index():
            out: dict[str, dict[str, list[tuple[Group, Tenure]]]] = {}
            for group in self.groups_in_path_order:
                for tenure in getattr(group, role):
                    out.setdefault(group.region, {}).setdefault(tenure.physician, []).append((group, tenure))
            return out

        return self.memo(("tenures", role), index)
