"""The attestations as printable HTML, laid out page by page here rather than left to the browser's
page breaks: each attestation is one or more A4 sheets (`paginate`), every sheet headed with the
physician's name, RPPS and « page 1/2 », the table's header repeated, and the signature always kept
with the last meeting rows — never a page holding only the signature. Sheets follow one another with a
break *before* each but the first: a file of several attestations prints one sheet after the other,
with no blank page at the end. The same pages print alike in a browser and through WeasyPrint (`pdf`).
"""

from __future__ import annotations

from html import escape

from .. import i18n
from ..document import letterhead
from ..french import counted
from .attestation import Attestation, Attestations, Line
from .page import document

# The vertical budget of an A4 sheet (16 mm margins: 751 pt high), in points, with a margin for the
# fonts of each renderer: the rows a sheet may hold after its fixed parts.
FIRST_SHEET = 400  # under the association's letterhead, the title and the statement
NEXT_SHEET = 640  # under the running head and the table's header
CLOSING = 150  # the total row and the signature block, kept with the last rows
KEEP_WITH_SIGNATURE = 3  # meeting rows that always stand with the signature on the last sheet
LINE = 11.0  # a line of table text (8.5 pt) in points; a row adds its padding and border
ROW = 4.5
THEME_CHARS = {True: 34, False: 66}  # characters of a line of the theme column, with and without the group column
GROUP_CHARS = 30

CSS = """
.sheet { max-width: 780px; margin: 0 auto 40px; }
.running { display: flex; justify-content: space-between; color: var(--muted); font-size: 12px;
           border-bottom: 1px solid var(--pale); padding-bottom: 2px; margin-bottom: 8px; }
.sheet h1 { text-align: center; margin: 18px 0 4px; }
.sheet .association { font-size: 16px; font-weight: bold; color: var(--accent); margin: 0; }
.sheet .subtitle { text-align: center; color: var(--muted); margin: 0 0 18px; }
.sheet p.statement { font-size: 15px; margin: 14px 0; }
.sheet table { width: 100%; table-layout: fixed; }
.sheet col.date { width: 19%; } .sheet col.group { width: 27%; } .sheet col.role { width: 12%; }
.sheet col.duration { width: 9%; }
.sheet td { overflow-wrap: anywhere; }
.signature { break-inside: avoid; margin-top: 28px; margin-left: auto; width: 45%; }
.signature .space { height: 70px; border-bottom: 1px solid var(--line); }
@page { size: A4; margin: 16mm 15mm; }
@media print {
  .sheet { font-size: 10pt; max-width: none; margin: 0; break-inside: avoid; }
  .sheet + .sheet { break-before: page; page-break-before: always; }
  .running { font-size: 8pt; margin-bottom: 6pt; }
  .sheet h1 { margin: 6pt 0 2pt; }
  .sheet .subtitle { margin: 0 0 8pt; }
  .sheet p.statement { font-size: 10.5pt; margin: 6pt 0 8pt; }
  .sheet table { font-size: 8.5pt; }
  .sheet th, .sheet td { padding: 1.5pt 5pt; }
  .signature { margin-top: 10pt; }
  .signature p { margin: 0; }
  .signature .space { height: 36pt; margin-bottom: 3pt; }
}
"""


def title(year: int) -> str:
    return f"Attestation de participation {year} — Groupes Qualité"


