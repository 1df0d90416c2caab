"""The cahier des charges' parameters in force for a region: defaults, national values, regional overrides.

The layers merge key by key, as any layered configuration does: a nested key (`group_size`, `rules`)
merges its own keys too, so a region writing `group_size: {max: 11}` keeps the national (or default)
`min`. Each layer's values are checked by its file's schema; what only the merged value can tell
(a minimum above the maximum) is judged on the merged value. A key whose value in force cannot be
told (written invalidly, or in a file that cannot be read) leaves its rules silent: the file's one
finding says what to fix, and no rule judges by a value the coordinator did not choose.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Mapping

DEFAULTS: Mapping[str, Any] = MappingProxyType(
    {
        "group_size": MappingProxyType({"min": 10, "max": 15}),
        "meetings_per_year": 10,
        "roll_call_within_days": 30,
        "meeting_minutes_min": 90,
        "territory_coverage_min": 0.5,
        "feedback_period": "semester",
        "feedback_min_members": 5,
        "animator_max_groups": 3,
        "minutes_within_days": None,
        "indemnity_participant": None,
        "indemnity_animator": None,
        "indemnity_max_meetings": None,
        "attestation_min_meetings": 5,
    }
)


@dataclass(frozen=True)
class Fault:
    """A merged value that is not valid: the layer that made it so, the charter path of its value, why."""

    layer: str  # "national" or "régional"
    path: tuple[str, ...]
    message: str


@dataclass(frozen=True)
class Charter:
    """Parameters in force, where each came from, the per-rule severity overrides, and the faults."""

    values: Mapping[str, Any]
    origin: Mapping[str, str]  # key -> "défaut", "national" or "régional"
    rules: Mapping[str, str] = field(default_factory=dict)
    faults: tuple[Fault, ...] = ()
    unknown: frozenset[str] = frozenset()  # keys whose value in force cannot be told (a file at fault)

    def known(self, keys) -> bool:
        """Whether every one of these keys has a value in force that the files tell for sure."""
        return self.unknown.isdisjoint(keys)

    def judges(self, rule: str, parameters) -> bool:
        """Whether a rule's findings can be told here: its parameters and its severity are known."""
        return self.known(parameters) and f"rules.{rule}" not in self.unknown

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    @property
    def group_min(self) -> int:
        return self.values["group_size"]["min"]

    @property
    def group_max(self) -> int:
        return self.values["group_size"]["max"]


def merge(national: Mapping[str, Any] | None, regional: Mapping[str, Any] | None,
          unknown: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())) -> Charter:
    """Defaults, then national values, then regional overrides, key by key (nested keys too).

    `unknown` gives, for each layer, the keys its file writes but not validly (all of them for a file
    that cannot be read): their value in force cannot be told, unless a later layer writes it, and the
    rules that depend on them say nothing (see `rules.run`) rather than judge by another value.
    """
    values = dict(DEFAULTS)
    origin = {key: "défaut" for key in DEFAULTS}
    rules: dict[str, str] = {}
    faults: list[Fault] = []
    doubtful: set[str] = set()
    for layer, label, unsure in ((national or {}, "national", unknown[0]), (regional or {}, "régional", unknown[1])):
        doubtful |= unsure
        for key, value in layer.items():
            if key == "rules":
                rules.update(value)
                doubtful.difference_update(f"rules.{rule}" for rule in value if f"rules.{rule}" not in unsure)
                continue
            before = values.get(key)
            merged = {**before, **value} if isinstance(before, Mapping) and isinstance(value, Mapping) else value
            fault = _fault(key, merged, value, origin.get(key, "défaut"), label)
            if fault is not None:
                faults.append(fault)
                doubtful.add(key)
                continue
            if key not in unsure:  # a nested key written in part: its valid part merged, the key still in doubt
                doubtful.discard(key)
            values[key] = MappingProxyType(dict(merged)) if isinstance(merged, Mapping) else merged
            origin[key] = label
    return Charter(MappingProxyType(values), MappingProxyType(origin), MappingProxyType(rules), tuple(faults),
                   frozenset(doubtful))


ORIGIN_FR = {"défaut": "valeur par défaut", "national": "valeur nationale", "régional": "valeur régionale"}


def _fault(key: str, merged: Any, written: Any, before: str, layer: str) -> Fault | None:
    """What is wrong with a merged value that each layer's schema could not see, or None."""
    if key == "group_size" and isinstance(merged, Mapping) and merged.get("min", 0) > merged.get("max", merged.get("min", 0)):
        at = "max" if "max" in written else "min"
        whence = {bound: "" if bound in written else f" ({ORIGIN_FR[before]})" for bound in ("min", "max")}
        return Fault(layer, (key, at), (
            f"« charter.group_size » : le minimum {merged['min']}{whence['min']} dépasse le maximum "
            f"{merged['max']}{whence['max']} "
            "après fusion de la charte ; la taille des groupes (GQ101) n'est pas jugée tant que ce n'est pas corrigé."
        ))
    return None
