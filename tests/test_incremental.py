"""Judging region by region gives exactly the findings of judging the whole tree at once.

Every rule test of this suite runs the real CLI, so through the incremental check; this test holds
the rules to the contract that makes it exact (rules/__init__.py): on a generated archive with
planted faults, national faults that only a region's programme reveals (GQ109), a misplaced file, a
link and a per-region severity override, cold, warm and after edits; and rule by rule, on an archive
where every rule fires (a case whose rule found nothing would prove nothing, so it fails), with the
feedback key and without it, in a git repository (GQ116).
"""

import os
import re
import shutil
from datetime import date, timedelta

import pytest

from gqrec import load, rules, sealing
from gqrec.check import build_registry, check
from gqrec.demo import DEMO_KEY, generate
from gqrec.findings import sort_findings
from gqrec.pipeline import Pipeline
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


def _plant_rules_the_generator_spares(root, regions):
    """One targeted fault for each rule the generated archive does not break (GQ103, GQ106, GQ113, GQ114,
    GQ116, GQ118, GQ121, GQ122, GQ123; GQ120 is the run without the key), in the third region and the first one,
    which the other plants leave alone; the archive becomes a git repository (GQ116)."""
    third = root / "regions" / regions[2]
    first_group, second_group = sorted(third.glob("groups/*/group.yaml"))[:2]
    meetings = sorted(first_group.parent.glob("meetings/*.yaml"))
    text = meetings[0].read_text(encoding="utf-8")
    stranger = re.findall(r'^  - "(\d+)"$', text, re.M)[0]  # a member present, not an animator
    meetings[0].write_text(re.sub(r'^animator: "\d+"$', f'animator: "{stranger}"', text, flags=re.M),
                           encoding="utf-8")  # GQ103
    member = re.search(r'^  - physician: "(\d+)"\n    since: \S+\n(?!    until)', first_group.read_text(
        encoding="utf-8").split("members:")[1], re.M)[1]
    second_group.write_text(second_group.read_text(encoding="utf-8").rstrip("\n")
                            + f'\n  - physician: "{member}"\n    since: 2024-03-01\n', encoding="utf-8")  # GQ106
    (third / "feedback" / "2024-S1.csv").unlink()  # GQ113, for the groups with no restitution of 2024-S1
    for meeting in third.glob("groups/*/meetings/*.yaml"):
        if "period: 2024-S1" in meeting.read_text(encoding="utf-8"):
            meeting.unlink()
    later = sorted(second_group.parent.glob("meetings/2025-1[01]-*.yaml"))[-1]  # GQ123: its roll call never came
    later.write_text("status: planned\n" + re.sub(r"^(present|absent):\n(  - .*\n)*", "", later.read_text(
        encoding="utf-8"), flags=re.M), encoding="utf-8")
    (later.parent / "2026-01-13.yaml").write_text(meetings[2].read_text(encoding="utf-8"), encoding="utf-8")  # GQ122
    animator = re.search(r'^  - physician: "(\d+)"', first_group.read_text(encoding="utf-8"), re.M)[1]
    second_text = second_group.read_text(encoding="utf-8")  # GQ114 (animator_max_groups: 1 below)
    second_group.write_text(second_text.replace("animators:\n", f'animators:\n  - physician: "{animator}"\n'
                                                "    since: 2024-03-01\n", 1), encoding="utf-8")
    region = third / "region.yaml"
    region.write_text(region.read_text(encoding="utf-8") + "charter:\n  minutes_within_days: 90\n"
                      "  animator_max_groups: 1\n", encoding="utf-8")
    late = meetings[1]  # GQ116: first committed 200 days after the meeting
    first = root / "regions" / regions[0]
    group = sorted(first.glob("groups/*/group.yaml"))[-1]
    entry = re.search(r'^  - physician: "\d+"\n    since: \S+\n', group.read_text(encoding="utf-8").split("members:")[1],
                      re.M)[0]
    group.write_text(group.read_text(encoding="utf-8").rstrip("\n") + "\n" + entry, encoding="utf-8")  # GQ118
    sealed = sorted((first / "feedback").glob("*.csv"))[0]
    sealed.write_bytes(sealing.unseal(sealed.read_bytes(), DEMO_KEY.encode(), 1 << 30))  # GQ121
    git(root, "init", "-q")
    git(root, "add", "-A", ".", ":!" + late.relative_to(root).as_posix())
    git(root, "commit", "-q", "-m", "archive", when=date(2022, 1, 1))
    git(root, "add", late.relative_to(root).as_posix())
    git(root, "commit", "-q", "-m", "late minutes", when=date.fromisoformat(late.stem) + timedelta(days=200))


@pytest.fixture(scope="module")
def judged(tmp_path_factory):
    """A generated archive with planted faults and a few more (a theme's dossier, a stray file, a
    link, an override, one for each rule the generator spares), judged whole and region by region
    (cold, in forked workers), with the feedback key and without it (GQ120)."""
    root = tmp_path_factory.mktemp("rules") / "archive"
    generate(root, regions=3, groups=6, years=3, first_year=2023, faults=40)
    regions = sorted(p.name for p in (root / "regions").iterdir())
    theme = next((root / "themes").glob("*.yaml"))
    theme.write_text(theme.read_text(encoding="utf-8").replace("efficiency: true", "efficiency: false"), encoding="utf-8")
    (root / "regions" / regions[2] / "stray.yaml").write_text("x: 1\n", encoding="utf-8")
    first = root / "regions" / regions[0]
    (first / "territories" / "illisible.yaml").write_text("name: [\n", encoding="utf-8")  # GQ001
    group = next(first.glob("groups/*/group.yaml")).read_text(encoding="utf-8")
    territory = first / "territories" / (re.search(r"^territory: (\S+)$", group, re.M)[1] + ".yaml")
    territory.write_text(re.sub(r"general_practitioners: \d+", "general_practitioners: 9000", territory.read_text(
        encoding="utf-8")), encoding="utf-8")  # GQ105 for its groups
    physician = next((first / "physicians").glob("*.yaml"))
    physician.write_text(physician.read_text(encoding="utf-8").replace("médecine générale", "cardiologie"),
                         encoding="utf-8")  # GQ115
    meeting = sorted(first.glob("groups/*/meetings/*.yaml"))[-1]
    (meeting.parent / "2024-02-30.yaml").write_text(meeting.read_text(encoding="utf-8"), encoding="utf-8")  # GQ006
    meeting.write_text(meeting.read_text(encoding="utf-8") + "x_old: 1\n", encoding="utf-8")  # GQ002
    second = root / "regions" / regions[1] / "region.yaml"
    second.write_text(second.read_text(encoding="utf-8") + "charter:\n  group_size: {min: 14, max: 15}\n"
                      "  feedback_period: trimester\n  animator_max_groups: 1\n", encoding="utf-8")  # GQ101, GQ117
    with pytest.MonkeyPatch.context() as patch:  # git, ours and gqrec's, with the isolated test configuration
        for name, value in IDENTITY.items():
            patch.setenv(name, value)
        _plant_rules_the_generator_spares(root, regions)
        return _judge(root, KEY), _judge(root, None)


@pytest.mark.parametrize("rule", [entry.id for entry in rules.catalogue()])
def test_each_rule_judged_region_by_region_as_on_the_whole_tree(judged, rule):
    fired = False
    for expected, found in judged:
        mine = [f for f in expected if f.rule == rule]
        assert [f for f in found if f.rule == rule] == mine
        fired = fired or bool(mine)
    assert fired, f"{rule} ne se déclenche pas sur l'archive générée : plantez-y une faute qui le déclenche"
