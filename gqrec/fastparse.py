"""A fast path for plain record files: yaml-rs (Rust) parses, and only files it can be trusted on take it.

`parse.parse_yaml` (ruamel.yaml, pure Python) is the reference: exact YAML 1.2 values, positions and
French errors, but about 10 ms a file. Most record files are plain: no tags, anchors, directives or
unusual spellings of numbers and booleans. For those, yaml-rs gives the same values two orders of
magnitude faster. Anything that could make the two disagree sends the file to the reference path,
and so does every file with an error; the equivalence is tested over a generated archive and the
hostile corpus (tests/test_fastparse.py). Positions are found later, only for files with findings.
"""

from __future__ import annotations

import operator
import re
from typing import Any

from . import parse

try:  # an optional accelerator: without it every file takes the reference path
    import yaml_rs
except ImportError:  # pragma: no cover - exercised by the fallback test
    yaml_rs = None

# Any of these sends a file to the reference path: constructs the reference treats specially (tags,
# anchors, aliases, merge keys, directives, explicit keys, escapes, tabs), and spellings of numbers,
# booleans and nulls that lenient readers resolve differently from YAML 1.2 core. Plain substrings:
# a few fast scans cost less than one pattern tried at every position.
_DOUBTFUL = (
    "!", "&", "*", "\t", "\\", "<<", "%", "?",
    "True", "TRUE", "False", "FALSE", "Null", "NULL",
    "0x", "0X", "0o", "0O", "0b", "0B", ".inf", ".Inf", ".INF", ".nan", ".NaN", ".NAN",
)
_UNDERSCORE_NUMBER = re.compile(r"(?<![A-Za-z0-9_.])[-+]?[0-9_]*_[0-9_]*(?![A-Za-z0-9_.])")
_PLUS_NUMBER = re.compile(r"[:\[,-]\s*\+[0-9.]")
# A block scalar header (`key: |`, `- >-`, `key: |2 # note`) and the line after it, blank lines skipped.
_BLOCK_HEADER = re.compile(r"^( *)(?:.*[:-] +)?[|>][-+0-9]*[ ]*(?:#.*)?\n((?:[ ]*\n)*)( *)", re.MULTILINE)


def fast_data(text: str) -> dict | None:
    """The plain data of a YAML record when the fast reader can be trusted on it, else None.

    `text` is as `parse.decode` gives it: control and invisible characters are already refused there.
    """
    if yaml_rs is None or len(text) > parse.MAX_LINE_CHARS * 8 or any(map(text.__contains__, _DOUBTFUL)):
        return None
    if _underscore_number(text) or ("+" in text and _PLUS_NUMBER.search(text)):
        return None
    if ("|" in text or ">" in text) and _doubtful_block(text):
        return None
    if len(text) > parse.MAX_LINE_CHARS and any(len(line) > parse.MAX_LINE_CHARS for line in text.split("\n")):
        return None
    try:
        data = yaml_rs.loads(text, parse_datetime=False, duplicate_key_policy=yaml_rs.DuplicateKeyPolicy.Error)
    except Exception:  # noqa: BLE001 - any trouble: the reference path reads and explains it
        return None
    if type(data) is not dict or not _plain(data, 0):
        return None
    if len(text) > parse.MAX_NODES and _count(data) > parse.MAX_NODES:
        return None
    return data


def _doubtful_block(text: str) -> bool:
    """Whether a block scalar is one yaml-rs and the reference may read differently: one ending the file
    without a final line break (yaml-rs adds one), an empty one (`name: |` followed by a line no more
    indented, or by the end of the file: yaml-rs gives a line break, the reference an empty text), or one
    opening with blank lines (whose spaces the reference may refuse)."""
    if not text.endswith("\n"):
        return True
    for match in _BLOCK_HEADER.finditer(text):
        if match.end() == len(text) or match.group(2) or len(match.group(3)) <= len(match.group(1)):
            return True
    return False


def _underscore_number(text: str) -> bool:
    """Whether `_UNDERSCORE_NUMBER` matches, run only when some underscore is not inside a word.

    Keys such as duration_minutes put underscores in every record, always between two ASCII letters,
    where the pattern cannot match (it needs a digit, a sign, an underscore or a boundary beside it).
    """
    index = text.find("_")
    while index != -1:
        if not (text[index - 1:index] in _LETTERS and text[index + 1:index + 2] in _LETTERS):
            return _UNDERSCORE_NUMBER.search(text) is not None
        index = text.find("_", index + 1)
    return False


_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _plain(value: Any, depth: int) -> bool:
    """True when every value is one the reference would build identically, within its depth limit.

    Hot path (70,000 files): one call per container, plain loops, scalar types tested inline.
    """
    if depth > parse.MAX_DEPTH:
        return False
    if type(value) is dict:
        for key in value:
            if type(key) is not str or not key or len(key) > parse.MAX_KEY_CHARS:
                return False
        value = value.values()
    for item in value:
        kind = type(item)
        if kind is str or kind is bool or item is None:
            continue
        if kind is int:
            if item.bit_length() >= 128:
                return False
        elif kind is not dict and kind is not list or not _plain(item, depth + 1):
            return False
    return True


def _count(value: Any) -> int:
    """Values in a document (only counted for texts long enough to hold more than the node budget)."""
    if type(value) is dict:
        return 1 + sum(_count(v) for v in value.values())
    if type(value) is list:
        return 1 + sum(_count(v) for v in value)
    return 1


# A feedback row the row schema (schema/feedback.schema.json) accepts, spelled plainly: a participant
# with an 11-digit RPPS or the control group with none, an indicator slug, two unsigned integers.
# Only the bytes the schema allows can match, so a file whose every row matches needs no other check;
# tests/test_fastparse.py holds this pattern to the schema.
_FEEDBACK_ROW = re.compile(r"(?:participant,[0-9]{11}|control,),[a-z0-9]+(?:-[a-z0-9]+)*,[0-9]+,[0-9]+")
_FEEDBACK_BODY = re.compile(rf"(?:{_FEEDBACK_ROW.pattern}\n)*")


def fast_feedback(text: str, columns: tuple[str, ...]) -> list[str] | None:
    """The cells of a plain feedback CSV, row after row (five a row, from line 2), when every line after
    the header is a row the schema accepts with a numerator no greater than its denominator; or None:
    the reference reader then explains each faulty row at its line.

    One pattern checks the whole body; the cells are cut in one split and the numbers compared column
    against column with `map`, so a 1,600-row export costs no Python loop over its lines.
    """
    header, _, body = text.replace("\r\n", "\n").partition("\n")
    body = body.rstrip("\n")
    if header != ",".join(columns) or body.startswith("\n") or "\n\n" in body:
        return None  # blank lines inside: the reference numbers the lines
    if not body:
        return []
    if not _FEEDBACK_BODY.fullmatch(body + "\n") or max(map(len, body.split("\n"))) > parse.MAX_CSV_CELL_CHARS:
        return None
    cells = body.replace("\n", ",").split(",")
    if not all(map(operator.le, map(int, cells[3::5]), map(int, cells[4::5]))):
        return None
    return cells
