"""The bilan as the JSON object of REPORTS.md: exactly its keys, in its order.

JSON is the machine contract: rates and hours are written at full precision (the float nearest the
exact fraction, 43/48 as 0.8958333333333334); rounding is for the md, html and csv presentations.
"""

from __future__ import annotations

import json

from ..effects import region_json
from ..indemnities import money
from .figures import Bilan, Figures, GroupFigures, RegionReport


def figures(f: Figures) -> dict:
    """The keys of REPORTS.md's table, for a region or the total."""
    return {
        "groups": f.groups,
        "animators": f.animators,
        "coordinators": f.coordinators,
        "participants": f.participants,
        "meetings_held": f.meetings_held,
        "meetings_expected": f.meetings_expected,
        "hours": f.hours,
        "attendances": f.attendances,
        "attendance_rate": f.attendance_rate,
        "themes": dict(f.themes),
        "coverage": f.coverage,
        "findings": {"errors": f.errors, "warnings": f.warnings},
        "indemnities": money(f.indemnities),
    }


def group(g: GroupFigures) -> dict:
    return {
        "group": g.id,
        "name": g.name,
        "members": g.members,
        "meetings_held": g.meetings_held,
        "attendance_rate": g.attendance_rate,
        "coverage": g.coverage,
        "themes": dict(g.themes),
    }


def region(r: RegionReport) -> dict:
    return {
        "region": r.id, "name": r.name, **figures(r.figures), "groups_detail": [group(g) for g in r.groups],
        "impact": region_json(r.effects, groups=False)["themes"] if r.effects is not None else [],
    }


def provenance(bilan: Bilan) -> list[dict]:
    """A bilan made from bundles: each region's bundle, commit, library revision and signer."""
    return [{"region": s.region, "association": s.association, "bundle": s.bundle, "repository": s.repository,
             "commit": s.commit, "committed": s.committed.isoformat() if s.committed else None, "dirty": s.dirty,
             "gqrec": s.gqrec, "library": s.library, "signed_by": s.signed_by} for s in bilan.sources]


def as_json(bilan: Bilan) -> dict:
    """The object of REPORTS.md; a bilan made from bundles adds its `provenance`."""
    out = {"year": bilan.year, "regions": [region(r) for r in bilan.regions], "total": figures(bilan.total)}
    return {**out, "provenance": provenance(bilan)} if bilan.sources else out


def render(bilan: Bilan, request=None) -> str:
    """JSON keeps its keys in English whatever the language: it is the contract for other tools."""
    return json.dumps(as_json(bilan), ensure_ascii=False, indent=2) + "\n"
