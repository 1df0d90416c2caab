"""Prescription profiles computed from the Registry: pure, no files, no formatting.

The figures of one period for one scope (a group, or one physician), as frozen dataclasses that the
renderers only format. Small-cell suppression is applied here, once: a `Rate` on fewer than
MIN_DENOMINATOR patients carries no number at all, and no numerator or denominator ever leaves this
module (publishing them would let a reader recover a hidden rate by difference from the group's
pooled rate). Renderers therefore cannot leak what was suppressed.

Definitions (docs/feedback.md says them in French):

- a physician is a member of a group for a period when one of their member entries is active on some
  day of the period (group.yaml `since`/`until`);
- the region's participants for a period are the members of any of the region's groups for that
  period; the rows of other physicians (unknown, or in no group) are left aside and counted;
- a rate pools numerators and denominators: sum of numerators / sum of denominators, over the rows
  of the population (several rows of one physician and indicator are pooled as well);
- the distribution of an indicator is the rates of the region's participants whose own denominator is
  at least MIN_DENOMINATOR; with at least MIN_PARTICIPANTS of them it gives the deciles
  (`statistics.quantiles(n=10, method="inclusive")`) and each shown rate's percentile rank,
  100 × (rates below + ½ × rates equal, itself included) / rates;
- the previous period's group rate pools the group's members of the previous period;
- a group of fewer members than the charter's `feedback_min_members` for the period has no group
  profile, and its rate (like the region's, with fewer participants) is shown in no profile;
- an indicator needs attention (`--attention`) when the profile's own rate — the physician's in an
  individual profile, the group's in a group profile — is shown and worse, in the indicator's direction,
  than the rate of the region's groups, or (individual profile) than the physician's own group's; the
  records hold no target, so these are the comparisons the profile has;
- rates and deciles are rounded to DIGITS decimals (0.1 point, as shown), percentile ranks to whole
  numbers: a published rate is not the exact fraction of anyone's rows; the changes are judged on the
  exact fractions.
"""

from __future__ import annotations

import bisect
import statistics
from collections import defaultdict
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Callable, Iterable, Mapping

from ..errors import RecordsError, UsageError
from ..french import counted
from ..layout import folder_of, path_of
from ..ids import PERIOD, in_rhythm, period_bounds, previous_period
from ..records import MIN_DENOMINATOR
from ..registry import Registry
from ..sealing import KEY_ENV

MIN_PARTICIPANTS = 5  # fewer shown rates give no deciles nor ranks: they would expose the few others
DIGITS = 3  # rates are rounded to 0.1 point: a full-precision float would give back its exact fraction

Coder = Callable[[Iterable[str]], Mapping[str, str]]


class FeedbackError(RecordsError):
    """A profile that cannot be made from the records (no data, no active member); French message."""


class ScopeError(UsageError):
    """The command names a region, group or physician that does not exist: a usage problem."""


# -- the dataclasses the renderers read -------------------------------------------------------------


@dataclass(frozen=True)
class Rate:
    """A rate as it may be shown: `value` is None exactly when `suppressed` (fewer than 10 patients)."""

    value: float | None
    suppressed: bool


@dataclass(frozen=True)
class Comparison:
    """One population's rate this period and the previous one (None: no data), and the change."""

    current: Rate | None
    previous: Rate | None
    change: str | None  # "better", "worse" or "same" with the indicator's direction; None if not comparable

    @property
    def moved_right_way(self) -> bool | None:
        return None if self.change is None else self.change == "better"


@dataclass(frozen=True)
class PhysicianLine:
    """A physician's figures for one indicator: under a code in a group profile."""

    code: str | None
    comparison: Comparison
    percentile_rank: float | None  # 0..100 among the region's participants; None when not shown


@dataclass(frozen=True)
class Distribution:
    """The region's participants' shown rates for one indicator, summarised."""

    participants: int  # participants whose rate is shown (denominator >= MIN_DENOMINATOR)
    deciles: tuple[float, ...] | None  # D1..D9, None under MIN_PARTICIPANTS


