"""Profiles as one long CSV table, a row per population and indicator, for spreadsheets.

A suppressed rate is an empty cell with `suppressed` = true; no data is an empty cell with false.
Rows: `population` is `physician` (subject: the code in a group profile, the RPPS in an individual
one), `group`, `region` (with the deciles) or `control`. Text cells go through `csvsafe`
(formula-like text neutralised); rates and ranks are written as the numbers they are.
"""

from __future__ import annotations

from ..csvsafe import csv_text
from .profiles import Comparison, Profile, Rate, Report

COLUMNS = (
    "period", "previous_period", "region", "group", "profile", "theme", "indicator", "better", "population",
    "subject", "rate", "suppressed", "previous_rate", "previous_suppressed", "change", "moved_right_way",
    "percentile_rank", "participants", *(f"d{i}" for i in range(1, 10)),
)


def _rate(value: Rate | None) -> tuple[float | None, str]:
    if value is None:
        return None, "false"
    return value.value, ("true" if value.suppressed else "false")


def _flag(value: bool | None) -> str:
    return "" if value is None else ("true" if value else "false")


def _row(base: dict, population: str, subject: str, c: Comparison, rank: float | None = None, **extra) -> dict:
    now, now_flag = _rate(c.current)
    before, before_flag = _rate(c.previous)
    return {
        **base, "population": population, "subject": subject, "rate": now, "suppressed": now_flag,
        "previous_rate": before, "previous_suppressed": before_flag, "change": c.change or "",
        "moved_right_way": _flag(c.moved_right_way), "percentile_rank": rank, **extra,
    }


def rows(profile: Profile):
    for section in profile.themes:
        for i in section.indicators:
            base = {
                "period": profile.period, "previous_period": profile.previous_period or "", "region": profile.region,
                "group": profile.group, "profile": profile.kind, "theme": section.theme, "indicator": i.indicator,
                "better": i.better,
            }
            if i.physician is not None:
                yield _row(base, "physician", profile.physician.rpps, i.physician.comparison, i.physician.percentile_rank)
            for member in i.members:
                yield _row(base, "physician", member.code, member.comparison, member.percentile_rank)
            yield _row(base, "group", profile.group, i.group)
            deciles = {f"d{n}": v for n, v in enumerate(i.distribution.deciles or (), start=1)}
            yield _row(base, "region", profile.region, i.region, participants=i.distribution.participants, **deciles)
            yield _row(base, "control", "", i.control)


def render(report: Report, request=None) -> str:
    return csv_text(COLUMNS, ([row.get(column) for column in COLUMNS] for p in report.profiles for row in rows(p)))
