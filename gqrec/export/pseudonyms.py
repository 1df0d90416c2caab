"""How physicians appear in an export: as written in the records, or pseudonymised for an analyst
outside the association (RPPS replaced by the feedback key's codes, names dropped).

Pseudonymised rows must not give back the RPPS order either: RPPS are public (Annuaire Santé) and
numbered in sequence, so rows listed in RPPS order would let anyone who knows a region's physicians
match codes to people. An `Identity` therefore also says in which order to list rows that name
physicians: file order as written, or the codes' order once pseudonymised.
"""

from __future__ import annotations

import re
from typing import Callable, Iterable, TypeVar

from ..member_codes import code, codes

T = TypeVar("T")
RPPS_IN_TEXT = re.compile(r"(?<![0-9])[0-9]{11}(?![0-9])")


class Identity:
    """Physicians as they are written in the records."""

    pseudonymous = False

    def rpps(self, value: str | None) -> str | None:
        return value

    def name(self, value: str | None) -> str | None:
        return value

    def ordered(self, items: Iterable[T], key: Callable[[T], tuple]) -> list[T] | Iterable[T]:
        """Rows naming physicians, in file order (the records' own)."""
        return items


class Pseudonyms(Identity):
    """RPPS replaced by their codes under the key, names dropped (what else a code may carry:
    `anonymity`)."""

    pseudonymous = True

    def __init__(self, key: bytes, physicians: Iterable[str]):
        self._key = key
        self._codes = codes(key, physicians)  # lengthened where two would collide: one code, one physician

    def rpps(self, value: str | None) -> str | None:
        if value is None:
            return None
        known = self._codes.get(value)
        return known if known is not None else code(self._key, value)

    def name(self, value: str | None) -> str | None:
        return None

    def ordered(self, items: Iterable[T], key: Callable[[T], tuple]) -> list[T]:
        return sorted(items, key=key)
