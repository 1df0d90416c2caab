"""The bilan's figures as titled tables (`document.table.Table`), shared by the Markdown, HTML and CSV
renderers. A national report has a region column and total rows; a region's report has neither.
"""

from __future__ import annotations

from typing import Any, Callable

from ..document.table import Hours, Rate, Table
from ..effect_tables import effects_table
from .figures import Bilan, Figures, RegionReport
from .labels import label


class _Builder:
    """Table helpers bound to one bilan and language."""

    def __init__(self, bilan: Bilan, lang: str):
        self.bilan = bilan
        self.lang = lang
        self.national = bilan.region is None

    def t(self, key: str) -> str:
        return label(key, self.lang)

    def lead(self, *headers: str) -> tuple[str, ...]:
        """The region column first in a national report."""
        return ((self.t("region"),) if self.national else ()) + headers

    def per_region(self, rows_of: Callable[[RegionReport], list[tuple]], total: tuple | None = None) -> tuple:
        """Each region's rows (prefixed with its name in a national report), then the national total."""
        rows = []
        for region in self.bilan.regions:
            rows += [((region.name,) if self.national else ()) + row for row in rows_of(region)]
        if self.national and total is not None:
            rows.append((self.t("total"),) + total)
        return tuple(rows)


def _key_figures(b: _Builder) -> Table:
    scopes: list[tuple[str, Figures]] = [(r.name, r.figures) for r in b.bilan.regions]
    if b.national:
        scopes.append((b.t("total"), b.bilan.total))
    lines: list[tuple[str, Callable[[Figures], Any]]] = [
        ("groups", lambda f: f.groups),
        ("animators", lambda f: f.animators),
        ("coordinators", lambda f: f.coordinators),
        ("participants", lambda f: f.participants),
        ("meetings_held", lambda f: f.meetings_held),
        ("meetings_expected", lambda f: f.meetings_expected),
        ("hours", lambda f: Hours(f.minutes)),
        ("attendances", lambda f: f.attendances),
        ("attendance_rate", lambda f: Rate(f.attendance_rate)),
        ("themes_count", lambda f: len(f.themes)),
        ("coverage", lambda f: Rate(f.coverage)),
        ("errors", lambda f: f.errors),
        ("warnings", lambda f: f.warnings),
    ]
    if any(f.indemnities is not None for _, f in scopes):  # only where a charter sets rates
        lines.append(("indemnities", lambda f: f.indemnities))
    rows = tuple((b.t(key),) + tuple(get(f) for _, f in scopes) for key, get in lines)
    return Table("chiffres", b.t("t_figures"), (b.t("figure"),) + tuple(name for name, _ in scopes), rows,
                 b.t("n_figures"))


def _inventory(b: _Builder) -> Table:
    def row(f: Figures) -> tuple:
        return (f.groups, f.animators, f.coordinators, f.participants)

    headers = b.lead(b.t("groups"), b.t("animators"), b.t("coordinators"), b.t("participants"))
    return Table("inventaire", b.t("t_inventory"), headers,
                 b.per_region(lambda r: [row(r.figures)], row(b.bilan.total)))


def _settings(b: _Builder) -> Table:
    def rows(region: RegionReport) -> list[tuple]:
        return [(b.t(s.setting or "unknown"), s.territories, s.groups, s.participants) for s in region.settings]

    return Table("milieux", b.t("t_settings"),
                 b.lead(b.t("setting"), b.t("territories"), b.t("groups"), b.t("participants")),
                 b.per_region(rows))


def _waves(b: _Builder) -> Table:
    def rows(region: RegionReport) -> list[tuple]:
        return [(w.wave if w.wave is not None else b.t("no_wave"), w.groups, w.first, w.last) for w in region.waves]

    return Table("vagues", b.t("t_waves"),
                 b.lead(b.t("wave"), b.t("groups"), b.t("constituted_from"), b.t("constituted_to")),
                 b.per_region(rows))


def _meetings(b: _Builder) -> Table:
    def rows(region: RegionReport) -> list[tuple]:
        out = [(g.name, g.constituted, g.meetings_held, g.feedback_meetings, g.meetings_expected) for g in region.groups]
        f = region.figures
        out.append((b.t("total"), "", f.meetings_held, sum(g.feedback_meetings for g in region.groups),
                    f.meetings_expected))
        return out

    total = b.bilan.total
    feedback = sum(g.feedback_meetings for r in b.bilan.regions for g in r.groups)
    return Table("reunions", b.t("t_meetings"),
                 b.lead(b.t("group"), b.t("constituted"), b.t("held"), b.t("feedback_meetings"), b.t("expected")),
                 b.per_region(rows, ("", "", total.meetings_held, feedback, total.meetings_expected)),
                 b.t("n_meetings"))


def _attendance(b: _Builder) -> Table:
    def rows(region: RegionReport) -> list[tuple]:
        out = [(g.name, g.members, g.meetings_held, Hours(g.minutes), g.attendances, g.absences, Rate(g.attendance_rate))
               for g in region.groups]
        f = region.figures
        out.append((b.t("total"), f.participants, f.meetings_held, Hours(f.minutes), f.attendances, f.absences,
                    Rate(f.attendance_rate)))
        return out

    t = b.bilan.total
    return Table("assiduite", b.t("t_attendance"),
                 b.lead(b.t("group"), b.t("members"), b.t("meetings"), b.t("hours"), b.t("attendances"),
                        b.t("absences"), b.t("attendance_rate")),
                 b.per_region(rows, ("", t.participants, t.meetings_held, Hours(t.minutes), t.attendances, t.absences,
                                     Rate(t.attendance_rate))),
                 b.t("n_attendance"))


