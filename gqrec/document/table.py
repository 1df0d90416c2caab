"""Titled tables of typed cells, the one shape every gqrec document is laid out in (the bilan, the ledger).

Cells keep their type (int, `Hours`, `Rate`, Decimal euros, date, text, None for "nothing to show");
each writer formats them its own way: French numbers and dates for people (`display`), plain values for
CSV (`plain`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from .. import i18n

# The few words a table writes itself, in French and English (the bilan's labels include them).
WORDS: dict[str, tuple[str, str]] = {"total": ("Total", "Total"), "yes": ("oui", "yes"), "no": ("non", "no")}


def word(key: str, lang: str = "fr") -> str:
    return WORDS[key][1 if lang == "en" else 0]


@dataclass(frozen=True)
class Rate:
    """A share from 0 to 1, shown as a percentage; None when there is nothing to divide."""

    value: float | None


@dataclass(frozen=True)
class Hours:
    """A duration kept in minutes: shown « 19 h 15 » (never a rounded decimal, so that the groups' hours
    add up to the total printed under them), written as decimal hours for machines."""

    minutes: int


@dataclass(frozen=True)
class Points:
    """A change in percentage points, signed (« +1,2 pt »); None when there is nothing to show."""

    value: float | None


@dataclass(frozen=True)
class Interval:
    """A confidence interval in percentage points (« [−2,1 ; +0,4] »)."""

    low: float
    high: float


@dataclass(frozen=True)
class Table:
    slug: str  # the CSV file's name part
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    note: str = ""
    empty: str = ""  # said instead of the table when it has no row
    classes: tuple[str, ...] = ()  # the columns' CSS classes in HTML (e.g. "name": never wrapped), by position


def display(cell: Any, lang: str) -> str:
    """A cell as a French (or English) reader expects it."""
    match cell:
        case None:
            return "—"
        case Rate(value=value):
            return i18n.percent(value, lang)
        case Hours(minutes=minutes):
            return i18n.duration(minutes, lang)
        case Points(value=None):
            return "—"
        case Points(value=value):
            return i18n.signed(value, lang) + " pt"
        case Interval(low=low, high=high):
            return f"[{i18n.signed(low, lang)} ; {i18n.signed(high, lang)}]" if lang == "fr" \
                else f"[{i18n.signed(low, lang)}, {i18n.signed(high, lang)}]"
        case bool():
            return word("yes" if cell else "no", lang)
        case Decimal():
            return i18n.euros(cell, lang)
        case int():
            return i18n.number(cell, lang)
        case float():
            return i18n.number(cell, lang, digits=1)
        case date():
            return i18n.day(cell, lang)
    return str(cell)


def rounded(value: float) -> float:
    """Floats of the CSV tables, rounded for the spreadsheet (JSON keeps them whole: `json_`)."""
    return round(value, 4)


def plain(cell: Any) -> str:
    """A cell for a machine: ISO dates, dot decimals, shares from 0 to 1, empty for nothing."""
    match cell:
        case None | Rate(value=None):
            return ""
        case Rate(value=value):
            return str(rounded(value))
        case Hours(minutes=minutes):
            return str(rounded(minutes / 60))
        case Points(value=None):
            return ""
        case Points(value=value):
            return str(rounded(value))
        case Interval(low=low, high=high):
            return f"{rounded(low)};{rounded(high)}"
        case bool():
            return "1" if cell else "0"
        case float():
            return str(rounded(cell))
        case Decimal():
            return f"{cell:.2f}"
        case date():
            return cell.isoformat()
    return str(cell)


def is_numeric(cell: Any) -> bool:
    return cell is None or isinstance(cell, (int, float, Decimal, Rate, Hours, Points, Interval)) and not isinstance(cell, bool)


def numeric_columns(table: Table) -> tuple[bool, ...]:
    """Columns holding only numbers, right-aligned by the renderers."""
    return tuple(
        any(row[i] is not None for row in table.rows) and all(is_numeric(row[i]) for row in table.rows)
        for i in range(len(table.headers))
    )
