"""Bytes of a record file to plain data with the source position of every value.

YAML is composed by ruamel.yaml (YAML 1.2) into nodes that carry their marks; we build plain
Python values from those nodes ourselves so that no tag can construct an object, dates stay the
text the coordinator wrote, duplicate keys are caught with their line, and aliases cannot blow up
(every node visit counts against a budget).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Mapping

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

MAX_DEPTH = 64
MAX_NODES = 200_000

STR = "tag:yaml.org,2002:str"
PLAIN_SCALAR_TAGS = {
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}
TIMESTAMP = "tag:yaml.org,2002:timestamp"

Path_ = tuple  # a path into the data: keys and list indexes


class ParseError(Exception):
    """Why a file cannot be read as a record, with the 1-based place of the fault."""

    def __init__(self, message: str, line: int = 1, column: int = 1):
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


@dataclass(frozen=True)
class Document:
    """Plain data of one file and where each of its values and keys stands (1-based line, column)."""

    data: Any
    values: Mapping[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: Mapping[Path_, tuple[int, int]] = field(default_factory=dict)


def decode(raw: bytes) -> str:
    """UTF-8 text (a BOM is accepted), or a ParseError at the first invalid byte."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        raise ParseError(
            f"Le fichier n'est pas en UTF-8 (octet 0x{raw[error.start]:02x} illisible) : "
            "réenregistrez-le en UTF-8 depuis votre éditeur.",
            line,
            column,
        ) from None
    if "\x00" in text:
        raise ParseError("Le fichier contient des octets nuls : ce n'est pas un fichier texte.", *_offset(text, text.index("\x00")))
    return text


