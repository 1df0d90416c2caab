"""The figures of the annual report (REPORTS.md), computed once from the Registry.

Pure: a Registry, a year and an optional region in, plain frozen dataclasses out. Every format (md,
html, csv, json) reads these and nothing else, so a figure has one definition. Rates keep their
numerator and denominator so that a region's or the nation's rate pools its parts instead of averaging
rates. Only aggregates leave this module: no physician's name, RPPS, own rate or own indemnity (the
region's total indemnities come from `indemnities`, the computation the ledger details, summed).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal
from typing import Any, Iterable, Mapping, Sequence

from .. import effects, ids
from ..effects import RegionEffect
from ..errors import UsageError
from ..findings import Finding, count_by_severity
from ..indemnities import indemnities
from ..records import MIN_DENOMINATOR, Group, Held, Meeting, Tenure
from ..layout import year_about
from ..registry import Registry

SETTINGS = ("rural", "urban", "mixed")


def rate(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


class _Pooled:
    """Hours and rates derived from the parts they pool, so that a total pools instead of averaging."""

    minutes: int
    attendances: int
    absences: int
    covered: int | None
    practitioners: int | None

    @property
    def hours(self) -> float:
        return self.minutes / 60

    @property
    def attendance_rate(self) -> float | None:
        return rate(self.attendances, self.attendances + self.absences)

    @property
    def coverage(self) -> float | None:
        return rate(self.covered or 0, self.practitioners or 0)


@dataclass(frozen=True)
class Figures(_Pooled):
    """The keys of REPORTS.md for a region or the total, with the parts its rates pool."""

    groups: int = 0
    animators: int = 0
    coordinators: int = 0
    participants: int = 0
    meetings_held: int = 0
    meetings_expected: int = 0
    minutes: int = 0
    attendances: int = 0
    absences: int = 0
    themes: dict[str, int] = field(default_factory=dict)
    covered: int = 0  # active members practising in the groups' territories
    practitioners: int = 0  # those territories' general practitioners
    errors: int = 0
    warnings: int = 0
    indemnities: Decimal | None = None  # the year's payable total (the ledger's amounts summed); None: no rate set


def pool(parts: Iterable[Figures]) -> Figures:
    """The total of several regions: counts summed, theme counts merged, rates pooled by their parts."""
    parts = list(parts)
    themes: Counter[str] = Counter()
    for part in parts:
        themes.update(part.themes)
    apart = ("themes", "indemnities")
    summed = {f.name: sum(getattr(p, f.name) for p in parts) for f in fields(Figures) if f.name not in apart}
    amounts = [p.indemnities for p in parts if p.indemnities is not None]
    return Figures(**summed, themes=dict(sorted(themes.items())), indemnities=sum(amounts) if amounts else None)


@dataclass(frozen=True)
class GroupFigures(_Pooled):
    """One group's year: its activity, its roll calls and its territory's coverage."""

    id: str
    name: str
    territory: str
    setting: str | None
    wave: int | None
    constituted: date
    members: int  # distinct physicians active as member on some day of the year
    meetings_held: int
    feedback_meetings: int
    meetings_expected: int | None  # None: not active all year, so no yearly target
    minutes: int
    attendances: int
    absences: int
    themes: dict[str, int]
    coverage_day: date | None
    covered: int | None
    practitioners: int | None


@dataclass(frozen=True)
class SettingFigures:
    """The rural/urban balance: territories, groups and participants of one setting."""

    setting: str | None
    territories: int
    groups: int
    participants: int


@dataclass(frozen=True)
class WaveFigures:
    wave: int | None
    groups: int
    first: date
    last: date


@dataclass(frozen=True)
class RuleCount:
    rule: str
    severity: str
    count: int


@dataclass(frozen=True)
class ThemeFigures:
    """A theme of the year's programme or met that year: thematic meetings and groups that held them."""

    id: str
    title: str
    in_programme: bool
    meetings: int
    groups: int


@dataclass(frozen=True)
class IndicatorSeries:
    """One indicator's pooled rates per period: the region's participants and its control group."""

    id: str
    title: str
    better: str  # "lower" or "higher"
    periods: tuple[str, ...]
    participants: tuple[float | None, ...]
    control: tuple[float | None, ...]


@dataclass(frozen=True)
class Highlight:
    """An idée force of a held thematic meeting of the year, for the COPIL (anonymised text, GQ124)."""

    theme: str
    theme_title: str
    group: str
    date: date
    text: str


@dataclass(frozen=True)
class ActionDue:
    """An improvement action of the year or the year before whose review period falls in the year."""

    group: str
    date: date
    theme: str | None
    text: str
    indicator: str | None
    review: str