@dataclass(frozen=True)
class IndicatorProfile:
    indicator: str
    title: str
    better: str  # "lower" or "higher"
    numerator: str
    denominator: str
    group: Comparison
    region: Comparison
    control: Comparison
    distribution: Distribution
    physician: PhysicianLine | None  # individual profile
    members: tuple[PhysicianLine, ...]  # group profile, sorted by code
    attention: tuple[str, ...] = ()  # "group", "region": the populations whose rate the profile's own rate is worse than


@dataclass(frozen=True)
class ThemeSection:
    theme: str
    title: str
    key_messages: tuple[str, ...]
    indicators: tuple[IndicatorProfile, ...]


@dataclass(frozen=True)
class Person:
    """The one physician an individual profile names."""

    rpps: str
    name: str
    code: str | None  # their code in group profiles, when a key was given


@dataclass(frozen=True)
class Profile:
    kind: str  # "group" or "physician"
    region: str
    region_name: str
    period: str
    previous_period: str | None
    group: str
    group_name: str
    physician: Person | None
    members: tuple[str, ...]  # codes of the group's members for the period (group profile)
    themes: tuple[ThemeSection, ...]
    attention_only: bool = False  # only the indicators that need attention are kept (`needing_attention`)

    @property
    def indicators(self) -> tuple[IndicatorProfile, ...]:
        return tuple(i for section in self.themes for i in section.indicators)


@dataclass(frozen=True)
class Report:
    """The profiles asked for, and French notices about data left aside (for the terminal only)."""

    period: str
    profiles: tuple[Profile, ...]
    notices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Scope:
    region: str | None = None
    group: str | None = None
    physician: str | None = None


# -- pooling (private: counts never leave this module) ----------------------------------------------


@dataclass(frozen=True)
class _Pool:
    num: int
    den: int
    hidden: bool = False  # the rate of too few physicians (see `_of_few`)

    def __add__(self, other: _Pool) -> _Pool:
        return _Pool(self.num + other.num, self.den + other.den)

    @property
    def shown(self) -> bool:
        return self.den >= MIN_DENOMINATOR and not self.hidden

    @property
    def exact(self) -> Fraction:
        return Fraction(self.num, self.den)


def _sum(pools: Iterable[_Pool | None]) -> _Pool | None:
    total = None
    for pool in pools:
        if pool is not None:
            total = pool if total is None else total + pool
    return total


def _of_few(pool: _Pool | None, people: int, minimum: int) -> _Pool | None:
    """A group's (or the region's) pooled rate, hidden when it pools fewer than `minimum` physicians:
    beside one's own rate it would tell the few others'."""
    return _Pool(pool.num, pool.den, True) if pool is not None and people < minimum else pool


def _rate(pool: _Pool | None) -> Rate | None:
    if pool is None:
        return None
    if not pool.shown:
        return Rate(None, True)
    return Rate(round(pool.num / pool.den, DIGITS), False)


def _change(now: _Pool | None, before: _Pool | None, better: str) -> str | None:
    if now is None or before is None or not now.shown or not before.shown:
        return None
    if now.exact == before.exact:
        return "same"
    return "better" if (now.exact < before.exact) == (better == "lower") else "worse"


def _compare(now: _Pool | None, before: _Pool | None, better: str) -> Comparison:
    return Comparison(_rate(now), _rate(before), _change(now, before, better))


def _worse(own: _Pool | None, other: _Pool | None, better: str) -> bool:
    """Whether a shown rate is worse than another shown one, on the exact fractions."""
    if own is None or other is None or not own.shown or not other.shown or own.exact == other.exact:
        return False
    return (own.exact > other.exact) == (better == "lower")


@dataclass
class _PeriodData:
    """One region's feedback file for one period, pooled per physician and indicator."""

    groups: dict[str, frozenset[str]]  # group id -> members for the period
    participants: frozenset[str]
    physicians: dict[tuple[str, str], _Pool]  # (rpps, indicator) -> pool, every participant row
    control: dict[str, _Pool]
    indicators: frozenset[str]  # known indicators with rows from participants or control
    left_aside: int = 0

    def pool(self, people: Iterable[str], indicator: str) -> _Pool | None:
        return _sum(self.physicians.get((rpps, indicator)) for rpps in people)