def _height(line: Line, several: bool) -> float:
    """A row's height in points: as many lines as its longest wrapped cell."""
    lines = -(-len(line.theme) // THEME_CHARS[several])
    if several:
        lines = max(lines, -(-len(line.group) // GROUP_CHARS))
    return ROW + LINE * max(lines, 1)


def paginate(lines: tuple[Line, ...], several: bool) -> list[tuple[Line, ...]]:
    """The meeting rows of each sheet: as many as each holds, and the last sheet with room for the total
    and the signature and at least `KEEP_WITH_SIGNATURE` rows (or all of them when there are fewer)."""
    sheets: list[list[Line]] = [[]]
    used, budget = 0.0, FIRST_SHEET
    for line in lines:
        height = _height(line, several)
        if sheets[-1] and used + height > budget:
            sheets.append([])
            used, budget = 0.0, NEXT_SHEET
        sheets[-1].append(line)
        used += height
    if used + CLOSING > budget and len(sheets[-1]) > KEEP_WITH_SIGNATURE:
        moved = sheets[-1][-KEEP_WITH_SIGNATURE:]
        del sheets[-1][-KEEP_WITH_SIGNATURE:]
        sheets.append(moved)
    elif used + CLOSING > budget and len(sheets) > 1:  # take rows from the sheet before
        take = min(KEEP_WITH_SIGNATURE - len(sheets[-1]), len(sheets[-2]) - 1)
        if take > 0:
            sheets[-1][:0] = sheets[-2][-take:]
            del sheets[-2][-take:]
    return [tuple(sheet) for sheet in sheets]


def _table(a: Attestation, rows: tuple[Line, ...], several: bool, last: bool) -> str:
    body = "".join(
        f'<tr><td class="date">{escape(i18n.day(line.day))}</td>'
        + (f'<td class="group">{escape(line.group)}</td>' if several else "")
        + f'<td>{escape(line.theme)}</td><td>{escape(line.role)}</td>'
        f'<td class="num">{escape(i18n.duration(line.minutes))}</td></tr>'
        for line in rows
    )
    if last:
        body += (f'<tr class="total"><td colspan="{4 if several else 3}">Total</td>'
                 f'<td class="num">{escape(i18n.duration(a.minutes))}</td></tr>')
    cols = ('<col class="date">' + ('<col class="group">' if several else "") + '<col class="theme">'
            '<col class="role"><col class="duration">')
    group_head = '<th scope="col">Groupe</th>' if several else ""
    return (f'<table><colgroup>{cols}</colgroup><thead><tr><th scope="col">Date</th>{group_head}'
            f'<th scope="col">Thème</th><th scope="col">Rôle</th><th scope="col" class="num">Durée</th></tr>'
            f"</thead><tbody>{body}</tbody></table>")


def _head(a: Attestation, logo: str | None) -> str:
    groups = " et ".join(a.groups)
    action = (f"\n<p class=\"statement\">Action de DPC n° <strong>{escape(a.dpc_action)}</strong>.</p>"
              if a.dpc_action else "")
    return f"""{letterhead.html(a.association, a.letterhead, logo)}
<h1>Attestation de participation</h1>
<p class="subtitle">Groupes Qualité — évaluation des pratiques professionnelles (EPP / DPC) — année {a.year}</p>
<p class="statement">L'association {escape(a.association)} atteste que <strong>{escape(a.name)}</strong>
(RPPS {escape(a.physician)}) a participé en {a.year} à {counted(len(a.lines), 'réunion', 'réunions')}
de pairs ({escape(groups)}, {escape(a.region)}), soit <strong>{escape(i18n.duration(a.minutes))}</strong>
de travail en groupe.</p>{action}"""


def _signature(a: Attestation) -> str:
    signatory = escape(a.signatory) if a.signatory else "&nbsp;"
    place = a.letterhead.get("place")
    made = f"Fait à {escape(place)}, le" if place else "Fait le"
    return (f'<div class="signature"><p>{made} {escape(i18n.day(a.issued))},<br>pour l\'association '
            f'{escape(a.association)},<br>{escape(a.signatory_title)}</p><div class="space"></div>'
            f'<p>{signatory}</p></div>')


def sheets(a: Attestation, logo: str | None = None) -> list[str]:
    """The attestation's A4 sheets, each headed with the physician and « page n/N »."""
    several = len(a.groups) > 1  # the group column only when there is a choice
    pages = paginate(a.lines, several)
    out = []
    for number, rows in enumerate(pages, start=1):
        last = number == len(pages)
        out.append(f"""<section class="sheet">
<div class="running"><span>{escape(a.name)} — RPPS {escape(a.physician)} — attestation {a.year}</span>
<span>page {number}/{len(pages)}</span></div>
{_head(a, logo) if number == 1 else ""}
{_table(a, rows, several, last)}
{_signature(a) if last else ""}
</section>""")
    return out


def render(attestations: Attestations, only: Attestation | None = None) -> str:
    """Every attestation of `attestations`, or the one `only` (the file sent to that physician)."""
    chosen = (only,) if only is not None else attestations.pages
    body = "\n".join(sheet for a in chosen for sheet in sheets(a, attestations.logos.get(a.region_id)))
    return document(title(attestations.year), body, letterhead.CSS + CSS)
