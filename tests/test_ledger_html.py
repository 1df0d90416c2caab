"""The attestations and the attendance sheet in the real headless browser of test_report_html: opened
without error, printed to PDF with their print stylesheet — one A4 page per eligible physician, one
page for the sheet — and a screenshot taken."""

from __future__ import annotations

import base64
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from test_ledger import ELIGIBLE, MEMBERS, attest, build_ledger_world, sheet, with_letterhead
from test_report_html import Browser, chromium  # noqa: F401 (the fixture)

pytestmark = pytest.mark.slow  # a real browser and PDF printing

A4 = (595, 842)  # points


def print_page(executable: str, page: Path, tmp_path: Path, screenshot: Path) -> tuple[list[str], bytes]:
    """(errors, PDF bytes) of a page opened and printed by the browser, with a screenshot of its screen."""
    browser = Browser(executable, tmp_path / f"profile-{page.stem}")
    try:
        browser.open(page.resolve().as_uri())
        browser.screenshot(screenshot)
        pdf = browser.send("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True}, timeout=60)
        browser.send("Runtime.evaluate", {"expression": "1"})  # what printing made the page log has arrived
        return browser.errors(), base64.b64decode(pdf["data"])
    finally:
        browser.close()


def pages(pdf: bytes) -> tuple[int, tuple[int, int]]:
    """(page count, page size in points) of a PDF, read by pypdf: the same on every machine."""
    reader = PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    return len(reader.pages), (round(float(box.width)), round(float(box.height)))


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_all_attestations_print_one_page_per_physician(chromium, tmp_path):
    world = build_ledger_world(tmp_path / "records")
    out = tmp_path / "attestations"
    assert attest(world, out, "--all").exit_code == 0
    screenshot = tmp_path / "attestations.png"
    errors, pdf = print_page(chromium, out / "attestations-2024.html", tmp_path, screenshot)
    assert errors == []
    assert pdf.startswith(b"%PDF-")
    assert pages(pdf) == (len(ELIGIBLE), A4)  # nine physicians, nine A4 pages
    single = out / f"attestation-2024-{ELIGIBLE[0]}.html"
    errors, pdf = print_page(chromium, single, tmp_path, tmp_path / "one.png")
    assert errors == [] and pages(pdf) == (1, A4)
    data = screenshot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 20_000


def test_the_attendance_sheet_prints_on_one_page(chromium, tmp_path):
    world = build_ledger_world(tmp_path / "records")
    out = tmp_path / "sheet"
    assert sheet(world, "--date", "2024-12-17", "--theme", "asthme-adulte", "--out", str(out)).exit_code == 0
    screenshot = tmp_path / "sheet.png"
    errors, pdf = print_page(chromium, out / "emargement-armor-lamballe-2024-12-17.html", tmp_path, screenshot)
    assert errors == []
    assert pages(pdf) == (1, A4)
    assert screenshot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


@pytest.fixture
def pango() -> None:
    """WeasyPrint draws with the system's Pango: skipped where it cannot load, outside CI only."""
    try:
        import weasyprint  # noqa: F401
    except OSError as error:
        if os.environ.get("CI"):
            pytest.fail(f"Pango is required under CI (apt-get install -y libpango-1.0-0 libpangoft2-1.0-0): {error}")
        pytest.skip("WeasyPrint cannot load Pango")


def test_pdf_attestations_without_a_browser(pango, tmp_path):
    """--pdf: each physician's own PDF, drawn by WeasyPrint, is one A4 page with their RPPS on it and
    nobody else's — the one with 14 meetings in two groups (the group column shown) included."""
    world = build_ledger_world(tmp_path / "records")
    out = tmp_path / "pdf"
    result = attest(world, out, "--all", "--pdf")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.glob("*.pdf")) == [f"attestation-2024-{who}.pdf" for who in ELIGIBLE]
    for who in ELIGIBLE:
        own = out / f"attestation-2024-{who}.pdf"
        assert pages(own.read_bytes()) == (1, A4)
        text = pdf_text(own.read_bytes())
        assert f"RPPS {who}" in text and all(f"RPPS {other}" not in text for other in ELIGIBLE if other != who)
    one = attest(world, tmp_path / "one", "--physician", ELIGIBLE[0], "--pdf")
    assert one.exit_code == 0 and sorted(p.name for p in (tmp_path / "one").iterdir()) == [
        f"attestation-2024-{ELIGIBLE[0]}.html", f"attestation-2024-{ELIGIBLE[0]}.pdf"]


