"""The HTML page around the ledger, the attestations and the attendance sheet: self-contained (inline
CSS, no script, no font or image to fetch), A4 print stylesheet, the bilan's look."""

from __future__ import annotations

from html import escape

from ..document.html import CSS, running


def document(title: str, body: str, css: str = "", subject: str | None = None) -> str:
    """The page; printed, each page's foot gives `subject` and « page n/N » (not for the attestations,
    which number each physician's own pages)."""
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="fr">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        '<link rel="icon" href="data:,">',
        f"<style>{CSS}{running(subject) if subject else ''}{css}</style>",
        "</head>",
        "<body>",
        body,
        "</body>",
        "</html>",
    ]) + "\n"