def _period_data(registry: Registry, region: str, period: str | None) -> _PeriodData | None:
    data = registry.feedback.get((region, period)) if period else None
    if data is None:
        return None
    if not data.opened:
        raise UsageError(
            f"{path_of('feedback', region, period)} est chiffré et aucune clé n'est donnée : les profils ont besoin "
            f"de la clé des retours ({KEY_ENV} ou --key-file), même pour un profil individuel.",
        )
    groups = registry.members_in_period(region, period)
    participants = frozenset().union(*groups.values()) if groups else frozenset()
    physicians: dict[tuple[str, str], _Pool] = defaultdict(lambda: _Pool(0, 0))
    control: dict[str, _Pool] = defaultdict(lambda: _Pool(0, 0))
    indicators: set[str] = set()
    left_aside = 0
    for row in data.rows:
        pool = _Pool(row.numerator, row.denominator)
        if row.indicator not in registry.indicators:
            left_aside += 1
        elif row.population == "control":
            control[row.indicator] += pool
            indicators.add(row.indicator)
        else:
            physicians[row.physician, row.indicator] += pool
            if row.physician in participants:
                indicators.add(row.indicator)
            else:
                left_aside += 1
    return _PeriodData(groups, participants, dict(physicians), dict(control), frozenset(indicators), left_aside)


def _distribution(data: _PeriodData, indicator: str) -> tuple[list[Fraction], Distribution]:
    shown = sorted(
        pool.exact for rpps in data.participants
        if (pool := data.physicians.get((rpps, indicator))) is not None and pool.shown
    )
    deciles = None
    if len(shown) >= MIN_PARTICIPANTS:
        deciles = tuple(round(float(d), DIGITS) for d in statistics.quantiles(shown, n=10, method="inclusive"))
    return shown, Distribution(len(shown), deciles)


def percentile_rank(value: Fraction, shown: list[Fraction]) -> float | None:
    """100 × (rates below + ½ × rates equal) / rates, the value itself among them (mid-rank);
    `shown` is sorted."""
    if len(shown) < MIN_PARTICIPANTS:
        return None
    below = bisect.bisect_left(shown, value)  # shown is sorted
    equal = bisect.bisect_right(shown, value) - below
    return float(round(Fraction(100) * (below + Fraction(equal, 2)) / len(shown)))


# -- profiles ---------------------------------------------------------------------------------------


@dataclass
class _Context:
    registry: Registry
    region: str
    period: str
    previous: str | None
    now: _PeriodData
    before: _PeriodData | None
    _cache: dict = field(default_factory=dict)  # per-indicator figures shared by the region's profiles

    def shown(self, indicator: str) -> tuple[list[Fraction], Distribution]:
        if indicator not in self._cache:
            self._cache[indicator] = _distribution(self.now, indicator)
        return self._cache[indicator]

    @property
    def min_members(self) -> int:
        return self.registry.charter(self.region)["feedback_min_members"]

    def region_pools(self, indicator: str) -> tuple[_Pool | None, _Pool | None]:
        """The region's participants pooled, this period and the previous one (computed once)."""
        key = ("region", indicator)
        if key not in self._cache:
            before = None
            if self.before:
                people = self.before.participants
                before = _of_few(self.before_pool(people, indicator), len(people), self.min_members)
            now = _of_few(self.now.pool(self.now.participants, indicator), len(self.now.participants), self.min_members)
            self._cache[key] = (now, before)
        return self._cache[key]

    def before_pool(self, people: Iterable[str], indicator: str) -> _Pool | None:
        return self.before.pool(people, indicator) if self.before else None

    def physician_line(self, rpps: str, indicator: str, better: str, code: str | None) -> PhysicianLine:
        now = self.now.physicians.get((rpps, indicator))
        before = self.before.physicians.get((rpps, indicator)) if self.before else None
        rank = percentile_rank(now.exact, self.shown(indicator)[0]) if now is not None and now.shown else None
        return PhysicianLine(code, _compare(now, before, better), rank)