@dataclass(frozen=True)
class Masthead:
    """Who makes a region's bilan (region.yaml): the association, its partners, the coordinator and the
    COPIL, named on the bilan's cover, and the letterhead it is printed under (RECORDS.md)."""

    association: str
    legal_form: str | None
    partners: tuple[str, ...]
    coordinator: str | None  # the coordinator's name, named in that office (None: no physician file)
    copil: tuple[tuple[str, str | None], ...]  # (name, organisation)
    letterhead: Mapping[str, Any] = field(default_factory=dict)


def masthead(registry: Registry, region: str) -> Masthead | None:
    record = registry.regions.get(region)
    if record is None:
        return None
    coordinator = registry.physician(region, record.coordinator)
    return Masthead(
        association=record.association["name"], legal_form=record.association.get("legal_form"),
        partners=tuple(p["name"] for p in record.partners),
        coordinator=coordinator.name if coordinator else None,
        copil=tuple((m["name"], m.get("organisation")) for m in record.copil), letterhead=record.letterhead,
    )


@dataclass(frozen=True)
class RegionReport:
    id: str
    name: str
    figures: Figures
    groups: tuple[GroupFigures, ...]
    settings: tuple[SettingFigures, ...]
    waves: tuple[WaveFigures, ...]
    themes: tuple[ThemeFigures, ...]
    rules: tuple[RuleCount, ...]
    indicators: tuple[IndicatorSeries, ...]
    effects: RegionEffect | None = None  # the effect of the themes (« Effet des thèmes »)
    highlights: tuple[Highlight, ...] = ()
    actions_due: tuple[ActionDue, ...] = ()
    masthead: Masthead | None = None  # the cover's association, partners, coordinator and COPIL


@dataclass(frozen=True)
class Bilan:
    year: int
    as_of: date
    region: str | None  # the region asked for, None for all regions with a national total
    regions: tuple[RegionReport, ...]
    total: Figures
    rule_titles: dict[str, str]
    revision: Revision | None = None  # the git revision shown (`report --at`), None for the working tree
    federation: str | None = None  # federation.yaml's name, on a national bilan's cover
    logos: Mapping[str, str] = field(default_factory=dict)  # region id -> its letterhead's logo (data URI)


@dataclass(frozen=True)
class Revision:
    """The git revision a bilan shows: as the user named it, the commit, and its commit date."""

    name: str
    commit: str
    day: date


# -- per group -------------------------------------------------------------------------------------


def year_meetings(registry: Registry, region: str, group_id: str, year: int) -> list[Meeting | Held]:
    """The group's meeting files dated in the year, valid or not (an invalid one counts by what it says)."""
    return [m for m in registry.held(region, group_id) if m.date.year == year]


def in_year(tenures: Iterable[Tenure], year: int) -> set[str]:
    """Physicians whose period (as member, or as animator) includes some day of the year."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    return {t.physician for t in tenures if t.overlaps(first, last)}


def roll_call(group: Group, meeting: Meeting | Held) -> tuple[int, int]:
    """(active members present, active members absent): anyone else listed, such as an animator who is
    not a member, is no attendance; a roll call its file does not give validly counts for nothing."""
    if meeting.present is None or meeting.absent is None:
        return 0, 0
    active = group.active_members(meeting.date)
    return len(active & set(meeting.present)), len(active & set(meeting.absent))


def theme_counts(meetings: Iterable[Meeting | Held]) -> dict[str, int]:
    counts = Counter(m.theme for m in meetings if m.type == "thematic" and m.theme)
    return dict(sorted(counts.items()))


def group_figures(registry: Registry, group: Group, year: int) -> GroupFigures:
    meetings = year_meetings(registry, group.region, group.id, year)
    calls = [roll_call(group, m) for m in meetings]
    day = registry.coverage_day(group, year)
    counts = registry.coverage(group, day) if day else None
    territory = registry.territories.get((group.region, group.territory))
    return GroupFigures(
        id=group.id,
        name=group.name,
        territory=territory.name if territory else group.territory,
        setting=territory.setting if territory else None,
        wave=group.wave,
        constituted=group.constituted,
        members=len(in_year(group.members, year)),
        meetings_held=len(meetings),
        feedback_meetings=sum(1 for m in meetings if m.type == "feedback"),
        meetings_expected=registry.meetings_expected(group, year),
        minutes=sum(m.duration_minutes or 0 for m in meetings),
        attendances=sum(p for p, _ in calls),
        absences=sum(a for _, a in calls),
        themes=theme_counts(meetings),
        coverage_day=day if counts else None,
        covered=counts[0] if counts else None,
        practitioners=counts[1] if counts else None,
    )


def groups_of_year(registry: Registry, region: str, year: int) -> list[Group]:
    """The region's groups active in the year, and any that held a meeting in it, by id."""
    return [
        g for (r, _), g in sorted(registry.groups.items())
        if r == region and (registry.active_in_year(g, year) or year_meetings(registry, r, g.id, year))
    ]


