"""The bilan as one self-contained HTML page: the same tables as Markdown, plus inline SVG charts.

A coordinator opens it offline and prints it to PDF for the COPIL: inline CSS with a print stylesheet,
no script, no font, no image to fetch. Every text from the records is escaped (html.escape).
"""

from __future__ import annotations

from html import escape

from .. import i18n
from ..document.html import page, section
from ..document import svg
from .figures import Bilan, IndicatorSeries, RegionReport
from .labels import inventory_line, label, meta_line, report_title
from .tables import tables
from ..formats import language


def _figure(caption: str, chart: str) -> str:
    return f"<figure><figcaption>{escape(caption)}</figcaption>{chart}</figure>"


def _suffix(bilan: Bilan, region: RegionReport) -> str:
    return f" — {region.name}" if bilan.region is None else ""


def meetings_charts(bilan: Bilan, lang: str) -> list[str]:
    out = []
    for region in bilan.regions:
        if region.groups:
            caption = label("c_meetings", lang) + _suffix(bilan, region)
            rows = [(g.name, g.meetings_held, g.meetings_expected) for g in region.groups]
            out.append(_figure(caption, svg.held_expected_bars(
                rows, caption, label("held", lang), label("expected", lang), lambda n: i18n.number(n, lang))))
    return out


def attendance_charts(bilan: Bilan, lang: str) -> list[str]:
    out = []
    for region in bilan.regions:
        if region.groups:
            caption = label("c_attendance", lang) + _suffix(bilan, region)
            rows = [(g.name, g.attendance_rate) for g in region.groups]
            out.append(_figure(caption, svg.rate_bars(rows, caption, lambda v: i18n.percent(v, lang, digits=0))))
    return out


def has_data_in(series: IndicatorSeries, year: int) -> bool:
    """Whether an indicator has a rate (participants or control) in a period of the bilan's year."""
    return any(
        period.startswith(f"{year}-") and (p is not None or c is not None)
        for period, p, c in zip(series.periods, series.participants, series.control)
    )


def indicator_charts(bilan: Bilan, lang: str) -> list[str]:
    out = []
    for region in bilan.regions:
        figures = []
        for s in region.indicators:
            if not has_data_in(s, bilan.year):
                continue  # only the year before: the table shows it, a chart would show no evolution of the year
            caption = s.title + label("aim", lang, aim=label(s.better, lang))
            series = [(label("participant", lang), s.participants, "participant"),
                      (label("control", lang), s.control, "control")]
            figures.append(_figure(caption, svg.rate_lines(
                s.periods, series, caption, lambda v: i18n.percent(v, lang, digits=0))))
        if not figures:
            continue
        heading = label("c_indicators", lang) + _suffix(bilan, region)
        out.append(f'<h3>{escape(heading)}</h3><div class="charts">{"".join(figures)}</div>')
    return out


CHARTS = {"reunions": meetings_charts, "assiduite": attendance_charts, "indicateurs": indicator_charts}


def render(bilan: Bilan, request=None) -> str:
    lang = language(request)
    sections = [section(number, t, lang, CHARTS.get(t.slug, lambda *_: [])(bilan, lang))
                for number, t in enumerate(tables(bilan, lang), 1)]
    header = (f'<p class="meta">{escape(meta_line(bilan, lang))}</p>\n'
              f'<p class="inventory">{escape(inventory_line(bilan, lang))}</p>')
    return page(report_title(bilan, lang), header, sections, lang)
