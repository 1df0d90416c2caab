"""Plain immutable records, one class per kind, each carrying where it came from.

Built from documents whose every field a rule reads passed its schema, so fields have the right types
(a document at fault only in unknown keys or in fields no rule judges gets stand-ins: `judgeable`);
any other placed file gives a `Partial`, what its path and valid fields still say. Dates are
`datetime.date`. Like beancount's entries, every record has a `src` that answers "where is this
value written?" for findings.
"""

from __future__ import annotations

import marshal
import re
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from functools import cached_property
from typing import Any, Callable, Mapping, NamedTuple

from .kinds import DROP, KINDS


GENERAL_PRACTICE = "médecine générale"
HELD, PLANNED, CANCELLED = "held", "planned", "cancelled"  # a meeting's life (RECORDS.md)
MIN_DENOMINATOR = 10  # « effectif insuffisant » below: too few patients to show a rate (profiles and bilan)


@dataclass(frozen=True, eq=False)
class Source:
    """A record's file and, on demand, the position of each of its values and keys.

    Positions are asked for only where a finding needs them, so a loader may parse fast without marks
    and give a `locate` that reparses the file with positions the first time it is asked.
    """

    path: str
    locate: Callable[[], tuple[Mapping[tuple, tuple[int, int]], Mapping[tuple, tuple[int, int]]]]

    @cached_property
    def _positions(self):
        return self.locate()

    @property
    def values(self) -> Mapping[tuple, tuple[int, int]]:
        return self._positions[0]

    @property
    def keys(self) -> Mapping[tuple, tuple[int, int]]:
        return self._positions[1]

    def at(self, *path) -> tuple[int, int]:
        """Line and column of the value at path, or of its nearest written ancestor, or 1:1."""
        values = self.values
        while path and path not in values:
            path = path[:-1]
        return values.get(path, (1, 1)) if path else (1, 1)


@dataclass(frozen=True)
class Tenure:
    """A physician's period in a role of a group, both ends included; `index` is its list position."""

    physician: str
    since: date
    until: date | None
    index: int

    def active_on(self, day: date) -> bool:
        return self.since <= day and (self.until is None or day <= self.until)

    def overlaps(self, first: date, last: date) -> bool:
        return self.since <= last and (self.until is None or first <= self.until)


@dataclass(frozen=True)
class Federation:
    src: Source
    name: str
    charter: Mapping[str, Any]


@dataclass(frozen=True)
class Region:
    src: Source
    id: str
    name: str
    association: Mapping[str, Any]
    partners: tuple[Mapping[str, Any], ...]
    coordinator: str
    copil: tuple[Mapping[str, Any], ...]
    charter: Mapping[str, Any]
    letterhead: Mapping[str, Any] = field(default_factory=dict)  # what every printed document carries


@dataclass(frozen=True)
class Territory:
    src: Source
    region: str
    id: str
    name: str
    setting: str
    general_practitioners: int
    communes: tuple[str, ...]


@dataclass(frozen=True)
class Physician:
    src: Source
    region: str
    id: str
    name: str
    territory: str
    specialty: str
    animator_trained: date | None


@dataclass(frozen=True)
class Group:
    src: Source
    region: str
    id: str
    name: str
    territory: str
    constituted: date
    wave: int | None
    animators: tuple[Tenure, ...]
    members: tuple[Tenure, ...]
    _members_on: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def active_members(self, day: date) -> frozenset[str]:
        """Members active on a day (asked by several rules for each meeting: remembered)."""
        known = self._members_on.get(day)
        if known is None:  # Tenure.active_on, inlined: a national check asks this 60,000 times
            known = self._members_on[day] = frozenset(
                t.physician for t in self.members if t.since <= day and (t.until is None or day <= t.until)
            )
        return known

    def active_animators(self, day: date) -> frozenset[str]:
        return frozenset(t.physician for t in self.animators if t.active_on(day))

    def doubtful_members(self, day: date) -> frozenset[str]:
        """Members not active on `day` who might be: their period ends before it begins (GQ006's finding),
        so which of its two dates is wrong cannot be told; the rules neither count nor fault them then."""
        return _doubtful(self.members, day) - self.active_members(day) if self._reversed else frozenset()

    def doubtful_animators(self, day: date) -> frozenset[str]:
        return _doubtful(self.animators, day) - self.active_animators(day) if self._reversed else frozenset()

    @cached_property
    def _reversed(self) -> bool:
        return any(t.until is not None and t.until < t.since for t in self.members + self.animators)


