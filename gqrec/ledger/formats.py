"""The ledger's renderers, one per format, and the files `gqrec ledger` writes."""

from __future__ import annotations

from . import csv_, html, json_, md
from .figures import Ledger

RENDERERS = {"md": md.render, "html": html.render, "json": json_.render}
FORMATS = ("md", "csv", "json", "html")


def stem(ledger: Ledger) -> str:
    """`valorisation-2024` for every region, `valorisation-2024-bretagne` for one."""
    return f"valorisation-{ledger.year}" + (f"-{ledger.region}" if ledger.region else "")


def files(ledger: Ledger, fmt: str) -> dict[str, str]:
    """File name -> text of the ledger in `fmt`: one file, or one CSV file per table."""
    if fmt == "csv":
        return {f"{stem(ledger)}-{slug}.csv": text for slug, text in csv_.render(ledger).items()}
    return {f"{stem(ledger)}.{fmt}": RENDERERS[fmt](ledger)}