def _context(registry: Registry, region: str, period: str) -> _Context:
    now = _period_data(registry, region, period)
    if now is None and registry.exists("feedback", region, period):
        raise FeedbackError(
            f"{path_of('feedback', region, period)} ne peut être lu (chiffré avec une autre clé, ou illisible) : "
            "lancez `gqrec check` avec la même clé pour savoir pourquoi."
        )
    if now is None:
        raise FeedbackError(
            f"Aucune donnée de retour d'information pour la période {period} dans la région {region} "
            f"({path_of('feedback', region, period)} absent)."
        )
    if not now.indicators:
        raise FeedbackError(
            f"Aucune ligne utilisable dans {path_of('feedback', region, period)} (indicateurs inconnus, médecins "
            "hors des groupes ou lignes invalides) : lancez `gqrec check` pour les corriger."
        )
    previous = previous_period(period)
    return _Context(registry, region, period, previous, now, _period_data(registry, region, previous))


def _sections(ctx: _Context, build: Callable) -> tuple[ThemeSection, ...]:
    """Indicators with data in the period, grouped by their theme (in its dossier's order), with the
    theme's key messages."""
    registry = ctx.registry
    by_theme: dict[str, list[IndicatorProfile]] = defaultdict(list)
    for indicator_id in sorted(ctx.now.indicators):
        indicator = registry.indicators[indicator_id]
        by_theme[indicator.theme].append(build(indicator))
    sections = []
    for theme_id in sorted(by_theme):
        theme = registry.themes.get(theme_id)
        listed = theme.indicators if theme else ()
        ordered = sorted(by_theme[theme_id], key=lambda i: (listed.index(i.indicator) if i.indicator in listed
                                                            else len(listed), i.indicator))
        sections.append(ThemeSection(
            theme_id, theme.title if theme else theme_id, theme.key_messages if theme else (), tuple(ordered),
        ))
    return tuple(sections)


def _indicator(ctx: _Context, indicator, group_id: str, physician: PhysicianLine | None,
               members: tuple[PhysicianLine, ...], rpps: str | None = None) -> IndicatorProfile:
    ident, better = indicator.id, indicator.better
    group_now = ctx.now.groups.get(group_id, frozenset())
    group_before = ctx.before.groups.get(group_id, frozenset()) if ctx.before else frozenset()
    few = ctx.min_members
    group = _of_few(ctx.now.pool(group_now, ident), len(group_now), few)
    region = ctx.region_pools(ident)
    own = group if physician is None else ctx.now.physicians.get((rpps, ident))
    attention = tuple(name for name, other in (("group", group if physician is not None else None),
                                                ("region", region[0])) if _worse(own, other, better))
    return IndicatorProfile(
        ident, indicator.title, better, indicator.numerator, indicator.denominator,
        group=_compare(group, _of_few(ctx.before_pool(group_before, ident), len(group_before), few), better),
        region=_compare(*region, better),
        control=_compare(ctx.now.control.get(ident), ctx.before.control.get(ident) if ctx.before else None, better),
        distribution=ctx.shown(ident)[1],
        physician=physician,
        members=members,
        attention=attention,
    )


