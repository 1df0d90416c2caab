"""The layout's fast path for the bulk folders (meetings, contracts, physicians) places a file exactly
as the part-by-part classification does, and leaves everything unusual to it."""

from gqrec import layout
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
    paths = [f[0] for f in layout.walk(tmp_path).files] + ODD
    fast = [p for p in paths if layout._bulk_folder(p.rpartition("/")[0])]
    assert len(fast) > 0.7 * len(paths)  # most files take the fast path
    for path in paths:
        assert layout.classify(path) == layout._classify(path), path
