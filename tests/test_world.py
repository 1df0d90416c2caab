"""The test world and the sample records are compliant: every other test breaks one thing on purpose."""

from pathlib import Path


REPO = Path(__file__).resolve().parent.parent


def test_world_is_clean(world):
    run = world.check()
    assert run.findings == []
    assert run.exit_code == 0


def test_sample_records_are_clean(world):
    run = world.invoke("check", str(REPO / "records"), "--as-of", "2026-01-01", "--format", "json")
    assert run.exit_code == 0, run.output
    assert run.output.strip() == "[]"