def _offset(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


_yaml = YAML(typ="safe", pure=True)


def parse_yaml(text: str) -> Document:
    """One YAML document whose top level is a mapping, as plain data with positions."""
    try:
        node = _yaml.compose(text)
    except MarkedYAMLError as error:
        raise _yaml_error(error) from None
    except YAMLError as error:
        raise ParseError(f"YAML illisible : {error}") from None
    except RecursionError:
        raise ParseError(f"Imbrication trop profonde (plus de {MAX_DEPTH} niveaux) : ce n'est pas un registre.") from None
    if node is None:
        raise ParseError("Fichier vide (ou seulement des commentaires) : un registre est un dictionnaire de champs.")
    if not isinstance(node, MappingNode):
        raise ParseError(
            "Le niveau supérieur doit être un dictionnaire de champs « clé: valeur », pas une liste ni une valeur seule.",
            *_mark(node),
        )
    builder = _Builder()
    data = builder.build(node, (), 0)
    return Document(data, MappingProxyType(builder.values), MappingProxyType(builder.keys))


def _mark(node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _yaml_error(error: MarkedYAMLError) -> ParseError:
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = (error.problem or "").strip()
    context = (error.context or "").strip()
    if "expected a single document" in context or "expected a single document" in problem:
        return ParseError("Plusieurs documents YAML (séparés par ---) : un registre n'en contient qu'un.", line, column)
    if "\\t" in problem or "tab" in problem:
        return ParseError("Tabulation dans l'indentation : YAML n'indente qu'avec des espaces.", line, column)
    detail = "; ".join(part for part in (context, problem) if part)
    return ParseError(f"YAML illisible : {detail}. Vérifiez l'indentation, les deux-points et les guillemets.", line, column)


class _Builder:
    """Turns composed nodes into plain values, recording positions and refusing what is unsafe."""

    def __init__(self) -> None:
        self.values: dict[Path_, tuple[int, int]] = {}
        self.keys: dict[Path_, tuple[int, int]] = {}
        self.visits = 0

    def build(self, node, path: Path_, depth: int) -> Any:
        self.visits += 1
        if self.visits > MAX_NODES:
            raise ParseError(
                f"Trop de valeurs (plus de {MAX_NODES}) : alias YAML démultipliés ou fichier démesuré, refusé.",
                *_mark(node),
            )
        if depth > MAX_DEPTH:
            raise ParseError(f"Imbrication trop profonde (plus de {MAX_DEPTH} niveaux).", *_mark(node))
        self.values[path] = _mark(node)
        tag = str(node.tag)
        if isinstance(node, MappingNode):
            self._check_tag(node, tag, "tag:yaml.org,2002:map")
            return self._mapping(node, path, depth)
        if isinstance(node, SequenceNode):
            self._check_tag(node, tag, "tag:yaml.org,2002:seq")
            return [self.build(item, path + (index,), depth + 1) for index, item in enumerate(node.value)]
        return self._scalar(node, tag)

    def _mapping(self, node: MappingNode, path: Path_, depth: int) -> dict:
        out: dict = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise ParseError("Clé complexe (liste ou dictionnaire) : une clé est un nom de champ.", *_mark(key_node))
            if str(key_node.tag) == "tag:yaml.org,2002:merge":
                raise ParseError("Les clés de fusion « << » ne sont pas acceptées : écrivez les champs.", *_mark(key_node))
            key = self._scalar(key_node, str(key_node.tag))
            if isinstance(key, (int, float, bool)) or key is None:
                key = key_node.value  # a field name is its text, whatever it looks like
            if key in out:
                first = self.keys[path + (key,)]
                raise ParseError(
                    f"Clé « {key} » en double (déjà à la ligne {first[0]}) : gardez-en une seule.", *_mark(key_node)
                )
            self.keys[path + (key,)] = _mark(key_node)
            out[key] = self.build(value_node, path + (key,), depth + 1)
        return out

    def _scalar(self, node: ScalarNode, tag: str) -> Any:
        if tag == STR:
            return node.value
        if tag == TIMESTAMP:
            return node.value  # dates stay the text written; the schema checks their form
        if tag in PLAIN_SCALAR_TAGS:
            return _yaml.constructor.construct_object(node, deep=True)
        raise _tag_refused(node, tag)

    @staticmethod
    def _check_tag(node, tag: str, expected: str) -> None:
        if tag != expected:
            raise _tag_refused(node, tag)


def _tag_refused(node, tag: str) -> ParseError:
    return ParseError(
        f"Étiquette YAML « {tag} » refusée : un registre ne contient que du texte, des nombres, "
        "des dates, des listes et des dictionnaires (aucune étiquette « !! » ni « ! »).",
        *_mark(node),
    )


@dataclass(frozen=True)
class Table:
    """Rows of a CSV file as dicts of text, each with its 1-based line."""

    header: tuple[str, ...]
    rows: tuple[tuple[int, Mapping[str, str]], ...]


def parse_csv(text: str, columns: tuple[str, ...]) -> Table:
    """A comma-separated table with exactly the expected header; empty lines are skipped."""
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise ParseError(f"Fichier CSV vide : la première ligne doit être l'en-tête {','.join(columns)}.")
    first = lines[0]
    if ";" in first and "," not in first:
        raise ParseError(
            "Séparateur « ; » détecté (export de tableur français) : enregistrez le fichier en CSV "
            "séparé par des virgules.",
        )
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = tuple(cell.strip() for cell in next(reader))
    except csv.Error as error:
        raise ParseError(f"En-tête CSV illisible : {error}.") from None
    if header != columns:
        missing = [c for c in columns if c not in header]
        extra = [c for c in header if c not in columns]
        detail = []
        if missing:
            detail.append("colonnes manquantes : " + ", ".join(missing))
        if extra:
            detail.append("colonnes inconnues : " + ", ".join(extra))
        if not detail:
            detail.append("colonnes dans le désordre")
        raise ParseError(f"En-tête CSV attendu « {','.join(columns)} » ({' ; '.join(detail)}).")
    rows = []
    try:
        for cells in reader:
            line = reader.line_num
            if not cells or all(not c.strip() for c in cells):
                continue
            if len(cells) != len(columns):
                raise ParseError(
                    f"Ligne de {len(cells)} valeurs au lieu de {len(columns)} ({','.join(columns)}).", line, 1
                )
            rows.append((line, MappingProxyType(dict(zip(columns, (c.strip() for c in cells))))))
    except csv.Error as error:
        raise ParseError(f"CSV illisible : {error}.", reader.line_num, 1) from None
    return Table(header, tuple(rows))
