"""The effect of the themes (REPORTS.md « The effect of the themes (impact) »): how the participants'
rates moved after a thematic meeting, against the control group (difference in differences).

Pure: a Registry and a year in, frozen dataclasses out, read by `gqrec impact`, by the bilan's section
« Effet des thèmes » and by the bundle. Only aggregates leave this module: no RPPS, no name, no
individual change; every figure of a row on fewer than MIN_PHYSICIANS physicians is None
(`suppressed`), and no physician's rate on fewer than MIN_DENOMINATOR patients enters a panel.

For each group g that held a thematic meeting on theme T in the year (its first one, on day d) and each
indicator I of T: before B is the region's feedback period (of its rhythm) that ends last before d,
after A the one that starts first after d; the panel is g's members active on d with a denominator of
at least 10 in both; physician i's change c_i = 100 × (rate_A − rate_B) in points, the control's change
c_ctl the same from the region's pooled control rows (None under 10 patients), the effect e_i = c_i −
c_ctl. A physician in the panels of several groups for (T, I) counts once, in the group of the earliest
d. A row's `effect` is the mean of the e_i with its 95 % Student confidence interval.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Iterable

from .ids import PERIOD_LETTER, period_bounds, previous_period
from .records import MIN_DENOMINATOR, Meeting
from .registry import Registry

MIN_PHYSICIANS = 5  # « effectif insuffisant » below: no figure rests on fewer physicians (as for profiles)


@dataclass(frozen=True)
class ActionNote:
    """An improvement action of a meeting on the theme that names the indicator, with its group and date."""

    group: str
    date: date
    text: str
    review: str | None


@dataclass(frozen=True)
class Effect:
    """The figures of one row (a region's, or a group's): None where suppressed or without control."""

    physicians: int
    change: float | None
    control_change: float | None
    effect: float | None
    ci95: tuple[float, float] | None
    right_way: bool | None
    # the chart's points: the panel's mean rate and the control's rate, before and after (in %)
    mean_before: float | None = None
    mean_after: float | None = None
    control_before: float | None = None
    control_after: float | None = None

    @property
    def suppressed(self) -> bool:
        return self.physicians < MIN_PHYSICIANS


@dataclass(frozen=True)
class GroupEffect:
    group: str
    name: str
    date: date
    before: str
    after: str
    figures: Effect
    actions: tuple[ActionNote, ...]


@dataclass(frozen=True)
class IndicatorEffect:
    indicator: str
    title: str
    better: str  # "lower" or "higher"
    figures: Effect
    actions: tuple[ActionNote, ...]
    groups: tuple[GroupEffect, ...]


@dataclass(frozen=True)
class ThemeEffect:
    theme: str
    title: str
    indicators: tuple[IndicatorEffect, ...]


@dataclass(frozen=True)
class RegionEffect:
    region: str
    name: str
    themes: tuple[ThemeEffect, ...]


@dataclass(frozen=True)
class Impact:
    year: int
    as_of: date
    region: str | None
    regions: tuple[RegionEffect, ...]
    unread: bool = False  # sealed feedback files could not be opened (no key): the figures are incomplete


# -- counting ------------------------------------------------------------------------------------------


def thematic_meetings(registry: Registry, region: str, year: int) -> dict[tuple[str, str], list[Meeting]]:
    """(group, theme) -> the group's held thematic meetings on it in the year, by date (on or before the
    as-of date)."""
    out: dict[tuple[str, str], list[Meeting]] = defaultdict(list)
    for (r, group), meetings in sorted(registry.meetings.items()):
        if r != region:
            continue
        for m in meetings:
            if m.date.year == year and m.type == "thematic" and m.theme and m.counts(registry.as_of):
                out[group, m.theme].append(m)
    return out


def adjacent_periods(day: date, rhythm: str) -> tuple[str, str]:
    """(the period of the rhythm that ends last before `day`, the one that starts first after it): those
    either side of the period holding `day`."""
    letter = PERIOD_LETTER.get(rhythm, "S")
    count = 2 if letter == "S" else 4
    current = f"{day.year}-{letter}{(day.month - 1) * count // 12 + 1}"
    after = period_bounds(current)[1] + timedelta(days=1)
    return previous_period(current), f"{after.year}-{letter}{(after.month - 1) * count // 12 + 1}"


class _Rows:
    """One region's feedback, pooled: per (period, indicator) each participant's (num, den) and the control's."""

    def __init__(self, registry: Registry, region: str):
        self.registry, self.region = registry, region
        self._periods: dict[str, tuple[dict, dict]] = {}

    def has(self, period: str, indicator: str) -> bool:
        """Whether the period's file has rows of the indicator."""
        feedback = self.registry.feedback.get((self.region, period))
        return feedback is not None and indicator in feedback.indicators

    def of(self, period: str) -> tuple[dict, dict] | None:
        """({(indicator, rpps): [num, den]}, {indicator: [num, den]}) of a period; None without its file."""
        if period not in self._periods:
            feedback = self.registry.feedback.get((self.region, period))
            if feedback is None:
                self._periods[period] = None
            else:
                people: dict = {}
                control: dict = {}
                # the plain rows, not `FeedbackRow`s: a bilan pools a hundred thousand of them
                for _, population, physician, indicator, numerator, denominator in feedback.table:
                    if population == "participant":
                        add_row(people, (indicator, physician), numerator, denominator)
                    elif population == "control":
                        add_row(control, indicator, numerator, denominator)
                self._periods[period] = (people, control)
        return self._periods[period]


