"""Every printable product as PDF through the one document pipeline (`--pdf`, WeasyPrint), each page
read back with pypdf (`pdfpages`): nothing drawn outside the page box, every table's header row — its
last column included — on each page its rows run onto, the document's subject and « page n/N » at the
foot of every page; and what each product must say on paper (the association on the bilan's cover)."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from pdfpages import assert_headers_on_each_page, assert_printable, pages, squeezed
from test_ledger_html import pango  # noqa: F401 (the fixture)
from test_report import SAMPLE
from world import FEEDBACK_KEY
from gqrec.cli import cli

pytestmark = pytest.mark.slow  # PDF rendering

SAMPLE_AS_OF = "2026-01-01"


def gqrec(*args: str):
    return CliRunner().invoke(cli, list(args), env={"GQREC_FEEDBACK_KEY": FEEDBACK_KEY})


def test_the_page_check_sees_a_table_cut_at_the_paper_s_edge(pango):
    """The check is not vacuous: a table too wide for A4 is drawn past the page's right edge and caught,
    and a page without the subject or its number fails."""
    from gqrec.document import pdf

    wide = "".join(f"<td>colonne{n}colonne{n}</td>" for n in range(12))
    document = pdf.document(f"<table><tr>{wide}</tr></table>")
    (page,) = pages(document)
    assert page.outside() and page.outside()[-1].right > page.width
    with pytest.raises(AssertionError, match="beyond the page box"):
        assert_printable(document, "colonne0")
    with pytest.raises(AssertionError, match="lacks the subject"):
        assert_printable(pdf.document("<p>rien</p>"), "Bilan")


def test_the_national_bilan_prints_whole_with_its_cover(pango, tmp_path):
    """The sample's national bilan of 2025: the federation, each region's association with its partners,
    coordinator and COPIL on the cover page; every page within A4; the wide tables (the coverage of the
    territories, the effect of the themes: eleven columns) keep their last column and their header row on
    every page; the charts' colours drawn (not black bars: WeasyPrint does not style inline SVG)."""
    out = tmp_path / "bilan"
    result = gqrec("report", str(SAMPLE), "--year", "2025", "--format", "html", "--pdf", "--out", str(out),
                   "--as-of", SAMPLE_AS_OF)
    assert result.exit_code == 0, result.output
    assert result.stdout.split() == [str(out / "bilan-2025.html"), str(out / "bilan-2025.pdf")]
    found = assert_printable((out / "bilan-2025.pdf").read_bytes(), "Bilan annuel 2025 des Groupes Qualité — ensemble des régions")
    cover = found[0].text
    for shown in ("Fédération française des Groupes Qualité", "APIMED Bretagne (association loi 1901)",
                  "APIMED Pays de la Loire", "URPS Médecins Libéraux de Bretagne", "Médecin coordonnateur",
                  "Dr Didier Poirier", "Comité de pilotage (COPIL)", "M. Antoine Dufour (Assurance Maladie de Bretagne)",
                  "Organisme de DPC enregistré auprès de l'ANDPC sous le n° 9999"):
        assert shown in cover, shown
    assert "1. Chiffres clés" not in cover  # the cover is a page of its own
    assert assert_headers_on_each_page(found, " pt [", ("Région", "Effet", "IC 95 %", "Dans le bon sens")) >= 2
    assert assert_headers_on_each_page(found, "31 décembre 2025", ("Mesurée le", "Couverture")) >= 1
    html = (out / "bilan-2025.html").read_text(encoding="utf-8")
    assert 'class="bar-held" fill="#2b6cb0"' in html and '<img src="data:image/svg+xml;base64,' in html


def test_a_regional_bilan_prints_under_its_association_s_letterhead(pango, tmp_path):
    """--pdf beside another format: the Markdown is written and the PDF made from the HTML page; the
    cover names the association (and not the federation), its address and the COPIL."""
    out = tmp_path / "bilan"
    result = gqrec("report", str(SAMPLE), "--year", "2024", "--region", "pays-de-la-loire", "--pdf", "--out", str(out),
                   "--as-of", SAMPLE_AS_OF)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["bilan-2024-pays-de-la-loire.md", "bilan-2024-pays-de-la-loire.pdf"]
    found = assert_printable((out / "bilan-2024-pays-de-la-loire.pdf").read_bytes(),
                             "Bilan annuel 2024 des Groupes Qualité — Pays de la Loire")
    cover = found[0].text
    assert "APIMED Pays de la Loire (association loi 1901)" in cover and "8 place de l'Exemple, 44000 Nantes" in cover
    assert "Dr Clémence Joly (APIMED Pays de la Loire)" in cover and "Fédération" not in cover
    markdown = (out / "bilan-2024-pays-de-la-loire.md").read_text(encoding="utf-8")
    assert "**APIMED Pays de la Loire (association loi 1901)**" in markdown
    assert re.search(r"^Comité de pilotage \(COPIL\) : Dr Clémence Joly", markdown, re.M)


def test_pdf_needs_a_folder(tmp_path):
    result = gqrec("report", str(SAMPLE), "--year", "2025", "--pdf", "--as-of", SAMPLE_AS_OF)
    assert result.exit_code == 2 and "--pdf écrit un fichier : indiquez le dossier avec --out." in result.output


def test_the_running_foot_escapes_record_text():
    """A region's name ends up in the page's CSS (the foot's subject): quotes, backslashes and « </style> »
    are written as escapes, never as the characters that would end the string or the style."""
    from gqrec.document.html import css_string

    written = css_string('Côtes "d\'Armor" \\ </style><script>')
    assert written.startswith('"Côtes ') and written.count('"') == 2 and "<" not in written and "\\\\" not in written
    assert squeezed("Évolu‐ tion té- moin") == "Évolutiontémoin"
