"""The cahier des charges' parameters in force for a region: defaults, national values, regional overrides."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Mapping

DEFAULTS: Mapping[str, Any] = MappingProxyType(
    {
        "group_size": MappingProxyType({"min": 10, "max": 15}),
        "meetings_per_year": 10,
        "meeting_minutes_min": 90,
        "territory_coverage_min": 0.5,
        "feedback_period": "semester",
        "feedback_min_members": 5,
        "animator_max_groups": 3,
        "minutes_within_days": None,
    }
)


@dataclass(frozen=True)
class Charter:
    """Parameters in force, where each came from, and the per-rule severity overrides."""

    values: Mapping[str, Any]
    origin: Mapping[str, str]  # key -> "défaut", "national" or "régional"
    rules: Mapping[str, str] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    @property
    def group_min(self) -> int:
        return self.values["group_size"]["min"]

    @property
    def group_max(self) -> int:
        return self.values["group_size"]["max"]


def merge(national: Mapping[str, Any] | None, regional: Mapping[str, Any] | None) -> Charter:
    """Defaults, then national values, then regional overrides; rule severities merge per rule."""
    values = dict(DEFAULTS)
    origin = {key: "défaut" for key in DEFAULTS}
    rules: dict[str, str] = {}
    for layer, label in ((national or {}, "national"), (regional or {}, "régional")):
        for key, value in layer.items():
            if key == "rules":
                rules.update(value)
            else:
                values[key] = value
                origin[key] = label
    return Charter(MappingProxyType(values), MappingProxyType(origin), MappingProxyType(rules))
