"""The ledger as one self-contained HTML page (the bilan's style and table writer, `document.html`), to
print or keep: under the association's letterhead when it is one region's, on A4 landscape (ten
columns per physician), the names never wrapped, the subject and « page n/N » at each page's foot."""

from __future__ import annotations

from html import escape

from ..document import letterhead
from ..document.html import section
from .figures import Ledger
from .page import document
from .tables import WARNING, tables, title

CSS = letterhead.CSS + """
body { max-width: 1400px; }
td.name, th.name { white-space: nowrap; }
th.num { white-space: normal; }
td.groups { min-width: 14em; }
table { width: 100%; }
th.groups { width: 26%; }
.letterhead { margin-bottom: 10px; }
@page { size: A4 landscape; margin: 12mm 12mm 15mm; }
@media print { table { font-size: 8.5pt; } }
"""


def head(ledger: Ledger) -> str:
    """The association's letterhead when the ledger is one region's (every region's has the title only)."""
    if len(ledger.regions) != 1:
        return ""
    region = ledger.regions[0]
    return letterhead.html(region.association, region.letterhead, ledger.logos.get(region.region))


def render(ledger: Ledger, request=None) -> str:
    sections = [section(number, t, "fr") for number, t in enumerate(tables(ledger), 1)]
    body = (head(ledger) + f'\n<h1>{escape(title(ledger))}</h1>\n<p class="meta">{escape(WARNING)}</p>\n'
            + "\n".join(sections))
    return document(title(ledger), body, CSS, subject=f"{title(ledger)} — document nominatif")
