"""« Vouliez-vous dire … ? »: the closest known name for a misspelled key or reference, one matcher for
the schema messages, the rules and `gqrec new`. Asked only once something is already wrong."""

from __future__ import annotations

import difflib
from typing import Iterable

CUTOFF = 0.8  # "asthme-adultes" finds "asthme-adulte"; "diabete" does not find "depression-adulte"


def closest(value: str, known: Iterable[str]) -> str | None:
    """The known name most like value, if one is close enough to be the one meant."""
    found = difflib.get_close_matches(str(value), [k for k in known if k != value], n=1, cutoff=CUTOFF)
    return found[0] if found else None


def did_you_mean(value: str, known: Iterable[str]) -> str:
    """« Vouliez-vous dire asthme-adulte ? » (with a leading space), or nothing."""
    match = closest(value, known)
    return f" Vouliez-vous dire {match} ?" if match else ""