def _doubtful(tenures: tuple[Tenure, ...], day: date) -> frozenset[str]:
    return frozenset(t.physician for t in tenures if t.until is not None and t.until < t.since and t.until <= day)


@dataclass(frozen=True)
class Action:
    """An improvement action a group agreed on (EPP): what changes, the indicator to watch, when to look again."""

    text: str
    indicator: str | None
    review: str | None


@dataclass(frozen=True)
class Meeting:
    src: Source
    region: str
    group: str
    date: date
    type: str
    theme: str | None
    period: str | None
    duration_minutes: int | None  # None only while planned or once cancelled
    animator: str
    present: tuple[str, ...]  # empty while planned or once cancelled: no roll call
    absent: tuple[str, ...]
    clinical_cases: int | None
    notes: str | None
    status: str = HELD
    reason: str | None = None
    start: str | None = None  # "HH:MM"
    place: str | None = None
    modality: str = "in-person"
    evidence: str | None = None
    actions: tuple[Action, ...] = ()
    highlights: tuple[str, ...] = ()

    @property
    def restitution(self) -> str | None:
        """The period it restitutes (a meeting reads as a `Held` too: what the counting rules read)."""
        return self.period if self.type == "feedback" else None

    def counts(self, as_of: date) -> bool:
        """Whether it counts anywhere (bilan, rules, ledger, attestations, export): held, and dated on or
        before the reference date (RECORDS.md, « A meeting's life »)."""
        return self.status == HELD and self.date <= as_of


@dataclass(frozen=True)
class Programme:
    src: Source
    region: str
    year: int
    validated: date
    themes: tuple[str, ...]
    dpc_action: str | None = None  # the DPC action number printed on the attestations


@dataclass(frozen=True)
class Contract:
    src: Source
    region: str
    year: int
    physician: str
    signed: date
    group: str
    role: str


@dataclass(frozen=True)
class Theme:
    src: Source
    id: str
    title: str
    criteria: Mapping[str, bool]
    problem: str
    key_messages: tuple[str, ...]
    references: tuple[Mapping[str, Any], ...]
    indicators: tuple[str, ...]


@dataclass(frozen=True)
class Indicator:
    src: Source
    id: str
    title: str
    theme: str
    numerator: str
    denominator: str
    better: str
    source: str | None


@dataclass(frozen=True)
class LibraryLock:
    """What `gqrec library pull` took from the national repository: the source, the commit, the day, and
    each library file's digest (`files`: path under the root -> "sha256:…"), which GQ125 compares."""

    src: Source
    source: str
    revision: str
    pulled: date
    files: Mapping[str, str]
    kept: tuple[str, ...]  # files the national library removed that the region still uses


class FeedbackRow(NamedTuple):
    """One valid row of a feedback CSV (a tuple: half a million of them make a national archive)."""

    line: int
    population: str
    physician: str | None
    indicator: str
    numerator: int
    denominator: int


