"""`gqrec status --format json`: the same figures as the text, dates in ISO form, for a script."""

from __future__ import annotations

import json

from .figures import GroupStatus, Status


def _rate(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def group(s: GroupStatus) -> dict:
    return {
        "region": s.region, "group": s.group, "name": s.name, "year": s.year, "active_members": s.active,
        "meetings_held": s.held, "meetings_expected_so_far": s.expected, "meetings_expected_year": s.expected_year,
        "meetings_behind": s.behind, "meetings_cancelled": s.cancelled,
        "planned_ahead": [{"date": a.day.isoformat(), "theme": a.theme, "start": a.start, "place": a.place}
                          for a in s.ahead],
        "roll_calls_due": [{"date": r.day.isoformat(), "days": r.days, "overdue": r.overdue} for r in s.roll_calls],
        "contracts_missing": {str(year): [{"rpps": p.rpps, "name": p.name} for p in people]
                              for year, people in sorted(s.contracts_missing.items())},
        "feedback_pending": list(s.feedback_pending),
        "attendance": {
            "last": [{"date": a.day.isoformat(), "present": a.present, "active": a.active}
                     for a in s.trend.attendances],
            "recent_rate": _rate(s.trend.recent), "before_rate": _rate(s.trend.before), "falling": s.trend.falling,
        },
    }


def render(status: Status, request=None) -> str:
    return json.dumps({"as_of": status.as_of.isoformat(), "groups": [group(s) for s in status.groups]},
                      ensure_ascii=False, indent=2) + "\n"
