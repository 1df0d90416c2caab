"""Profiles as one self-contained HTML page: inline CSS, and per indicator an inline SVG chart that
places the physician's (or the members') rate against the decile band of the region's participants.

Only `Rate.value` is ever drawn, and it is None for a suppressed rate, so a rate on fewer than 10
patients is never a point on a chart.
"""

from __future__ import annotations

from html import escape

from ..safe import printable
from . import text
from .profiles import Comparison, IndicatorProfile, Profile, Report
from ..formats import language

CSS = """
body{font-family:"DejaVu Sans",system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.3rem;border-bottom:2px solid #2f6690;padding-bottom:.2rem;margin-top:2.2rem}
h3{font-size:1.08rem;margin:1.6rem 0 .3rem}h1{string-set:subject attr(data-subject)}
.note{background:#f3f6f9;border-left:4px solid #2f6690;padding:.5rem .8rem;font-size:.9rem}
.direction{font-weight:bold;color:#2f6690;margin:.1rem 0}.attention{color:#b3261e}
.definition,.deciles,.legend{color:#555;font-size:.88rem;margin:.2rem 0}
.figures{display:flow-root}.figures>.side{float:left;width:48%}.figures>.main{margin-left:52%}
.figures.members>.side{width:45%}.figures.members>.main{margin-left:48%}
@media screen and (max-width:44rem){.figures>.side,.figures.members>.side{float:none;width:auto}.figures>.main,.figures.members>.main{margin-left:0}}
table{border-collapse:collapse;margin:.5rem 0;font-size:.92rem;width:100%}
th,td{padding:.25rem .5rem;border-bottom:1px solid #ddd;text-align:left;overflow-wrap:break-word;vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums}th{background:#eef2f6}
table.members tbody th{white-space:nowrap}
.suppressed{color:#888;font-style:italic}.better{color:#1a7f37}.worse{color:#b3261e}
.messages li{margin:.15rem 0}svg{display:block;width:100%;height:auto}
.swatch{display:inline-block;width:.8rem;height:.8rem;margin:0 .25rem 0 .8rem;vertical-align:-.1rem}
article+article{border-top:3px double #999;margin-top:3rem;padding-top:1rem}
@page{size:A4 portrait;margin:11mm 10mm 13mm;
@bottom-left{content:string(subject);font-size:8pt;color:#4a5568;font-family:"DejaVu Sans",Arial,sans-serif}
@bottom-right{content:"page " counter(page) "/" counter(pages);font-size:8pt;color:#4a5568;font-family:"DejaVu Sans",Arial,sans-serif}}
@media print{body{max-width:none;margin:0;padding:0;font-size:7pt;line-height:1.2}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
article+article{break-before:page;border-top:0;margin-top:0;padding-top:0}
h1{font-size:13pt;margin:0 0 2pt}h2{font-size:9.5pt;margin:6pt 0 1pt;break-after:avoid}
h3{font-size:8.5pt;margin:0 0 1pt;break-after:avoid}p{margin:1.5pt 0}.note{padding:2pt 5pt;font-size:7pt}
.definition,.deciles,.legend{font-size:6.3pt;margin:.5pt 0;line-height:1.15}
ul.messages{margin:1pt 0;padding-left:10pt;columns:2;column-gap:6mm;font-size:6.5pt;line-height:1.15}
.figures.members>.side{width:38%}.figures.members>.main{margin-left:41%}
col.population{width:38%}col.now,col.before{width:19%}col.change{width:24%}
col.code{width:15%}table.members col.now,table.members col.before{width:22%}table.members col.change{width:27%}col.rank{width:14%}
.indicator{margin-top:4pt}h3,.direction,.definition{break-after:avoid}.figures>.side{break-inside:avoid}
table{font-size:6.2pt;line-height:1.1;margin:1pt 0;break-inside:avoid;table-layout:fixed}th,td{overflow-wrap:anywhere}th,td{padding:.4pt 2.5pt}
.swatch{width:6pt;height:6pt;margin-left:5pt}}
""".strip()

WIDTH, LEFT, RIGHT = 400, 22, 22  # a column's width: its text (12) prints at about 8 pt on A4
BAND, DECILE, MEDIAN, POINT, GROUP, MEMBER = "#cfe2f3", "#6a9bc3", "#2f6690", "#b3261e", "#e69f00", "#444"


def esc(value: str) -> str:
    """Record text on one line, without control characters, escaped for HTML."""
    return escape(printable(" ".join(str(value).split())))