@dataclass(frozen=True)
class Feedback:
    """One feedback CSV: the indicator values of one region for one period.

    A national archive holds half a million rows. The rules only ask whom and what a file names, so
    those come ready; the rows themselves stay a marshalled blob (cheap to pass between processes)
    until a report or a fault needs them.

    A file sealed in the repository (`sealing`) is `sealed`; read without the key it is not `opened`:
    it names no one and holds no row, and the rules that would judge its content leave it alone.
    """

    src: Source
    region: str
    period: str
    physicians: frozenset[str]
    indicators: frozenset[str]
    blob: bytes = field(repr=False)
    sealed: bool = False
    opened: bool = True

    @cached_property
    def table(self) -> tuple[tuple, ...]:
        """(line, population, physician or None, indicator, numerator, denominator) of each valid row."""
        return feedback_table(self.blob)

    @cached_property
    def rows(self) -> tuple[FeedbackRow, ...]:
        return tuple(map(FeedbackRow._make, self.table))


CLEAR, SEALED, LOCKED = 0, 1, 2  # a feedback file in clear, sealed and opened, sealed without the key


def feedback_data(rows: list[tuple]) -> tuple:
    """The plain, marshal-able form of a feedback file's valid rows (what the loader and cache keep)."""
    physicians = tuple(sorted({row[2] for row in rows if row[2]}))
    indicators = tuple(sorted({row[3] for row in rows}))
    return physicians, indicators, marshal.dumps(rows)


def with_state(data: tuple, state: int) -> tuple:
    """A feedback file's data marked sealed (opened) or locked (no key: no one, no row)."""
    return (*data[:3], state) if state != LOCKED else ((), (), marshal.dumps([]), LOCKED)


def plain_feedback_data(cells: list[str]) -> tuple:
    """The same for a plain export, every line a valid row: its cells as read, five a row from line 2,
    turned into rows only when asked (`feedback_table`), so a check converts no number it does not need."""
    return tuple(sorted(set(cells[1::5]) - {""})), tuple(sorted(set(cells[2::5]))), marshal.dumps(cells)


def feedback_table(blob: bytes) -> tuple[tuple, ...]:
    """The rows of `feedback_data` or of `plain_feedback_data` (a flat list of cells)."""
    stored = marshal.loads(blob)
    if stored and type(stored[0]) is str:
        return tuple(
            (line, stored[i], stored[i + 1] or None, stored[i + 2], int(stored[i + 3]), int(stored[i + 4]))
            for line, i in enumerate(range(0, len(stored), 5), start=2)
        )
    return tuple(stored)


@dataclass(frozen=True)
class Partial:
    """A placed file that gave no record: unreadable (GQ001), or not conforming to its schema (GQ002).

    Its finding says what is wrong, once; what its path says (a meeting's date, a contract's year and
    physician) and its valid fields still count, so that no rule reports a consequence of that one
    fault (README, « Ce que compte encore un registre non conforme »). `faulty` names the top-level
    keys at fault, or is None when nothing could be read; `fields` holds the others (a charter keeps
    its valid keys).
    """

    src: Source
    kind: str
    region: str | None
    id: str | None
    group: str | None
    year: int | None
    fields: Mapping[str, Any]
    faulty: frozenset[str] | None

    def known(self, key: str) -> bool:
        """Whether the file says for sure what `key` is (written and valid, or validly left out)."""
        return self.faulty is not None and key not in self.faulty

    def day(self, key: str) -> date | None:
        return _day(self.fields.get(key)) if self.known(key) else None


class Held(NamedTuple):
    """A meeting file that fails its schema, as far as it tells (None: not known), read by the counting
    rules and the bilan beside the valid `Meeting`s (same attribute names), so that it still counts as
    held on its date."""

    date: date
    type: str | None
    theme: str | None
    duration_minutes: int | None
    present: tuple[str, ...] | None
    absent: tuple[str, ...] | None
    restitution: str | None  # the period it restitutes, None for none, DOUBT when it cannot be told
    status: str | None = HELD  # None: its status cannot be read (it counts: its finding says what to fix)

    def counts(self, as_of: date) -> bool:
        return self.status in (HELD, None) and self.date <= as_of


DOUBT = "?"  # a restitution meeting, or not, whose period cannot be read


