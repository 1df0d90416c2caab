"""The layout's fast path for the bulk folders (meetings, contracts, physicians) places a file exactly
as the part-by-part classification does, and leaves everything unusual to it."""

import ast
import os
import re
from pathlib import Path

import pytest

from gqrec import layout, walk
from gqrec.demo import generate

ODD = [
    "regions/armor/groups/lamballe/meetings/2024-02-30.yaml", "regions/armor/groups/lamballe/meetings/2024-2-3.yaml",
    "regions/armor/groups/lamballe/meetings/2024-03-12.yml", "regions/armor/groups/lamballe/meetings/2024-03-12",
    "regions/armor/groups/Lamballe/meetings/2024-03-12.yaml", "regions/Armor/groups/lamballe/meetings/2024-03-12.yaml",
    "regions/armor/groups/lamballe/meetings/notes.yaml", "regions/armor/contracts/2024/10000000018.yaml",
    "regions/armor/contracts/2024/10000000019.yaml", "regions/armor/contracts/2024/1000000001.yaml",
    "regions/armor/contracts/24/10000000018.yaml", "regions/armor/contracts/2024/10000000018.yml",
    "regions/armor/physicians/10000000019.yaml", "regions/armor/physicians/dupont.yaml",
    "regions/armor/physicians/10000000018.csv", "regions/armor/physicians/x/10000000018.yaml",
    "regions/armor/contracts/2024/x/10000000018.yaml", "regions/armor/groups/lamballe/meetings/x/2024-03-12.yaml",
    "regions/armor/physicians/.yaml", "regions/armor/contracts/2024/.yaml", "regions/armor/physicians/١٠000000018.yaml",
]


def test_the_fast_path_places_files_as_the_full_classification(tmp_path):
    generate(tmp_path, regions=2, groups=3, years=2, faults=10)
    paths = [f[0] for f in walk.walk(tmp_path).files] + ODD
    fast = [p for p in paths if layout._bulk_folder(p.rpartition("/")[0])]
    assert len(fast) > 0.7 * len(paths)  # most files take the fast path
    for path in paths:
        assert layout.classify(path) == layout._classify(path), path


def test_every_way_of_walking_lists_the_same(tmp_path, monkeypatch):
    """Through folder descriptors or paths, in one process or with a forked helper for half the regions."""
    generate(tmp_path, regions=4, groups=4, years=1, faults=4)
    os.symlink("region.yaml", tmp_path / "regions" / sorted(os.listdir(tmp_path / "regions"))[1] / "lien.yaml")
    os.mkfifo(tmp_path / "regions" / sorted(os.listdir(tmp_path / "regions"))[2] / "tube.yaml")
    reference = walk._walk(tmp_path, split=True)
    assert len(reference) == 5 and any(w.findings for w in reference.values())
    assert walk.walk_partitions(tmp_path) == reference  # 4 regions: a helper lists two of them
    monkeypatch.setattr(walk, "_BY_DESCRIPTOR", False)
    assert walk._walk(tmp_path, split=True) == reference
    whole = walk.walk(tmp_path)
    assert sorted(whole.files) == sorted(f for w in reference.values() for f in w.files)


def test_a_survey_of_some_years_places_what_the_whole_survey_places_for_them(tmp_path):
    generate(tmp_path, regions=2, groups=3, years=3, first_year=2022, faults=10)
    (tmp_path / "regions/bretagne/groups" / sorted(os.listdir(tmp_path / "regions/bretagne/groups"))[0]
     / "meetings/2023-13-01.yaml").write_text("x: 1\n", encoding="utf-8")  # no real date: kept, then classified
    whole = walk.survey(tmp_path)
    for years in (frozenset({2023}), frozenset({2022, 2023}), frozenset({1999})):
        some = walk.survey(tmp_path, years)
        assert some.places == tuple(p for p in whole.places if p.year is None or p.year in years)
        assert len(some.places) < len(whole.places)


def test_the_layout_names_and_reads_the_folders_others_ask_for():
    assert layout.region_of_folder(layout.region_folder("armor")) == "armor"
    for other in ("regions", "regions/Armor", "regions/armor/groups", "themes/armor", "regions/"):
        assert layout.region_of_folder(other) is None, other
    assert layout.folder_of("meeting", "armor", group="lamballe") == "regions/armor/groups/lamballe/meetings"
    assert layout.folder_of("group", "armor", "lamballe") == "regions/armor/groups/lamballe"
    contract = layout.classify(f"{layout.folder_of('contract', 'armor', year=2024)}/10000000017.yaml")
    assert (contract.kind, contract.region, contract.year) == ("contract", "armor", 2024)


# -- paths are spelled and judged by the layout alone ----------------------------------------------------

PACKAGE = Path(layout.__file__).resolve().parent
FOLDERS = r"(regions|themes|indicators|physicians|territories|groups|meetings|contracts|programmes|feedback)"
SPELLED = re.compile(rf"(^|[^\w.-]){FOLDERS}/|federation\.yaml|region\.yaml|group\.yaml")


def _spelled_paths(path: Path) -> list[str]:
    """The string literals of a module (docstrings aside) that spell a record path by hand."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef)) and node.body
                  and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    return [f"{path.name}:{node.lineno}: {node.value!r}" for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
            and SPELLED.search(node.value)]


@pytest.mark.parametrize("module", ["walk.py", "authoring/library.py", "authoring/new.py", "demo/__init__.py",
                                    "cli.py", *sorted(f"commands/{path.name}"
                                                                         for path in (PACKAGE / "commands").glob("*.py"))])
def test_these_modules_ask_the_layout_for_every_path(module):
    assert _spelled_paths(PACKAGE / module) == []


def test_the_walk_leaves_judging_region_folder_names_to_the_layout():
    tree = ast.parse((PACKAGE / "walk.py").read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) for alias in node.names}
    assert "ids" not in imported  # a folder name is a region's when layout.region_of_folder says so


def test_the_init_readme_takes_its_paths_from_the_layout():
    from gqrec.authoring.init import README

    assert not SPELLED.search(README)
