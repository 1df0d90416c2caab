"""People's names as printed lists show them: the surname first, in capitals, then the given names
(« LE GOFF Anne »), and sorted by surname — the order a treasurer or an animator looks a name up in
(ledger, attendance sheet). A name is written in the records as said (« Dr Anne Le Goff »): its title
is dropped, and its first word taken for the given name unless some words are already in capitals
(« Anne LE GOFF », « LE GOFF Anne »), which are then the surname."""

from __future__ import annotations

import re
import unicodedata

TITLES = {"dr", "dr.", "dre", "docteur", "docteure", "pr", "pr.", "professeur", "professeure", "m.", "mme",
          "mme.", "mlle", "mr", "mr.", "monsieur", "madame"}


def _capitals(word: str) -> bool:
    letters = [ch for ch in word if ch.isalpha()]
    return len(letters) > 1 and all(ch.isupper() for ch in letters)


def parts(name: str) -> tuple[str, str]:
    """(surname, given names) of a name as the records write it."""
    words: list[str] = []
    for word in name.split():  # a number stays with the word before it (« Médecin 4 »)
        if words and word.isdigit():
            words[-1] += f" {word}"
        else:
            words.append(word)
    while len(words) > 1 and words[0].casefold() in TITLES:
        words = words[1:]
    if len(words) <= 1:
        return (words[0] if words else ""), ""
    upper = [w for w in words if _capitals(w)]
    if upper and len(upper) < len(words):
        return " ".join(upper), " ".join(w for w in words if not _capitals(w))
    return " ".join(words[1:]), words[0]


def surname_first(name: str) -> str:
    """« LE GOFF Anne » for « Dr Anne Le Goff »."""
    surname, given = parts(name)
    return f"{surname.upper()} {given}".strip()


def _folded(text: str) -> str:
    """Case and accents aside, numbers in their order (« 4 » before « 10 »)."""
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(ch))
    return re.sub(r"\d+", lambda number: number.group().zfill(12), plain)


def sort_key(name: str | None) -> tuple[str, str]:
    """Alphabetical by surname, then given names, accents and case aside (« Élise » with the E)."""
    surname, given = parts(name or "")
    return _folded(surname), _folded(given)
