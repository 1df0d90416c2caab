"""The kinds of record, one entry each: where its files live, how they are read, what record they give,
where the Registry keeps it and what an invalid file of it still says.

The layout's listing and `path_of`, the loader's CSV/YAML split and size limit, the Registry's indexes
(of records and of `records.Partial`s), the stand-ins of a file judged whole despite harmless faults
(`records.judgeable`), `records.build`, the editor's schema map and `gqrec new`'s subcommands
(`authoring.new`) all read this table, so a new kind is one entry here, a dataclass in `records` (with
its builder, `@_builds`) and a schema in `schema/`. Three consumers declare each kind themselves, or
say why not: `gqrec new` (`authoring.new.ENTRIES` / `NOT_AUTHORED`), the export
(`export.rows.TABLES_OF_KIND` / `NOT_EXPORTED`) and the demo (`demo.NOT_GENERATED`);
tests/test_kinds.py fails for a kind one of them leaves out. `layout.classify` stays hand-written,
kind by kind, for its precise French explanations and its speed; the same test holds it to the table
(each kind's path classifies as that kind).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import attrgetter
from types import MappingProxyType
from typing import Any, Callable, Mapping

DROP = object()  # a stand-in that leaves the field out of the record


def _own_id(place) -> Any:
    return place.id


def _nothing(place) -> str:
    return ""


def _none(place) -> list:
    return []


def _drop(place) -> object:
    return DROP


@dataclass(frozen=True)
class Kind:
    name: str  # also its schema's name: schema/<name>.schema.json
    pattern: str  # its file's path, with {region}, {group}, {id} and {year} (a programme's id is its year)
    id_fr: str  # how the layout listing names its {id}
    record: str  # the name of the `records` class of a valid file (named, so that the layout imports no records)
    index: str  # the Registry attribute that holds the records (and `partial_<index>` the partial files)
    key: Callable[[Any], Any] | None = None  # the record's key in that index; None: the attribute is the record
    # The key of an invalid file's `records.Partial` (its path's identifiers and valid fields) in
    # `partial_<index>`, where the rules find what it still says; declared with `key`.
    partial_key: Callable[[Any], Any] | None = None
    many: bool = False  # the index holds a list of records per key (a group's meetings)
    order: Callable[[Any], Any] | None = None  # with `many`: the order of each list
    csv: bool = False  # a CSV table rather than a YAML record (own reader, own size limit; never a Partial)
    # Fields no rule judges and whose stand-in cannot cause a finding: a file whose only faults are in
    # these (or in keys the schema does not know) is judged as a whole record with the stand-ins
    # (`records.judgeable`), each a function of the file's place giving the value, or DROP.
    stand_ins: Mapping[str, Callable[[Any], Any]] = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self):
        if (self.key is None) != (self.partial_key is None):
            raise ValueError(f"kind {self.name}: a keyed index needs the key of its partial files, and only it")
        if self.many != (self.order is not None):
            raise ValueError(f"kind {self.name}: a list per key (many) needs its order, and only it")

    @property
    def partial_index(self) -> str:
        """The Registry attribute that holds what this kind's invalid files still say."""
        return f"partial_{self.index}"


KINDS: dict[str, Kind] = {kind.name: kind for kind in (
    Kind("federation", "federation.yaml", "", "Federation", "federation", stand_ins={"name": _nothing}),
    Kind("theme", "themes/{id}.yaml", "<thème>", "Theme", "themes", attrgetter("id"), attrgetter("id"),
         stand_ins={"title": _own_id}),
    Kind("indicator", "indicators/{id}.yaml", "<indicateur>", "Indicator", "indicators", attrgetter("id"),
         attrgetter("id"), stand_ins={"title": _own_id, "numerator": _nothing, "denominator": _nothing,
                                      "source": _drop}),
    # what `gqrec library pull` took from the national repository: its revision and each file's digest (GQ125)
    Kind("lock", "library.lock", "", "LibraryLock", "library_lock"),
    Kind("region", "regions/{region}/region.yaml", "", "Region", "regions", attrgetter("id"), attrgetter("id"),
         stand_ins={"name": _own_id, "partners": _none, "copil": _drop}),
    Kind("territory", "regions/{region}/territories/{id}.yaml", "<territoire>", "Territory", "territories",
         attrgetter("region", "id"), attrgetter("region", "id"), stand_ins={"name": _own_id, "communes": _drop}),
    Kind("physician", "regions/{region}/physicians/{id}.yaml", "<rpps>", "Physician", "physicians",
         attrgetter("region", "id"), attrgetter("region", "id"), stand_ins={"name": _own_id, "specialty": _drop}),
    Kind("group", "regions/{region}/groups/{id}/group.yaml", "<groupe>", "Group", "groups",
         attrgetter("region", "id"), attrgetter("region", "id"), stand_ins={"name": _own_id, "wave": _drop}),
    Kind("meeting", "regions/{region}/groups/{group}/meetings/{id}.yaml", "<AAAA-MM-JJ>", "Meeting",
         "meetings", attrgetter("region", "group"), attrgetter("region", "group"), many=True,
         order=attrgetter("date"), stand_ins={"clinical_cases": _drop, "notes": _drop, "place": _drop,
                                              "start": _drop, "evidence": _drop, "modality": _drop,
                                              "actions": _drop, "highlights": _drop}),
    Kind("programme", "regions/{region}/programmes/{year}.yaml", "", "Programme", "programmes",
         attrgetter("region", "year"), attrgetter("region", "year")),
    Kind("contract", "regions/{region}/contracts/{year}/{id}.yaml", "<rpps>", "Contract", "contracts",
         attrgetter("region", "year", "physician"), attrgetter("region", "year", "id")),
    Kind("feedback", "regions/{region}/feedback/{id}.csv", "<AAAA>-<période>", "Feedback", "feedback",
         attrgetter("region", "period"), attrgetter("region", "id"), csv=True),
)}

CSV_KINDS = frozenset(name for name, kind in KINDS.items() if kind.csv)
YAML_KINDS = tuple(name for name, kind in KINDS.items() if not kind.csv)
# The national library, which a region pulls from the national repository (`gqrec library pull`) and
# `library.lock` records file by file.
LIBRARY_KINDS = ("federation", "theme", "indicator")
