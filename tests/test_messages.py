"""The messages a coordinator reads while fixing records: the likely name of a misspelled reference, dates
written the French way, tabs, faults that `gqrec fmt` fixes, spreadsheet numbers, plain French grammar,
`check --summary`, git's refusals. Each on the real CLI and real files."""

from __future__ import annotations

import re
import subprocess

import pytest

from world import ANIMATOR, G, MEMBERS, MEETING_DAYS, meeting_path, one

CONTRACT = f"regions/armor/contracts/2024/{MEMBERS[0]}.yaml"
PROGRAMME = "regions/armor/programmes/2024.yaml"
MARCH = meeting_path("2024-03-12")


def test_a_misspelled_theme_gets_the_likely_name(world):
    world.edit(MARCH, "theme: asthme-adulte", "theme: asthme-adultes")
    f = one(world, "GQ004")
    assert "asthme-adultes" in f["message"] and "Vouliez-vous dire asthme-adulte ?" in f["message"]


def test_a_misspelled_territory_or_group_gets_the_likely_name(world):
    world.edit(G, "territory: lamballe", "territory: lambale")
    world.edit(CONTRACT, "group: lamballe", "group: lamballes")
    messages = [f["message"] for f in world.findings_of("GQ004")]
    assert any("« lambale »" in m and "Vouliez-vous dire lamballe ?" in m for m in messages), messages
    assert any("« lamballes »" in m and "Vouliez-vous dire lamballe ?" in m for m in messages), messages


def test_an_unknown_name_with_nothing_close_gets_no_guess(world):
    world.edit(MARCH, "theme: asthme-adulte", "theme: bronchiolite")
    assert "Vouliez-vous" not in one(world, "GQ004")["message"]


def test_new_refuses_a_misspelled_theme_instead_of_advising_to_create_it(world):
    result = world.invoke("new", "meeting", "--root", str(world.root), "--group", "lamballe",
                          "--date", "2024-07-09", "--theme", "asthme-adultes")
    assert result.exit_code == 2, result.output
    assert "vouliez-vous dire asthme-adulte ?" in result.output and "créez" not in result.output
    assert not (world.root / meeting_path("2024-07-09")).exists()
    other = world.invoke("new", "meeting", "--root", str(world.root), "--group", "lamballe",
                         "--date", "2024-07-09", "--theme", "bronchiolite")
    assert other.exit_code == 2 and "créez" not in other.output  # not in the programme: its themes are given
    assert "n'est pas au programme 2024 de la région « armor » (regions/armor/programmes/2024.yaml). Thèmes du " \
           "programme : asthme-adulte." in other.output
    ahead = world.invoke("new", "meeting", "--root", str(world.root), "--group", "lamballe",
                         "--date", "2025-07-08", "--theme", "bronchiolite")
    assert ahead.exit_code == 0 and "n'existe pas encore" in ahead.output  # no programme yet: a warning
    assert "Pas de programme 2025 valide pour la région « armor »" in ahead.output


def test_a_date_written_day_first_gets_one_message_with_the_iso_date(world):
    world.edit(CONTRACT, "signed: 2024-01-05", "signed: 02/12/2023")
    world.edit(PROGRAMME, "validated: 2023-12-15", "validated: 20-11-2023")
    run = world.check()
    on_contract = [f for f in run.findings if f["path"] == CONTRACT]
    assert [f["rule"] for f in on_contract] == ["GQ002"]
    assert "2023-12-02" in on_contract[0]["message"] and "gqrec fmt --fix-dates" in on_contract[0]["message"]
    on_programme = [f for f in run.findings if f["path"] == PROGRAMME]
    assert [f["rule"] for f in on_programme] == ["GQ002"] and "2023-11-20" in on_programme[0]["message"]
    assert not re.search(r"\^|\[0-9\]", on_contract[0]["message"] + on_programme[0]["message"])


def test_fmt_fix_dates_converts_them_and_plain_fmt_leaves_them(world):
    world.edit(CONTRACT, "signed: 2024-01-05", "signed: 02/01/2024")
    plain = world.invoke("fmt", "--root", str(world.root))
    assert plain.exit_code == 0 and "signed: 02/01/2024" in world.read(CONTRACT)
    fixed = world.invoke("fmt", "--root", str(world.root), "--fix-dates")
    assert fixed.exit_code == 0, fixed.output
    assert "signed: 2024-01-02" in world.read(CONTRACT)
    assert [f for f in world.check().findings if f["path"] == CONTRACT] == []


