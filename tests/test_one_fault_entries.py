"""One fault, one finding, for a member or animator entry of group.yaml (issue #23): a mistyped RPPS (GQ005)
or one without a physician file (GQ004) is reported once, at group.yaml; the roll calls that name that
physician, or the one the entry was meant to name, are not also reported (GQ112, GQ103, GQ107, GQ004,
GQ005 on every meeting: 21 to 41 findings before). The README says so: « le seul constat GQ005 »."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from click.testing import CliRunner

from world import ANIMATOR, FEEDBACK_KEY, G, MEMBERS, OUTSIDER, meeting_path, rpps

from gqrec.cli import cli
from gqrec.ids import luhn_digit

SAMPLE = Path(__file__).resolve().parent.parent / "records"
LAMBALLE = "regions/bretagne/groups/lamballe/group.yaml"


def mistyped(number: str) -> str:
    """The RPPS with a wrong check digit."""
    return number[:-1] + str((int(number[-1]) + 1) % 10)


def sample_check(tmp_path, old: str, new: str, *extra: str, everywhere: bool = False):
    root = tmp_path / "records"
    shutil.copytree(SAMPLE, root)
    files = [root / LAMBALLE, *(root / LAMBALLE).parent.glob("meetings/*.yaml")] if everywhere else [root / LAMBALLE]
    for path in files:
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(root), "--as-of", "2026-01-01", "--no-cache", *extra],
                                env={"GQREC_FEEDBACK_KEY": FEEDBACK_KEY})
    return result


def first_member(path: Path) -> str:
    return re.search(r'members:\n  - physician: "(\d{11})"', path.read_text(encoding="utf-8"))[1]


def test_an_rpps_typo_in_group_yaml_of_the_sample_is_one_finding(tmp_path):
    member = first_member(SAMPLE / LAMBALLE)
    result = sample_check(tmp_path, f'"{member}"', f'"{mistyped(member)}"', "--format", "json")
    findings = json.loads(result.stdout)
    assert [(f["rule"], f["path"]) for f in findings] == [("GQ005", LAMBALLE)], findings


def test_the_summary_names_group_yaml_alone(tmp_path):
    member = first_member(SAMPLE / LAMBALLE)
    result = sample_check(tmp_path, f'"{member}"', f'"{mistyped(member)}"', "--summary")
    files = result.stdout.split("Constats par fichier :")[1]
    assert LAMBALLE in files and "meetings/" not in files, result.stdout


def test_an_unknown_physician_in_group_yaml_of_the_sample_is_one_finding(tmp_path):
    member = first_member(SAMPLE / LAMBALLE)
    stranger = "10999999" + "99"
    stranger += luhn_digit(stranger)
    result = sample_check(tmp_path, f'"{member}"', f'"{stranger}"', "--format", "json")
    findings = json.loads(result.stdout)
    assert [(f["rule"], f["path"]) for f in findings] == [("GQ004", LAMBALLE)], findings


def test_the_same_typo_in_group_yaml_and_every_roll_call_is_one_finding(tmp_path):
    member = first_member(SAMPLE / LAMBALLE)
    result = sample_check(tmp_path, f'"{member}"', f'"{mistyped(member)}"', "--format", "json", everywhere=True)
    findings = json.loads(result.stdout)
    assert [(f["rule"], f["path"]) for f in findings] == [("GQ005", LAMBALLE)], findings


def test_an_unknown_animator_entry_is_one_finding(world):
    """The group's animator entry names no physician file; the meetings name the real animator."""
    stranger = rpps(77)
    world.edit(G, f'animators:\n  - physician: "{ANIMATOR}"', f'animators:\n  - physician: "{stranger}"')
    run = world.check()
    assert [(f["rule"], f["path"]) for f in run.findings] == [("GQ004", G)], run.findings  # not ten GQ103


def test_a_real_stranger_on_a_roll_call_is_still_found(world):
    """A faulty entry excuses as many unknown names as it could stand for, no more: with two names for one
    faulty entry, which one is the stranger cannot be told, and both are shown, on that meeting only."""
    world.edit(G, f'physician: "{MEMBERS[9]}"', f'physician: "{mistyped(MEMBERS[9])}"')
    assert [f["rule"] for f in world.check().findings] == ["GQ005"]
    day = "2024-03-12"
    world.edit(meeting_path(day), f'absent:\n  - "{MEMBERS[9]}"\n', f'absent:\n  - "{MEMBERS[9]}"\n  - "{OUTSIDER}"\n')
    run = world.check()
    assert sorted(f["rule"] for f in run.findings) == ["GQ005", "GQ112", "GQ112"], run.findings
    assert {f["path"] for f in run.only("GQ112")} == {meeting_path(day)}
