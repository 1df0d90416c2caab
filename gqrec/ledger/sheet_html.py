"""The attendance sheet as one printable A4 page: the association's letterhead, the meeting (group, day,
time, place, theme), one row per animator and per active member (« LE GOFF Anne », by surname) with room
to sign, spare rows for a replacement or a guest, and at the foot the animator's attestation with the
count of those present — what a signed sheet needs, nothing else."""

from __future__ import annotations

from html import escape

from .. import i18n
from ..document import letterhead
from .page import document
from .sheet import Person, Sheet

CSS = letterhead.CSS + """
.sheet { max-width: 820px; margin: 0 auto; }
.sheet h1 { margin-top: 12px; }
.sheet .meeting p { margin: 3px 0; }
.sheet table { width: 100%; }
.sheet td.sign { width: 38%; height: 34px; }
.sheet td.n { width: 2.5em; text-align: right; }
.sheet td.name { white-space: nowrap; }
.closing { display: flex; justify-content: space-between; gap: 24px; margin-top: 14px; break-inside: avoid; }
.closing .box { flex: 1; border: 1px solid var(--line); padding: 6px 10px; min-height: 70px; }
.closing p { margin: 0 0 4px; }
@page { size: A4; margin: 12mm 14mm 15mm; }
@media print { .sheet { max-width: none; } .sheet tr { break-inside: avoid; } .sheet td.sign { height: 24pt; } }
"""

BLANK = "…………………"
SPARE_ROWS = 2  # for a replacement or a guest


def title(sheet: Sheet) -> str:
    return f"Feuille d'émargement — {sheet.name} — {i18n.day(sheet.day)}"


def _who(person: Person) -> str:
    return escape(person.listed)


def when(sheet: Sheet) -> str:
    """« mardi 13 janvier 2026 à 20 h 30 », the time left to write when the meeting has none yet."""
    day = i18n.weekday(sheet.day)
    if sheet.start:
        hours, _, minutes = sheet.start.partition(":")
        return f"{day} à {int(hours)} h {minutes}"
    return f"{day} à {BLANK} h {BLANK}"


def render(sheet: Sheet) -> str:
    rows = "".join(
        f'<tr><td class="n">{n}</td><td class="name">{_who(p)}</td><td>{escape(p.rpps)}</td><td class="sign"></td></tr>'
        for n, p in enumerate(sheet.members, 1)
    ) + "".join(  # a replacement or a guest writes their name on a spare row
        f'<tr class="spare"><td class="n">{n}</td><td></td><td></td><td class="sign"></td></tr>'
        for n in range(len(sheet.members) + 1, len(sheet.members) + 1 + SPARE_ROWS)
    )
    animators = "".join(
        f'<tr><td class="name">{_who(p)}</td><td>{escape(p.rpps)}</td><td class="sign"></td></tr>' for p in sheet.animators
    ) or '<tr><td colspan="3">(aucun animateur actif à cette date)</td></tr>'
    theme = escape(sheet.theme) if sheet.theme else BLANK * 3
    place = escape(sheet.place) if sheet.place else BLANK * 3
    body = f"""<section class="sheet">
{letterhead.html(sheet.association, sheet.letterhead, sheet.logo)}
<h1>Feuille d'émargement</h1>
<div class="meeting">
<p><strong>{escape(sheet.name)}</strong> ({escape(sheet.territory)}, {escape(sheet.region)})</p>
<p><strong>Réunion du {escape(when(sheet))}</strong></p>
<p><strong>Lieu :</strong> {place}</p>
<p><strong>Thème :</strong> {theme}</p>
<p>Durée : {BLANK} minutes — Cas cliniques tirés au sort : {BLANK}</p>
</div>
<h2>Animation</h2>
<table><thead><tr><th scope="col">Animateur</th><th scope="col">RPPS</th><th scope="col">Signature</th></tr></thead>
<tbody>{animators}</tbody></table>
<h2>Membres ({len(sheet.members)})</h2>
<table><thead><tr><th scope="col" class="n">N°</th><th scope="col">Nom</th><th scope="col">RPPS</th>
<th scope="col">Signature</th></tr></thead><tbody>{rows}</tbody></table>
<p class="note">Chaque présent signe en face de son nom ; un remplaçant ou un invité inscrit son nom et son RPPS
sur une ligne libre.</p>
<div class="closing">
<div class="box"><p>Nombre de présents : {BLANK}</p><p>Fait à {BLANK}, le {BLANK}</p></div>
<div class="box"><p>L'animateur atteste l'exactitude de cette feuille — signature :</p></div>
</div>
</section>"""
    return document(title(sheet), body, CSS, subject=title(sheet))
