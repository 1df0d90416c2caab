"""The kinds of record, one entry each: where its files live, how they are read, what record they give
and where the Registry keeps it.

The layout's listing and `path_of`, the loader's CSV/YAML split and size limit, the Registry's indexes,
`records.build`, the editor's schema map and `gqrec new`'s subcommands (`authoring.new`) all read this
table, so a new kind is one entry here, a dataclass in `records` (with its builder, `@_builds`) and a
schema in `schema/` (and, to be written by `gqrec new`, its authoring entry and skeleton). `layout.classify` stays
hand-written, kind by kind, for its precise French explanations and its speed; tests/test_kinds.py
holds it to the table (each kind's path classifies as that kind).
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import attrgetter
from typing import Any, Callable


@dataclass(frozen=True)
class Kind:
    name: str  # also its schema's name: schema/<name>.schema.json
    pattern: str  # its file's path, with {region}, {group}, {id} and {year} (a programme's id is its year)
    id_fr: str  # how the layout listing names its {id}
    record: str  # the name of the `records` class of a valid file (named, so that the layout imports no records)
    index: str  # the Registry attribute that holds the records
    key: Callable[[Any], Any] | None = None  # the record's key in that index; None: the attribute is the record
    many: bool = False  # the index holds a list of records per key (a group's meetings)
    csv: bool = False  # a CSV table rather than a YAML record (own reader, own size limit)


KINDS: dict[str, Kind] = {kind.name: kind for kind in (
    Kind("federation", "federation.yaml", "", "Federation", "federation"),
    Kind("theme", "themes/{id}.yaml", "<thème>", "Theme", "themes", attrgetter("id")),
    Kind("indicator", "indicators/{id}.yaml", "<indicateur>", "Indicator", "indicators", attrgetter("id")),
    Kind("region", "regions/{region}/region.yaml", "", "Region", "regions", attrgetter("id")),
    Kind("territory", "regions/{region}/territories/{id}.yaml", "<territoire>", "Territory", "territories",
         attrgetter("region", "id")),
    Kind("physician", "regions/{region}/physicians/{id}.yaml", "<rpps>", "Physician", "physicians",
         attrgetter("region", "id")),
    Kind("group", "regions/{region}/groups/{id}/group.yaml", "<groupe>", "Group", "groups",
         attrgetter("region", "id")),
    Kind("meeting", "regions/{region}/groups/{group}/meetings/{id}.yaml", "<AAAA-MM-JJ>", "Meeting",
         "meetings", attrgetter("region", "group"), many=True),
    Kind("programme", "regions/{region}/programmes/{year}.yaml", "", "Programme", "programmes",
         attrgetter("region", "year")),
    Kind("contract", "regions/{region}/contracts/{year}/{id}.yaml", "<rpps>", "Contract", "contracts",
         attrgetter("region", "year", "physician")),
    Kind("feedback", "regions/{region}/feedback/{id}.csv", "<AAAA>-<période>", "Feedback", "feedback",
         attrgetter("region", "period"), csv=True),
)}

CSV_KINDS = frozenset(name for name, kind in KINDS.items() if kind.csv)
YAML_KINDS = tuple(name for name, kind in KINDS.items() if not kind.csv)
