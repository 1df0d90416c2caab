"""The kind table is the one description of a kind: the layout, the loader, the Registry and the editor
read it, and the hand-written classification agrees with it."""

from __future__ import annotations

import pytest

from gqrec import records
from gqrec.authoring.editor import schema_globs
from gqrec.kinds import KINDS
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
    """The Registry keeps each record where its kind's entry says: an entry pointing the themes elsewhere
    moves them there."""
    from dataclasses import replace

    from gqrec import kinds, registry as registry_mod
    from gqrec.check import build_registry

    moved = replace(KINDS["theme"], index="indicators")
    monkeypatch.setitem(kinds.KINDS, "theme", moved)
    monkeypatch.setattr(registry_mod, "_KIND_OF", {getattr(records, k.record): k for k in kinds.KINDS.values()})
    registry = build_registry(world.root, key=FEEDBACK_KEY.encode())
    assert not registry.themes and any(isinstance(r, records.Theme) for r in registry.indicators.values())