# -- per region ------------------------------------------------------------------------------------


def pooled_coverage(details: Sequence[GroupFigures], groups: Sequence[Group]) -> tuple[int, int]:
    """(members from the territories, the territories' GPs), each territory's GPs counted once even
    when several groups share it."""
    covered, practitioners = 0, {}
    for detail, group in zip(details, groups):
        if detail.covered is not None:
            covered += detail.covered
            practitioners[group.territory] = detail.practitioners
    return covered, sum(practitioners.values())


def findings_of_year(registry: Registry, findings: Iterable[Finding], region: str, year: int) -> list[Finding]:
    """The findings a region's bilan of a year counts: in the region's folder, about that year: on a file
    of that year (meeting, contract, programme, feedback), or on a file of no year (region, territory,
    physician, group.yaml, files the layout could not place) when the finding is about that year (a
    period, a judged year, a day) or about no year at all."""
    return [
        f for f in findings
        if registry.region_of_path(f.path) == region and year_about(f) in (None, year)
    ]


def rule_counts(findings: Iterable[Finding]) -> tuple[RuleCount, ...]:
    counts = Counter((f.rule, f.severity) for f in findings)
    return tuple(RuleCount(rule, severity, n) for (rule, severity), n in sorted(counts.items()))


def setting_figures(groups: Sequence[Group], details: Sequence[GroupFigures], year: int) -> tuple[SettingFigures, ...]:
    """Territories, active groups and participants per setting; the three settings always shown."""
    by_setting: dict[str | None, list[tuple[Group, GroupFigures]]] = {s: [] for s in SETTINGS}
    for group, detail in zip(groups, details):
        by_setting.setdefault(detail.setting, []).append((group, detail))
    out = []
    for setting, pairs in by_setting.items():
        active = [(g, d) for g, d in pairs if d.members]
        participants = set().union(*(in_year(g.members, year) for g, _ in active))
        out.append(SettingFigures(setting, len({g.territory for g, _ in active}), len(active), len(participants)))
    return tuple(out)


def wave_figures(details: Sequence[GroupFigures]) -> tuple[WaveFigures, ...]:
    waves: dict[int | None, list[date]] = {}
    for detail in details:
        if detail.members:
            waves.setdefault(detail.wave, []).append(detail.constituted)
    order = sorted(waves, key=lambda w: (w is None, w or 0))
    return tuple(WaveFigures(w, len(waves[w]), min(waves[w]), max(waves[w])) for w in order)


def theme_figures(registry: Registry, region: str, year: int, details: Sequence[GroupFigures]) -> tuple[ThemeFigures, ...]:
    terms = registry.programme_terms(region, year)
    offered = set(terms[0] or ()) if terms else set()
    met = {theme for d in details for theme in d.themes}
    out = []
    for theme_id in sorted(offered | met):
        theme = registry.themes.get(theme_id)
        out.append(ThemeFigures(
            theme_id, theme.title if theme else theme_id, theme_id in offered,
            sum(d.themes.get(theme_id, 0) for d in details),
            sum(1 for d in details if theme_id in d.themes),
        ))
    return tuple(out)


def feedback_periods(registry: Registry, region: str, year: int) -> list[str]:
    """The region's feedback periods of the year and the year before: the evolution the bilan shows."""
    return sorted(
        p for (r, p) in registry.feedback
        if r == region and (bounds := ids.period_bounds(p)) and bounds[0].year in (year - 1, year)
    )