def group_profile(registry: Registry, region: str, group_id: str, period: str, coder: Coder,
                  ctx: _Context | None = None) -> Profile:
    """A group's profile: the group, the region, the control group, and each member under a code.
    `ctx` lets the profiles of one region share the pooled file and its distributions."""
    group = registry.groups.get((region, group_id))
    if group is None:
        raise ScopeError(f"Groupe inconnu dans la région {region} : {group_id}.")
    ctx = ctx or _context(registry, region, period)
    people = ctx.now.groups.get(group_id)
    if not people:
        raise FeedbackError(f"Le groupe {group_id} n'a aucun membre actif pendant la période {period}.")
    if len(people) < ctx.min_members:
        raise FeedbackError(
            f"Le groupe {group_id} ne compte que {counted(len(people), 'membre', 'membres')} pendant la période {period} : pas de profil "
            f"de groupe sous {ctx.min_members} membres (charte « feedback_min_members ») ; chacun y reconnaîtrait "
            "le code et le taux des autres. Les profils individuels restent possibles."
        )
    coded = dict(coder(people))
    order = sorted(people, key=lambda rpps: coded[rpps])

    def build(indicator) -> IndicatorProfile:
        lines = tuple(ctx.physician_line(rpps, indicator.id, indicator.better, coded[rpps]) for rpps in order)
        return _indicator(ctx, indicator, group_id, None, lines)

    return Profile(
        "group", region, _region_name(registry, region), period, ctx.previous, group_id, group.name, None,
        tuple(coded[rpps] for rpps in order), _sections(ctx, build),
    )


def physician_profile(registry: Registry, region: str, rpps: str, period: str, coder: Coder | None = None) -> Profile:
    """One physician's own profile, beside their group, the region and the control group; names no one else."""
    physician = registry.physician(region, rpps)
    if physician is None:
        raise ScopeError(f"Médecin inconnu dans la région {region} : {rpps} (pas de fiche physicians/{rpps}.yaml).")
    ctx = _context(registry, region, period)
    group_id = _main_group(registry, region, rpps, period, ctx.now.groups)
    if group_id is None:
        raise FeedbackError(f"Le médecin {rpps} n'est membre d'aucun groupe pendant la période {period}.")
    code = coder(ctx.now.groups[group_id])[rpps] if coder else None  # as in the group's profile

    def build(indicator) -> IndicatorProfile:
        line = ctx.physician_line(rpps, indicator.id, indicator.better, code)
        return _indicator(ctx, indicator, group_id, line, (), rpps)

    group = registry.groups[region, group_id]
    return Profile(
        "physician", region, _region_name(registry, region), period, ctx.previous, group_id, group.name,
        Person(rpps, physician.name, code), (), _sections(ctx, build),
    )


def _main_group(registry: Registry, region: str, rpps: str, period: str, groups: Mapping[str, frozenset[str]]) -> str | None:
    """The group the physician belonged to for most days of the period (the first by id on a tie)."""
    first, last = period_bounds(period)

    def days(group_id: str) -> int:
        covered = set()
        for tenure in registry.groups[region, group_id].members:
            if tenure.physician == rpps and tenure.overlaps(first, last):
                start = max(first, tenure.since)
                end = min(last, tenure.until or last)
                covered.update(range(start.toordinal(), end.toordinal() + 1))
        return len(covered)

    candidates = sorted(group_id for group_id, people in groups.items() if rpps in people)
    return max(candidates, key=days, default=None)


def _region_name(registry: Registry, region: str) -> str:
    record = registry.regions.get(region)
    return record.name if record else region


# -- what the command asks for ----------------------------------------------------------------------


def build(registry: Registry, period: str, scope: Scope, coder: Coder | None) -> Report:
    """The profiles of a scope: one physician, one group, or every group of the region(s) with data."""
    if not PERIOD.fullmatch(period):
        raise ScopeError(f"Période invalide : {period} (attendu AAAA-S1, AAAA-S2 ou AAAA-T1 à AAAA-T4).")
    if scope.region is not None and scope.region not in registry.region_ids:
        raise ScopeError(f"Région inconnue : {scope.region} (régions : {', '.join(registry.region_ids) or 'aucune'}).")
    if scope.physician is not None:
        region = _region_of(registry, scope, "physician", scope.physician)
        profiles = [physician_profile(registry, region, scope.physician, period, coder)]
        regions = [region]
    elif scope.group is not None:
        region = _region_of(registry, scope, "group", scope.group)
        profiles = [group_profile(registry, region, scope.group, period, _required(coder))]
        regions = [region]
    else:
        regions = [scope.region] if scope.region else [r for r in registry.region_ids if (r, period) in registry.feedback]
        if not regions:
            raise FeedbackError(
                f"Aucune donnée de retour d'information pour la période {period} "
                f"(aucun fichier {path_of('feedback', '<région>', period)})."
            )
        coder = _required(coder)
        profiles = []
        small = []
        for region in regions:
            ctx = _context(registry, region, period)  # says clearly when the region has no data
            for group_id, people in ctx.now.groups.items():
                if len(people) < ctx.min_members:
                    small.append(f"{folder_of('group', region, group_id)} : {counted(len(people), 'membre', 'membres')} pendant la période, "
                                 f"pas de profil de groupe sous {ctx.min_members} (charte « feedback_min_members »).")
                    continue
                profiles.append(group_profile(registry, region, group_id, period, coder, ctx))
        if not profiles:
            raise FeedbackError(f"Aucun groupe d'au moins le nombre de membres requis actif pendant la période {period} "
                                "dans la région sélectionnée." if small else
                                f"Aucun groupe actif pendant la période {period} dans la région sélectionnée.")
        return Report(period, tuple(profiles), (*small, *_notices(registry, regions, period)))
    return Report(period, tuple(profiles), tuple(_notices(registry, regions, period)))


