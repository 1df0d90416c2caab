"""Every printable product as PDF through the one document pipeline (`--pdf`, WeasyPrint), each page
read back with pypdf (`pdfpages`): nothing drawn outside the page box, every table's header row — its
last column included — on each page its rows run onto, the document's subject and « page n/N » at the
foot of every page; and what each product must say on paper (the association on the bilan's cover, the
ledger's totals, the sheet's time and place, the letterhead's ODPC number on the ledger and the sheet)."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from pdfpages import assert_headers_on_each_page, assert_printable, pages, squeezed
from test_ledger_html import pango  # noqa: F401 (the fixture)
from test_ledger import build_ledger_world
from test_report import SAMPLE
from world import ANIMATOR, FEEDBACK_KEY, MEMBERS
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


# -- the ledger and the attendance sheet: nominative, under the association's letterhead ----------


def named(world) -> None:
    """Real-looking names for three Lamballe members (the world's are « Dr Médecin n »), written in three
    ways, and the letterhead (ODPC 9876)."""
    from test_ledger import with_letterhead

    for who, name in ((MEMBERS[3], "Dr Anne Le Goff"), (MEMBERS[4], "Yann ABGRALL"), (MEMBERS[5], "Dr Élise Zabala")):
        world.edit(f"regions/armor/physicians/{who}.yaml", re.search(r"name: .*", world.read(
            f"regions/armor/physicians/{who}.yaml")).group(0), f"name: {name}")
    with_letterhead(world)


def test_the_ledger_prints_by_surname_with_its_totals_under_the_letterhead(pango, tmp_path):
    """Armor's 2024 ledger as HTML and PDF (0600): « LE GOFF Anne » order, group names, a total row per
    table, « Heures de présence »; every PDF page within A4 landscape, its header row (the last column,
    « Attestation », included) on each page the physicians run onto, the subject and page number at its
    foot, the ODPC number on the first page."""
    world = build_ledger_world(tmp_path / "records")
    named(world)
    out = tmp_path / "tresorier"
    result = gqrec("ledger", str(world.root), "--year", "2024", "--region", "armor", "--format", "html", "--pdf",
                   "--out", str(out))
    assert result.exit_code == 0, result.output
    html, document = out / "valorisation-2024-armor.html", out / "valorisation-2024-armor.pdf"
    assert (html.stat().st_mode & 0o777, document.stat().st_mode & 0o777) == (0o600, 0o600)
    page = html.read_text(encoding="utf-8")
    order = [page.index(f'<td class="name">{name}</td>') for name in ("ABGRALL Yann", "LE GOFF Anne", "MÉDECIN 2",
                                                                       "ZABALA Élise")]
    assert order == sorted(order)
    assert '<td class="name">Groupe Qualité de Dinan</td>' in page and ">dinan<" not in page
    assert page.count('<tr class="total">') == 2 and "Heures de présence" in page and ">Heures<" not in page
    found = assert_printable(document.read_bytes(), "Registre des présences et indemnités 2024 — Armor — document nominatif")
    assert round(found[0].width) > round(found[0].height)  # landscape: ten columns per physician
    assert "Organisme de DPC enregistré auprès de l'ANDPC sous le n° 9876" in found[0].text
    assert "3 rue des Lices, 22400 Lamballe" in found[0].text
    assert assert_headers_on_each_page(found, MEMBERS[6], ("Nom", "Heures de présence", "Montant", "Attestation")) >= 1
    text = " ".join(page.text for page in found)
    assert "Total" in text and "LE GOFF Anne" in text


def test_nominative_pdfs_are_refused_inside_the_work_tree(pango, tmp_path):
    """The ledger's and the sheet's PDFs name physicians: refused inside the git work tree that holds
    the records (personal.refusal), before anything is written."""
    import subprocess

    world = build_ledger_world(tmp_path / "depot" / "records")
    subprocess.run(["git", "init", "-q", str(tmp_path / "depot")], check=True)
    out = tmp_path / "depot" / "imprimer"
    for args in (("ledger", str(world.root), "--year", "2024", "--pdf"),
                 ("sheet", str(world.root), "--region", "armor", "--group", "lamballe", "--date", "2024-12-17", "--pdf")):
        result = gqrec(*args, "--out", str(out))
        assert result.exit_code == 2 and "à l'intérieur du dépôt git des registres" in result.stderr, result.output
        assert not out.exists()


def test_the_sheet_prints_the_meeting_s_time_and_place_by_surname(pango, tmp_path):
    """A meeting written down before it happens (planned, with its start and place): its sheet gives the
    day, the time and the place, the members by surname, two spare rows, the letterhead's ODPC number,
    and ends with the signatures — on one A4 page with its foot."""
    world = build_ledger_world(tmp_path / "records")
    named(world)
    world.write("regions/armor/groups/lamballe/meetings/2025-01-14.yaml",
                f'status: planned\ntheme: asthme-adulte\nanimator: "{ANIMATOR}"\nstart: "20:30"\n'
                "place: Maison médicale, 2 rue du Port, Lamballe\n")
    out = tmp_path / "sheet"
    result = gqrec("sheet", str(world.root), "--region", "armor", "--group", "lamballe", "--date", "2025-01-14",
                   "--pdf", "--out", str(out), "--as-of", "2025-01-01")
    assert result.exit_code == 0, result.output
    document = out / "emargement-armor-lamballe-2025-01-14.pdf"
    assert document.stat().st_mode & 0o777 == 0o600
    (page,) = assert_printable(document.read_bytes(), "Feuille d'émargement — Groupe Qualité de Lamballe — 14 janvier 2025")
    text = page.text
    for shown in ("Réunion du mardi 14 janvier 2025 à 20 h 30", "Lieu : Maison médicale, 2 rue du Port, Lamballe",
                  "Thème : Asthme de l'adulte", "Organisme de DPC enregistré auprès de l'ANDPC sous le n° 9876",
                  "ANIMATRICE Anne", "L'animateur atteste l'exactitude de cette feuille"):
        assert shown in text, shown
    assert text.index("ABGRALL Yann") < text.index("LE GOFF Anne") < text.index("ZABALA Élise")
    assert "YAML" not in text and ".yaml" not in text
    html = (out / "emargement-armor-lamballe-2025-01-14.html").read_text(encoding="utf-8")
    assert html.count('<tr class="spare">') == 2
    blank = gqrec("sheet", str(world.root), "--region", "armor", "--group", "lamballe", "--date", "2025-02-11",
                  "--as-of", "2025-01-01")
    assert blank.exit_code == 0 and "Lieu :</strong> ………" in blank.stdout and "à ………………… h" in blank.stdout


def test_the_effect_of_the_themes_prints_through_the_same_pipeline(pango, tmp_path):
    """`impact --pdf`: its A4 landscape pages, each within the paper with the subject and its number,
    the effect table's last column with its header on each page its rows run onto."""
    out = tmp_path / "impact"
    result = gqrec("impact", str(SAMPLE), "--year", "2025", "--pdf", "--out", str(out), "--as-of", SAMPLE_AS_OF)
    assert result.exit_code == 0, result.output
    found = assert_printable((out / "impact-2025.pdf").read_bytes(), "Effet des thèmes 2025 — ensemble des régions")
    assert round(found[0].width) > round(found[0].height)
    assert assert_headers_on_each_page(found, " pt [", ("Indicateur", "IC 95 %", "Dans le bon sens")) >= 1
