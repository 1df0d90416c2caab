"""The rows of each exported table, computed from the Registry: pure, no files, no SQL.

Every table's rows come in a fixed order (records sorted by their keys, the entries of a list in the
file's order), so the same records give the same rows.
Physicians appear through an `Identity`: as they are, or under the feedback key's codes without names.
Pseudonymised, the export says of each code only what `anonymity` allows (one row per region, group
and year, the meetings attended as a range): no roll call, no membership or contract dates, no animator
or coordinator, no feedback row on fewer than 10 patients, no record value in a finding.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterable, Iterator, Sequence

from .. import __version__
from ..findings import Finding
from ..layout import year_about
from ..records import feedback_table
from ..registry import Registry
from .anonymity import facts, generalise, Participation
from .pseudonyms import RPPS_IN_TEXT, Identity
from .schema import CRITERIA

MIN_PATIENTS = 10  # a pseudonymised feedback row on fewer patients is left out, as the profiles hide it


@dataclass(frozen=True)
class Slice:
    """What to export: one year's dated records (meetings and roll calls, programmes, contracts,
    feedback periods) and one region's records; None for all. Undated records (territories,
    physicians, groups and their memberships) and the national library are kept whole, so every
    reference of the slice still names a row."""

    year: int | None = None
    region: str | None = None
    revision: str | None = None  # --at as given, and the commit it named
    commit: str | None = None

    def has_region(self, region: str | None) -> bool:
        return self.region is None or region is None or region == self.region

    def has_year(self, year: int | None) -> bool:
        return self.year is None or year is None or year == self.year


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def regions(registry: Registry, s: Slice, who: Identity) -> Iterator[tuple]:
    """Every region folder, even one whose region.yaml is unreadable, so that references to it hold."""
    for region_id in registry.region_ids:
        if s.has_region(region_id):
            record = registry.regions.get(region_id)
            if record is None:
                yield region_id, None, None, None
            else:
                yield (region_id, record.name, record.association.get("name"),
                       None if who.pseudonymous else record.coordinator)


def territories(registry: Registry, s: Slice, who: Identity) -> Iterator[tuple]:
    for (region, _), t in sorted(registry.territories.items()):
        if s.has_region(region):
            yield region, t.id, t.name, t.setting, t.general_practitioners


def physicians(registry: Registry, s: Slice, who: Identity,
               given: dict[str, tuple[Participation, ...]] | None = None) -> Iterator[tuple]:
    """Pseudonymised, only each exported code in its regions, nothing else: a physician's file
    (territory, specialty, training date) is in the repository."""
    if who.pseudonymous:
        given = allowed(registry, s) if given is None else given
        yield from sorted({(p.region, who.rpps(rpps), None, None, None, None)
                           for rpps, rows in given.items() for p in rows})
        return
    rows = (
        (region, who.rpps(p.id), who.name(p.name), p.territory, p.specialty, _day(p.animator_trained))
        for (region, _), p in sorted(registry.physicians.items()) if s.has_region(region)
    )
    yield from who.ordered(rows, key=lambda row: row[:2])


def groups(registry: Registry, s: Slice, who: Identity) -> Iterator[tuple]:
    for (region, _), g in sorted(registry.groups.items()):
        if s.has_region(region):
            yield region, g.id, g.name, g.territory, _day(g.constituted), g.wave


def memberships(registry: Registry, s: Slice, who: Identity) -> Iterator[tuple]:
    """One row per entry of `animators` and of `members`, numbered from 1 in its list (once
    pseudonymised, none: their dates are in the repository)."""
    if who.pseudonymous:
        return
    for (region, _), g in sorted(registry.groups.items()):
        if s.has_region(region):
            for role, tenures in (("animator", g.animators), ("member", g.members)):
                entries = ((who.rpps(t.physician), _day(t.since), _day(t.until)) for t in tenures)
                for number, (rpps, since, until) in enumerate(who.ordered(entries, key=_nulls_first), start=1):
                    yield region, g.id, role, number, rpps, since, until


def _nulls_first(row: tuple) -> tuple:
    """A sort key for rows holding None (an open period, a control row without physician)."""
    return tuple((value is not None, value) for value in row)


def _meetings(registry: Registry, s: Slice):
    for (region, _), meetings in sorted(registry.meetings.items()):
        if s.has_region(region):
            for m in meetings:
                if s.has_year(m.date.year):
                    yield m


def meetings(registry: Registry, s: Slice, who: Identity) -> Iterator[tuple]:
    for m in _meetings(registry, s):
        yield (m.region, m.group, m.date.isoformat(), m.type, m.theme, m.period, m.duration_minutes,
               None if who.pseudonymous else m.animator, m.clinical_cases)


def attendance(registry: Registry, s: Slice, who: Identity) -> Iterator[tuple]:
    """One row per name on the roll call of a meeting that counts, held on or before the reference date (the schema already refuses a list that repeats a name: kept
    unique here all the same, a repeated name would break the primary key). Pseudonymised, none: a
    code's roll calls would match it to the physician (`participation` says what may be said)."""
    if who.pseudonymous:
        return
    for m in _meetings(registry, s):
        if not m.counts(registry.as_of):
            continue
        day = m.date.isoformat()
        for status, names in (("present", m.present), ("absent", m.absent)):
            for rpps in who.ordered(dict.fromkeys(map(who.rpps, names)), key=lambda code: code):
                yield m.region, m.group, day, rpps, status


