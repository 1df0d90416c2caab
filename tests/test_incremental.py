"""Judging region by region gives exactly the findings of judging the whole tree at once.

The rule tests of this suite judge the whole tree (`world.findings_of`); this test holds the rules to
the contract that makes the region-by-region check exact (rules/__init__.py): on a generated archive
with planted faults, national faults that only a region's programme reveals (GQ109), a misplaced file,
a link and a per-region severity override, cold, warm and after edits; and rule by rule, on an archive
where every rule's own example is planted and fires (a case whose rule found nothing would prove
nothing, so it fails), with the feedback key and without it, in a git repository (GQ116).
"""

import os
import shutil
from datetime import date

import pytest

from gqrec import load, rules
from gqrec.check import build_registry, check
from gqrec.demo import DEMO_KEY, generate
from gqrec.findings import sort_findings
from gqrec.pipeline import Pipeline
from gqrec.rules.examples import plant
from test_git import IDENTITY, git

AS_OF = date(2026, 1, 1)
KEY = DEMO_KEY.encode()  # the generated archives' feedback is sealed with it


def whole(root, key=KEY):
    """The reference: one registry of everything, every rule run once over it."""
    return sort_findings(rules.run(build_registry(root, AS_OF, key=key, use_cache=False)))


def age(root, seconds=3600):
    for folder, _, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            info = os.stat(path)
            os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns - seconds * 10**9))


def test_region_by_region_equals_the_whole_tree(tmp_path, monkeypatch):
    root = tmp_path / "archive"
    generate(root, regions=3, groups=6, years=3, first_year=2023, faults=40)
    regions = sorted(p.name for p in (root / "regions").iterdir())
    theme = next((root / "themes").glob("*.yaml"))
    theme.write_text(theme.read_text(encoding="utf-8").replace("efficiency: true", "efficiency: false"), encoding="utf-8")
    (root / "notes.txt").write_text("brouillon\n", encoding="utf-8")
    os.symlink("region.yaml", root / "regions" / regions[1] / "alias.yaml")
    region_file = root / "regions" / regions[2] / "region.yaml"
    region_file.write_text(region_file.read_text(encoding="utf-8") + "charter:\n  rules: {GQ111: off, GQ003: warning}\n",
                           encoding="utf-8")
    (root / "regions" / regions[2] / "stray.yaml").write_text("x: 1\n", encoding="utf-8")
    _plant_examples(root)

    expected = whole(root)
    assert {"GQ109", "GQ003"} <= {f.rule for f in expected}
    assert len({f.rule for f in expected}) >= 10, "the archive should break many rules"
    assert list(check(root, AS_OF, key=KEY, use_cache=False).findings) == expected
    with monkeypatch.context() as patch:  # regions judged in forked worker processes, as on a national archive
        patch.setattr(load, "PARALLEL_FROM", 1)
        files, found = Pipeline(root, key=KEY, max_yaml_bytes=1 << 20, use_cache=False, jobs=2).findings(AS_OF)
        assert sort_findings(found) == expected and files == len(build_registry(root, AS_OF, use_cache=False).places)
    age(root)
    assert list(check(root, AS_OF, key=KEY).findings) == expected  # cold, writing the cache
    assert list(check(root, AS_OF, key=KEY).findings) == expected  # warm, from what each region remembers

    meeting = sorted((root / "regions" / regions[0]).glob("groups/*/meetings/*.yaml"))[0]
    meeting.write_text(meeting.read_text(encoding="utf-8").replace("duration_minutes:", "duration_minutes: 30\nx_old:"),
                       encoding="utf-8")
    shutil.rmtree(next((root / "regions" / regions[1] / "groups").iterdir()))
    expected = whole(root)
    assert list(check(root, AS_OF, key=KEY).findings) == expected
    age(root)
    theme.write_text(theme.read_text(encoding="utf-8") + "# relu\n", encoding="utf-8")
    assert list(check(root, AS_OF, key=KEY).findings) == whole(root)


def _judge(root, key):
    """The whole-tree findings and the region-by-region ones (cold, in forked workers), under `key`."""
    expected = whole(root, key)
    load_from = load.PARALLEL_FROM
    load.PARALLEL_FROM = 1
    try:
        _, found = Pipeline(root, key=key, max_yaml_bytes=1 << 20, use_cache=False, jobs=2).findings(AS_OF)
    finally:
        load.PARALLEL_FROM = load_from
    return expected, sort_findings(found)


def _plant_examples(root):
    """Each rule's own example (`@rule(..., example=...)`), the regions taken in turn (the next one when
    it has no room left), each on files no other example touched. A rule added with its example is
    planted here with no line written in this file."""
    regions = sorted(p.name for p in (root / "regions").iterdir())
    touched: set[str] = set()
    unplanted = []
    for index, entry in enumerate(rules.catalogue()):
        if entry.example is not None and not entry.example.keyless:  # GQ120's is the run without the key
            turn = [regions[(index + shift) % len(regions)] for shift in range(len(regions))]
            if all(plant(root, entry.example, region=region, touched=touched, key=KEY) is None for region in turn):
                unplanted.append(entry.id)
    assert unplanted == [], "ces exemples ne trouvent pas où se planter dans l'archive générée"


def _plant_every_example(root):
    """Every example planted; the archive then becomes a git repository committed today, so that the
    meetings of the region GQ116's example puts under a deadline were committed late."""
    _plant_examples(root)
    git(root, "init", "-q")
    git(root, "add", "-A", ".")
    git(root, "commit", "-q", "-m", "archive")


@pytest.fixture(scope="module")
def judged(tmp_path_factory):
    """A generated archive with the generator's planted faults and every rule's example, judged whole
    and region by region (cold, in forked workers), with the feedback key and without it (GQ120)."""
    root = tmp_path_factory.mktemp("rules") / "archive"
    generate(root, regions=3, groups=6, years=3, first_year=2023, faults=40)
    with pytest.MonkeyPatch.context() as patch:  # git, ours and gqrec's, with the isolated test configuration
        for name, value in IDENTITY.items():
            patch.setenv(name, value)
        _plant_every_example(root)
        return _judge(root, KEY), _judge(root, None)


@pytest.mark.parametrize("rule", [entry.id for entry in rules.catalogue()])
def test_each_rule_judged_region_by_region_as_on_the_whole_tree(judged, rule):
    fired = False
    for expected, found in judged:
        mine = [f for f in expected if f.rule == rule]
        assert [f for f in found if f.rule == rule] == mine
        fired = fired or bool(mine)
    assert fired, f"{rule} ne se déclenche pas sur l'archive générée : plantez-y une faute qui le déclenche"