def add_row(sums: dict, key, numerator: int, denominator: int) -> None:
    """Add a row's numerator and denominator to the key's [sum of numerators, sum of denominators]."""
    parts = sums.get(key)
    if parts is None:
        sums[key] = [numerator, denominator]
    else:
        parts[0] += numerator
        parts[1] += denominator


def _rate(parts) -> float | None:
    return parts[0] / parts[1] if parts and parts[1] >= MIN_DENOMINATOR else None


def student_interval(values: list[float]) -> tuple[float, float] | None:
    """mean ± t(0.975, n − 1) × s / √n (Student's t quantile from scipy, `_t975`), None under two values."""
    n = len(values)
    if n < 2:
        return None
    mean = statistics.fmean(values)
    half = _t975(n - 1) * statistics.stdev(values) / math.sqrt(n)
    return mean - half, mean + half


@cache
def _t975(freedom: int) -> float:
    """Student's t quantile 0.975 for these degrees of freedom, asked of scipy once per run (a bilan asks
    it of a thousand intervals, with few distinct group sizes). `scipy.special.stdtrit` is what
    `scipy.stats.t.ppf` computes, without importing `scipy.stats` (half a second of CPU)."""
    from scipy.special import stdtrit  # imported when an interval is computed: scipy is slow to import

    return float(stdtrit(freedom, 0.975))


def right_way(effect: float | None, ci95: tuple[float, float] | None, better: str) -> bool | None:
    """True when the effect moved the indicator's `better` way and its interval excludes 0, False when it
    moved the other way and excludes 0, None otherwise."""
    if effect is None or ci95 is None or ci95[0] <= 0 <= ci95[1]:
        return None
    return (effect < 0) == (better == "lower")


@dataclass
class _Panel:
    """One group's panel for (T, I) before the figures: each physician's rates, the control's."""

    group: str
    date: date
    before: str
    after: str
    people: dict[str, tuple[float, float]]  # rpps -> (rate before, rate after)
    control: tuple[float | None, float | None]

    @property
    def control_change(self) -> float | None:
        b, a = self.control
        return None if b is None or a is None else 100 * (a - b)


def effect_of(panels: Iterable[_Panel], better: str, control: tuple[float | None, float | None]) -> Effect:
    """The figures of a row from its panels (each physician once), the control of the row given."""
    changes, effects, befores, afters = [], [], [], []
    for panel in panels:
        for rate_before, rate_after in panel.people.values():
            c = 100 * (rate_after - rate_before)
            changes.append(c)
            befores.append(100 * rate_before)
            afters.append(100 * rate_after)
            effects.append(None if panel.control_change is None else c - panel.control_change)
    n = len(changes)
    control_change = None if None in control else 100 * (control[1] - control[0])
    if n < MIN_PHYSICIANS:
        return Effect(n, None, None, None, None, None)
    usable = None not in effects
    effect = statistics.fmean(effects) if usable else None
    ci95 = student_interval(effects) if usable else None
    return Effect(
        n, statistics.fmean(changes), control_change, effect, ci95, right_way(effect, ci95, better),
        statistics.fmean(befores), statistics.fmean(afters),
        None if control[0] is None else 100 * control[0], None if control[1] is None else 100 * control[1],
    )


# -- building ------------------------------------------------------------------------------------------


def indicators_of(registry: Registry, theme: str) -> list[str]:
    """The indicators of a theme: those it lists and those that name it, known to the library."""
    listed = registry.themes[theme].indicators if theme in registry.themes else ()
    named = (i for i, indicator in registry.indicators.items() if indicator.theme == theme)
    return sorted({i for i in (*listed, *named) if i in registry.indicators})


