"""The bilan's frozen dataclasses as plain JSON and back, losslessly: what lets a national bilan be
rendered from bundles by the very renderers of `gqrec report`.

One generic pair driven by the dataclasses' annotations (`typing.get_type_hints`): a field is encoded by
its declared type (dates as ISO text, Decimal as its text, tuples as lists) and decoded by it; floats go
through `json` exactly (the shortest text that reads back as the same float). A value that does not fit
its type raises `Malformed` with the path of the value, for the reader's French refusal.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from collections.abc import Mapping
from typing import Any

from ...errors import UsageError


class Malformed(UsageError):
    """A bundle value that is not what its field declares; `str` is the field's path and what was found."""


def encode(value: Any) -> Any:
    """A dataclass (or what its fields hold) as JSON values: objects keyed by field name."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (tuple, list)):
        return [encode(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): encode(v) for k, v in value.items()}
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def decode(kind: Any, data: Any, where: str = "") -> Any:
    """`data` (JSON values) as a value of the type `kind`, as `encode` wrote it."""
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin in (typing.Union, types.UnionType):
        if data is None and type(None) in args:
            return None
        options = [a for a in args if a is not type(None)]
        return decode(options[0], data, where) if len(options) == 1 else _first_fit(options, data, where)
    if dataclasses.is_dataclass(kind):
        if not isinstance(data, dict):
            raise Malformed(f"{where or 'racine'} : objet attendu")
        hints = _hints(kind)
        names = {f.name for f in dataclasses.fields(kind) if f.init}
        missing = [n for n in names if n not in data and _required(kind, n)]
        if missing or set(data) - names:
            raise Malformed(f"{where or 'racine'} : champs {sorted(missing) or sorted(set(data) - names)} inattendus ou manquants")
        return kind(**{n: decode(hints[n], v, f"{where}.{n}" if where else n) for n, v in data.items()})
    if origin is tuple:
        if not isinstance(data, list):
            raise Malformed(f"{where} : liste attendue")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(decode(args[0], v, f"{where}[{i}]") for i, v in enumerate(data))
        if not args:  # a bare `tuple`: left as JSON values
            return tuple(data)
        if len(args) != len(data):
            raise Malformed(f"{where} : {len(args)} valeurs attendues")
        return tuple(decode(a, v, f"{where}[{i}]") for i, (a, v) in enumerate(zip(args, data)))
    if origin in (dict, Mapping):
        if not isinstance(data, dict):
            raise Malformed(f"{where} : objet attendu")
        return {decode(args[0], k, where): decode(args[1], v, f"{where}.{k}") for k, v in data.items()}
    return _scalar(kind, data, where)


def _required(kind: type, name: str) -> bool:
    field = next(f for f in dataclasses.fields(kind) if f.name == name)
    return field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING


def _first_fit(options: list, data: Any, where: str) -> Any:
    for option in options:
        try:
            return decode(option, data, where)
        except Malformed:
            continue
    raise Malformed(f"{where} : valeur inattendue")


def _scalar(kind: Any, data: Any, where: str) -> Any:
    if kind is date:
        try:
            return date.fromisoformat(data)
        except (TypeError, ValueError):
            raise Malformed(f"{where} : date AAAA-MM-JJ attendue") from None
    if kind is Decimal:
        try:
            return Decimal(data) if isinstance(data, str) else _wrong(where, "montant")
        except InvalidOperation:
            raise Malformed(f"{where} : montant attendu") from None
    if kind is bool:
        return data if isinstance(data, bool) else _wrong(where, "booléen")
    if kind is int:
        return data if isinstance(data, int) and not isinstance(data, bool) else _wrong(where, "entier")
    if kind is float:
        if isinstance(data, bool) or not isinstance(data, (int, float)):
            _wrong(where, "nombre")
        return float(data)
    if kind is str:
        return data if isinstance(data, str) else _wrong(where, "texte")
    if kind is Any:
        return data
    raise Malformed(f"{where} : type {kind!r} non pris en charge")


def _wrong(where: str, what: str):
    raise Malformed(f"{where} : {what} attendu")
