"""The bilan as one self-contained HTML page: the same tables as Markdown, plus inline SVG charts.

A coordinator opens it offline and prints it to PDF for the COPIL: inline CSS with a print stylesheet,
no script, no font, no image to fetch. Every text from the records is escaped (html.escape).
"""

from __future__ import annotations

from html import escape

from .. import i18n
from ..document import letterhead, svg
from ..document.html import page, section
from .figures import Bilan, IndicatorSeries, RegionReport
from .labels import association_line, cover_lines, inventory_line, label, meta_line, report_title
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


COVER_CSS = letterhead.CSS + """
body > header .letterhead { margin-bottom: 14px; }
.masthead { margin: 14px 0 0; }
.masthead h2 { border: none; margin: 18px 0 6px; }
.masthead dl { display: grid; grid-template-columns: max-content 1fr; gap: 3px 14px; margin: 8px 0 0; }
.masthead dt { color: var(--muted); }
.masthead dd { margin: 0; }
@media print { body > header { break-after: page; } .masthead h2 { break-after: auto; } }
"""


def _cover_lines(region: RegionReport, lang: str) -> str:
    rows = "".join(f"<dt>{escape(key)}</dt><dd>{'<br>'.join(escape(name) for name in names)}</dd>"
                   for key, names in cover_lines(region, lang))
    return f"<dl>{rows}</dl>" if rows else ""


def cover(bilan: Bilan, lang: str) -> tuple[str, str]:
    """(the letterhead above the title, the cover under it): a region's association with its logo, address
    and ODPC number, then its partners, coordinator and COPIL; a national bilan names the federation, then
    each region's association the same way."""
    if bilan.region is not None:
        region = bilan.regions[0]
        head = region.masthead
        above = letterhead.html(head.association, head.letterhead, bilan.logos.get(region.id),
                                f" ({head.legal_form})" if head.legal_form else "") if head else ""
        return above, f'<section class="masthead">{_cover_lines(region, lang)}</section>'
    above = letterhead.html(bilan.federation, {}, None) if bilan.federation else ""
    blocks = [f'<p class="meta">{escape(label("national", lang, n=len(bilan.regions)))}</p>']
    for region in bilan.regions:
        head = region.masthead
        blocks.append(f"<h2>{escape(region.name)}</h2>" + (letterhead.html(
            association_line(region), head.letterhead, bilan.logos.get(region.id)) if head else "")
            + _cover_lines(region, lang))
    return above, f'<section class="masthead">{"".join(blocks)}</section>'


def render(bilan: Bilan, request=None) -> str:
    lang = language(request)
    sections = [section(number, t, lang, CHARTS.get(t.slug, lambda *_: [])(bilan, lang))
                for number, t in enumerate(tables(bilan, lang), 1)]
    above, under = cover(bilan, lang)
    header = (f'<p class="meta">{escape(meta_line(bilan, lang))}</p>\n'
              f'<p class="inventory">{escape(inventory_line(bilan, lang))}</p>\n{under}')
    return page(report_title(bilan, lang), header, sections, lang, COVER_CSS, above=above)
