"""Changing a record in place, the way a coordinator would by hand: read with ruamel.yaml's round trip
(comments, quotes and blank lines kept), change some values, put the keys back in the schema's order,
write atomically. The roll call (`rollcall`) and the members' moves (`members`) write through here."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import YAMLError

from ..fsio import write_atomic
from . import AuthoringError
from .fmt import normalise
from .schemaview import Shape
from .yamlio import dumps, round_trip


def load(root: Path, rel: str) -> CommentedMap:
    """The round-trip document of a record; refused when it is missing or not a readable mapping."""
    path = root / rel
    try:
        document = round_trip().load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AuthoringError(f"{rel} n'existe pas.") from None
    except (YAMLError, UnicodeDecodeError, OSError) as error:
        raise AuthoringError(f"{rel} est illisible ({type(error).__name__}) : corrigez-le d'abord (gqrec check).") from None
    if not isinstance(document, CommentedMap):
        raise AuthoringError(f"{rel} n'est pas un dictionnaire de champs : corrigez-le d'abord (gqrec check).")
    return document


def text_of(kind: str, document: CommentedMap) -> str:
    """The document's text, its keys in the schema's order and its RPPS quoted (what `fmt` would keep)."""
    return dumps(normalise(document, Shape.of(kind)))


def rewrite(root: Path, rel: str, kind: str, change: Callable[[CommentedMap], None]) -> str:
    """Apply `change` to the record at `rel` and write it back atomically; returns the new text."""
    document = load(root, rel)
    change(document)
    text = text_of(kind, document)
    write_atomic(root / rel, text)
    return text
