"""The kind table is the one description of a kind: the layout, the loader, the Registry and the editor
read it, and the hand-written classification agrees with it."""

from __future__ import annotations

import pytest

from gqrec import records
from gqrec.authoring.editor import schema_globs
from gqrec.kinds import KINDS, Kind
from gqrec.layout import LAYOUT_FR, Place, classify, path_of
from gqrec.schemas import schema_files
from world import FEEDBACK_KEY

EXAMPLE = {"region": "bretagne", "group": "lamballe", "year": 2024}
IDS = {
    "theme": "asthme-adulte", "indicator": "cystite-ecbu", "territory": "penthievre", "physician": "10000000017",
    "group": "lamballe", "meeting": "2024-03-12", "programme": "2024", "contract": "10000000017",
    "feedback": "2024-S1", "region": "bretagne",
}


@pytest.mark.parametrize("name", KINDS)
def test_each_kind_s_path_classifies_as_that_kind(name):
    path = path_of(name, EXAMPLE["region"], IDS.get(name), EXAMPLE["group"],
                   EXAMPLE["year"] if name == "contract" else None)
    place = classify(path)
    assert isinstance(place, Place) and place.kind == name
    assert place.id == IDS.get(name)


@pytest.mark.parametrize("name", KINDS)
def test_each_kind_has_its_schema_and_record_class(name):
    assert f"{name}.schema.json" in {path.name for path in schema_files()}
    assert isinstance(getattr(records, KINDS[name].record), type)


@pytest.mark.parametrize("name", KINDS)
def test_each_kind_is_built_by_the_builder_its_table_entry_names(name):
    """`records.build` has no case per kind: the entry's record class chooses the builder."""
    assert records.BUILDERS[name] is records._BUILDS_BY_CLASS[KINDS[name].record]


def test_the_layout_listing_and_the_editor_map_come_from_the_table():
    assert LAYOUT_FR.splitlines()[list(KINDS).index("meeting")] == "regions/<région>/groups/<groupe>/meetings/<AAAA-MM-JJ>.yaml"
    assert len(LAYOUT_FR.splitlines()) == len(KINDS)
    assert set(schema_globs("records")) == {name for name, kind in KINDS.items() if not kind.csv}



def test_a_kind_added_to_the_table_is_indexed_by_the_registry(world, monkeypatch):
    """The Registry keeps each record, and what each invalid file still says, where its kind's entry
    says: an entry pointing the territories elsewhere moves both there (no attribute is declared by hand)."""
    from dataclasses import replace

    from gqrec import kinds
    from gqrec.check import build_registry

    monkeypatch.setitem(kinds.KINDS, "territory", replace(KINDS["territory"], index="toys"))
    world.write("regions/armor/territories/broken.yaml", "name: [\n")
    registry = build_registry(world.root, key=FEEDBACK_KEY.encode())
    assert not hasattr(registry, "territories") and not hasattr(registry, "partial_territories")
    assert any(isinstance(r, records.Territory) for r in registry.toys.values())
    assert isinstance(registry.partial_toys["armor", "broken"], records.Partial)


def test_a_keyed_kind_must_say_where_its_invalid_files_go():
    from operator import attrgetter

    with pytest.raises(ValueError, match="partial"):
        Kind("toy", "regions/{region}/toys/{id}.yaml", "<jouet>", "Territory", "toys", attrgetter("region", "id"))
    with pytest.raises(ValueError, match="order"):
        Kind("toy", "regions/{region}/toys/{id}.yaml", "<jouet>", "Territory", "toys", attrgetter("region", "id"),
             attrgetter("region", "id"), many=True)


