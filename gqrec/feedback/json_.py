"""Profiles as one JSON object: ids and numbers for programs; a suppressed rate is null with a flag."""

from __future__ import annotations

import json

from .profiles import Comparison, IndicatorProfile, PhysicianLine, Profile, Rate, Report


def rate(value: Rate | None) -> dict | None:
    """None when there is no data; {"rate": null, "suppressed": true} under 10 patients."""
    return None if value is None else {"rate": value.value, "suppressed": value.suppressed}


def comparison(c: Comparison) -> dict:
    return {"current": rate(c.current), "previous": rate(c.previous), "change": c.change,
            "moved_right_way": c.moved_right_way}


def line(p: PhysicianLine) -> dict:
    return {"code": p.code, **comparison(p.comparison), "percentile_rank": p.percentile_rank}


def indicator(i: IndicatorProfile) -> dict:
    out = {
        "indicator": i.indicator, "title": i.title, "better": i.better,
        "numerator": i.numerator, "denominator": i.denominator, "attention": list(i.attention),
    }
    if i.physician is not None:
        out["physician"] = line(i.physician)
    out.update({
        "group": comparison(i.group), "region": comparison(i.region), "control": comparison(i.control),
        "distribution": {"participants": i.distribution.participants,
                         "deciles": list(i.distribution.deciles) if i.distribution.deciles else None},
    })
    if i.members:
        out["members"] = [line(m) for m in i.members]
    return out


def profile(p: Profile) -> dict:
    out = {
        "kind": p.kind, "region": p.region, "region_name": p.region_name, "period": p.period,
        "previous_period": p.previous_period, "group": p.group, "group_name": p.group_name,
        "attention_only": p.attention_only,
    }
    if p.physician is not None:
        out["physician"] = {"rpps": p.physician.rpps, "name": p.physician.name, "code": p.physician.code}
    else:
        out["members"] = list(p.members)
    out["themes"] = [
        {"theme": s.theme, "title": s.title, "key_messages": list(s.key_messages),
         "indicators": [indicator(i) for i in s.indicators]}
        for s in p.themes
    ]
    return out


def render(report: Report, request=None) -> str:
    data = {"period": report.period, "profiles": [profile(p) for p in report.profiles]}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