def held_of_partial(partial: Partial) -> Held:
    """What an invalid meeting file still says: its date, and each field that is valid."""
    fields, known = partial.fields, partial.known
    kind = fields.get("type", "thematic") if known("type") else None
    theme = fields.get("theme") if known("theme") else None
    period = fields.get("period") if known("period") else None
    if kind == "feedback" and period:
        restitution = period
    elif kind == "thematic" and theme:
        restitution = None
    else:
        restitution = DOUBT
    return Held(
        date.fromisoformat(partial.id), kind, theme if kind == "thematic" else None,
        fields.get("duration_minutes") if known("duration_minutes") else None,
        tuple(fields["present"]) if known("present") and "present" in fields else None,
        tuple(fields.get("absent", ())) if known("absent") else None,
        restitution,
        fields.get("status", HELD) if known("status") else None,
    )


RULE_ID = re.compile(r"GQ[0-9]{3}")
DEEP = {"charter": ("group_size", "rules")}  # keys whose valid parts count one by one (merged charter)


def partial_data(data: Mapping[str, Any], faulty: set[tuple]) -> tuple:
    """The plain, marshal-able form of a schema-invalid document: (valid fields, faulty top-level keys)."""
    if () in faulty or not isinstance(data, dict):
        return {}, None
    top = {path[0] for path in faulty}
    fields = {key: value for key, value in data.items() if key not in top}
    for key, nested in DEEP.items():
        value = data.get(key)
        if key in top and isinstance(value, dict) and (key,) not in faulty:
            kept = {k: (dict(v) if isinstance(v, dict) else v) for k, v in value.items()}
            for path in sorted(p for p in faulty if p[0] == key):
                sub = path[1]
                if sub in nested and len(path) > 2 and isinstance(kept.get(sub), dict):
                    kept[sub].pop(path[2], None)
                    top.add(f"{key}.{sub}.{path[2]}")  # e.g. "charter.rules.GQ111": that rule's severity
                elif sub == "rules" and isinstance(kept.get(sub), dict):  # a misspelt rule id: the others stand
                    kept[sub] = {k: v for k, v in kept[sub].items() if isinstance(k, str) and RULE_ID.fullmatch(k)}
                else:
                    kept.pop(sub, None)
                top.add(f"{key}.{sub}")  # e.g. "charter.group_size": that key's value cannot be told
            fields[key] = kept
    return fields, tuple(sorted(map(str, top)))


def judgeable(place, data: Any, faulty: set[tuple], fields: frozenset[str]) -> dict | None:
    """A schema-invalid document as whole-record data when it is at fault only in unknown keys or in
    fields with a stand-in (its kind's `stand_ins`), else None (it gives a `Partial`)."""
    if () in faulty or not isinstance(data, dict):
        return None
    wrong = {path[0] for path in faulty} & fields
    stand_ins = KINDS[place.kind].stand_ins
    if not wrong <= stand_ins.keys():
        return None
    whole = {key: value for key, value in data.items() if key in fields and key not in wrong}
    for key in wrong:
        value = stand_ins[key](place)
        if value is not DROP:
            whole[key] = value
    return whole


def build_partial(place, data: tuple | None, src: Source) -> Partial:
    fields, faulty = data if data is not None else ({}, None)
    return Partial(src, place.kind, place.region, place.id, place.group, place.year, _frozen(fields),
                   None if faulty is None else frozenset(faulty))


