"""A sealed feedback file is bound to its region and period (format v2, issue 24): a copy to another
period or a file moved from another region does not open there and is named; a file of format v1 (no
binding) still opens, is reported (GQ120, a warning) and `gqrec seal` seals it again in v2."""

from __future__ import annotations

import shutil

from click.testing import CliRunner

from world import FEEDBACK_KEY, key_file
from gqrec import sealing
from gqrec.cli import cli

S1 = "regions/armor/feedback/2024-S1.csv"
S2 = "regions/armor/feedback/2024-S2.csv"


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_the_sample_and_the_world_are_sealed_in_v2(world):
    from pathlib import Path

    sample = sorted((Path(__file__).resolve().parent.parent / "records").glob("regions/*/feedback/*.csv"))
    assert sample
    for path in [*sample, world.root / S1]:
        raw = path.read_bytes()
        region, period = path.parent.parent.name, path.stem
        assert sealing.sealed_place(raw) == sealing.Place(region, period), path


def test_a_copy_to_another_period_does_not_open_and_is_named(world):
    assert world.check().findings == []
    shutil.copyfile(world.root / S1, world.root / S2)  # the same rows: only the binding tells them apart
    for _ in range(2):  # cold, then through the cache
        run = world.check()
        found = [f for f in run.findings if f["path"] == S2]
        assert run.exit_code == 1 and [f["rule"] for f in found] == ["GQ001"], run.output
        assert "chiffré pour armor/2024-S1, trouvé à la place de armor/2024-S2" in found[0]["message"]
    result = invoke("unseal", world.root / S2)
    assert result.exit_code == 2 and "armor/2024-S1" in result.output and "participant" not in result.output


def test_a_first_line_edited_to_match_its_new_place_breaks_the_seal(world):
    raw = (world.root / S1).read_bytes()
    world.write_bytes(S2, raw.replace(b"armor/2024-S1", b"armor/2024-S2", 1))
    run = world.check()
    found = [f for f in run.findings if f["path"] == S2]
    assert [f["rule"] for f in found] == ["GQ001"] and sealing.WRONG_KEY in found[0]["message"]


def test_a_file_moved_from_another_region_does_not_open(world):
    other = "regions/argoat/feedback/2024-S1.csv"
    shutil.copytree(world.root / "regions/armor", world.root / "regions/argoat")
    run = world.check()
    found = [f for f in run.findings if f["path"] == other]
    assert [f["rule"] for f in found] == ["GQ001"], run.output
    assert "chiffré pour armor/2024-S1, trouvé à la place de argoat/2024-S1" in found[0]["message"]


def test_a_v1_file_opens_is_reported_and_seal_upgrades_it(world):
    clear = world.read(S1)
    world.write_bytes(S1, sealing.seal(clear, FEEDBACK_KEY.encode(), None))  # as gqrec sealed before the binding
    run = world.check()
    assert run.exit_code == 0, run.output  # a warning: the rows are read and judged
    assert [(f["rule"], f["severity"], f["path"]) for f in run.findings] == [("GQ120", "warning", S1)]
    assert "format v1" in run.findings[0]["message"] and f"gqrec seal {S1}" in run.findings[0]["message"]
    faulty = clear.replace("participant,", "participant,1234,", 1)  # a fault in its rows is still seen
    world.write_bytes(S1, sealing.seal(faulty, FEEDBACK_KEY.encode(), None))
    assert sorted(world.check().rules()) == ["GQ001", "GQ120"]
    world.write_bytes(S1, sealing.seal(clear, FEEDBACK_KEY.encode(), None))
    result = invoke("seal", world.root / S1)
    assert result.exit_code == 0 and "Chiffré" in result.output, result.output
    raw = (world.root / S1).read_bytes()
    assert sealing.sealed_place(raw) == sealing.Place("armor", "2024-S1") and world.read(S1) == clear
    assert world.check().findings == []
    again = invoke("seal", world.root / S1)
    assert again.exit_code == 0 and "Déjà chiffré" in again.output and (world.root / S1).read_bytes() == raw


def test_seal_binds_to_the_place_it_writes_and_refuses_a_file_sealed_for_another(world, tmp_path):
    export = tmp_path / "export.csv"
    export.write_text(world.read(S1), encoding="utf-8")
    target = world.root / "regions/armor/feedback/2025-S1.csv"
    result = invoke("seal", export, "--to", target)
    assert result.exit_code == 0, result.output
    assert sealing.sealed_place(target.read_bytes()) == sealing.Place("armor", "2025-S1")
    moved = invoke("seal", world.root / S1, "--to", world.root / "regions/armor/feedback/2025-S2.csv")
    assert moved.exit_code == 2 and "armor/2024-S1" in moved.output
    outside = invoke("seal", export)
    assert outside.exit_code == 2 and "--to" in outside.output


def test_rekey_seals_in_v2(world, tmp_path):
    clear = world.read(S1)
    world.write_bytes(S1, sealing.seal(clear, FEEDBACK_KEY.encode(), None))
    old = key_file(tmp_path, "ancienne", FEEDBACK_KEY)
    new = key_file(tmp_path, "nouvelle", "une-autre-cle-secrete-assez-longue")
    result = invoke("rekey", world.root, "--from", old, "--to", new)
    assert result.exit_code == 0, result.output
    for rel in (S1, S2):
        raw = (world.root / rel).read_bytes()
        assert sealing.sealed_place(raw) == sealing.Place("armor", rel[-11:-4])
    opened = sealing.unseal((world.root / S1).read_bytes(), b"une-autre-cle-secrete-assez-longue", 1 << 20)
    assert opened.decode() == clear
