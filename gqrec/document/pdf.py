"""Printable pages as PDF, without a browser — the one document pipeline of every `--pdf` (the bilan, the
ledger, the attendance sheet, the profiles, the effect of the themes): WeasyPrint lays each HTML page
out with its print stylesheet (page size, the subject and « page n/N » on each page,
`document.html.running`) and writes it, one document at a time. The attestations, some 2,600 a national
year, are drawn by ReportLab instead (`ledger.attestation_pdf`, `reportlab` below): WeasyPrint's layout
takes about 0,1 s an A4 page of table, ReportLab about 0,015 s."""

from __future__ import annotations

import logging
from typing import Callable

from ..errors import UsageError


class NoPdf(UsageError):
    pass


def weasyprint():
    """The library, or a French refusal when it is not installed (the `pdf` extra) or the system lacks what
    it draws with (Pango)."""
    try:
        import weasyprint as library
    except (ImportError, OSError) as error:
        if isinstance(error, ModuleNotFoundError) and error.name == "weasyprint":
            raise NoPdf(
                "PDF impossible : le rendu PDF est une option de gqrec, absente de cette installation. "
                "Installez-la avec pip install \"gqrec[pdf]\" (WeasyPrint) ; sans --pdf, les pages HTML "
                "s'impriment en PDF depuis le navigateur."
            ) from None
        raise NoPdf(
            f"PDF impossible : WeasyPrint ne peut pas se charger ({type(error).__name__}: {error}). Il lui faut la "
            "bibliothèque Pango du système (Debian : apt-get install libpango-1.0-0 libpangoft2-1.0-0) ; sans --pdf, "
            "les pages HTML s'impriment en PDF depuis le navigateur."
        ) from None
    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # CSS it ignores (print-color-adjust) is no news
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    return library


def reportlab():
    """ReportLab, which draws the attestations (`ledger.attestation_pdf`), or the French refusal when the
    `pdf` extra is not installed."""
    try:
        import reportlab as library
    except ImportError:
        raise NoPdf(
            "PDF impossible : le rendu PDF est une option de gqrec, absente de cette installation. "
            "Installez-la avec pip install \"gqrec[pdf]\" (WeasyPrint et ReportLab) ; sans --pdf, les pages HTML "
            "s'impriment en PDF depuis le navigateur."
        ) from None
    return library


def document(html: str) -> bytes:
    """One HTML document as PDF."""
    return weasyprint().HTML(string=html).write_pdf()


def refuse_early(request) -> None:
    """`--pdf`'s refusals, before anything is read: it writes a file (so it needs `--out`), and the system
    must be able to draw."""
    if not getattr(request, "pdf", False):
        return
    if request.out is None:
        raise UsageError("--pdf écrit un fichier : indiquez le dossier avec --out.")
    weasyprint()


def with_pdf(texts: dict[str, str | bytes], stem: str, html: Callable[[], str]) -> dict[str, str | bytes]:
    """A product's files and `<stem>.pdf`: its printable HTML page as PDF — the page among the files when
    `--format html` wrote it, else `html()` — so every product prints through this one pipeline."""
    page = texts.get(f"{stem}.html")
    return {**texts, f"{stem}.pdf": document(page if isinstance(page, str) else html())}