def test_faults_fmt_fixes_say_so(world):
    world.edit(CONTRACT, "signed: 2024-01-05", "signed: 2024-1-5")
    world.edit(MARCH, f'animator: "{ANIMATOR}"', f"animator: {ANIMATOR}")
    messages = {f["path"]: f["message"] for f in world.check().only("GQ002")}
    assert "2024-01-05" in messages[CONTRACT] and "corrigé par gqrec fmt" in messages[CONTRACT]
    assert "corrigé par gqrec fmt" in messages[MARCH]
    assert world.invoke("fmt", "--root", str(world.root)).exit_code == 0
    assert world.check().findings == []


def test_a_tab_after_a_colon_is_not_called_indentation_and_fmt_replaces_tabs(world):
    world.edit(CONTRACT, "group: lamballe", "group:\tlamballe")
    (f,) = [f for f in world.check().only("GQ001") if f["path"] == CONTRACT]
    assert "après « : »" in f["message"] and "indentation" not in f["message"]
    assert "corrigé par gqrec fmt" in f["message"]
    world.write(f"regions/armor/physicians/{MEMBERS[1]}.yaml", "name: Dr Médecin 11\nterritory:\n\tlamballe\n")
    indented = [f for f in world.check().only("GQ001") if MEMBERS[1] in f["path"]]
    assert "indentation" in indented[0]["message"]
    result = world.invoke("fmt", "--root", str(world.root))
    assert result.exit_code == 0, result.output
    assert "\t" not in world.read(CONTRACT) and "\t" not in world.read(f"regions/armor/physicians/{MEMBERS[1]}.yaml")
    assert world.check().findings == []


def test_a_spreadsheet_rpps_in_scientific_notation_says_to_format_the_column_as_text(world):
    world.edit("regions/armor/feedback/2024-S1.csv", f"participant,{MEMBERS[0]},", "participant,1.002003001E+10,")
    f = one(world, "GQ002")
    assert "1.002003001E+10" in f["message"] and "format texte" in f["message"]
    assert not re.search(r"\^|\[0-9\]|\{11\}", f["message"])


def test_no_message_shows_a_regular_expression(world):
    world.edit("regions/armor/feedback/2024-S1.csv", f"participant,{MEMBERS[0]},", "participant,1000,")
    world.write("regions/armor/territories/dinan.yaml", "name: Dinan\nsetting: urban\ngeneral_practitioners: 3\n"
                "communes: ['2209']\n")
    messages = [f["message"] for f in world.check().findings]
    assert any("11 chiffres" in m for m in messages) and any("INSEE" in m for m in messages), messages
    assert not [m for m in messages if re.search(r"\^|\$|\[0-9\]|\{[0-9]+\}", m)]


def test_counts_agree_with_their_number(world):
    for rel in list(p.relative_to(world.root).as_posix() for p in world.root.rglob("*.yaml")):
        if rel != "federation.yaml":
            world.remove(rel)
    for rel in list(p.relative_to(world.root).as_posix() for p in world.root.rglob("*.csv")):
        world.remove(rel)
    result = world.invoke("fmt", "--root", str(world.root))
    assert "1 fichier lu : 0 reformaté, 0 illisible." in result.output
    assert "1 fichier vérifié : registres conformes" in world.invoke("check", str(world.root)).output


def test_check_summary_counts_per_rule_and_per_file(world):
    for day in MEETING_DAYS[:3]:
        world.edit(meeting_path(day), "duration_minutes: 120", "duration_minutes: 60")
    world.edit(MARCH, "theme: asthme-adulte", "theme: asthme-adultes")
    result = world.invoke("check", str(world.root), "--summary", "--as-of", "2025-01-01")
    assert result.exit_code == 1
    assert "Constats par règle" in result.output and "Constats par fichier" in result.output
    assert re.search(r"GQ111 +avertissement +Réunion trop courte +3", result.output), result.output
    assert re.search(rf"{re.escape(MARCH)} +1 +1", result.output), result.output
    assert "asthme-adultes" not in result.output  # counts, not each finding


def test_git_refusals_are_wrapped_in_french(repo_world):
    run = repo_world.invoke("report", str(repo_world.root), "--year", "2024", "--at", "nulle-part")
    assert run.exit_code == 2
    assert "--at : " in run.output and "« nulle-part »" in run.output and "git" in run.output
    assert "fatal" not in run.output  # said in French, not in git's words


def test_pre_commit_check_always_runs():
    from pathlib import Path

    from ruamel.yaml import YAML

    manifest = YAML(typ="safe").load((Path(__file__).resolve().parent.parent / ".pre-commit-hooks.yaml").read_text("utf-8"))
    check = next(h for h in manifest if h["id"] == "gqrec-check")
    assert check["always_run"] is True  # a commit that only deletes a physician's file is checked too


@pytest.fixture
def repo_world(world, tmp_path):
    top = world.root.parent
    subprocess.run(["git", "init", "-q"], cwd=top, check=True)
    return world
