"""The effect of the themes (`effects`) as titled tables, shared by `gqrec impact` and the bilan's section
« Effet des thèmes »: one row per region, theme and indicator; per group; the actions beside them.

A row under five physicians shows « effectif insuffisant » and no figure (its figures are None already).
"""

from __future__ import annotations

from typing import Any, Iterable

from .document.table import Interval, Points, Table
from .effects import Effect, IndicatorEffect, RegionEffect, ThemeEffect

WORDS: dict[str, tuple[str, str]] = {
    "t_effects": ("Effet des thèmes", "Effect of the themes"),
    "t_groups": ("Effet des thèmes par groupe", "Effect of the themes per group"),
    "t_actions": ("Actions d'amélioration et indicateurs suivis", "Improvement actions and the indicators watched"),
    "n_effects": ("Évolution moyenne, en points, des taux des médecins du panel entre la période de retour qui "
                  "précède la première réunion sur le thème et celle qui la suit, moins celle du groupe témoin "
                  "(différence de différences), avec son intervalle de confiance à 95 % (loi de Student). « Dans "
                  "le bon sens » : l'effet va dans le sens souhaité de l'indicateur et l'intervalle exclut 0. "
                  "Aucun chiffre sur moins de 5 médecins ; un médecin compte sur 10 patients au moins par période.",
                  "Mean change, in points, of the panel physicians' rates between the feedback period before the "
                  "first meeting on the theme and the one after it, minus the control group's (difference in "
                  "differences), with its 95 % Student confidence interval. « Right way »: the effect goes the "
                  "indicator's desired way and the interval excludes 0. No figure on fewer than 5 physicians; a "
                  "physician counts with at least 10 patients per period."),
    "no_effects": ("Aucun thème de l'année n'a de période de retour avant et après sa réunion.",
                   "No theme of the year has a feedback period before and after its meeting."),
    "no_actions": ("Aucune action d'amélioration ne nomme un indicateur suivi.",
                   "No improvement action names an indicator watched."),
    "region": ("Région", "Region"),
    "theme": ("Thème", "Theme"),
    "indicator": ("Indicateur", "Indicator"),
    "better": ("Sens souhaité", "Desired direction"),
    "lower": ("baisse", "lower"),
    "higher": ("hausse", "higher"),
    "physicians": ("Médecins", "Physicians"),
    "change": ("Évolution", "Change"),
    "control_change": ("Évolution témoin", "Control change"),
    "effect": ("Effet", "Effect"),
    "ci95": ("IC 95 %", "95 % CI"),
    "right_way": ("Dans le bon sens", "Right way"),
    "group": ("Groupe", "Group"),
    "date": ("Réunion", "Meeting"),
    "before": ("Avant", "Before"),
    "after": ("Après", "After"),
    "action": ("Action", "Action"),
    "review": ("À revoir", "Review"),
    "too_few": ("effectif insuffisant", "too few physicians"),
    "no_control": ("sans témoin", "no control"),
}


def word(key: str, lang: str = "fr") -> str:
    return WORDS[key][1 if lang == "en" else 0]


def figures_cells(f: Effect, lang: str) -> tuple[Any, ...]:
    """physicians, change, control change, effect, interval, right way; « effectif insuffisant » under five."""
    if f.suppressed:
        return (f.physicians, word("too_few", lang), None, None, None, None)
    interval = Interval(*f.ci95) if f.ci95 else None
    effect = Points(f.effect) if f.effect is not None else word("no_control", lang)
    return (f.physicians, Points(f.change), Points(f.control_change), effect, interval, f.right_way)


def _lead(national: bool, region: RegionEffect, lang: str) -> tuple:
    return (region.name,) if national else ()


def _rows(regions: Iterable[RegionEffect]) -> Iterable[tuple[RegionEffect, ThemeEffect, IndicatorEffect]]:
    for region in regions:
        for theme in region.themes:
            for indicator in theme.indicators:
                yield region, theme, indicator


def _headers(national: bool, lang: str, *names: str) -> tuple[str, ...]:
    return ((word("region", lang),) if national else ()) + tuple(word(n, lang) for n in names)


FIGURES = ("physicians", "change", "control_change", "effect", "ci95", "right_way")


def effects_table(regions: Iterable[RegionEffect], national: bool, lang: str = "fr", slug: str = "effets") -> Table:
    rows = tuple(
        _lead(national, r, lang) + (t.title, i.title, word(i.better, lang)) + figures_cells(i.figures, lang)
        for r, t, i in _rows(regions)
    )
    return Table(slug, word("t_effects", lang), _headers(national, lang, "theme", "indicator", "better", *FIGURES),
                 rows, word("n_effects", lang), word("no_effects", lang))


def groups_table(regions: Iterable[RegionEffect], national: bool, lang: str = "fr") -> Table:
    rows = tuple(
        _lead(national, r, lang) + (t.title, i.title, g.name, g.date, g.before, g.after) + figures_cells(g.figures, lang)
        for r, t, i in _rows(regions) for g in i.groups
    )
    return Table("groupes", word("t_groups", lang),
                 _headers(national, lang, "theme", "indicator", "group", "date", "before", "after", *FIGURES),
                 rows, "", word("no_effects", lang))


def actions_table(regions: Iterable[RegionEffect], national: bool, lang: str = "fr") -> Table:
    rows = tuple(
        _lead(national, r, lang) + (t.title, i.title, a.group, a.date, a.text, a.review)
        for r, t, i in _rows(regions) for a in i.actions
    )
    return Table("actions", word("t_actions", lang),
                 _headers(national, lang, "theme", "indicator", "group", "date", "action", "review"),
                 rows, "", word("no_actions", lang))
