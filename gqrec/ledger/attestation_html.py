"""The attestations as printable HTML: one A4 page per physician (a page break after each), French
dates, the association's name at the head and the coordinator's signature block at the foot."""

from __future__ import annotations

from html import escape

from .. import i18n
from ..french import counted
from .attestation import Attestation, Attestations
from .page import document

CSS = """
.attestation { max-width: 780px; margin: 0 auto 40px; }
.attestation h1 { text-align: center; margin: 18px 0 4px; }
.attestation .association { font-size: 16px; font-weight: bold; color: var(--accent); margin: 0; }
.attestation .subtitle { text-align: center; color: var(--muted); margin: 0 0 18px; }
.attestation p.statement { font-size: 15px; margin: 14px 0; }
.attestation table { width: 100%; }
.attestation td.group, .attestation td.date { white-space: nowrap; }
.signature { break-inside: avoid; margin-top: 28px; margin-left: auto; width: 45%; }
.signature .space { height: 70px; border-bottom: 1px solid var(--line); }
@page { size: A4; margin: 16mm 15mm; }
@media print {
  .attestation { font-size: 10pt; }
  .attestation h1 { margin: 6pt 0 2pt; }
  .attestation .subtitle { margin: 0 0 8pt; }
  .attestation p.statement { font-size: 10.5pt; margin: 6pt 0 8pt; }
  .attestation table { font-size: 8.5pt; }
  .attestation th, .attestation td { padding: 1.5pt 5pt; }
  .signature { margin-top: 10pt; }
  .signature p { margin: 0; }
  .signature .space { height: 36pt; margin-bottom: 3pt; }
  .attestation { max-width: none; margin: 0; break-after: page; page-break-after: always; break-inside: avoid; }
  .attestation:last-of-type { break-after: auto; page-break-after: auto; }
}
"""


def title(year: int) -> str:
    return f"Attestation de participation {year} — Groupes Qualité"


def page(a: Attestation) -> str:
    several = len(a.groups) > 1  # the group column only when there is a choice: the page stays one page
    rows = "".join(
        f'<tr><td class="date">{escape(i18n.day(line.day))}</td>'
        + (f'<td class="group">{escape(line.group)}</td>' if several else "")
        + f'<td>{escape(line.theme)}</td><td>{escape(line.role)}</td>'
        f'<td class="num">{escape(i18n.duration(line.minutes))}</td></tr>'
        for line in a.lines
    )
    group_head = '<th scope="col">Groupe</th>' if several else ""
    groups = " et ".join(a.groups)
    signatory = escape(a.signatory) if a.signatory else "&nbsp;"
    return f"""<section class="attestation">
<p class="association">{escape(a.association)}</p>
<h1>Attestation de participation</h1>
<p class="subtitle">Groupes Qualité — évaluation des pratiques professionnelles (EPP / DPC) — année {a.year}</p>
<p class="statement">L'association {escape(a.association)} atteste que <strong>{escape(a.name)}</strong>
(RPPS {escape(a.physician)}) a participé en {a.year} à {counted(len(a.lines), 'réunion', 'réunions')}
de pairs ({escape(groups)}, {escape(a.region)}), soit <strong>{escape(i18n.duration(a.minutes))}</strong>
de travail en groupe.</p>
<table><thead><tr><th scope="col">Date</th>{group_head}<th scope="col">Thème</th>
<th scope="col">Rôle</th><th scope="col" class="num">Durée</th></tr></thead>
<tbody>{rows}<tr class="total"><td colspan="{4 if several else 3}">Total</td><td class="num">{escape(i18n.duration(a.minutes))}</td></tr></tbody></table>
<div class="signature"><p>Fait le {escape(i18n.day(a.issued))},<br>pour l'association {escape(a.association)},<br>
le médecin coordonnateur</p><div class="space"></div><p>{signatory}</p></div>
</section>"""


def render(attestations: Attestations, only: Attestation | None = None) -> str:
    """Every page of `attestations`, or the one page `only` (the file sent to that physician)."""
    pages = (only,) if only is not None else attestations.pages
    return document(title(attestations.year), "\n".join(page(a) for a in pages), CSS)
