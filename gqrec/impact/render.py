"""The effect of the themes in each format: the same tables (`effect_tables`) as Markdown, HTML (with a
before/after chart per indicator) and CSV; JSON is the object of REPORTS.md (`effects.as_json`)."""

from __future__ import annotations

import json as json_lib
from html import escape

from .. import i18n
from ..document import svg
from ..document.html import page, section
from ..document.markdown import document
from ..document.spreadsheet import dialect_of
from ..document.table import Table
from ..effect_tables import actions_table, effects_table, groups_table, word
from ..effects import Impact, as_json
from ..formats import language
from ..safe import markdown_text

TITLE = ("Effet des thèmes {year}", "Effect of the themes {year}")
SCOPE = ("ensemble des régions", "all regions")
AS_OF = ("Registres arrêtés au {day}. Agrégats seulement : aucun médecin n'y est nommé, aucun chiffre "
         "individuel n'y figure.", "Records as of {day}. Aggregates only: no physician is named, no individual "
         "figure appears.")
UNREAD = ("Des fichiers de retour chiffrés n'ont pas été lus faute de clé : les chiffres sont incomplets.",
          "Sealed feedback files could not be read without the key: the figures are incomplete.")
BEFORE_AFTER = ("Avant", "Après"), ("Before", "After")
PARTICIPANTS = ("Participants", "Participants")
CONTROL = ("Témoin", "Control")


def _t(pair: tuple[str, str], lang: str, **values) -> str:
    return pair[1 if lang == "en" else 0].format(**values)


def title(impact: Impact, lang: str) -> str:
    scope = impact.regions[0].name if impact.region and impact.regions else _t(SCOPE, lang)
    return f"{_t(TITLE, lang, year=impact.year)} — {scope}"


def tables(impact: Impact, lang: str) -> list[Table]:
    national = impact.region is None
    return [effects_table(impact.regions, national, lang), groups_table(impact.regions, national, lang),
            actions_table(impact.regions, national, lang)]


def _meta(impact: Impact, lang: str) -> list[str]:
    lines = [_t(AS_OF, lang, day=i18n.day(impact.as_of, lang))]
    return lines + ([_t(UNREAD, lang)] if impact.unread else [])


def markdown(impact: Impact, request=None) -> str:
    lang = language(request)
    return document(title(impact, lang), [markdown_text(line) for line in _meta(impact, lang)], tables(impact, lang), lang)


def csv(impact: Impact, request=None) -> dict[str, str]:
    """One table a file, in the CSV dialect the request asks (`document.spreadsheet`)."""
    dialect = dialect_of(request)
    lang = language(request) if dialect.lang == "fr" else dialect.lang
    return {t.slug: dialect.table(t) for t in tables(impact, lang)}


def json(impact: Impact, request=None) -> str:
    return json_lib.dumps(as_json(impact), ensure_ascii=False, indent=2) + "\n"


def charts(impact: Impact, lang: str) -> list[str]:
    """Per region, one chart per indicator with figures: the panel's mean rate and the control's rate,
    before and after the meeting."""
    out = []
    fmt = lambda v: i18n.percent(v, lang, digits=0)  # noqa: E731
    labels = BEFORE_AFTER[1 if lang == "en" else 0]
    for region in impact.regions:
        figures = []
        for theme in region.themes:
            for indicator in theme.indicators:
                f = indicator.figures
                if f.suppressed:
                    continue
                series = [(_t(PARTICIPANTS, lang), _share(f.mean_before, f.mean_after), "participant"),
                          (_t(CONTROL, lang), _share(f.control_before, f.control_after), "control")]
                caption = f"{indicator.title} ({word(indicator.better, lang)} souhaitée)" if lang == "fr" \
                    else f"{indicator.title} ({word(indicator.better, lang)} is better)"
                figures.append(f"<figure><figcaption>{escape(caption)}</figcaption>"
                               f"{svg.rate_lines(labels, series, caption, fmt)}</figure>")
        if figures:
            heading = f"{region.name}"
            out.append(f'<h3>{escape(heading)}</h3><div class="charts">{"".join(figures)}</div>')
    return out


PAGE_CSS = "@page { size: A4 landscape; margin: 12mm; } @media print { body { font-size: 9pt; } }"


def _share(before: float | None, after: float | None) -> tuple[float | None, float | None]:
    return tuple(None if v is None else v / 100 for v in (before, after))


def html(impact: Impact, request=None) -> str:
    lang = language(request)
    sections = [section(number, t, lang, charts(impact, lang) if number == 1 else ())
                for number, t in enumerate(tables(impact, lang), 1)]
    header = "".join(f'<p class="meta">{escape(line)}</p>' for line in _meta(impact, lang))
    return page(title(impact, lang), header, sections, lang, PAGE_CSS)