def pooled_rate(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator >= MIN_DENOMINATOR else None


def indicator_series(registry: Registry, region: str, year: int) -> tuple[IndicatorSeries, ...]:
    """Per known indicator with data, the pooled rate (sum of numerators / sum of denominators) of the
    region's participants and of its control group, period by period.

    The participants are those of the feedback profiles (`Registry.members_in_period`): rows of physicians in
    none of the region's groups during the period are left aside, so the bilan and the profiles agree. A
    participants' rate resting on fewer physicians than the charter's `feedback_min_members` is not
    shown (None), as a group profile is not: a regional rate of one physician is that physician's rate.
    """
    periods = feedback_periods(registry, region, year)
    minimum = registry.charter(region)["feedback_min_members"] or 0
    sums: dict[tuple[str, str, str], list[int]] = {}
    physicians: dict[tuple[str, str, str], set[str]] = {}
    for period in periods:
        participants = set().union(*registry.members_in_period(region, period).values())
        for row in registry.feedback[region, period].rows:
            if row.indicator not in registry.indicators:
                continue
            if row.population == "participant" and row.physician not in participants:
                continue
            parts = sums.setdefault((row.indicator, row.population, period), [0, 0])
            parts[0] += row.numerator
            parts[1] += row.denominator
            if row.population == "participant":
                physicians.setdefault((row.indicator, row.population, period), set()).add(row.physician)
    out = []
    for indicator_id in sorted({key[0] for key in sums}):
        indicator = registry.indicators[indicator_id]

        def series(population: str, indicator_id: str = indicator_id) -> tuple[float | None, ...]:
            return tuple(pooled_rate(*sums.get((indicator_id, population, p), (0, 0)))
                         if population != "participant" or len(physicians.get((indicator_id, population, p), ())) >= minimum
                         else None for p in periods)

        out.append(IndicatorSeries(indicator_id, indicator.title, indicator.better, tuple(periods),
                                   series("participant"), series("control")))
    return tuple(out)


def _group_name(registry: Registry, region: str, group: str) -> str:
    record = registry.groups.get((region, group))
    return record.name if record else group


def highlights(registry: Registry, region: str, year: int) -> tuple[Highlight, ...]:
    """The idées forces of the region's held thematic meetings of the year, by theme, date and group."""
    out = []
    for (r, group), meetings in registry.meetings.items():
        for m in meetings:
            if r == region and m.date.year == year and m.theme and m.counts(registry.as_of):
                theme = registry.themes.get(m.theme)
                out += [Highlight(m.theme, theme.title if theme else m.theme, _group_name(registry, r, group), m.date, text)
                        for text in m.highlights]
    return tuple(sorted(out, key=lambda h: (h.theme_title, h.date, h.group)))


def actions_due(registry: Registry, region: str, year: int) -> tuple[ActionDue, ...]:
    """The improvement actions (of the meetings read: the year and the one before) to review in the year."""
    out = []
    for (r, group), meetings in registry.meetings.items():
        for m in meetings:
            if r == region and m.date.year in (year - 1, year) and m.counts(registry.as_of):
                theme = registry.themes.get(m.theme) if m.theme else None
                out += [ActionDue(_group_name(registry, r, group), m.date, theme.title if theme else m.theme, a.text,
                                  a.indicator, a.review)
                        for a in m.actions if a.review and a.review.startswith(f"{year}-")]
    return tuple(sorted(out, key=lambda a: (a.review, a.date, a.group)))


def region_report(registry: Registry, region: str, year: int, findings: Sequence[Finding]) -> RegionReport:
    groups = groups_of_year(registry, region, year)
    details = tuple(group_figures(registry, g, year) for g in groups)
    active = [g for g in groups if registry.active_in_year(g, year)]
    meetings = [m for (r, _), ms in sorted(registry.held_by_group.items()) if r == region for m in ms if m.date.year == year]
    covered, practitioners = pooled_coverage(details, groups)
    found = findings_of_year(registry, findings, region, year)
    counts = count_by_severity(found)
    record = registry.regions.get(region)
    figures = Figures(
        groups=len(active),
        animators=len(set().union(*(in_year(g.animators, year) for g in groups))),
        coordinators=1 if registry.exists("region", region, region) else 0,
        participants=len(set().union(*(in_year(g.members, year) for g in groups))),
        meetings_held=len(meetings),
        meetings_expected=sum(d.meetings_expected or 0 for d in details),
        minutes=sum(m.duration_minutes or 0 for m in meetings),
        attendances=sum(d.attendances for d in details),
        absences=sum(d.absences for d in details),
        themes=theme_counts(meetings),
        covered=covered,
        practitioners=practitioners,
        errors=counts["errors"],
        warnings=counts["warnings"],
        indemnities=indemnities(registry, region, year),
    )
    return RegionReport(
        id=region,
        name=record.name if record else region,
        figures=figures,
        groups=details,
        settings=setting_figures(groups, details, year),
        waves=wave_figures(details),
        themes=theme_figures(registry, region, year, details),
        rules=rule_counts(found),
        indicators=indicator_series(registry, region, year),
        effects=effects.region_effect(registry, region, year),
        highlights=highlights(registry, region, year),
        actions_due=actions_due(registry, region, year),
        masthead=masthead(registry, region),
    )


class UnknownRegion(UsageError):
    """The bilan of a region the records do not have."""


def build(registry: Registry, year: int, region: str | None, findings: Sequence[Finding],
          titles: dict[str, str], revision: Revision | None = None) -> Bilan:
    """The bilan of a year for one region, or for every region with their total.

    `findings` are those of `gqrec check` on the same records, sorted; `titles` the rules' titles by id.
    """
    refusal = registry.unknown_region(region)
    if refusal is not None:
        raise UnknownRegion(refusal)
    region_ids = (region,) if region else registry.region_ids
    reports = tuple(region_report(registry, r, year, findings) for r in region_ids)
    federation = registry.federation.name if registry.federation is not None and region is None else None
    return Bilan(year, registry.as_of, region, reports, pool(r.figures for r in reports), titles, revision, federation)

