"""A baseline: the findings an archive already had when gqrec was adopted, so that only new ones are reported.

The file is plain JSON, independent of the charter and of gqrec's cache, meant to be committed beside
the records (never under them) and shrunk as the known findings are fixed:

    {
      "gqrec_baseline": 1,
      "findings": [
        {"rule": "GQ111", "path": "regions/…/2024-03-12.yaml", "message": "…", "count": 1}
      ]
    }

A finding is known when the baseline has an entry with its rule, path (relative to the records root)
and message: not its line, so that an edit above it keeps it known. `count` is how many such findings
there were; a further identical one is new.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError
from .findings import Finding, identity

FORMAT_KEY = "gqrec_baseline"
FORMAT_VERSION = 1
MAX_BYTES = 16 << 20  # some 80,000 findings, beyond a national archive's; a bound on what a mistaken path reads
_ENTRY = frozenset(("rule", "path", "message"))
_MAX_DIGITS = 18  # a count beyond this is no count (and int() refuses past 4,300 digits)




class BaselineError(UsageError):
    """A baseline file that cannot be read or written; the message is French and names the file."""


class _NotBaseline(BaselineError):
    """Raised from within the JSON decoder at the first object that is no baseline's (`read` says
    which file)."""


@dataclass(frozen=True)
class Filtered:
    """The findings a baseline does not know, how many it hid, and its entries no longer found."""

    findings: tuple[Finding, ...]
    hidden: int
    gone: tuple[tuple[str, str, str], ...]  # (rule, path, message) of known findings not found any more
    known: frozenset[int] = frozenset()  # the positions, among the findings given, of those it knows


def dumps(findings) -> str:
    """The baseline text of these findings (sorted, stable: the same findings give the same bytes)."""
    counts = Counter(identity(f) for f in findings)
    order = sorted(counts, key=lambda key: (key[1], key[0], key[2]))  # by path, then rule, then message
    entries = [{"rule": rule, "path": path, "message": message, "count": counts[rule, path, message]}
               for rule, path, message in order]
    return json.dumps({FORMAT_KEY: FORMAT_VERSION, "findings": entries}, ensure_ascii=False, indent=2) + "\n"


def write(path: Path, findings, root: Path) -> int:
    """Write the baseline of these findings to path, atomically; how many findings it records.

    Never under the records root: only records go there (a visible file would be a GQ003), and the
    baseline repeats findings' messages, which may name physicians.
    """
    from .fsio import WriteError, write_atomic

    target = Path(path).parent.resolve() / Path(path).name
    if target == root.resolve() or root.resolve() in target.parents:
        raise BaselineError(
            f"La référence {path} serait dans le dossier des registres {root} : écrivez-la à côté, par exemple "
            "à la racine du dépôt (gqrec-baseline.json)."
        )
    try:
        write_atomic(Path(path), dumps(findings))
    except WriteError as error:
        raise BaselineError(str(error)) from None
    return len(findings)


def read(path: Path) -> Counter:
    """The known findings of a baseline file, as counts by (rule, path, message)."""
    from .fsio import ReadError, read_small_file

    if not Path(path).exists() and not Path(path).is_symlink():
        raise BaselineError(f"Référence introuvable : {path} (créez-la avec --write-baseline {path}).")
    try:
        raw = read_small_file(path, MAX_BYTES, "La référence")
        data = json.loads(raw.decode("utf-8"), object_pairs_hook=_object, parse_int=_int)
    except ReadError as error:
        raise BaselineError(str(error)) from None
    except _NotBaseline:
        raise BaselineError(
            f"{path} n'est pas une référence gqrec : chaque entrée de « findings » doit avoir rule, path et "
            "message (textes) et un count entier positif."
        ) from None
    except UnicodeDecodeError:
        raise BaselineError(f"Référence illisible : {path} n'est pas en UTF-8.") from None
    except json.JSONDecodeError as error:
        raise BaselineError(f"Référence illisible : {path}, ligne {error.lineno} : ce n'est pas du JSON valide.") from None
    except RecursionError:
        raise BaselineError(f"Référence illisible : {path} imbrique trop de niveaux pour une référence.") from None
    if not (isinstance(data, dict) and data.get(FORMAT_KEY) == FORMAT_VERSION and isinstance(data.get("findings"), list)):
        raise BaselineError(
            f"{path} n'est pas une référence gqrec (version {FORMAT_VERSION}) : il faut un objet JSON avec "
            f"« {FORMAT_KEY}: {FORMAT_VERSION} » et une liste « findings »."
        )
    known: Counter = Counter()
    for number, entry in enumerate(data["findings"], start=1):
        fields = [entry.get(key) for key in ("rule", "path", "message")] if isinstance(entry, dict) else None
        count = entry.get("count", 1) if isinstance(entry, dict) else None
        if fields is None or not all(isinstance(v, str) for v in fields) or type(count) is not int or count < 1:
            raise BaselineError(
                f"{path} : l'entrée n° {number} de « findings » doit avoir rule, path et message (textes) "
                "et un count entier positif."
            )
        known[tuple(fields)] += count
    return known


def _object(pairs: list[tuple[str, object]]) -> dict:
    """Each JSON object as the decoder builds it: the baseline itself or an entry, else refused at once
    (a file of a million `{}` would otherwise take gigabytes before being judged)."""
    keys = {key for key, _ in pairs}
    if FORMAT_KEY not in keys and not _ENTRY <= keys:
        raise _NotBaseline("")
    return dict(pairs)


def _int(text: str) -> int:
    if len(text.lstrip("-")) > _MAX_DIGITS:
        raise _NotBaseline("")
    return int(text)


def apply(known: Counter, findings, *, selects=None) -> Filtered:
    """The findings the baseline does not know. Identical findings are matched in report order, so the
    known ones are the first `count`. `selects(path)` limits the gone entries to what was checked."""
    left = Counter(known)
    new, matched = [], []
    for position, finding in enumerate(findings):
        key = identity(finding)
        if left[key] > 0:
            left[key] -= 1
            matched.append(position)
        else:
            new.append(finding)
    gone = tuple(sorted(key for key, count in left.items() if count > 0 and (selects is None or selects(key[1]))))
    return Filtered(tuple(new), len(findings) - len(new), gone, frozenset(matched))
