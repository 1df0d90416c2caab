"""Printable pages as PDF, without a browser: WeasyPrint lays each HTML page out with its print stylesheet
and writes it, one document at a time (the attestations: about 0,1 s each, memory that does not grow
with the region: no document of all the pages is kept; the effect of the themes: one document)."""

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


def document(html: str) -> bytes:
    """One HTML document as PDF."""
    return weasyprint().HTML(string=html).write_pdf()
