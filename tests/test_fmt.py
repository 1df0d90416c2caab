"""`gqrec fmt` on real files: one way of writing records, every comment and value kept, atomic writes."""

import os

import pytest

from world import ANIMATOR, MEMBERS, meeting_path, rpps
from gqrec.authoring.fmt import format_text
from gqrec.fsio import WriteError, write_atomic

MEETING = meeting_path("2024-03-12")

REST = "".join(f'- "{m}"\n' for m in MEMBERS[4:])
MESSY = f"""\
# Réunion de mars : compte rendu saisi par la coordination.

present:   # les présents
- {MEMBERS[0]}    # sans guillemets : un nombre pour YAML
-     "{MEMBERS[1]}"
{REST}
# la durée, en minutes
duration_minutes: 120
theme: asthme-adulte  # thème du programme
animator: {ANIMATOR}
absent: [{MEMBERS[2]}, "{MEMBERS[3]}"]   # liste en ligne
clinical_cases: 4
"""


def fmt(world, *args):
    return world.invoke("fmt", "--root", str(world.root), *args)


def test_the_test_world_is_already_formatted(world):
    before = {p: p.read_bytes() for p in world.root.rglob("*.yaml")}
    run = fmt(world, "--check")
    assert run.exit_code == 0, run.output
    assert {p: p.read_bytes() for p in world.root.rglob("*.yaml")} == before


def test_comments_blank_lines_and_flow_lists_survive(world):
    world.write(MEETING, MESSY)
    run = fmt(world)
    assert run.exit_code == 0, run.output
    assert f"reformaté : {MEETING}" in run.output
    text = world.read(MEETING)
    for comment in ("# Réunion de mars : compte rendu saisi par la coordination.", "# les présents",
                    "# sans guillemets : un nombre pour YAML", "# la durée, en minutes", "# thème du programme",
                    "# liste en ligne"):
        assert text.count(comment) == 1, (comment, text)
    assert f'absent: ["{MEMBERS[2]}", "{MEMBERS[3]}"]' in text  # still a flow list, now quoted
    assert "coordination.\n\n" in text  # the blank line under the heading
    assert "\n\n# la durée, en minutes\nduration_minutes: 120\n" in text  # the comment stays above its key
    assert world.check().findings == []  # same values: the world is still compliant


def test_keys_take_the_schema_order_and_lists_sit_under_their_key(world):
    world.write(MEETING, MESSY)
    fmt(world)
    keys = [line.split(":")[0] for line in world.read(MEETING).splitlines() if line and line[0].isalpha()]
    assert keys == ["theme", "duration_minutes", "animator", "present", "absent", "clinical_cases"]
    assert f'present:   # les présents\n  - "{MEMBERS[0]}"' in world.read(MEETING)


def test_unquoted_rpps_becomes_quoted_text(world):
    world.write(MEETING, MESSY)
    assert world.check().only("GQ002")  # before: numbers where RPPS text is expected
    fmt(world)
    text = world.read(MEETING)
    assert f'animator: "{ANIMATOR}"' in text and f'- "{MEMBERS[0]}"' in text
    assert world.check().findings == []


def test_an_rpps_with_a_leading_zero_keeps_it():
    number = "0" + rpps(5)[1:]
    out = format_text("meeting", f"theme: t\nduration_minutes: 90\nanimator: {number}\npresent: []\n")
    assert f'animator: "{number}"' in out


def test_dates_are_written_in_full(world):
    world.edit(f"regions/armor/physicians/{ANIMATOR}.yaml", "animator_trained: 2023-06-01", "animator_trained: 2023-6-1")
    assert world.check().only("GQ002")
    fmt(world)
    assert "animator_trained: 2023-06-01" in world.read(f"regions/armor/physicians/{ANIMATOR}.yaml")
    assert world.check().findings == []


@pytest.mark.parametrize("value", ["notes: 2024-13-45", "notes: 2024-02-30", "notes: 2024-03-12T25:00:00"])
def test_date_shaped_text_that_is_no_date_is_formatted_as_text(world, value):
    """ruamel.yaml used to build a timestamp and fmt exited 3 (« month must be in 1..12 »)."""
    world.write(MEETING, MESSY + value + "\n")
    run = fmt(world)
    assert run.exit_code == 0, run.output
    assert value in world.read(MEETING).splitlines()


def test_a_contract_signed_on_an_impossible_day_is_left_for_check_to_explain(world):
    path = f"regions/armor/contracts/2024/{MEMBERS[0]}.yaml"
    world.edit(path, "signed: 2024-01-05", "signed:    2024-02-30")
    run = fmt(world)
    assert run.exit_code == 0, run.output
    assert "signed: 2024-02-30\n" in world.read(path)
    assert world.check().only("GQ002")