def region_effect(registry: Registry, region: str, year: int) -> RegionEffect:
    rhythm = registry.charter(region)["feedback_period"]
    rows = _Rows(registry, region)
    by_theme: dict[str, list[tuple[date, str, list[Meeting]]]] = defaultdict(list)
    for (group, theme), meetings in thematic_meetings(registry, region, year).items():
        by_theme[theme].append((meetings[0].date, group, meetings))
    themes = []
    for theme in sorted(by_theme):
        firsts = sorted(by_theme[theme], key=lambda item: item[:2])  # the earliest d first
        indicators = []
        for indicator_id in indicators_of(registry, theme):
            row = _indicator_effect(registry, region, rows, rhythm, indicator_id, firsts)
            if row is not None:
                indicators.append(row)
        if indicators:
            title = registry.themes[theme].title if theme in registry.themes else theme
            themes.append(ThemeEffect(theme, title, tuple(indicators)))
    record = registry.regions.get(region)
    return RegionEffect(region, record.name if record else region, tuple(themes))


def _actions(meetings: Iterable[Meeting], group: str, indicator: str) -> list[ActionNote]:
    return [ActionNote(group, m.date, a.text, a.review) for m in meetings for a in m.actions if a.indicator == indicator]


def _indicator_effect(registry: Registry, region: str, rows: _Rows, rhythm: str, indicator_id: str,
                      firsts: list[tuple[date, str, list[Meeting]]]) -> IndicatorEffect | None:
    indicator = registry.indicators[indicator_id]
    seen: set[str] = set()
    panels: list[_Panel] = []
    groups: list[GroupEffect] = []
    actions: list[ActionNote] = []
    for day, group_id, meetings in firsts:
        before, after = adjacent_periods(day, rhythm)
        data_before, data_after = rows.of(before), rows.of(after)
        if not rows.has(before, indicator_id) or not rows.has(after, indicator_id):
            continue  # no such period with data: no row for the group
        group = registry.groups.get((region, group_id))
        active = group.active_members(day) if group else frozenset()
        people = {}
        for rpps in sorted(active - seen):
            rate_before = _rate(data_before[0].get((indicator_id, rpps)))
            rate_after = _rate(data_after[0].get((indicator_id, rpps)))
            if rate_before is not None and rate_after is not None:
                people[rpps] = (rate_before, rate_after)
        seen |= people.keys()
        control = (_rate(data_before[1].get(indicator_id)), _rate(data_after[1].get(indicator_id)))
        panel = _Panel(group_id, day, before, after, people, control)
        panels.append(panel)
        noted = _actions(meetings, group_id, indicator_id)
        actions += noted
        groups.append(GroupEffect(group_id, group.name if group else group_id, day, before, after,
                                  effect_of([panel], indicator.better, control), tuple(noted)))
    if not panels:
        return None
    figures = effect_of(panels, indicator.better, panels[0].control)  # the region's control: the earliest d's
    return IndicatorEffect(indicator_id, indicator.title, indicator.better, figures, tuple(actions), tuple(groups))


def build(registry: Registry, year: int, region: str | None = None) -> Impact:
    """The effect of the year's themes for one region or every region (an unknown region is the caller's
    to refuse)."""
    region_ids = (region,) if region else registry.region_ids
    unread = any(not f.opened for (r, _), f in registry.feedback.items() if r in region_ids)
    return Impact(year, registry.as_of, region, tuple(region_effect(registry, r, year) for r in region_ids), unread)


def years_read(year: int) -> frozenset[int]:
    """The dated records the effect of a year needs: its meetings, and the feedback periods around them
    (the period before a January meeting, the one after a December meeting)."""
    return frozenset((year - 1, year, year + 1))


# -- the JSON contract (REPORTS.md): `gqrec impact --format json`, the bilan's and the bundle's rows -----


def figures_json(f: Effect) -> dict:
    """The keys of a row, full precision; every figure None under five physicians."""
    return {
        "physicians": f.physicians,
        "change": f.change,
        "control_change": f.control_change,
        "effect": f.effect,
        "ci95": list(f.ci95) if f.ci95 else None,
        "right_way": f.right_way,
    }


def action_json(a: ActionNote) -> dict:
    return {"group": a.group, "date": a.date.isoformat(), "text": a.text, "review": a.review}


def region_json(r: RegionEffect, groups: bool = True) -> dict:
    """A region's rows; `groups` False gives the region-level rows only (the bilan's section)."""
    return {"region": r.region, "themes": [
        {"theme": t.theme, "indicators": [
            {"indicator": i.indicator, "better": i.better, **figures_json(i.figures),
             "actions": [action_json(a) for a in i.actions],
             **({"groups": [
                 {"group": g.group, "date": g.date.isoformat(), "before": g.before, "after": g.after,
                  **figures_json(g.figures), "actions": [action_json(a) for a in g.actions]}
                 for g in i.groups]} if groups else {})}
            for i in t.indicators]}
        for t in r.themes]}


def as_json(impact: Impact) -> dict:
    return {"year": impact.year, "regions": [region_json(r) for r in impact.regions]}
