"""The association's letterhead (`region.yaml` `letterhead`, RECORDS.md) on every printed document of a
region — the bilan's cover, the attestations, the attendance sheets, the ledger: its logo, name, address
and contact, and its number as a DPC body (ODPC). The logo is read here, once per document, from the
records root and put in the page itself (a data URI): the pages stay self-contained."""

from __future__ import annotations

import base64
from html import escape
from pathlib import Path
from typing import Any, Mapping

from ..fsio import read_regular

LOGO_BYTES = 512 * 1024  # a letterhead's logo; a bigger file is not printed
LOGO_TYPES = {".png": "image/png", ".svg": "image/svg+xml"}

CSS = """
.letterhead { display: flex; gap: 12px; align-items: center; }
.letterhead img { max-height: 56px; max-width: 160px; }
.letterhead p { margin: 0; }
.letterhead .association { font-size: 16px; font-weight: bold; color: var(--accent); margin: 0; }
.letterhead .contact, .letterhead .odpc { color: var(--muted); font-size: 12px; }
@media print {
  .letterhead img { max-height: 40pt; max-width: 110pt; }
  .letterhead .contact, .letterhead .odpc { font-size: 8pt; }
}
"""


def logo_uri(root: Path, letterhead: Mapping[str, Any] | None) -> tuple[str | None, str | None]:
    """(the letterhead's logo as a data URI for a self-contained page, or None; a notice when it is named
    but cannot be printed). The file must be a regular file inside the records root, small enough."""
    name = letterhead.get("logo") if letterhead else None
    if not name:
        return None, None
    folder = Path(root).resolve()
    path = (folder / name).resolve()
    read = read_regular(path, LOGO_BYTES) if folder in path.parents else None
    if read is None or len(read[0]) > LOGO_BYTES or path.suffix not in LOGO_TYPES:
        return None, (f"logo de l'en-tête non imprimé : {name} n'est pas une image PNG ou SVG lisible de moins de "
                      f"{LOGO_BYTES // 1024} Kio dans le dossier des registres.")
    return f"data:{LOGO_TYPES[path.suffix]};base64,{base64.b64encode(read[0]).decode('ascii')}", None


def logos(root: Path, letterheads: Mapping[str, Mapping[str, Any]]) -> tuple[dict[str, str], list[str]]:
    """({region id: its logo as a data URI}, the notices of logos named but not printable)."""
    found, notices = {}, []
    for region, head in letterheads.items():
        logo, unprintable = logo_uri(root, head)
        found.update({region: logo} if logo else {})
        notices += [unprintable] if unprintable else []
    return found, notices


def odpc_line(head: Mapping[str, Any]) -> str | None:
    odpc = head.get("odpc") if head else None
    return f"Organisme de DPC enregistré auprès de l'ANDPC sous le n° {odpc}" if odpc else None


def html(association: str, head: Mapping[str, Any] | None, logo: str | None, extra: str = "") -> str:
    """The association's head: logo, name (and `extra`, e.g. its legal form), address and contact, ODPC number."""
    head = head or {}
    contact = " · ".join(escape(head[key]) for key in ("address", "phone", "email") if head.get(key))
    odpc = odpc_line(head)
    return ('<header class="letterhead">' + (f'<img src="{escape(logo)}" alt="">' if logo else "")
            + f'<div><p class="association">{escape(association)}{escape(extra)}</p>'
            + (f'<p class="contact">{contact}</p>' if contact else "")
            + (f'<p class="odpc">{escape(odpc)}</p>' if odpc else "")
            + "</div></header>")
