"""Printable pages as PDF, without a browser: WeasyPrint lays each HTML page out with its print stylesheet
and writes it, one document at a time (the profiles, the effect of the themes). The attestations, some
2,600 a national year, are drawn by ReportLab instead (`ledger.attestation_pdf`): WeasyPrint's layout
takes about 0,1 s an A4 page of table, ReportLab about 0,015 s."""

from __future__ import annotations

import logging
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
