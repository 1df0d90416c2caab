"""The bilan as the JSON object of REPORTS.md: exactly its keys, in its order, floats rounded alike."""

from __future__ import annotations

import json

from .figures import Bilan, Figures, GroupFigures, RegionReport
from ..ledger.figures import money
from .tables import rounded


def _rate(value: float | None) -> float | None:
    return None if value is None else rounded(value)


def figures(f: Figures) -> dict:
    """The keys of REPORTS.md's table, for a region or the total."""
    return {
        "groups": f.groups,
        "animators": f.animators,
        "coordinators": f.coordinators,
        "participants": f.participants,
        "meetings_held": f.meetings_held,
        "meetings_expected": f.meetings_expected,
        "hours": rounded(f.hours),
        "attendances": f.attendances,
        "attendance_rate": _rate(f.attendance_rate),
        "themes": dict(f.themes),
        "coverage": _rate(f.coverage),
        "findings": {"errors": f.errors, "warnings": f.warnings},
        "indemnities": money(f.indemnities),
    }


def group(g: GroupFigures) -> dict:
    return {
        "group": g.id,
        "name": g.name,
        "members": g.members,
        "meetings_held": g.meetings_held,
        "attendance_rate": _rate(g.attendance_rate),
        "coverage": _rate(g.coverage),
        "themes": dict(g.themes),
    }


def region(r: RegionReport) -> dict:
    return {"region": r.id, "name": r.name, **figures(r.figures), "groups_detail": [group(g) for g in r.groups]}


def as_json(bilan: Bilan) -> dict:
    return {"year": bilan.year, "regions": [region(r) for r in bilan.regions], "total": figures(bilan.total)}


def render(bilan: Bilan, lang: str = "fr") -> str:
    """JSON keeps its keys in English whatever the language: it is the contract for other tools."""
    return json.dumps(as_json(bilan), ensure_ascii=False, indent=2) + "\n"