def programmes(registry: Registry, s: Slice, who: Identity) -> Iterator[tuple]:
    for (region, year), p in sorted(registry.programmes.items()):
        if s.has_region(region) and s.has_year(year):
            for theme in dict.fromkeys(p.themes):
                yield region, year, p.validated.isoformat(), theme


def contracts(registry: Registry, s: Slice, who: Identity) -> Iterator[tuple]:
    if who.pseudonymous:  # a contract's date and group are in the repository
        return
    rows = (
        (region, year, who.rpps(c.physician), c.signed.isoformat(), c.group, c.role)
        for (region, year, _), c in sorted(registry.contracts.items()) if s.has_region(region) and s.has_year(year)
    )
    yield from who.ordered(rows, key=lambda row: row[:3])


def themes(registry: Registry, s: Slice, who: Identity) -> Iterator[tuple]:
    for theme_id, t in sorted(registry.themes.items()):
        yield (theme_id, t.title, *(int(bool(t.criteria.get(name))) for name in CRITERIA))


def indicators(registry: Registry, s: Slice, who: Identity) -> Iterator[tuple]:
    for indicator_id, i in sorted(registry.indicators.items()):
        yield indicator_id, i.title, i.theme, i.better


def participation(registry: Registry, s: Slice, who: Identity,
                  given: dict[str, tuple[Participation, ...]] | None = None) -> Iterator[tuple]:
    """One row per physician, region, group and year of membership in the slice: the group's meetings
    attended (exact: `attended_min` = `attended_max`). Pseudonymised, what `anonymity.generalise`
    allows, in the order of the codes."""
    if not who.pseudonymous:
        for rpps, found in sorted(facts(registry, _years(s), s.region).items()):
            for (region, group, year), count in sorted(found.items()):
                yield region, group, year, rpps, count, count
        return
    given = allowed(registry, s) if given is None else given
    coded = ((p.region, p.group, p.year, who.rpps(rpps), p.low, p.high) for rpps, rows in given.items() for p in rows)
    yield from who.ordered(coded, key=lambda row: (row[3], *_nulls_first(row)))


def allowed(registry: Registry, s: Slice) -> dict[str, tuple[Participation, ...]]:
    """What a pseudonymised export may say of each physician (`anonymity`); absent: left out."""
    return generalise(facts(registry, _years(s), s.region))


def _years(s: Slice) -> frozenset[int] | None:
    return None if s.year is None else frozenset((s.year,))


def feedback(registry: Registry, s: Slice, who: Identity,
             given: dict[str, tuple[Participation, ...]] | None = None) -> Iterator[tuple]:
    """The valid rows of each period's CSV with their line (once pseudonymised, rows in the order of
    the codes and `line` their rank in it). The rows are asked of the Registry's feedback records only
    here, so a change of how they are stored touches this one place; they are read from each record's
    blob without being kept (a national archive has half a million)."""
    for (region, period), data in sorted(registry.feedback.items()):
        if not (s.has_region(region) and s.has_year(int(period[:4]))):
            continue
        table = feedback_table(data.blob)  # (line, population, physician, indicator, numerator, denominator)
        if who.pseudonymous and given is None:
            given = allowed(registry, s)
        if not who.pseudonymous:
            yield from ((region, period, *row) for row in table)
            continue
        coded = ((population, who.rpps(physician), indicator, numerator, denominator)
                 for _, population, physician, indicator, numerator, denominator in table
                 if denominator >= MIN_PATIENTS and (physician is None or physician in given))
        for number, row in enumerate(who.ordered(coded, key=_nulls_first), start=1):
            yield region, period, number, *row


