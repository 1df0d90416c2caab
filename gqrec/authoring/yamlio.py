"""How gqrec writes YAML: one round-trip configuration of ruamel.yaml (so `new` writes what `fmt` would
keep), and moving keys without losing the comments written between them."""

from __future__ import annotations

import io
from datetime import date
from typing import Any, Iterable

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.tokens import CommentToken



class _DatesAsText(VersionedResolver):
    """YAML 1.2 resolution without timestamps (the core schema has none): a date stays the text written, so
    that round-tripping never constructs one (`2024-02-30` in a note would raise) and writes it back as is."""

    def add_version_implicit_resolver(self, version: Any, tag: Any, regexp: Any, first: Any) -> None:
        if tag != "tag:yaml.org,2002:timestamp":
            super().add_version_implicit_resolver(version, tag, regexp, first)


def round_trip() -> YAML:
    """ruamel.yaml in round-trip mode: comments, quotes and flow style kept; 2-space indentation with
    sequences indented under their key; lines never re-wrapped; dates read and written as text."""
    yaml = YAML(typ="rt")
    yaml.Resolver = _DatesAsText
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    return yaml


def dumps(data: Any) -> str:
    out = io.StringIO()
    round_trip().dump(data, out)
    text = out.getvalue()
    return text if text.endswith("\n") else text + "\n"  # ruamel.yaml omits it after some end-of-line comments


# -- moving keys with their comments ------------------------------------------------------------------
#
# ruamel.yaml keeps the comment lines that follow a value on that value (on the last scalar of a block
# collection). Read as a coordinator reads them, the lines below a value introduce the next key, so
# before moving keys their lines are detached and, afterwards, given back to whatever now precedes them.


def _block(value: Any) -> bool:
    return isinstance(value, (CommentedMap, CommentedSeq)) and len(value) > 0 and not value.fa.flow_style()


def _tail(node: CommentedMap | CommentedSeq, key: Any, create: bool) -> CommentToken | None:
    """The comment token written after the value at key (after the last value inside it, if a block)."""
    value = node[key]
    if _block(value):
        return _tail(value, list(value)[-1] if isinstance(value, CommentedMap) else len(value) - 1, create)
    slot = 2 if isinstance(node, CommentedMap) else 0
    entry = node.ca.items.get(key)
    if entry is not None and entry[slot] is not None:
        return entry[slot]
    if not create:
        return None
    token = CommentToken("\n", CommentMark(0), None)
    entry = node.ca.items.setdefault(key, [None, None, None, None])
    entry[slot] = token
    return token


def _detach_lines(node, key) -> str:
    """Remove and return the whole comment/blank lines after the value at key (its end-of-line comment stays)."""
    token = _tail(node, key, create=False)
    if token is None:
        return ""
    cut = token.value.find("\n")
    if cut < 0:
        return ""
    lines, token.value = token.value[cut + 1:], token.value[: cut + 1]
    return lines


def append_lines(node, key, lines: str) -> None:
    """Write whole comment lines (each ending in a newline) right after the value at key."""
    if lines:
        token = _tail(node, key, create=True)
        if not token.value.endswith("\n"):  # an end-of-line comment made by ruamel.yaml, not read from a file
            token.value += "\n"
        token.value += lines


def reorder(mapping: CommentedMap, order: Iterable[str]) -> bool:
    """Put the mapping's keys in the given order (others after, as they were); True if anything moved.

    A comment line stays above the key it was above; lines before the first key and after the last stay
    at the top and at the bottom.
    """
    rank = {key: index for index, key in enumerate(order)}
    keys = list(mapping)
    wanted = sorted(keys, key=lambda k: rank.get(k, len(rank)))
    if wanted == keys:
        return False
    above = {after: _detach_lines(mapping, before) for before, after in zip(keys, keys[1:])}
    bottom = _detach_lines(mapping, keys[-1])
    for key in wanted:
        mapping.move_to_end(key)
    for before, after in zip(wanted, wanted[1:]):
        append_lines(mapping, before, above.get(after, ""))
    if above.get(wanted[0]):
        _comment_on_top(mapping, above[wanted[0]])
    append_lines(mapping, wanted[-1], bottom)
    return True


def _comment_on_top(mapping: CommentedMap, lines: str) -> None:
    if mapping.ca.comment is None:
        mapping.ca.comment = [None, []]
    if mapping.ca.comment[1] is None:
        mapping.ca.comment[1] = []
    mapping.ca.comment[1].append(CommentToken(lines, CommentMark(0), None))


def commented(data: Any) -> Any:
    """Plain data as ruamel.yaml's round-trip containers (block style), dropping keys whose value is None;
    containers already round-trip (a flow mapping made on purpose) are kept as they are."""
    if isinstance(data, (CommentedMap, CommentedSeq)):
        return data
    if isinstance(data, dict):
        return CommentedMap((key, commented(value)) for key, value in data.items() if value is not None)
    if isinstance(data, (list, tuple)):
        return CommentedSeq(commented(value) for value in data)
    if type(data) is date:
        return data.isoformat()  # dates are text to the round trip (see `_DatesAsText`)
    return data
