"""The three finding formats and the exit status contract, through the real command."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from world import AS_OF, meeting_path
from gqrec.cli import cli

MEETING = meeting_path("2024-03-12")


def run(world, *args):
    return CliRunner().invoke(cli, ["check", str(world.root), "--as-of", AS_OF, *args])


def break_meeting(world):
    world.edit(MEETING, "theme: asthme-adulte", "theme: asthme-enfant")
    world.edit(MEETING, "duration_minutes: 120", "duration_minutes: 60")


def test_text_is_compiler_style_with_source_and_caret(world):
    break_meeting(world)
    result = run(world)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    line, column = world.pos(MEETING, "asthme-enfant")
    head = f"{MEETING}:{line}:{column}: GQ004 erreur "
    index = next(i for i, text in enumerate(lines) if text.startswith(head))
    assert lines[index + 1] == "    theme: asthme-enfant"
    assert lines[index + 2] == "    " + " " * (column - 1) + "^"
    assert "GQ111 avertissement" in result.output
    assert "1 erreur, 1 avertissement" in lines[-1]


def test_text_clean_run_says_compliant(world):
    result = run(world)
    assert result.exit_code == 0
    assert "registres conformes" in result.output


def test_json_is_the_stable_array(world):
    break_meeting(world)
    result = run(world, "--format", "json")
    assert result.exit_code == 1
    findings = json.loads(result.stdout)
    assert [f["rule"] for f in findings] == ["GQ004", "GQ111"]
    assert set(findings[0]) >= {"rule", "severity", "path", "line", "column", "message"}
    assert findings[1]["severity"] == "warning"


def test_github_annotations(world):
    break_meeting(world)
    result = run(world, "--format", "github")
    line, column = world.pos(MEETING, "asthme-enfant")
    assert f"::error file={MEETING},line={line},col={column},title=GQ004::" in result.stdout
    assert "::warning file=" in result.stdout


def test_github_escapes_newlines_and_control_characters(world):
    world.edit(MEETING, "theme: asthme-adulte", 'theme: "x\\u001b[31m\\nrouge"')
    result = run(world, "--format", "github")
    assert "\x1b" not in result.stdout
    assert all(line.startswith("::") for line in result.stdout.splitlines())


def test_warnings_only_exit_0(world):
    world.edit(MEETING, "duration_minutes: 120", "duration_minutes: 60")
    assert run(world).exit_code == 0


def test_usage_problems_exit_2(world, tmp_path):
    assert run(world, "--format", "yaml").exit_code == 2
    assert run(world, "--as-of", "hier").exit_code == 2
    result = CliRunner().invoke(cli, ["check", str(tmp_path / "absent")])
    assert result.exit_code == 2


@pytest.mark.slow
def test_console_script_never_shows_a_traceback(world):
    world.write_bytes(MEETING, b"\xff\xfe garbage \x00\x01")
    proc = subprocess.run(
        [sys.executable, "-m", "gqrec.cli", "check", str(world.root), "--as-of", AS_OF],
        capture_output=True, text=True, cwd=Path(__file__).parent,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "GQ001" in proc.stdout


def test_rule_catalogue(world):
    result = CliRunner().invoke(cli, ["rule", "--format", "json"])
    ids = [entry["id"] for entry in json.loads(result.stdout)]
    assert ids[0] == "GQ001" and "GQ115" in ids and ids == sorted(ids)
    explained = CliRunner().invoke(cli, ["rule", "GQ105"])
    assert "territory_coverage_min" in explained.output and "majorité" in explained.output
    assert CliRunner().invoke(cli, ["rule", "GQ999"]).exit_code == 2


def test_readme_documents_every_rule():
    from gqrec.rules import catalogue

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    missing = [entry.id for entry in catalogue() if f"| {entry.id} |" not in readme]
    assert missing == []


def test_french_dates_and_numbers():
    from datetime import date

    from gqrec import i18n

    assert i18n.day(date(2024, 3, 12)) == "12 mars 2024"
    assert i18n.day(date(2026, 1, 1)) == "1er janvier 2026"
    assert i18n.day(date(2026, 1, 1), "en") == "1 January 2026"
    assert i18n.percent(0.896).replace("\u202f", " ").replace("\xa0", " ") == "89,6 %"


def test_the_rule_command_prints_the_library_document():
    from gqrec.render.rules import Request, produce

    def document(rule_id, fmt):
        return produce(Request(rule_id, fmt)).document

    assert CliRunner().invoke(cli, ["rule", "gq105"]).output == document("gq105", "text")
    assert "GQ105" in document("gq105", "text") and "GQ105" in document(None, "text")
    assert [entry["id"] for entry in json.loads(document("gq105", "json"))] == ["GQ105"]
