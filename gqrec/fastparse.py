"""A fast path for plain record files: yaml-rs (Rust) parses, and only files it can be trusted on take it.

`parse.parse_yaml` (ruamel.yaml, pure Python) is the reference: exact YAML 1.2 values, positions and
French errors, but about 10 ms a file. Most record files are plain: no tags, anchors, directives or
unusual spellings of numbers and booleans. For those, yaml-rs gives the same values two orders of
magnitude faster. Anything that could make the two disagree sends the file to the reference path,
and so does every file with an error; the equivalence is tested over a generated archive and the
hostile corpus (tests/test_fastparse.py). Positions are found later, only for files with findings.
"""

from __future__ import annotations

import re
from typing import Any

from . import parse

try:  # an optional accelerator: without it every file takes the reference path
    import yaml_rs
except ImportError:  # pragma: no cover - exercised by the fallback test
    yaml_rs = None

# Constructs the reference treats specially (tags, anchors, aliases, merge keys, directives, explicit
# keys, escapes, tabs): any of these characters sends the file to the reference path.
_SPECIAL_CHARS = ("!", "&", "*", "\t", "\\", "<<", "%", "?")
# Spellings of numbers, booleans and nulls that lenient readers resolve differently from YAML 1.2 core.
_ODD_NUMBER = re.compile(r"0[xXoObB]|(?<![A-Za-z0-9_.])[-+]?[0-9_]*_[0-9_]*(?![A-Za-z0-9_.])|[:\[,-]\s*\+[0-9.]|\.(?:inf|Inf|INF|nan|NaN|NAN)")
_ODD_WORDS = ("True", "TRUE", "False", "FALSE", "Null", "NULL")


def available() -> bool:
    return yaml_rs is not None


def fast_data(text: str) -> dict | None:
    """The plain data of a YAML record when the fast reader can be trusted on it, else None."""
    if yaml_rs is None or len(text) > parse.MAX_LINE_CHARS * 8 or any(c in text for c in _SPECIAL_CHARS):
        return None
    if parse._FORBIDDEN.search(text) or _ODD_NUMBER.search(text) or any(w in text for w in _ODD_WORDS):
        return None
    if len(text) > parse.MAX_LINE_CHARS and any(len(line) > parse.MAX_LINE_CHARS for line in text.split("\n")):
        return None
    try:
        data = yaml_rs.loads(text, parse_datetime=False, duplicate_key_policy=yaml_rs.DuplicateKeyPolicy.Error)
    except Exception:  # noqa: BLE001 - any trouble: the reference path reads and explains it
        return None
    if not isinstance(data, dict) or not _plain(data, 0, [0]):
        return None
    return data


def _plain(value: Any, depth: int, count: list[int]) -> bool:
    """True when every value is one the reference would build identically, within its limits."""
    count[0] += 1
    if depth > parse.MAX_DEPTH or count[0] > parse.MAX_NODES:
        return False
    if isinstance(value, str):
        return True  # no escapes and no forbidden characters in the text: none in its strings
    if isinstance(value, bool) or value is None:
        return True
    if isinstance(value, int):
        return value.bit_length() < 128
    if isinstance(value, dict):
        return all(
            isinstance(k, str) and 0 < len(k) <= parse.MAX_KEY_CHARS and _plain(v, depth + 1, count)
            for k, v in value.items()
        )
    if isinstance(value, list):
        return all(_plain(v, depth + 1, count) for v in value)
    return False  # floats and anything else: let the reference decide
