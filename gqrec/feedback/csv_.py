"""Profiles as one long CSV table, a row per population and indicator, for spreadsheets.

Written in the CSV dialect the request asks (`document.spreadsheet`): for a French spreadsheet by
default — French headers and words, rates as percentages, oui/non — or for programs (`data`: the
English keys and values below, shares from 0 to 1). A suppressed rate is an empty cell with
« effectif insuffisant » = oui; no data is an empty cell with non. Rows: `population` is `physician`
(subject: the code in a group profile, the RPPS in an individual one), `group`, `region` (with the
deciles) or `control`. Text cells go through `csvsafe` (formula-like text neutralised).
"""

from __future__ import annotations

from ..document.spreadsheet import dialect_of
from ..document.table import Rate as Share
from .profiles import Comparison, Profile, Rate, Report

COLUMNS = (
    "period", "previous_period", "region", "group", "profile", "theme", "indicator", "better", "population",
    "subject", "rate", "suppressed", "previous_rate", "previous_suppressed", "change", "moved_right_way",
    "percentile_rank", "participants", *(f"d{i}" for i in range(1, 10)),
)
DECILES = tuple(f"d{i}" for i in range(1, 10))
RATES = ("rate", "previous_rate", *DECILES)

# The French spreadsheet's headers, and the words among the values.
HEADERS_FR = {
    "period": "période", "previous_period": "période précédente", "region": "région", "group": "groupe",
    "profile": "profil", "theme": "thème", "indicator": "indicateur", "better": "meilleur taux",
    "population": "population", "subject": "sujet", "rate": "taux", "suppressed": "effectif insuffisant",
    "previous_rate": "taux précédent", "previous_suppressed": "effectif insuffisant (période précédente)",
    "change": "évolution", "moved_right_way": "dans le bon sens", "percentile_rank": "rang centile",
    "participants": "participants", **{d: d.upper() for d in DECILES},
}
WORDS_FR = {
    "profile": {"group": "groupe", "physician": "médecin"},
    "better": {"lower": "le plus bas", "higher": "le plus haut"},
    "population": {"physician": "médecin", "group": "groupe", "region": "région", "control": "témoin"},
    "change": {"better": "meilleure", "worse": "moins bonne", "same": "stable"},
}


def _rate(value: Rate | None) -> tuple[float | None, bool]:
    if value is None:
        return None, False
    return value.value, value.suppressed


def _row(base: dict, population: str, subject: str, c: Comparison, rank: float | None = None, **extra) -> dict:
    now, now_flag = _rate(c.current)
    before, before_flag = _rate(c.previous)
    return {
        **base, "population": population, "subject": subject, "rate": now, "suppressed": now_flag,
        "previous_rate": before, "previous_suppressed": before_flag, "change": c.change or "",
        "moved_right_way": c.moved_right_way, "percentile_rank": rank, **extra,
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


def _data(column: str, value):
    """A value for programs: as the profile holds it, flags true/false (empty: not comparable)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None and column == "moved_right_way" else value


def _french(column: str, value):
    """A value for a French spreadsheet: French words, rates as percentages (`document.table.Rate`)."""
    if column in RATES:
        return Share(value)
    return WORDS_FR.get(column, {}).get(value, value)


def render(report: Report, request=None) -> str:
    dialect = dialect_of(request)
    french = dialect.lang == "fr"
    value = _french if french else _data
    headers = [HEADERS_FR[column] for column in COLUMNS] if french else COLUMNS
    return dialect.text(headers, ([value(column, row.get(column)) for column in COLUMNS]
                                  for p in report.profiles for row in rows(p)))