FEEDBACK_COLUMNS = ("population", "physician", "indicator", "numerator", "denominator")


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _frozen(value: Any) -> Any:
    """Deep read-only copy of plain data."""
    if isinstance(value, dict):
        return MappingProxyType({k: _frozen(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    return value


def _tenures(entries: list[dict]) -> tuple[Tenure, ...]:
    return tuple(
        Tenure(e["physician"], _day(e["since"]), _day(e.get("until")), i) for i, e in enumerate(entries)
    )


_BUILDS_BY_CLASS: dict[str, Callable[..., Any]] = {}


def _builds(record: type) -> Callable:
    """Register the builder of a record class; the kind table (`kinds.Kind.record`) says which kind it serves."""
    def register(builder: Callable) -> Callable:
        _BUILDS_BY_CLASS[record.__name__] = builder
        return builder
    return register


@_builds(Contract)
def _contract(place, d, src):
    return Contract(src, place.region, place.year, place.id, _day(d["signed"]), d["group"], d.get("role", "participant"))


@_builds(Meeting)
def _meeting(place, d, src):
    return Meeting(
        src, place.region, place.group, _day(place.id), d.get("type", "thematic"), d.get("theme"),
        d.get("period"), d.get("duration_minutes"), d["animator"], tuple(d.get("present", ())),
        tuple(d.get("absent", ())), d.get("clinical_cases"), d.get("notes"), d.get("status", HELD),
        d.get("reason"), d.get("start"), d.get("place"), d.get("modality", "in-person"), d.get("evidence"),
        tuple(Action(a["text"], a.get("indicator"), a.get("review")) for a in d.get("actions", ())),
        tuple(d.get("highlights", ())),
    )


@_builds(Physician)
def _physician(place, d, src):
    return Physician(
        src, place.region, place.id, d["name"], d["territory"], d.get("specialty", GENERAL_PRACTICE),
        _day(d.get("animator_trained")),
    )


@_builds(Federation)
def _federation(place, d, src):
    return Federation(src, d["name"], _frozen(d.get("charter", {})))


@_builds(Region)
def _region(place, d, src):
    return Region(
        src, place.id, d["name"], _frozen(d["association"]), _frozen(d["partners"]),
        d["coordinator"], _frozen(d.get("copil", [])), _frozen(d.get("charter", {})), _frozen(d.get("letterhead", {})),
    )


@_builds(Territory)
def _territory(place, d, src):
    return Territory(
        src, place.region, place.id, d["name"], d["setting"], d["general_practitioners"],
        tuple(d.get("communes", ())),
    )


@_builds(Group)
def _group(place, d, src):
    return Group(
        src, place.region, place.id, d["name"], d["territory"], _day(d["constituted"]), d.get("wave"),
        _tenures(d["animators"]), _tenures(d["members"]),
    )


@_builds(Programme)
def _programme(place, d, src):
    return Programme(src, place.region, place.year, _day(d["validated"]), tuple(d["themes"]), d.get("dpc_action"))


@_builds(Theme)
def _theme(place, d, src):
    dossier = d["dossier"]
    return Theme(
        src, place.id, d["title"], _frozen(d["criteria"]), dossier["problem"], tuple(dossier["key_messages"]),
        _frozen(dossier["references"]), tuple(d.get("indicators", ())),
    )


@_builds(Feedback)
def _feedback(place, d, src):
    physicians, indicators, blob, *state = d
    state = state[0] if state else CLEAR
    return Feedback(src, place.region, place.id, frozenset(physicians), frozenset(indicators), blob,
                    state != CLEAR, state != LOCKED)


@_builds(Indicator)
def _indicator(place, d, src):
    return Indicator(
        src, place.id, d["title"], d["theme"], d["numerator"], d["denominator"], d["better"], d.get("source")
    )


@_builds(LibraryLock)
def _library_lock(place, d, src):
    return LibraryLock(src, d["source"], d["revision"], _day(d["pulled"]), _frozen(d["files"]),
                       tuple(d.get("kept", ())))


# kind name -> builder, from the kind table: a kind whose record class has no builder fails at import
BUILDERS: dict[str, Callable[..., Any]] = {name: _BUILDS_BY_CLASS[kind.record] for name, kind in KINDS.items()}


def build(place, d: Mapping[str, Any], src: Source) -> Any:
    """The typed record of schema-valid plain data at a layout place (its kind's builder, see `BUILDERS`)."""
    try:
        builder = BUILDERS[place.kind]
    except KeyError:
        raise ValueError(f"unknown kind {place.kind}") from None
    return builder(place, d, src)
