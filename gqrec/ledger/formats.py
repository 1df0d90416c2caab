"""The files `gqrec ledger` writes, in each format of the ledger's `FORMATS`."""

from __future__ import annotations

from . import FORMATS
from .figures import Ledger


def stem(ledger: Ledger) -> str:
    """`valorisation-2024` for every region, `valorisation-2024-bretagne` for one."""
    return f"valorisation-{ledger.year}" + (f"-{ledger.region}" if ledger.region else "")


def files(ledger: Ledger, fmt: str, request=None) -> dict[str, str]:
    """File name -> text of the ledger in `fmt`: one file, or one file per table."""
    return FORMATS.files(stem(ledger), fmt, ledger, request)
