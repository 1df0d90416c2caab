"""`gqrec fmt`: one way of writing each record, so that diffs in pull requests show changes of content, not
of style. Everything is done by ruamel.yaml's round trip, which keeps every comment, blank line, quote and
flow list; on top of it, what the schemas say: keys in the schema's order, RPPS as quoted text (an unquoted
11-digit number is a number to YAML and loses nothing only by luck), dates as AAAA-MM-JJ (2024-3-5 always;
02/12/2024 and 20-11-2024, day first as French writes them, with `fix_dates`). A file that YAML refuses
only for its tabs (indentation, or the space after « : ») gets spaces instead, then the same treatment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from ..findings import ERROR, Finding
from ..french import counted
from ..fsio import WriteError, write_atomic
from ..ids import french_date, loose_date, rpps_form_ok
from ..kinds import CSV_KINDS, LIBRARY_KINDS
from ..walk import survey
from ..budgets import MAX_YAML_BYTES
from ..parse import ParseError, decode, parse_yaml
from . import AuthoringError
from .schemaview import Shape
from .yamlio import dumps, reorder, round_trip

SEPARATING_TAB = re.compile(r"(?<=[:-])\t+")


def normalise(node: Any, shape: Shape | None, fix_dates: bool = False) -> Any:
    """The node written the schemas' way (containers are changed in place; a scalar is returned anew)."""
    if isinstance(node, CommentedMap):
        if shape is not None:
            reorder(node, shape.order)
        for key in list(node):
            node[key] = normalise(node[key], shape.child(key) if shape else None, fix_dates)
        return node
    if isinstance(node, CommentedSeq):
        item = shape.item() if shape else None
        for index, value in enumerate(node):
            node[index] = normalise(value, item, fix_dates)
        return node
    if shape is None:
        return node
    if shape.is_rpps:
        return _rpps(node)
    if shape.is_date:
        return _date(node, fix_dates)
    return node


def _rpps(value: Any) -> Any:
    if type(value) is str and rpps_form_ok(value):  # never unquoted in a source, but in a skeleton's data
        return DoubleQuotedScalarString(value)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        text = f"{int(value):0{getattr(value, '_width', None) or 1}d}"  # keeps leading zeros as written
        if len(text) == 11:
            return DoubleQuotedScalarString(text)
    return value


def _date(value: Any, fix_dates: bool = False) -> Any:
    """A plain date written without its leading zeros (2024-3-5) becomes 2024-03-05; with `fix_dates`, one
    written day first (02/12/2024, 20-11-2024) becomes 2024-12-02, 2024-11-20. Real dates only."""
    if type(value) is str:
        day = loose_date(value) or (french_date(value) if fix_dates else None)
        return day.isoformat() if day else value
    return value


def untab(text: str) -> str:
    """Tabs where YAML wants spaces: two spaces per tab of indentation, one space after « : » or « - »."""
    lines = []
    for line in text.split("\n"):
        body = line.lstrip(" \t")
        lead = line[: len(line) - len(body)].replace("\t", "  ")
        lines.append(lead + SEPARATING_TAB.sub(" ", body))
    return "\n".join(lines)


def format_text(kind: str, text: str, fix_dates: bool = False) -> str:
    """The formatted text of one record of that kind; ParseError when check would not read it (GQ001),
    even once its tabs are made spaces; AuthoringError when formatting would change what check reads.
    Formatting the result changes nothing: a pass that still changes the text (ruamel.yaml moving a blank
    line, say) is followed by another."""
    try:
        before = parse_yaml(text)  # the same verdict as `gqrec check`: what it cannot read is not touched…
    except ParseError as error:
        if "\t" not in text:
            raise
        try:
            before = parse_yaml(text := untab(text))  # …unless only its tabs stood in the way
        except ParseError:
            raise error from None
    current = text
    for _ in range(3):
        formatted = _format_once(kind, current, fix_dates)
        if formatted == current:
            return current
        if not _same_reading(before, formatted, fix_dates):
            raise AuthoringError("le fichier reformaté ne relit pas les mêmes valeurs ; il est laissé tel quel")
        current = formatted
    raise AuthoringError("la mise en forme ne se stabilise pas ; le fichier est laissé tel quel")


def _format_once(kind: str, text: str, fix_dates: bool = False) -> str:
    try:
        document = round_trip().load(text)
    except YAMLError as error:
        raise ParseError(f"YAML illisible : {error}") from None
    except Exception as error:  # noqa: BLE001 - a fault of the YAML library on odd input: leave the file alone
        raise AuthoringError(f"le lecteur YAML a échoué ({type(error).__name__})") from None
    normalise(document, Shape.of(kind), fix_dates)
    formatted = dumps(document)
    if formatted != text and round_trip().load(formatted) != document:
        raise AuthoringError("le fichier reformaté ne relit pas les mêmes valeurs ; il est laissé tel quel")
    return formatted