@pytest.mark.parametrize("name", [name for name, kind in KINDS.items() if not kind.csv])
def test_an_unreadable_file_of_each_kind_is_kept_as_a_partial(world, name):
    """No kind's invalid file is silently dropped: its `records.Partial` is in the kind's partial index,
    under the key its entry declares (a CSV kind keeps its valid rows instead)."""
    from gqrec.check import build_registry

    path = next((str(p.relative_to(world.root)) for p in sorted(world.root.rglob("*.yaml"))
                 if getattr(classify(str(p.relative_to(world.root))), "kind", None) == name),
                path_of(name))  # a kind the world has no file of (library.lock): one written here
    world.write(path, "name: [\n")  # GQ001: nothing can be read
    registry = build_registry(world.root, key=FEEDBACK_KEY.encode())
    kind = KINDS[name]
    kept = getattr(registry, kind.partial_index)
    if kind.key is not None:
        kept = [p for p in (sum(kept.values(), []) if kind.many else kept.values())]
        assert [p.src.path for p in kept] == [path]
        assert kind.partial_key(kept[0]) in getattr(registry, kind.partial_index)
    else:
        assert kept.src.path == path
    assert {f.rule for f in registry.load_findings if f.path == path} == {"GQ001"}


# -- every kind exported, authored and generated, or said not to be ---------------------------------------


@pytest.fixture(scope="module")
def generated_kinds(tmp_path_factory) -> set[str]:
    from gqrec.demo import generate

    root = tmp_path_factory.mktemp("kinds") / "archive"
    generate(root, regions=1, groups=2, years=1)
    return {getattr(classify(p.relative_to(root).as_posix()), "kind", None) for p in root.rglob("*") if p.is_file()}


def _gaps(table, generated: set[str]) -> dict[str, set[str]]:
    """The kinds of `table` that a consumer leaves out without saying why: `gqrec new` (an entry or a
    reason), the export (its tables or a reason) and the demo (written, or a reason)."""
    from gqrec.authoring import new
    from gqrec.demo import NOT_GENERATED
    from gqrec.export.rows import NOT_EXPORTED, TABLES_OF_KIND

    def said(reasons, name):
        return bool(reasons.get(name, "").strip())

    return {
        "authoring": {n for n in table if (n in new.ENTRIES) == said(new.NOT_AUTHORED, n)},
        "export": {n for n in table if bool(TABLES_OF_KIND.get(n)) == said(NOT_EXPORTED, n)},
        "demo": {n for n in table if n not in generated and not said(NOT_GENERATED, n)},
    }


def test_every_kind_is_exported_authored_and_generated_or_says_why(generated_kinds):
    assert _gaps(KINDS, generated_kinds) == {"authoring": set(), "export": set(), "demo": set()}


def test_a_kind_left_out_of_the_export_the_authoring_and_the_demo_is_seen(generated_kinds, monkeypatch):
    from gqrec import kinds

    monkeypatch.setitem(kinds.KINDS, "training", Kind("training", "regions/{region}/trainings/{id}.yaml",
                                                      "<formation>", "Theme", "trainings"))
    assert _gaps(kinds.KINDS, generated_kinds) == {"authoring": {"training"}, "export": {"training"},
                                                   "demo": {"training"}}


def test_the_export_s_record_tables_are_each_filled_by_one_kind():
    from gqrec.export.rows import RECORD_TABLES, TABLES_OF_KIND
    from gqrec.export.schema import TABLES

    claimed = [table for tables in TABLES_OF_KIND.values() for table in tables]
    assert sorted(claimed) == sorted(set(RECORD_TABLES) - {"export"})
    assert set(claimed) <= {table.name for table in TABLES}


def test_the_demo_writes_every_kind_it_does_not_copy(generated_kinds):
    from gqrec.demo import NOT_GENERATED

    # the copied library included; a library.lock only where a library was pulled from a national repository
    assert generated_kinds - {None} == set(KINDS) - {"lock"}
    assert set(NOT_GENERATED) <= set(KINDS)


def test_every_kind_says_what_its_file_holds_and_the_readme_layout_is_the_tables():
    """README's « Disposition d'un dépôt de registres » block is `layout.layout_described_fr()`, built from
    the kind table: a new kind without its description, or a README left behind, fails here."""
    from pathlib import Path

    from gqrec.layout import ABOUT_FR, layout_described_fr

    assert set(ABOUT_FR) == set(KINDS)
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.index("## Disposition d'un dépôt de registres")
    start = readme.index("```\n", section) + len("```\n")
    assert readme[start:readme.index("\n```", start)] == layout_described_fr(), "layout_described_fr() > README"
