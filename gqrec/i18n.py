"""Dates, numbers and percentages as French (or English) readers expect them, through Babel."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from babel.dates import format_date as _babel_date
from babel.numbers import format_currency, format_decimal, format_percent

LOCALES = {"fr": "fr_FR", "en": "en_GB"}


def locale(lang: str) -> str:
    return LOCALES.get(lang, "fr_FR")


def day(value: date, lang: str = "fr") -> str:
    """« 12 mars 2024 », « 1er janvier 2026 » / "12 March 2024"."""
    text = _babel_date(value, format="d MMMM y", locale=locale(lang))
    if lang == "fr" and value.day == 1:
        text = "1er" + text[1:]  # French writes the first day of a month as an ordinal
    return text


def weekday(value: date, lang: str = "fr") -> str:
    """« mardi 13 janvier 2026 » / "Tuesday 13 January 2026"."""
    return f"{_babel_date(value, format='EEEE', locale=locale(lang))} {day(value, lang)}"


def percent(value: float | None, lang: str = "fr", digits: int = 1) -> str:
    """« 89,6 % »; an empty dash when there is nothing to show."""
    if value is None:
        return "—"
    pattern = "#,##0." + "0" * digits + " %" if digits else "#,##0 %"
    return format_percent(value, format=pattern, locale=locale(lang))


def number(value: float | int | None, lang: str = "fr", digits: int = 1) -> str:
    """« 1 234,5 »."""
    if value is None:
        return "—"
    if isinstance(value, int):
        return format_decimal(value, locale=locale(lang))
    pattern = "#,##0." + "0" * digits if digits else "#,##0"
    return format_decimal(value, format=pattern, locale=locale(lang))


def signed(value: float, lang: str = "fr", digits: int = 1) -> str:
    """« +1,2 », « −0,4 » (a true minus sign), « 0,0 »: a change, its direction always written."""
    text = number(abs(value), lang, digits)
    if text.strip("0,. ") == "":
        return text
    return ("+" if value > 0 else "\u2212") + text


def duration(minutes: int, lang: str = "fr") -> str:
    """« 19 h 15 », « 26 h », « 1 234 h 05 »: hours and minutes, exact, so that shown totals add up."""
    hours, rest = divmod(minutes, 60)
    whole = format_decimal(hours, locale=locale(lang))
    return f"{whole} h {rest:02d}" if rest else f"{whole} h"


def euros(value: Decimal | None, lang: str = "fr") -> str:
    """« 1 146,00 € » (exact: the decimal is shown to the cent, half a cent up, never through a float)."""
    if value is None:
        return "—"
    return format_currency(value.quantize(Decimal("0.01"), ROUND_HALF_UP), "EUR", locale=locale(lang))
