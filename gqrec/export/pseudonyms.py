"""How physicians appear in an export: as written in the records, or pseudonymised for an analyst
outside the association (RPPS replaced by the feedback key's codes, names dropped).

Pseudonymised rows must not give back the RPPS order either: RPPS are public (Annuaire Santé) and
numbered in sequence, so rows listed in RPPS order would let anyone who knows a region's physicians
match codes to people. An `Identity` therefore also says in which order to list rows that name
physicians: file order as written, or the codes' order once pseudonymised.
"""

from __future__ import annotations

import re
from typing import Callable, Iterable, Mapping, TypeVar

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

    def text(self, value: str, region: str | None) -> str:
        return value

    def ordered(self, items: Iterable[T], key: Callable[[T], tuple]) -> list[T] | Iterable[T]:
        """Rows naming physicians, in file order (the records' own)."""
        return items


class Pseudonyms(Identity):
    """RPPS replaced by their codes under the key, names dropped, and the same in finding texts."""

    pseudonymous = True

    def __init__(self, key: bytes, physicians: Iterable[str], names: Mapping[tuple[str, str], str]):
        self._key = key
        self._codes = codes(key, physicians)  # lengthened where two would collide: one code, one physician
        by_region: dict[str, dict[str, str]] = {}
        for (region, rpps), name in names.items():
            if name:
                by_region.setdefault(region, {})[name] = self.rpps(rpps)
        # longest first, so that a name contained in another never leaves the rest of the longer one
        self._names = {region: sorted(found.items(), key=lambda item: -len(item[0]))
                       for region, found in by_region.items()}

    def rpps(self, value: str | None) -> str | None:
        if value is None:
            return None
        known = self._codes.get(value)
        return known if known is not None else code(self._key, value)

    def name(self, value: str | None) -> str | None:
        return None

    def text(self, value: str, region: str | None) -> str:
        """A finding's path, message or hint: each RPPS written in it, and each physician name of the
        region (of every region for a national file), replaced by the physician's code."""
        if not value:
            return value
        value = RPPS_IN_TEXT.sub(lambda match: self.rpps(match.group()), value)
        tables = self._names.values() if region is None else (self._names.get(region, {}),)
        for names in tables:
            for name, coded in names:
                if name in value:
                    value = value.replace(name, coded)
        return value

    def ordered(self, items: Iterable[T], key: Callable[[T], tuple]) -> list[T]:
        return sorted(items, key=key)