def findings_in(registry: Registry, found: Iterable[Finding], s: Slice) -> list[tuple[Finding, str | None]]:
    """The check's findings the slice holds, with their region: those of the slice's region (and of the
    national files) about the slice's year or about no year, as the bilan counts them."""
    kept = []
    for f in found:
        region = registry.region_of_path(f.path)
        if s.has_region(region) and s.has_year(year_about(f)):
            kept.append((f, region))
    return kept


def findings_rows(kept: Sequence[tuple[Finding, str | None]], who: Identity) -> Iterator[tuple]:
    """`findings_in`, in report order. Pseudonymised, a finding keeps its rule's title instead of its
    message and no hint (a message quotes record values: a name written as a list, a mistyped RPPS),
    and a file named after a physician loses its name and its line (in the order of the paths)."""
    if who.pseudonymous:
        from ..rules import titles

        title = titles()
        rows = [_masked(f, region, title.get(f.rule, f.rule)) for f, region in kept]
    else:
        rows = [(f.path, f.line, f.column, f.rule, f.severity, f.message, f.hint or None, region, year_about(f))
                for f, region in kept]
    for number, (path, line, column, rule, severity, message, hint, region, year) in enumerate(
            who.ordered(rows, key=_nulls_first), start=1):
        yield number, rule, severity, path, line, column, message, hint, region, year


def _masked(f: Finding, region: str | None, title: str) -> tuple:
    path = RPPS_IN_TEXT.sub("*", f.path)
    line, column = (f.line, f.column) if path == f.path else (None, None)
    return path, line, column, f.rule, f.severity, title, None, region, year_about(f)


def export_rows(registry: Registry, s: Slice, who: Identity) -> Iterator[tuple]:
    """One row saying what this export holds: the judging date, the slice, the revision and its commit,
    the mode."""
    yield (registry.as_of.isoformat(), s.year, s.region, s.revision, s.commit, int(who.pseudonymous), __version__)


# Each kind of the kind table (`kinds.KINDS`): the tables its records fill, or why it is not exported
# (tests/test_kinds.py fails for a kind in neither, and for a record table no kind claims).
TABLES_OF_KIND: dict[str, tuple[str, ...]] = {
    "theme": ("themes",), "indicator": ("indicators",), "region": ("regions",), "territory": ("territories",),
    "physician": ("physicians",), "group": ("groups", "memberships"), "meeting": ("meetings", "attendance", "participation"),
    "programme": ("programmes",), "contract": ("contracts",), "feedback": ("feedback",),
}
NOT_EXPORTED: dict[str, str] = {
    "federation": "its name and the national charter are settings of the check, not records to analyse; "
                  "what they make of the records is in the findings table",
    "lock": "which national commit the library was pulled from: provenance of the library, not a record to analyse",
}

RECORD_TABLES = {
    "regions": regions, "territories": territories, "physicians": physicians, "groups": groups,
    "memberships": memberships, "meetings": meetings, "attendance": attendance, "programmes": programmes,
    "contracts": contracts, "themes": themes, "indicators": indicators, "feedback": feedback,
    "participation": participation, "export": export_rows,
}


def all_rows(registry: Registry, kept: Sequence[tuple[Finding, str | None]], s: Slice,
             who: Identity) -> dict[str, Iterator[tuple]]:
    """Each table's name and its rows (lazy: the writer streams them, a national archive's roll calls
    are millions of rows); `kept` are the slice's findings (`findings_in`)."""
    out = {name: make(registry, s, who) for name, make in RECORD_TABLES.items()}
    given = allowed(registry, s) if who.pseudonymous else None  # computed once for the three tables
    out["physicians"] = physicians(registry, s, who, given)
    out["participation"] = participation(registry, s, who, given)
    out["feedback"] = feedback(registry, s, who, given)
    out["findings"] = findings_rows(kept, who)
    return out
