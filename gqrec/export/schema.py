"""The tables of EXPORT.md as data: columns and their SQL types, primary key, foreign keys.

Declared once here, read by the SQLite writer (which derives its DDL and indexes from them) and by the
CSV writer (the headers), so both formats have exactly the same tables and columns.
"""

from __future__ import annotations

from dataclasses import dataclass

TEXT, INTEGER = "TEXT", "INTEGER"


@dataclass(frozen=True)
class Reference:
    """A foreign key: these columns name a row of `table` by its columns `to`."""

    columns: tuple[str, ...]
    table: str
    to: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[tuple[str, str], ...]  # (name, SQL type), in row order
    key: tuple[str, ...]
    references: tuple[Reference, ...] = ()
    indexed: tuple[tuple[str, ...], ...] = ()  # other columns analysts filter on

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.columns)

    @property
    def indexes(self) -> tuple[tuple[str, ...], ...]:
        """The join columns worth an index: each foreign key's columns, unless the primary key (which
        SQLite indexes) already starts with them; then the other filtered columns."""
        out = []
        for ref in self.references:
            if self.key[:len(ref.columns)] != ref.columns and ref.columns not in out:
                out.append(ref.columns)
        return (*out, *self.indexed)


def _ref(columns: str, table: str, to: str | None = None) -> Reference:
    return Reference(tuple(columns.split()), table, tuple((to or columns).split()))


REGION = _ref("region", "regions")
PHYSICIAN = _ref("region rpps", "physicians")
GROUP = _ref("region group_id", "groups")
TERRITORY = _ref("region territory", "territories")
THEME = _ref("theme", "themes")

TABLES: tuple[Table, ...] = (
    Table("regions", (("region", TEXT), ("name", TEXT), ("association", TEXT), ("coordinator", TEXT)),
          ("region",), (_ref("region coordinator", "physicians", "region rpps"),)),
    Table("territories", (("region", TEXT), ("territory", TEXT), ("name", TEXT), ("setting", TEXT),
                          ("general_practitioners", INTEGER)),
          ("region", "territory"), (REGION,)),
    Table("physicians", (("region", TEXT), ("rpps", TEXT), ("name", TEXT), ("territory", TEXT), ("specialty", TEXT),
                         ("animator_trained", TEXT)),
          ("region", "rpps"), (REGION, TERRITORY)),
    Table("groups", (("region", TEXT), ("group_id", TEXT), ("name", TEXT), ("territory", TEXT), ("constituted", TEXT),
                     ("wave", INTEGER)),
          ("region", "group_id"), (REGION, TERRITORY)),
    Table("memberships", (("region", TEXT), ("group_id", TEXT), ("role", TEXT), ("entry", INTEGER), ("rpps", TEXT),
                          ("since", TEXT), ("until", TEXT)),
          ("region", "group_id", "role", "entry"), (GROUP, PHYSICIAN)),
    Table("meetings", (("region", TEXT), ("group_id", TEXT), ("date", TEXT), ("type", TEXT), ("theme", TEXT),
                       ("period", TEXT), ("duration_minutes", INTEGER), ("animator", TEXT),
                       ("clinical_cases", INTEGER)),
          ("region", "group_id", "date"), (GROUP, THEME, _ref("region animator", "physicians", "region rpps"))),
    Table("attendance", (("region", TEXT), ("group_id", TEXT), ("date", TEXT), ("rpps", TEXT), ("status", TEXT)),
          ("region", "group_id", "date", "rpps", "status"),
          (_ref("region group_id date", "meetings"), PHYSICIAN)),
    Table("programmes", (("region", TEXT), ("year", INTEGER), ("validated", TEXT), ("theme", TEXT)),
          ("region", "year", "theme"), (REGION, THEME)),
    Table("contracts", (("region", TEXT), ("year", INTEGER), ("rpps", TEXT), ("signed", TEXT), ("group_id", TEXT),
                        ("role", TEXT)),
          ("region", "year", "rpps"), (PHYSICIAN, GROUP)),
    Table("themes", (("theme", TEXT), ("title", TEXT), ("daily_practice", INTEGER), ("evaluable", INTEGER),
                     ("evidence_based", INTEGER), ("efficiency", INTEGER)),
          ("theme",)),
    Table("indicators", (("indicator", TEXT), ("title", TEXT), ("theme", TEXT), ("better", TEXT)),
          ("indicator",), (THEME,)),
    Table("participation", (("region", TEXT), ("group_id", TEXT), ("year", INTEGER), ("rpps", TEXT),
                            ("attended_min", INTEGER), ("attended_max", INTEGER)),
          ("rpps", "region", "year", "group_id"), (REGION, PHYSICIAN, GROUP)),
    Table("feedback", (("region", TEXT), ("period", TEXT), ("line", INTEGER), ("population", TEXT), ("rpps", TEXT),
                       ("indicator", TEXT), ("numerator", INTEGER), ("denominator", INTEGER)),
          ("region", "period", "line"), (REGION, PHYSICIAN, _ref("indicator", "indicators"))),
    Table("findings", (("finding", INTEGER), ("rule", TEXT), ("severity", TEXT), ("path", TEXT), ("line", INTEGER),
                       ("column", INTEGER), ("message", TEXT), ("hint", TEXT), ("region", TEXT),
                       ("year", INTEGER)),
          ("finding",), (), (("region",), ("rule",))),
    Table("export", (("as_of", TEXT), ("year", INTEGER), ("region", TEXT), ("revision", TEXT), ("commit_id", TEXT),
                     ("pseudonymised", INTEGER), ("gqrec_version", TEXT)),
          ("as_of",)),
)

CRITERIA = ("daily_practice", "evaluable", "evidence_based", "efficiency")
