"""The attendance sheet as one printable A4 page: a heading, then one row per active member with
room to sign, then the animator's signature."""

from __future__ import annotations

from html import escape

from .. import i18n
from .page import document
from .sheet import Person, Sheet

CSS = """
.sheet { max-width: 820px; margin: 0 auto; }
.sheet table { width: 100%; }
.sheet td.sign { width: 38%; height: 34px; }
.sheet td.n { width: 2.5em; text-align: right; }
@page { size: A4; margin: 14mm 14mm; }
@media print { .sheet { max-width: none; } .sheet tr { break-inside: avoid; } }
"""


def title(sheet: Sheet) -> str:
    return f"Feuille d'émargement — {sheet.name} — {i18n.day(sheet.day)}"


def _who(person: Person) -> str:
    return escape(person.name or "(fiche introuvable)")


SPARE_ROWS = 2  # for a replacement or a guest


def render(sheet: Sheet) -> str:
    rows = "".join(
        f'<tr><td class="n">{n}</td><td>{_who(p)}</td><td>{escape(p.rpps)}</td><td class="sign"></td></tr>'
        for n, p in enumerate(sheet.members, 1)
    ) + "".join(  # a replacement or a guest writes their name on a spare row
        f'<tr class="spare"><td class="n">{n}</td><td></td><td></td><td class="sign"></td></tr>'
        for n in range(len(sheet.members) + 1, len(sheet.members) + 1 + SPARE_ROWS)
    )
    animators = "".join(
        f'<tr><td>{_who(p)}</td><td>{escape(p.rpps)}</td><td class="sign"></td></tr>' for p in sheet.animators
    ) or '<tr><td colspan="3">(aucun animateur actif à cette date)</td></tr>'
    theme = f"<p><strong>Thème :</strong> {escape(sheet.theme)}</p>" if sheet.theme else (
        "<p><strong>Thème :</strong> ……………………………………………</p>")
    body = f"""<section class="sheet">
<p class="association">{escape(sheet.association)} — {escape(sheet.region)}</p>
<h1>Feuille d'émargement</h1>
<p><strong>{escape(sheet.name)}</strong> ({escape(sheet.territory)}) — réunion du <strong>{escape(i18n.day(sheet.day))}</strong></p>
{theme}
<p>Durée : ……… minutes — Cas cliniques tirés au sort : ………</p>
<h2>Animation</h2>
<table><thead><tr><th scope="col">Animateur</th><th scope="col">RPPS</th><th scope="col">Signature</th></tr></thead>
<tbody>{animators}</tbody></table>
<h2>Membres ({len(sheet.members)})</h2>
<table><thead><tr><th scope="col" class="n">N°</th><th scope="col">Nom</th><th scope="col">RPPS</th>
<th scope="col">Signature</th></tr></thead><tbody>{rows}</tbody></table>
<p class="note">Membres actifs du groupe à cette date. Chaque présent signe en face de son nom ; un
remplaçant ou un invité inscrit son nom et son RPPS sur une ligne libre.</p>
</section>"""
    return document(title(sheet), body, CSS)
