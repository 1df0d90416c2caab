"""The ledger as Markdown: the bilan's document writer (`document.markdown`: tabulate, record text made
inert) on the ledger's tables."""

from __future__ import annotations

from ..document.markdown import document
from .figures import Ledger
from .tables import WARNING, tables, title


def render(ledger: Ledger, request=None) -> str:
    return document(title(ledger), [f"*{WARNING}*"], tables(ledger), "fr")
