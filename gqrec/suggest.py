"""« Vouliez-vous dire … ? »: the closest known name for a misspelled, shortened or abbreviated key or
reference, one matcher for the schema messages, the rules and the authoring commands. Asked only once
something is already wrong."""

from __future__ import annotations

import difflib
import re
from typing import Iterable

CUTOFF = 0.8  # "asthme-adultes" finds "asthme-adulte"; "diabete" does not find "depression-adulte"
SHORTEST = 2  # a shortening of one letter is anyone's
_WORDS = re.compile(r"[-_ ]+")


def closest(value: str, known: Iterable[str]) -> str | None:
    """The known name most like value, if one is close enough to be the one meant: a near spelling, else
    the only name value shortens (`shortens`)."""
    value = str(value)
    names = [str(k) for k in known if str(k) != value]
    found = difflib.get_close_matches(value, names, n=1, cutoff=CUTOFF)
    if found:
        return found[0]
    shortened = [name for name in names if shortens(value, name)]
    return shortened[0] if len(shortened) == 1 else None


def shortens(value: str, name: str) -> bool:
    """Whether value is name shortened as people shorten: its first words, or the beginnings of its words
    (« asthme », « hyper-art » for hypertension-arterielle), or an abbreviation whose letters come in order
    from every word, the first letter first (« hta », « dt2 » for diabete-type-2)."""
    value, name = value.lower(), name.lower()
    if len(value) < SHORTEST or len(value) >= len(name):
        return False
    parts, words = _WORDS.split(value), _WORDS.split(name)
    if len(parts) <= len(words) and all(part and word.startswith(part) for part, word in zip(parts, words)):
        return True
    return len(parts) == 1 and _abbreviates(value, words)


def _abbreviates(letters: str, words: list[str]) -> bool:
    """Letters taken in order from the words, at least one from each, starting with each word's first."""
    if len(letters) < len(words) or not letters or letters[0] != words[0][:1]:
        return False
    rest = letters[1:]
    word, others = words[0], words[1:]
    if not others:
        return _subsequence(rest, word[1:])
    for cut in range(len(rest) + 1):  # the letters this word gives after its first, then the next words'
        if _subsequence(rest[:cut], word[1:]) and _abbreviates(rest[cut:], others):
            return True
    return False


def _subsequence(letters: str, text: str) -> bool:
    remaining = iter(text)
    return all(letter in remaining for letter in letters)


def did_you_mean(value: str, known: Iterable[str]) -> str:
    """« Vouliez-vous dire asthme-adulte ? » (with a leading space), or nothing."""
    match = closest(value, known)
    return f" Vouliez-vous dire {match} ?" if match else ""