def test_a_file_fmt_would_read_otherwise_is_left_untouched(world):
    """An empty key `:` used to come back as `null:`: fmt keeps only what check reads the same."""
    text = MESSY + ": vide\n"
    path = world.write(MEETING, text)
    run = fmt(world)
    assert run.exit_code == 1
    assert "Non reformaté" in run.output
    assert path.read_text(encoding="utf-8") == text


def test_fmt_twice_changes_nothing(world):
    world.write(MEETING, MESSY)
    fmt(world)
    once = world.read(MEETING)
    run = fmt(world)
    assert run.exit_code == 0 and "reformaté :" not in run.output
    assert world.read(MEETING) == once
    assert format_text("meeting", once) == once


def test_check_mode_lists_and_writes_nothing(world):
    path = world.write(MEETING, MESSY)
    stat = path.stat()
    run = fmt(world, "--check")
    assert run.exit_code == 1
    assert f"à reformater : {MEETING}" in run.output
    assert path.read_text(encoding="utf-8") == MESSY
    assert path.stat().st_mtime_ns == stat.st_mtime_ns


def test_a_file_that_does_not_parse_is_left_byte_identical(world):
    broken = b"name: Dr X\nterritory: lamballe\nname: Dr Y\r\n  # doublon\n"
    path = world.write_bytes(f"regions/armor/physicians/{MEMBERS[0]}.yaml", broken)
    world.write(MEETING, MESSY)
    run = fmt(world)
    assert run.exit_code == 1
    assert f"regions/armor/physicians/{MEMBERS[0]}.yaml:3:1: GQ001" in run.output
    assert path.read_bytes() == broken
    assert f"reformaté : {MEETING}" in run.output  # the others are formatted all the same


def test_files_outside_the_layout_are_left_alone(world):
    stray = world.write("regions/armor/notes/idees.yaml", "b: 1\na:    [ 2 ]\n")
    hidden = world.write(".brouillon.yaml", f"animator: {ANIMATOR}\n")
    fmt(world)
    assert stray.read_text(encoding="utf-8") == "b: 1\na:    [ 2 ]\n"
    assert hidden.read_text(encoding="utf-8") == f"animator: {ANIMATOR}\n"


def test_paths_restrict_what_is_formatted(world):
    world.write(MEETING, MESSY)
    other = meeting_path("2024-04-09")
    world.write(other, MESSY)
    run = fmt(world, str(world.root / MEETING))
    assert run.exit_code == 0, run.output
    assert world.read(MEETING) != MESSY
    assert world.read(other) == MESSY
    assert fmt(world, str(world.root / "regions")).exit_code == 0
    assert world.read(other) != MESSY


def test_a_path_outside_the_records_is_a_usage_error(world, tmp_path):
    elsewhere = tmp_path / "ailleurs.yaml"
    elsewhere.write_text("a: 1\n", encoding="utf-8")
    assert fmt(world, str(elsewhere)).exit_code == 2


def test_a_failed_rename_leaves_the_original_and_no_temporary_file(world, monkeypatch):
    path = world.write(MEETING, MESSY)
    before = sorted(os.listdir(path.parent))

    def no_rename(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", no_rename)
    with pytest.raises(WriteError, match="disque plein"):
        write_atomic(path, "theme: autre\n")
    assert path.read_text(encoding="utf-8") == MESSY
    assert sorted(os.listdir(path.parent)) == before
    run = fmt(world)  # the command meets the same failure: nothing half-written either
    assert run.exit_code != 0
    assert path.read_text(encoding="utf-8") == MESSY
    assert sorted(os.listdir(path.parent)) == before


def test_a_rename_onto_an_impossible_target_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "dossier.yaml"
    target.mkdir()  # a folder where the file should go: the rename cannot happen
    (target / "garde").write_text("x", encoding="utf-8")
    with pytest.raises(WriteError):
        write_atomic(target, "a: 1\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dossier.yaml"]
    assert (target / "garde").read_text(encoding="utf-8") == "x"


def test_a_write_keeps_the_file_permissions(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    path.chmod(0o640)
    write_atomic(path, "a: 2\n")
    assert path.read_text(encoding="utf-8") == "a: 2\n"
    assert path.stat().st_mode & 0o777 == 0o640


def test_the_outcome_says_its_closing_line_and_whether_fmt_failed(world):
    from gqrec.authoring.fmt import format_records

    world.write(MEETING, MESSY)
    checked = format_records(world.root, check=True)
    assert checked.changed == (MEETING,) and checked.failed and checked.verb == "à reformater"
    assert checked.summary() == f"{checked.files} fichiers lus : 1 à reformater, 0 illisible."
    done = format_records(world.root)
    assert not done.failed and done.summary().endswith(": 1 reformaté, 0 illisible.")
    assert format_records(world.root).summary().endswith(": 0 reformaté, 0 illisible.")