def test_pdf_is_refused_before_anything_is_written_without_the_pdf_extra(tmp_path):
    """Without ReportLab (the `pdf` extra not installed), `attestation --pdf` says how to install it before
    anything is written: a stand-in package that fails to import comes first on the real command's path."""
    world = build_ledger_world(tmp_path / "records")
    shadow = tmp_path / "shadow"
    (shadow / "reportlab").mkdir(parents=True)
    (shadow / "reportlab" / "__init__.py").write_text('raise ImportError("No module named reportlab")\n',
                                                     encoding="utf-8")
    out = tmp_path / "pdf"
    result = subprocess.run(
        [sys.executable, "-m", "gqrec.cli", "attestation", str(world.root), "--year", "2024", "--all", "--pdf",
         "--out", str(out)],
        capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(shadow)},
    )
    assert result.returncode == 2, result.stderr
    assert "PDF impossible" in result.stderr and 'pip install "gqrec[pdf]"' in result.stderr
    assert "Traceback" not in result.stderr and not out.exists()


def test_a_profile_pdf_is_refused_before_anything_is_written_without_pango(tmp_path):
    """On a system without Pango, importing WeasyPrint raises OSError (cffi cannot load the library): a
    stand-in module that does just that comes first on the path of the real command, run as a process."""
    world = build_ledger_world(tmp_path / "records")
    shadow = tmp_path / "shadow"
    shadow.mkdir()
    (shadow / "weasyprint.py").write_text(
        'raise OSError("cannot load library \'libpango-1.0-0\': error 0x7e")\n', encoding="utf-8")
    out = tmp_path / "pdf"
    result = subprocess.run(
        [sys.executable, "-m", "gqrec.cli", "feedback", str(world.root), "--period", "2024-S1", "--group", "lamballe",
         "--pdf", "--out", str(out)],
        capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(shadow), "GQREC_FEEDBACK_KEY": "x" * 32},
    )
    assert result.returncode == 2, result.stderr
    assert "PDF impossible : WeasyPrint ne peut pas se charger" in result.stderr and "Pango" in result.stderr
    assert "Traceback" not in result.stderr and not out.exists()


def long_attestation(meetings: int):
    """An animator's year of `meetings` meetings in two groups, with long theme titles (rows on two lines)."""
    from datetime import date, timedelta

    from gqrec.ledger.attestation import Attestation, Attestations, Line

    lines = tuple(Line(date(2025, 1, 2) + timedelta(days=7 * n), "Groupe Qualité de Châteaubriant" if n % 2
                       else "Groupe Qualité de Segré", "Prise en charge de l'épisode dépressif caractérisé de "
                       f"l'adulte en soins primaires ({n + 1})", 120, "animateur") for n in range(meetings))
    one = Attestation(2025, "Pays de la Loire", "APIMED Pays de la Loire", "10151093761", "Dr Isabelle Masson",
                      ("Groupe Qualité de Châteaubriant", "Groupe Qualité de Segré"), lines, 120 * meetings,
                      "Dr Thomas Garcia", date(2026, 1, 15))
    return Attestations(2025, None, (one,), ())


def check_sheets(pdf: bytes, meetings: int) -> int:
    """Every page names the physician and says « page n/N »; the signature is on the last page only,
    with meeting rows above it; every meeting is on some page. The number of pages."""
    from pypdf import PdfReader

    texts = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    for number, text in enumerate(texts, start=1):
        assert "Dr Isabelle Masson" in text and f"page {number}/{len(texts)}" in text
        assert ("Fait le" in text) == (number == len(texts))
    assert "animateur" in texts[-1].partition("Fait le")[0]  # rows before the signature: no orphan page
    assert sum(text.count("animateur") for text in texts) == meetings  # the role column of each row
    return len(texts)


@pytest.mark.parametrize("meetings", [20, 45])
def test_a_long_attestation_keeps_its_signature_with_rows_and_numbers_its_pages(pango, meetings):
    from gqrec.document import pdf
    from gqrec.ledger import attestation_html

    found = long_attestation(meetings)
    document = pdf.document(attestation_html.render(found))
    assert check_sheets(document, meetings) == document_sheets(meetings) >= 2  # each sheet one A4 page
    assert pages(document)[1] == A4


