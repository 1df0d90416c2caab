"""The forms of the identifiers used in records: slugs, RPPS numbers, dates, periods."""

from __future__ import annotations

import calendar
from functools import lru_cache
import re
from datetime import date

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
RPPS = re.compile(r"[0-9]{11}")
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
YEAR = re.compile(r"[0-9]{4}")
PERIOD = re.compile(r"(?P<year>[0-9]{4})-(?P<part>S[12]|T[1-4])")


@lru_cache(maxsize=1 << 14)
def is_slug(text: str) -> bool:
    return SLUG.fullmatch(text) is not None


@lru_cache(maxsize=1 << 16)
def luhn_ok(digits: str) -> bool:
    """True when the last digit is the Luhn check digit of the others (the RPPS key)."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def luhn_digit(payload: str) -> str:
    """The check digit that makes payload + digit pass Luhn."""
    for digit in "0123456789":
        if luhn_ok(payload + digit):
            return digit
    raise AssertionError("unreachable")


def rpps_form_ok(text: str) -> bool:
    return len(text) == 11 and text.isascii() and text.isdigit()  # RPPS.fullmatch, without the pattern


def parse_date(text: str) -> date | None:
    """A real calendar date written YYYY-MM-DD, or None."""
    if not ISO_DATE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def period_bounds(period: str) -> tuple[date, date] | None:
    """First and last day of a feedback period such as 2024-S1 or 2024-T3."""
    match = PERIOD.fullmatch(period)
    if not match:
        return None
    year, part = int(match["year"]), match["part"]
    months = 6 if part[0] == "S" else 3
    index = int(part[1]) - 1
    first_month = 1 + index * months
    last_month = first_month + months - 1
    last_day = calendar.monthrange(year, last_month)[1]
    return date(year, first_month, 1), date(year, last_month, last_day)


PERIOD_LETTER = {"semester": "S", "trimester": "T"}  # the charter's feedback_period -> its periods' letter


def in_rhythm(period: str, feedback_period: str) -> bool:
    """True when a period such as 2024-S1 is one of the charter's rhythm (S semesters, T trimesters)."""
    return period.split("-")[1][0] == PERIOD_LETTER.get(feedback_period, "S")


def periods_of_year(year: int, feedback_period: str) -> list[str]:
    parts = ["S1", "S2"] if feedback_period == "semester" else ["T1", "T2", "T3", "T4"]
    return [f"{year}-{part}" for part in parts]


def previous_period(period: str) -> str | None:
    match = PERIOD.fullmatch(period)
    if not match:
        return None
    year, part = int(match["year"]), match["part"]
    index, last = int(part[1]), (2 if part[0] == "S" else 4)
    if index == 1:
        return f"{year - 1}-{part[0]}{last}"
    return f"{year}-{part[0]}{index - 1}"


LOOSE_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")  # 2024-3-5: fmt adds the zeros
FRENCH_DATE = re.compile(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})")  # 02/12/2024, 20-11-2024: day first


def loose_date(text: str) -> date | None:
    """The real date of 2024-3-5 (zeros left out), None otherwise."""
    match = LOOSE_DATE.fullmatch(text)
    return _real(int(match[1]), int(match[2]), int(match[3])) if match else None


def french_date(text: str) -> date | None:
    """The real date of 02/12/2024 or 20-11-2024 (day, month, year, as French writes them), None otherwise."""
    match = FRENCH_DATE.fullmatch(text)
    return _real(int(match[3]), int(match[2]), int(match[1])) if match else None


def _real(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


# -- patient identifiers, which no record may hold (GQ124) -----------------------------------------------

_SEP = r"[ \u00a0.]?"  # a NIR is often written in groups: 1 85 05 78 006 084 36
NIR_CANDIDATE = re.compile(
    r"(?<![0-9A-Za-z])(?<![0-9][ \u00a0.])[1-478](?:" + _SEP + r"[0-9AaBb]){14}(?![0-9A-Za-z])(?![ \u00a0.][0-9])"
)
MONTHS_FR = ("janvier", "février", "fevrier", "mars", "avril", "mai", "juin", "juillet", "août", "aout",
             "septembre", "octobre", "novembre", "décembre", "decembre")
BIRTH_DATE = re.compile(
    r"(?:\b[Nn][ée]e?\s+le|\bDDN)\s*:?\s*"
    r"(?P<date>[0-9]{1,2}[/.-][0-9]{1,2}[/.-][0-9]{2,4}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
    r"|(?:1er|[0-9]{1,2})\s+(?:" + "|".join(MONTHS_FR) + r")\s+[0-9]{4})",
    re.IGNORECASE,
)


def nir_ok(text: str) -> bool:
    """True when `text` (separators removed) is a social security number with a valid key: 13 characters
    (Corsica's département 2A or 2B in 6th and 7th place) and the key 97 − (number mod 97)."""
    body, key = text[:13].upper(), text[13:]
    if len(text) != 15 or not key.isdigit() or not body[:5].isdigit() or not body[7:].isdigit():
        return False
    department = body[5:7]
    if department.isdigit():
        number = int(body)
    elif department in ("2A", "2B"):  # INSEE: 2A counts as 19, 2B as 18 in the key's computation
        number = int(body[:5] + ("19" if department == "2A" else "18") + body[7:])
    else:
        return False
    return 97 - number % 97 == int(key)


def patient_identifiers(text: str) -> list[tuple[int, int, str]]:
    """(start, end, what) of each patient identifier in a free text: a social security number with a valid
    key ("nir"), a date of birth after « né le », « née le » or « DDN » ("birth")."""
    found = []
    for match in NIR_CANDIDATE.finditer(text):
        if nir_ok(re.sub(r"[ \u00a0.]", "", match[0])):
            found.append((match.start(), match.end(), "nir"))
    for match in BIRTH_DATE.finditer(text):
        found.append((match.start("date"), match.end("date"), "birth"))
    return sorted(found)