def _themes(b: _Builder) -> Table:
    def rows(region: RegionReport) -> list[tuple]:
        return [(t.id, t.title, t.in_programme, t.meetings, t.groups) for t in region.themes]

    return Table("themes", b.t("t_themes"),
                 b.lead(b.t("theme"), b.t("theme_title"), b.t("in_programme"), b.t("meetings"), b.t("groups")),
                 b.per_region(rows))


def _coverage(b: _Builder) -> Table:
    def rows(region: RegionReport) -> list[tuple]:
        out = [(g.name, g.territory, b.t(g.setting or "unknown"), g.coverage_day, g.covered, g.practitioners,
                Rate(g.coverage)) for g in region.groups]
        f = region.figures
        out.append((b.t("total"), "", "", "", f.covered, f.practitioners, Rate(f.coverage)))
        return out

    t = b.bilan.total
    return Table("couverture", b.t("t_coverage"),
                 b.lead(b.t("group"), b.t("territory"), b.t("setting"), b.t("measured_on"), b.t("local_members"),
                        b.t("practitioners"), b.t("coverage")),
                 b.per_region(rows, ("", "", "", "", t.covered, t.practitioners, Rate(t.coverage))),
                 b.t("n_coverage"))


def _compliance(b: _Builder) -> Table:
    def rows(region: RegionReport) -> list[tuple]:
        return [(c.rule, b.bilan.rule_titles.get(c.rule, ""), b.t(c.severity), c.count) for c in region.rules]

    return Table("conformite", b.t("t_compliance"),
                 b.lead(b.t("rule"), b.t("theme_title"), b.t("severity"), b.t("findings")),
                 b.per_region(rows), b.t("n_compliance"), b.t("compliance_clean"))


def indicator_periods(bilan: Bilan) -> tuple[str, ...]:
    """Every period any region shows, in order: the columns of the evolution table."""
    return tuple(sorted({p for r in bilan.regions for s in r.indicators for p in s.periods}))


def _indicators(b: _Builder) -> Table:
    periods = indicator_periods(b.bilan)

    def rows(region: RegionReport) -> list[tuple]:
        out = []
        for s in region.indicators:
            aim = b.t(s.better)
            for population, values in (("participant", s.participants), ("control", s.control)):
                by_period = dict(zip(s.periods, values))
                out.append((s.title, aim, b.t(population)) + tuple(Rate(by_period.get(p)) for p in periods))
        return out

    return Table("indicateurs", b.t("t_indicators"),
                 b.lead(b.t("indicator"), b.t("better"), b.t("population"), *periods),
                 b.per_region(rows), b.t("n_indicators"), b.t("no_feedback"))


def _effects(b: _Builder) -> Table:
    """« Effet des thèmes »: the region-level rows of `gqrec impact`."""
    return effects_table([r.effects for r in b.bilan.regions if r.effects is not None], b.national, b.lang)


def _highlights(b: _Builder) -> Table:
    def rows(region: RegionReport) -> list[tuple]:
        return [(h.theme_title, h.group, h.date, h.text) for h in region.highlights]

    return Table("idees-forces", b.t("t_highlights"),
                 b.lead(b.t("theme"), b.t("group"), b.t("meeting_day"), b.t("highlight")),
                 b.per_region(rows), "", b.t("no_highlights"))


def _actions_due(b: _Builder) -> Table:
    def rows(region: RegionReport) -> list[tuple]:
        return [(a.review, a.group, a.date, a.theme, a.text, a.indicator) for a in region.actions_due]

    return Table("actions-a-revoir", b.t("t_actions_due"),
                 b.lead(b.t("review"), b.t("group"), b.t("meeting_day"), b.t("theme"), b.t("action"),
                        b.t("indicator")),
                 b.per_region(rows), "", b.t("no_actions_due"))


def _provenance(b: _Builder) -> Table:
    """Where each region's figures come from, in a bilan made from bundles (`federation.combine`)."""
    rows = tuple((s.name, s.association, s.bundle, s.commit[:12] if s.commit else None, s.committed, s.dirty,
                  s.gqrec, s.library[:12] if s.library else None, s.signed_by or b.t("unsigned"))
                 for s in b.bilan.sources)  # None (« — »): unknown, such as a region outside git or without library.lock
    return Table("provenance", b.t("t_provenance"),
                 (b.t("region"), b.t("association"), b.t("bundle"), b.t("commit"), b.t("committed"), b.t("dirty"),
                  b.t("gqrec_version"), b.t("library_revision"), b.t("signed_by")), rows, b.t("n_provenance"))


SECTIONS = (_key_figures, _inventory, _settings, _waves, _meetings, _attendance, _themes, _coverage,
            _compliance, _indicators, _effects, _highlights, _actions_due)


def tables(bilan: Bilan, lang: str = "fr") -> list[Table]:
    """The report's tables in reading order."""
    builder = _Builder(bilan, lang)
    return [section(builder) for section in SECTIONS] + ([_provenance(builder)] if bilan.sources else [])
