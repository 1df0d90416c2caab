"""A command lists the records tree once: `gqrec report` and `gqrec export` take the registry and the
check's findings from one listing (`Pipeline.registry_and_findings`), cold and warm, and give what
reading them apart gives."""

from __future__ import annotations

from datetime import date

import pytest

from gqrec import check, walk
from gqrec.pipeline import Pipeline
from world import AS_OF, FEEDBACK_KEY

KEY = FEEDBACK_KEY.encode()


@pytest.fixture
def listings(monkeypatch):
    """How many times this process lists (part of) a tree: every listing goes through `walk._walk`."""
    count = []
    real = walk._walk

    def counted(*args, **kwargs):
        count.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(walk, "_walk", counted)
    return count


@pytest.mark.parametrize("command", ["report", "export"])
def test_report_and_export_list_the_tree_once(world, tmp_path, listings, command):
    from gqrec.export.produce import Request as ExportRequest, produce as export
    from gqrec.report.produce import Request as ReportRequest, produce as report

    as_of = date.fromisoformat(AS_OF)
    for run in range(2):  # cold, then warm (the findings remembered, the files cached)
        listings.clear()
        if command == "report":
            report(ReportRequest(world.root, 2024, fmt="json", as_of=as_of, key=KEY))
        else:
            export(ExportRequest(world.root, "sqlite", tmp_path / f"export-{run}.sqlite", as_of=as_of, key=KEY))
        assert len(listings) == 1, run


def test_one_listing_gives_what_two_give(world):
    as_of, years = date.fromisoformat(AS_OF), frozenset((2024,))
    world.edit("regions/armor/groups/lamballe/group.yaml", "wave: 1", "wave: 1\nextra: 1")  # a finding (GQ002)
    apart = Pipeline(world.root, key=KEY, use_cache=False)
    together = Pipeline(world.root, key=KEY, use_cache=False)
    checked, registry = check.run_and_read(together, as_of, years)
    assert checked == check.run(apart, as_of) and "GQ002" in {f.rule for f in checked.findings}
    alone = apart.registry(as_of, years)
    assert sorted(registry.places) == sorted(alone.places)
    for name in ("groups", "meetings", "physicians", "contracts", "feedback", "themes", "partial_groups"):
        assert list(getattr(registry, name)) == list(getattr(alone, name)), name


@pytest.mark.parametrize("use_cache", [False, True])
def test_a_cold_read_of_the_whole_archive_judged_whole_gives_the_check(world, use_cache):
    """Nothing remembered and no year asked: the archive is read once and its registry judged whole
    (`Pipeline.registry_and_findings`); the findings and the file count are the check's, region by region."""
    as_of = date.fromisoformat(AS_OF)
    world.edit("regions/armor/groups/lamballe/group.yaml", "wave: 1", "wave: 1\nextra: 1")  # a finding (GQ002)
    world.edit("themes/asthme-adulte.yaml", "title:", "extra: 1\ntitle:")  # a national one
    checked, registry = check.run_and_read(Pipeline(world.root, key=KEY, use_cache=use_cache), as_of)
    apart = check.run(Pipeline(world.root, key=KEY, use_cache=False), as_of)
    assert checked == apart and {"themes/asthme-adulte.yaml", "regions/armor/groups/lamballe/group.yaml"} <= {
        f.path for f in checked.findings}
    assert checked.files == len(registry.places)