def render(report: Report, request=None) -> str:
    lang = language(request)
    t = text.labels(lang)
    titles = [_title(p, lang) for p in report.profiles]
    head = (f'<!DOCTYPE html>\n<html lang="{t["lang"]}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{esc(' · '.join(titles))}</title>\n<style>{CSS}</style>\n</head>\n<body>\n")
    body = "\n".join(_profile(p, lang) for p in report.profiles)
    return head + body + "</body>\n</html>\n"


def _title(profile: Profile, lang: str) -> str:
    t = text.labels(lang)
    if profile.kind == "group":
        return t["title_group"].format(group=profile.group_name)
    return t["title_physician"].format(name=profile.physician.name)


def _profile(profile: Profile, lang: str) -> str:
    t = text.labels(lang)
    out = [f'<article>\n<h1 data-subject="{esc(text.subject(profile, lang))}">{esc(_title(profile, lang))}</h1>']
    intro = t["subtitle"].format(period=text.period_name(profile.period, lang), region=profile.region_name) + ". "
    intro += (t["compared"].format(previous=text.period_name(profile.previous_period, lang))
              if profile.previous_period else t["no_previous"])
    out.append(f"<p>{esc(intro)}</p>")
    if profile.kind == "group":
        out.append(f"<p>{esc(t['members'].format(n=len(profile.members)))}</p>")
        out.append(f'<p class="note">{esc(t["note_group"])}</p>')
    else:
        line = t["group_line"].format(group=profile.group_name)
        if profile.physician.code:
            line += " " + t["your_code"].format(code=profile.physician.code)
        out.append(f"<p>{esc(line)}</p>")
        out.append(f'<p class="note">{esc(t["note_physician"])}</p>')
    if profile.attention_only:
        out.append(f'<p class="note">{esc(text.attention_only(profile.kind, lang))}</p>')
        if not profile.themes:
            out.append(f"<p>{esc(t['attention_none'])}</p>")
    for section in profile.themes:
        out.append(f"<section>\n<h2>{esc(t['theme'].format(title=section.title))}</h2>")
        if section.key_messages:
            items = "".join(f"<li>{esc(m)}</li>" for m in section.key_messages)
            out.append(f'<p><strong>{esc(t["key_messages"])}</strong></p>\n<ul class="messages">{items}</ul>')
        for indicator in section.indicators:
            out.append(_indicator(profile, indicator, lang))
        out.append("</section>")
    out.append("</article>")
    return "\n".join(out) + "\n"


def _cells(c: Comparison, lang: str) -> str:
    cells = []
    for rate in (c.current, c.previous):
        css = "num suppressed" if rate is not None and rate.suppressed else "num"
        cells.append(f'<td class="{css}">{esc(text.rate(rate, lang))}</td>')
    cells.append(f'<td class="{c.change or ""}">{esc(text.change(c, lang))}</td>')
    return "".join(cells)


def _table(kind: str, head: tuple[str, ...], rows: list[str]) -> str:
    """A table that keeps inside its column (fixed layout, widths in per cent, text wrapping)."""
    cols = {"population": ("population", "now", "before", "change"),
            "members": ("code", "now", "before", "change", "rank")}[kind]
    colgroup = "".join(f'<col class="{c}">' for c in cols)
    heading = "".join(f"<th>{esc(h)}</th>" for h in head)
    return (f'<table class="{kind}"><colgroup>{colgroup}</colgroup><thead><tr>{heading}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>")


def _indicator(profile: Profile, indicator: IndicatorProfile, lang: str) -> str:
    t = text.labels(lang)
    now, before = text.period_name(profile.period, lang), text.period_name(profile.previous_period, lang) or "—"
    why = text.attention(profile.kind, indicator.attention, lang)
    out = [f'<section class="indicator">\n<h3>{esc(indicator.title)}</h3>',
           f'<p class="direction">{esc(text.direction(indicator.better, lang))}'
           + (f' <span class="attention">{esc(why)}</span>' if why else "") + "</p>"]
    out.append(f'<p class="definition">{esc(text.definition(indicator.numerator, indicator.denominator, lang))}</p>')
    rows = []
    if indicator.physician is not None:
        rows.append((t["you"], indicator.physician.comparison))
    rows += [(t["group_of_physician" if profile.kind == "physician" else "group"], indicator.group),
             (t["region"], indicator.region), (t["control"], indicator.control)]
    populations = _table("population", (t["population"], now, before, t["change"]),
                         [f"<tr><th>{esc(label)}</th>{_cells(c, lang)}</tr>" for label, c in rows])
    placed = [_chart(indicator, lang)]
    if indicator.physician is not None:
        rank = indicator.physician.percentile_rank
        placed.append(f'<p class="deciles">{esc(t["your_rank"].format(rank=text.rank(rank, lang)) if rank is not None else t["no_rank"])}</p>')
    distribution = indicator.distribution
    if distribution.deciles:
        placed.append(f'<p class="deciles">{esc(t["deciles"].format(n=distribution.participants, values=text.deciles(distribution.deciles, lang)))}</p>')
    else:
        placed.append(f'<p class="deciles">{esc(t["too_few"].format(n=distribution.participants))}</p>')
    if indicator.members:  # the population and the chart on the left, the members on the right
        members = _table("members", (t["code"], now, before, t["change"], t["rank"]), [
            f"<tr><th>{esc(m.code)}</th>{_cells(m.comparison, lang)}"
            f'<td class="num">{esc(text.rank(m.percentile_rank, lang))}</td></tr>'
            for m in indicator.members
        ])
        cells = ("\n".join([populations, *placed]), members)
    else:  # the populations on the left, the chart beside them
        cells = (populations, "\n".join(placed))
    klass = "figures members" if indicator.members else "figures"
    out.append(f'<div class="{klass}"><div class="side">\n{cells[0]}\n</div><div class="main">\n{cells[1]}\n</div></div>')
    return "\n".join(out) + "\n</section>"


def _x(value: float) -> float:
    return round(LEFT + value * (WIDTH - LEFT - RIGHT), 1)


def _chart(indicator: IndicatorProfile, lang: str) -> str:
    """The decile band D1–D9 of the region's participants, the median, and the points shown."""
    deciles = indicator.distribution.deciles
    if not deciles:
        return ""
    t = text.labels(lang)
    members = [m for m in indicator.members if m.comparison.current and m.comparison.current.value is not None]
    top = 12 if members else 4
    mid = top + 20
    height = mid + 31
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img">',
        f"<title>{esc(t['chart'] + ' — ' + indicator.title)}</title>",
        f'<rect x="{_x(deciles[0])}" y="{mid - 12}" width="{round(_x(deciles[-1]) - _x(deciles[0]), 1)}" height="24" fill="{BAND}"/>',
    ]
    for index, value in enumerate(deciles, start=1):
        width = 3 if index == 5 else 1
        colour = MEDIAN if index == 5 else DECILE
        parts.append(f'<line x1="{_x(value)}" x2="{_x(value)}" y1="{mid - 12}" y2="{mid + 12}" stroke="{colour}" '
                     f'stroke-width="{width}"><title>D{index} : {esc(text.percent(value, lang))}</title></line>')
    parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{mid}" y2="{mid}" stroke="#999"/>')
    for tick in (0, 0.25, 0.5, 0.75, 1):
        parts.append(f'<line x1="{_x(tick)}" x2="{_x(tick)}" y1="{mid + 12}" y2="{mid + 16}" stroke="#999"/>')
        parts.append(f'<text x="{_x(tick)}" y="{mid + 27}" font-size="13" text-anchor="middle" fill="#555">'
                     f"{esc(text.percent(tick, lang, 0))}</text>")
    for member in members:
        value = member.comparison.current.value
        parts.append(f'<circle cx="{_x(value)}" cy="{top}" r="4" fill="{MEMBER}" fill-opacity="0.6">'
                     f"<title>{esc(member.code)} : {esc(text.percent(value, lang))}</title></circle>")
    group = indicator.group.current
    if group is not None and group.value is not None:
        x = _x(group.value)
        parts.append(f'<polygon points="{x},{mid - 8} {x + 8},{mid} {x},{mid + 8} {x - 8},{mid}" fill="{GROUP}" '
                     f'stroke="#fff"><title>{esc(t["chart_group"])} : {esc(text.percent(group.value, lang))}</title></polygon>')
    own = indicator.physician.comparison.current if indicator.physician else None
    if own is not None and own.value is not None:
        parts.append(f'<circle cx="{_x(own.value)}" cy="{mid}" r="6" fill="{POINT}" stroke="#fff">'
                     f"<title>{esc(t['chart_point'])} : {esc(text.percent(own.value, lang))}</title></circle>")
    parts.append("</svg>")
    legend = [(BAND, t["chart_band"]), (MEDIAN, t["chart_median"]), (GROUP, t["chart_group"])]
    if indicator.physician is not None:
        legend.append((POINT, t["chart_point"]))
    if members:
        legend.append((MEMBER, t["chart_members"]))
    keys = "".join(f'<span class="swatch" style="background:{colour}"></span>{esc(label)}' for colour, label in legend)
    return "\n".join(parts) + f'\n<p class="legend">{keys}</p>'
