"""A titled table as HTML, and the style sheet of every gqrec page (the bilan, the ledger, the attestations).

The pages are opened offline and printed to PDF: inline CSS with a print stylesheet, no script, no font,
no image to fetch. Every text from the records is escaped (html.escape).
"""

from __future__ import annotations

from datetime import date
from html import escape

from .table import Table, display, numeric_columns, word

CSS = """
:root { --ink: #1a202c; --muted: #4a5568; --line: #cbd5e0; --accent: #2c5282; --pale: #e2e8f0;
        --held: #2b6cb0; --expected: #bee3f8; --rate: #2f855a; --control: #c05621; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; color: var(--ink); margin: 0 auto;
       max-width: 1100px; padding: 24px 32px; font-size: 14px; line-height: 1.45; }
h1 { font-size: 24px; color: var(--accent); margin: 0 0 4px; }
h2 { font-size: 18px; color: var(--accent); border-bottom: 2px solid var(--pale); padding-bottom: 3px;
     margin: 28px 0 10px; }
h3 { font-size: 15px; margin: 16px 0 6px; }
.meta { color: var(--muted); margin: 0 0 10px; }
.inventory { font-size: 17px; font-weight: bold; background: var(--pale); padding: 10px 14px;
             border-left: 5px solid var(--accent); }
table { border-collapse: collapse; margin: 6px 0; font-size: 13px; }
th, td { border: 1px solid var(--line); padding: 3px 8px; vertical-align: top; }
th { background: var(--pale); text-align: left; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.date { white-space: nowrap; }
tr.total td { font-weight: bold; background: #f7fafc; }
.note, .empty { color: var(--muted); font-size: 12px; font-style: italic; margin: 4px 0 0; }
figure { margin: 12px 0; }
figcaption { font-weight: bold; font-size: 13px; margin-bottom: 4px; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(320px, 1fr)); gap: 10px 18px; }
.charts figure { margin: 6px 0; }
.charts svg.chart { width: 100%; }
svg.chart { max-width: 100%; height: auto; font-size: 11px; }
svg .grid { stroke: var(--pale); stroke-width: 1; }
svg .axis, svg .legend, svg .value { fill: var(--muted); }
svg .label { fill: var(--ink); }
svg .bar-held { fill: var(--held); }
svg .bar-expected { fill: var(--expected); }
svg .bar-rate { fill: var(--rate); }
svg .line-participant { fill: none; stroke: var(--held); stroke-width: 2.5; }
svg .line-control { fill: none; stroke: var(--control); stroke-width: 2; stroke-dasharray: 6 4; }
svg .dot-participant, svg .key-participant { fill: var(--held); }
svg .dot-control, svg .key-control { fill: var(--control); }
footer { margin-top: 28px; color: var(--muted); font-size: 12px; }
@page { size: A4; margin: 14mm 12mm 16mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  table { max-width: 100%; font-size: 8.5pt; }
  th, th.num { white-space: normal; hyphens: auto; }
  td { overflow-wrap: break-word; }
  th, td { padding: 2pt 5pt; }
  svg.chart { width: 100%; height: auto; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2 { break-after: avoid; }
  .charts { grid-template-columns: repeat(3, 1fr); gap: 4mm 6mm; }
  h3 { break-after: avoid; }
  tr, figure, .charts figure { break-inside: avoid; }
  section { break-inside: auto; }
  .inventory { border: 1px solid var(--line); }
}
"""


def css_string(text: str) -> str:
    """Text as a quoted CSS string: anything but letters, digits and plain punctuation written as a hex
    escape, so that no record text can end the string or the style element."""
    return '"' + "".join(ch if ch.isalnum() or ch in " -–—.,:;()'’«»" else f"\\{ord(ch):06x}" for ch in text) + '"'


def running(subject: str) -> str:
    """CSS that prints the document's subject and « page n/N » at the foot of every printed page (page
    margin boxes, drawn by WeasyPrint and by Chromium alike)."""
    foot = "font-size: 8pt; color: #4a5568; font-family: \"DejaVu Sans\", Arial, sans-serif;"
    return ("@page { @bottom-left { content: " + css_string(subject) + "; " + foot + " }"
            ' @bottom-right { content: "page " counter(page) "/" counter(pages); ' + foot + " } }\n")


def table(t: Table, lang: str) -> str:
    """One titled table as HTML, record text escaped; a row whose first cells say « Total » is a total row."""
    if not t.rows:
        return f'<p class="empty">{escape(t.empty)}</p>'
    numeric = numeric_columns(t)
    total = word("total", lang)
    named = tuple(t.classes) + ("",) * (len(t.headers) - len(t.classes))

    def klass(*names: str) -> str:
        names = tuple(name for name in names if name)
        return f' class="{" ".join(names)}"' if names else ""

    head = "".join(f'<th scope="col"{klass("num" if n else "", c)}>{escape(h)}</th>'
                   for h, n, c in zip(t.headers, numeric, named))
    body = []
    for row in t.rows:
        kind = ' class="total"' if total in row[:2] else ""
        cells = "".join(
            f'<td{klass("num" if n else "date" if isinstance(cell, date) else "", c)}>{escape(display(cell, lang))}</td>'
            for cell, n, c in zip(row, numeric, named)
        )
        body.append(f"<tr{kind}>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def section(number: int, t: Table, lang: str, extra: list[str] | tuple[str, ...] = ()) -> str:
    """A numbered table section: its title, the table, its note, then `extra` (charts)."""
    parts = [f"<h2>{number}. {escape(t.title)}</h2>", table(t, lang)]
    if t.note and t.rows:
        parts.append(f'<p class="note">{escape(t.note)}</p>')
    return f'<section id="{t.slug}">\n' + "\n".join([*parts, *extra]) + "\n</section>"


def page(heading: str, header: str, sections: list[str], lang: str, css: str = "", subject: str | None = None,
         above: str = "") -> str:
    """A self-contained page: `above` (HTML: a letterhead), the heading as title and h1, `header` (HTML)
    under it, then the sections; printed, each page's foot gives `subject` (the heading when not said)
    and « page n/N »."""
    return "\n".join([
        "<!DOCTYPE html>",
        f'<html lang="{"en" if lang == "en" else "fr"}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(heading)}</title>",
        '<link rel="icon" href="data:,">',
        f"<style>{CSS}{running(heading if subject is None else subject)}{css}</style>",
        "</head>",
        "<body>",
        "<header>",
        *([above] if above else []),
        f"<h1>{escape(heading)}</h1>",
        header,
        "</header>",
        "<main>",
        *sections,
        "</main>",
        "</body>",
        "</html>",
    ]) + "\n"