def needing_attention(report: Report) -> Report:
    """The report with, in each profile, only the indicators that need attention (and their themes)."""
    def kept(profile: Profile) -> Profile:
        themes = tuple(replace(section, indicators=tuple(i for i in section.indicators if i.attention))
                       for section in profile.themes)
        return replace(profile, themes=tuple(s for s in themes if s.indicators), attention_only=True)

    return replace(report, profiles=tuple(kept(p) for p in report.profiles))


def _required(coder: Coder | None) -> Coder:
    if coder is None:
        raise ScopeError("Un profil de groupe a besoin d'une clé de codage (GQREC_FEEDBACK_KEY ou --key-file).")
    return coder


def _region_of(registry: Registry, scope: Scope, kind: str, ident: str) -> str:
    """The region holding the group or physician: the one given, else the only one that has it."""
    if scope.region is not None:
        return scope.region
    table = registry.groups if kind == "group" else registry.physicians
    found = sorted(region for region, key in table if key == ident)
    what = "Groupe" if kind == "group" else "Médecin"
    if not found:
        raise ScopeError(f"{what} inconnu : {ident}.")
    if len(found) > 1:
        raise ScopeError(f"{what} {ident} présent dans plusieurs régions ({', '.join(found)}) : précisez --region.")
    return found[0]


def _notices(registry: Registry, regions: Iterable[str], period: str) -> Iterable[str]:
    """What the terminal should say about rows that did not count, so the coordinator runs `gqrec check`."""
    if not registry.judged_period(period):
        yield (f"la période {period} n'est pas terminée au {registry.as_of.isoformat()} (date de référence) : "
               "profils provisoires, sur les données reçues à ce jour.")
    for region in regions:
        path = path_of("feedback", region, period)
        invalid = sum(1 for f in registry.load_findings if f.path == path and f.rule not in ("GQ120", "GQ121"))
        if invalid:
            yield f"{path} : {counted(invalid, 'constat', 'constats')} de lecture, lignes invalides ignorées ; voir `gqrec check`."
        if any(f.path == path and f.rule == "GQ121" for f in registry.load_findings):
            yield f"{path} : données individuelles en clair dans le dépôt (GQ121) ; chiffrez-les avec « gqrec seal {path} »."
        if any(f.path == path and f.rule == "GQ120" for f in registry.load_findings):
            yield f"{path} : chiffré au format v1, lié à aucune place (GQ120) ; rechiffrez-le avec « gqrec seal {path} »."
        data = _period_data(registry, region, period)
        if data is not None and data.left_aside:
            yield (f"{path} : {counted(data.left_aside, 'ligne écartée', 'lignes écartées')} (indicateur inconnu ou médecin membre d'aucun "
                   "groupe de la région pendant la période) ; voir `gqrec check`.")
        rhythm = registry.charter(region)["feedback_period"]
        if not in_rhythm(period, rhythm):
            yield f"{path} : période hors du rythme de la charte de la région ({rhythm}) ; voir `gqrec check` (GQ117)."
