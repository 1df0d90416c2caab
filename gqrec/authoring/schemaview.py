"""What the JSON Schemas say about each place in a record: the order of its keys, their French titles,
and whether a value is an RPPS or a date. `new` and `fmt` read this so that records are written the way
the schemas describe them, without a second description of the fields in the code."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Mapping

from ..schemas import schema_files

RPPS_PATTERN = "^[0-9]{11}$"


@lru_cache(maxsize=1)
def _documents() -> Mapping[str, dict]:
    return {path.name: json.loads(path.read_text("utf-8")) for path in schema_files()}


def _resolve(schema: Mapping[str, Any], base: str, depth: int = 0) -> tuple[dict, str]:
    """The schema with its `$ref` followed (sibling keywords such as `title` win), and its file."""
    ref = schema.get("$ref")
    if not ref or depth > 16:
        return dict(schema), base
    file, _, pointer = ref.partition("#")
    file = file or base
    target: Any = _documents()[file]
    for part in (p for p in pointer.split("/") if p):
        target = target[part]
    resolved, file = _resolve(target, file, depth + 1)
    resolved.update({k: v for k, v in schema.items() if k != "$ref"})
    return resolved, file


@dataclass(frozen=True)
class Shape:
    """One place of a record as its schema describes it."""

    schema: Mapping[str, Any]
    file: str

    @classmethod
    def of(cls, kind: str) -> Shape:
        name = f"{kind}.schema.json"
        return cls(*_resolve(_documents()[name], name))

    @property
    def order(self) -> tuple[str, ...]:
        return tuple(self.schema.get("properties", {}))

    @property
    def title(self) -> str:
        return self.schema.get("title", "")

    @property
    def is_rpps(self) -> bool:
        return self.schema.get("pattern") == RPPS_PATTERN

    @property
    def is_date(self) -> bool:
        return self.schema.get("format") == "date"

    def child(self, key: str) -> Shape | None:
        sub = self.schema.get("properties", {}).get(key)
        if sub is None:
            sub = self.schema.get("additionalProperties")
        return Shape(*_resolve(sub, self.file)) if isinstance(sub, dict) else None

    def item(self) -> Shape | None:
        sub = self.schema.get("items")
        return Shape(*_resolve(sub, self.file)) if isinstance(sub, dict) else None
