"""`gqrec feedback --pdf`: the profiles printed by WeasyPrint on A4 portrait, read back page by page with
pypdf — the page count, nothing drawn past the page's edges, every table's last column (its header and each
row's value) on the page of its rows, the headers of a table repeated where it breaks, and « page 1/3 »
with the profile's subject on every page."""

from __future__ import annotations

import io
import json
import re
import stat

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from world import FEEDBACK_KEY, MEMBERS
from gqrec.cli import cli
from gqrec.document import pdf
from gqrec.feedback import html
from gqrec.feedback.profiles import (Comparison, Distribution, IndicatorProfile, PhysicianLine, Profile, Rate, Report,
                                     ThemeSection)
from pdfpages import assert_headers_on_each_page, assert_printable
from test_feedback import hand_world
from test_ledger_html import pango  # noqa: F401 (the fixture)
from test_report import SAMPLE

pytestmark = pytest.mark.slow  # a PDF renderer

A4 = (595, 842)  # points, portrait
CODE = re.compile(r"^(M-[0-9A-Z]{5}) .* (\S+)$")


def feedback(*args: str, key: str = FEEDBACK_KEY):
    result = CliRunner().invoke(cli, ["feedback", *args], env={"GQREC_FEEDBACK_KEY": key})
    assert result.exit_code == 0, result.output
    return result


def lines(data: bytes) -> list[list[str]]:
    """Each page's lines of text, as pypdf extracts them."""
    return [page.extract_text().splitlines() for page in PdfReader(io.BytesIO(data)).pages]


def member_rows(data: bytes) -> list[tuple[int, str, str]]:
    """(page, code, last cell) of every members table's row, in print order."""
    return [(number, match[1], match[2]) for number, page in enumerate(lines(data), start=1)
            for line in page if (match := CODE.match(line.strip()))]


def test_a_group_profile_prints_whole_on_at_most_three_a4_pages(pango, tmp_path):
    """The sample group Lamballe, 2025-S1 (six themes, eight indicators, twelve members): every members
    table's last column, the percentile rank, stands on its page with its header and each row's value."""
    out = tmp_path / "profils"
    args = [str(SAMPLE), "--period", "2025-S1", "--group", "lamballe"]
    feedback(*args, "--format", "html", "--pdf", "--out", str(out))
    data = (out / "profil-2025-S1-bretagne-lamballe.pdf").read_bytes()
    printed = assert_printable(data, "Profil du groupe « Groupe Qualité de Lamballe » — 1er semestre 2025")
    assert 1 <= len(printed) <= 3 and all((round(p.width), round(p.height)) == A4 for p in printed)
    profile = json.loads(feedback(*args, "--format", "json").stdout)["profiles"][0]
    expected = [(m["code"], "—" if m["percentile_rank"] is None else str(round(m["percentile_rank"])))
                for s in profile["themes"] for i in s["indicators"] for m in i["members"]]
    rows = member_rows(data)
    assert [(code, last) for _, code, last in rows] == expected  # each row with its last cell, on one page
    assert assert_headers_on_each_page(printed, "M-", ("Code", "Évolution", "Rang centile")) >= 1
    assert all("Un taux plus" in page.text for page in printed)


def test_an_individual_profile_pdf_is_private_and_says_whose_it_is(pango, world, tmp_path):
    hand_world(world)
    out = tmp_path / "perso"
    result = CliRunner().invoke(cli, ["feedback", str(world.root), "--period", "2024-S1", "--physician", MEMBERS[3],
                                      "--pdf", "--out", str(out)], env={"GQREC_FEEDBACK_KEY": FEEDBACK_KEY})
    assert result.exit_code == 0, result.output
    made = out / f"profil-2024-S1-armor-{MEMBERS[3]}.pdf"
    assert stat.S_IMODE(made.stat().st_mode) == 0o600
    assert stat.S_IMODE((out / f"profil-2024-S1-armor-{MEMBERS[3]}.md").stat().st_mode) == 0o600
    printed = assert_printable(made.read_bytes(), "Profil de Dr Médecin 5 — 1er semestre 2024")
    assert "Un taux plus haut est meilleur." in printed[0].text
    refused = CliRunner().invoke(cli, ["feedback", str(world.root), "--period", "2024-S1", "--physician", MEMBERS[3],
                                       "--pdf", "--out", str(world.root / "profils")],
                                 env={"GQREC_FEEDBACK_KEY": FEEDBACK_KEY})
    assert refused.exit_code == 2 and "Refus d'écrire un profil individuel" in refused.stderr
    assert not (world.root / "profils").exists()


def big_group(members: int) -> Report:
    """A group profile of one indicator and `members` members, as `profiles.build` makes them."""
    shown = Comparison(Rate(0.5, False), Rate(0.4, False), "better")
    lines = tuple(PhysicianLine(f"M-{n:05d}", shown, float(n % 100)) for n in range(members))
    indicator = IndicatorProfile("i", "Un indicateur", "higher", "numérateur", "dénominateur", shown, shown, shown,
                                 Distribution(members, (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)), None, lines,
                                 ("region",))
    profile = Profile("group", "armor", "Armor", "2024-S1", "2023-S2", "grand", "Grand groupe", None,
                      tuple(line.code for line in lines), (ThemeSection("t", "Un thème", ("Un message.",), (indicator,)),))
    return Report("2024-S1", (profile,))


def test_a_table_longer_than_a_page_breaks_with_its_headers_repeated(pango):
    data = pdf.document(html.render(big_group(150)))
    printed = assert_printable(data, "Profil du groupe « Grand groupe » — 1er semestre 2024")
    rows = member_rows(data)
    assert [code for _, code, _ in rows] == [f"M-{n:05d}" for n in range(150)]
    assert [last for _, _, last in rows] == [str(n % 100) for n in range(150)]
    # the table does break, and each page of its rows has its header row, last column included
    assert assert_headers_on_each_page(printed, "M-000", ("Code", "Évolution", "Rang centile")) >= 2