@pytest.mark.parametrize("meetings", [20, 45])
def test_a_long_attestation_drawn_by_reportlab_is_laid_out_on_the_same_sheets(meetings):
    """The PDF `attestation --pdf` writes (ReportLab): the sheets of the HTML, each one A4 page numbered
    « n/N » under the physician's name, the table's header on each, the signature with the last rows."""
    from pypdf import PdfReader

    from gqrec.ledger import attestation_pdf

    found = long_attestation(meetings)
    document = attestation_pdf.document(found.pages[0])
    assert check_sheets(document, meetings) == document_sheets(meetings) >= 2
    assert pages(document)[1] == A4
    for page in PdfReader(io.BytesIO(document)).pages:
        assert all(head in page.extract_text() for head in ("Date", "Groupe", "Thème", "Rôle", "Durée"))


def test_attestation_pdfs_are_drawn_in_worker_batches(tmp_path):
    """Nine attestations in batches of two over two forked workers: each physician's own PDF, 0600, with
    their RPPS and nobody else's, one A4 page."""
    import stat
    from datetime import date

    from gqrec.ledger import attestation, attestation_pdf
    from gqrec.ledger.figures import build as build_ledger
    from gqrec.ledger.produce import year_registry
    from world import FEEDBACK_KEY

    world = build_ledger_world(tmp_path / "records")
    registry = year_registry(world.root, 2024, FEEDBACK_KEY.encode())
    found = attestation.build(registry, build_ledger(registry, 2024, None), None, date(2025, 1, 15))
    stems = [f"a-{a.physician}" for a in found.pages]
    written = list(attestation_pdf.write(found, stems, tmp_path / "out", jobs=2, batch=2))
    assert sorted(path.name for path in written) == sorted(f"{stem}.pdf" for stem in stems) and len(stems) == 9
    for path in written:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        who = path.stem[2:]
        text = pdf_text(path.read_bytes())
        assert f"RPPS {who}" in text and all(f"RPPS {other}" not in text for other in ELIGIBLE if other != who)
        assert pages(path.read_bytes()) == (1, A4)


def test_a_long_attestation_prints_alike_in_the_browser(chromium, tmp_path):
    from gqrec.ledger import attestation_html

    page = tmp_path / "longue.html"
    page.write_text(attestation_html.render(long_attestation(45)), encoding="utf-8")
    errors, document = print_page(chromium, page, tmp_path, tmp_path / "longue.png")
    assert errors == [] and check_sheets(document, 45) == document_sheets(45)


def document_sheets(meetings: int) -> int:
    """The sheets gqrec laid the attestation out on: the printed pages must be exactly these."""
    from gqrec.ledger import attestation_html

    return attestation_html.render(long_attestation(meetings)).count('<section class="sheet">')


def test_the_letterhead_prints_on_the_pdf_attestation(pango, tmp_path):
    """The ODPC number, the DPC action number, the signatory and the place, on the PDF's one page."""
    world = build_ledger_world(tmp_path / "records")
    with_letterhead(world)
    out = tmp_path / "pdf"
    assert attest(world, out, "--physician", MEMBERS[3], "--pdf").exit_code == 0
    document = (out / f"attestation-2024-{MEMBERS[3]}.pdf").read_bytes()
    assert pages(document) == (1, A4)
    text = " ".join(pdf_text(document).split())
    for shown in ("n° 9876", "Action de DPC n° 98762400017", "Fait à Lamballe, le 15 janvier 2025", "Dr Anne Le Gall",
                  "la présidente", "3 rue des Lices"):
        assert shown in text, shown


def test_long_work_shows_a_progress_bar_on_a_terminal_only(tmp_path):
    """The attestations of every physician: a bar on standard error when it is a terminal (a pseudo-
    terminal here), nothing but the notices when it is a pipe (a script, CI)."""
    import pty

    world = build_ledger_world(tmp_path / "records")
    command = [sys.executable, "-m", "gqrec.cli", "attestation", str(world.root), "--year", "2024", "--all",
               "--issued", "2025-01-15"]
    piped = subprocess.run([*command, "--out", str(tmp_path / "a")], capture_output=True, text=True)
    assert piped.returncode == 0 and "Attestations HTML" not in piped.stderr
    main, terminal = pty.openpty()
    try:
        shown = subprocess.run([*command, "--out", str(tmp_path / "b")], stdout=subprocess.DEVNULL, stderr=terminal)
        os.close(terminal)
        seen = b""
        while True:
            try:
                chunk = os.read(main, 4096)
            except OSError:  # the terminal's other end is closed: all is read
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(main)
    assert shown.returncode == 0
    assert "Attestations HTML" in seen.decode("utf-8", "replace") and "100%" in seen.decode("utf-8", "replace")
