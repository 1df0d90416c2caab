"""Reading in worker processes gives exactly what reading in one process gives."""

from gqrec import load as loader
from gqrec.demo import DEMO_KEY, generate
from gqrec.pipeline import Pipeline


def test_parallel_reading_matches_serial_reading(tmp_path, monkeypatch):
    root = tmp_path / "archive"
    generate(root, regions=2, groups=4, years=2, faults=6)
    meetings = sorted(root.glob("regions/*/groups/*/meetings/*.yaml"))
    meetings[0].write_text("theme: [non fermé\n", encoding="utf-8")  # GQ001
    meetings[1].write_text(meetings[1].read_text(encoding="utf-8") + "salle: mairie\n", encoding="utf-8")  # GQ002
    serial = Pipeline(root, key=DEMO_KEY.encode(), use_cache=False, jobs=1).loaded()
    monkeypatch.setattr(loader, "PARALLEL_FROM", 1)
    parallel = Pipeline(root, key=DEMO_KEY.encode(), use_cache=False, jobs=2).loaded()
    assert parallel.places == serial.places
    assert sorted(parallel.findings) == sorted(serial.findings)
    assert {f.rule for f in serial.findings} == {"GQ001", "GQ002"}
    assert [type(r).__name__ for r in parallel.records] == [type(r).__name__ for r in serial.records]
    assert [r.src.path for r in parallel.records] == [r.src.path for r in serial.records]


def test_a_fifo_in_the_tree_is_never_opened(world):
    import os

    os.mkfifo(world.root / "themes" / "tube.yaml")
    run = world.check()  # would hang forever if the FIFO were opened for reading
    assert [(f["path"], f["rule"]) for f in run.findings] == [("themes/tube.yaml", "GQ003")]