def _same_reading(before, formatted: str, fix_dates: bool = False) -> bool:
    """Whether `gqrec check` reads the formatted text as the original, but for what fmt normalises on
    purpose (an unquoted RPPS becomes text, 2024-3-5 becomes 2024-03-05): an empty key `:` must not
    come back as `null:`, nor any value change its meaning."""
    try:
        after = parse_yaml(formatted)
    except ParseError:
        return False
    return _same(before.data, after.data, fix_dates)


def _same(before: Any, after: Any, fix_dates: bool = False) -> bool:
    if isinstance(before, dict):
        return isinstance(after, dict) and sorted(before) == sorted(after) and all(
            _same(before[key], after[key], fix_dates) for key in before
        )
    if isinstance(before, list):
        return isinstance(after, list) and len(before) == len(after) and all(
            _same(b, a, fix_dates) for b, a in zip(before, after))
    if type(before) is int and type(after) is str:  # an unquoted RPPS made text, leading zeros kept
        return after.isdigit() and int(after) == before
    if type(before) is str and type(after) is str:
        return _date(before, fix_dates) == after
    return type(before) is type(after) and before == after


@dataclass(frozen=True)
class Outcome:
    """What `fmt` did or, with `check`, would do: the files whose text changes, and the unreadable ones."""

    changed: tuple[str, ...]
    findings: tuple[Finding, ...]
    files: int
    unwritten: tuple[tuple[str, str], ...] = ()  # (path, why) of files the system would not let us replace
    check: bool = False  # nothing was written: `changed` are the files to reformat

    @property
    def verb(self) -> str:
        """What became of a changed file, in French."""
        return "à reformater" if self.check else "reformaté"

    def summary(self) -> str:
        """The closing line: files read, changed, unreadable."""
        changed = len(self.changed)
        verb = self.verb if self.check or changed <= 1 else "reformatés"
        return (f"{counted(self.files, 'fichier lu', 'fichiers lus')} : {changed} {verb}, "
                f"{len(self.findings)} {'illisible' if len(self.findings) <= 1 else 'illisibles'}.")

    @property
    def failed(self) -> bool:
        """A file unreadable or not written, or, with `check`, one to reformat."""
        return bool(self.findings or self.unwritten or (self.check and self.changed))

    @property
    def status(self) -> int:
        """The exit status: 2 when the system refused a write (full disk…), as every refusal; 1 for a
        file unreadable or, with `check`, to reformat; 0."""
        return 2 if self.unwritten else 1 if self.failed else 0


def format_records(root: Path, paths: Iterable[Path] = (), *, check: bool = False, fix_dates: bool = False) -> Outcome:
    """Format the YAML records under root (only those under `paths`, if given); files outside the layout are
    left alone, and so is a file that does not parse (reported as GQ001). With `check`, nothing is written."""
    selected = _select(root, paths)
    changed: list[str] = []
    findings: list[Finding] = []
    unwritten: list[tuple[str, str]] = []
    for place in selected:
        full = root / place.path
        try:
            raw = full.read_bytes()
            if len(raw) > MAX_YAML_BYTES:
                raise ParseError(f"Fichier trop gros (plus de {MAX_YAML_BYTES // 1024} Kio) pour un registre.")
            formatted = format_text(place.kind, decode(raw), fix_dates)
        except ParseError as error:
            findings.append(Finding(place.path, error.line, error.column, "GQ001", ERROR, error.message))
            continue
        except AuthoringError as error:
            findings.append(Finding(place.path, 1, 1, "GQ001", ERROR, f"Non reformaté : {error}."))
            continue
        except OSError as error:
            findings.append(Finding(place.path, 1, 1, "GQ001", ERROR, f"Fichier illisible : {error.strerror}."))
            continue
        if formatted.encode("utf-8") == raw:
            continue
        if not check:
            try:
                write_atomic(full, formatted)
            except WriteError as error:
                unwritten.append((place.path, error.reason))
                continue
        changed.append(place.path)
    return Outcome(tuple(changed), tuple(findings), len(selected), tuple(unwritten), check)


def _select(root: Path, paths: Iterable[Path]):
    """The YAML places to format; not the national library where it was pulled (a library.lock): its files
    are the national repository's as they were written there, and a change here would be a local edit (GQ125)."""
    places = [p for p in survey(root).places if p.kind not in CSV_KINDS and not (root / p.path).is_symlink()]
    if any(p.kind == "lock" for p in places):
        places = [p for p in places if p.kind not in LIBRARY_KINDS]
    wanted = [Path(p).resolve() for p in paths]
    if not wanted:
        return places
    real_root = root.resolve()
    for path in wanted:
        if path != real_root and real_root not in path.parents:
            raise AuthoringError(f"{path} n'est pas dans le dossier des registres {root}")
    return [
        p for p in places
        if any(full == w or w in full.parents for w in wanted for full in [(root / p.path).resolve()])
    ]
