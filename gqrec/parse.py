"""Bytes of a record file to plain data with the source position of every value.

YAML is composed by ruamel.yaml (YAML 1.2) into nodes that carry their marks; we build plain
Python values from those nodes ourselves so that no tag can construct an object, dates stay the
text the coordinator wrote, duplicate keys are caught with their line, and aliases cannot blow up.

Records come from many hands: a broken or hostile file must give a ParseError (GQ001) quickly and
in bounded memory, never an exception, a hang or a raw terminal escape. The limits (docs/hostile.md):

- `MAX_LINE_CHARS` characters per YAML line and `MAX_LINES` lines, checked before parsing (the
  pure-Python scanner costs a few microseconds per character, and more per line);
- `MAX_DEPTH` levels of nesting, checked by the scanner (flow `[[[…`) and the composer (block), so
  ruamel never recurses or rescans deeply;
- `MAX_NODES` YAML nodes and aliases composed, then the same budget for the values built (an alias
  counts once per use: a "billion laughs" is refused after MAX_NODES values, never expanded);
- `MAX_KEY_CHARS` characters per key, `MAX_NUMBER_CHARS` characters per number (Python's int-to-str
  limit is never reached), no NaN nor infinity;
- no control characters (C0 but tab and line breaks, DEL, C1), no bidirectional-text controls and no
  Unicode line separators, neither raw in the file nor written as an escape in a quoted value;
- CSV: `MAX_CSV_CELL_CHARS` per cell, no line break inside a cell; after `MAX_CSV_BAD_ROWS`
  unreadable rows the rest of the file is not read (one finding says so).
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from ruamel.yaml.composer import Composer
from ruamel.yaml.docinfo import DocInfo
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode
from ruamel.yaml.parser import Parser
from ruamel.yaml.reader import Reader, ReaderError
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scanner import Scanner

from .errors import RecordsError
from .safe import printable

MAX_DEPTH = 64
MAX_NODES = 10_000
MAX_LINE_CHARS = 10_000
MAX_LINES = 20_000
MAX_KEY_CHARS = 200
MAX_NUMBER_CHARS = 50
MAX_CSV_CELL_CHARS = 200
MAX_DIRECTIVES = 4
MAX_CSV_BAD_ROWS = 20

STR = "tag:yaml.org,2002:str"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
BOOL = "tag:yaml.org,2002:bool"
NULL = "tag:yaml.org,2002:null"
TIMESTAMP = "tag:yaml.org,2002:timestamp"
MERGE = "tag:yaml.org,2002:merge"
# What ruamel resolves a lone `=`, `!`, `&` or `*` to: for a record, that is just text.
TEXT_TAGS = {STR, TIMESTAMP, "tag:yaml.org,2002:value", "tag:yaml.org,2002:yaml"}
PLAIN_SCALAR_TAGS = {INT, FLOAT, BOOL, NULL}

Path_ = tuple  # a path into the data: keys and list indexes

# Characters refused anywhere in a record: C0 controls but tab and line breaks, DEL, C1 controls,
# bidirectional-text controls (embeddings, overrides, isolates, marks), Unicode line and paragraph
# separators, invisible spaces (zero width, word joiner, a BOM past the start: "lamballe\ufeff" would
# look like "lamballe"), lone surrogates and the two non-characters YAML forbids. Tab, LF, CR allowed.
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2060\u2066-\u2069"
    "\ud800-\udfff\ufeff\ufffe\uffff]"
)
_CHAR_NAMES = {
    "\x00": "octet nul",
    "\x1b": "échappement de terminal (ESC)",
    "\x9b": "échappement de terminal (CSI)",
    "\x7f": "caractère d'effacement (DEL)",
    "\u200b": "espace invisible de largeur nulle",
    "\u2060": "liant invisible",
    "\ufeff": "espace invisible (BOM) au milieu du texte",
    "\u2028": "séparateur de ligne Unicode",
    "\u2029": "séparateur de paragraphe Unicode",
}
_BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


class ParseError(RecordsError):
    """Why a file cannot be read as a record, with the 1-based place of the fault.

    The message is made printable: whatever of the file it quotes, it holds no raw control character.
    """

    def __init__(self, message: str, line: int = 1, column: int = 1):
        message = printable(message)
        super().__init__(message)
        self.message, self.line, self.column = message, max(1, line), max(1, column)


@dataclass(frozen=True)
class Document:
    """Plain data of one file and where each of its values and keys stands (1-based line, column)."""

    data: Any
    values: Mapping[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: Mapping[Path_, tuple[int, int]] = field(default_factory=dict)


# -- text ------------------------------------------------------------------------------------------

_OTHER_ENCODINGS = (
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\xfe\xff", "UTF-16"),
    (b"\xff\xfe", "UTF-16"),
)


_OTHER_BOM_STARTS = frozenset(bom[:1] for bom, _ in _OTHER_ENCODINGS)


def decode(raw: bytes) -> str:
    """UTF-8 text (a BOM is accepted) without control characters, or a ParseError at the first fault."""
    if raw[:1] in _OTHER_BOM_STARTS:
        for bom, name in _OTHER_ENCODINGS:
            if raw.startswith(bom):
                raise ParseError(
                    f"Le fichier est encodé en {name}, pas en UTF-8 : réenregistrez-le en UTF-8 depuis votre éditeur."
                )
    if raw.find(b"\x00", 0, 1024) != -1 and _looks_utf16(raw[:1024]):  # no NUL byte, no UTF-16: the usual case
        raise ParseError(
            "Le fichier semble encodé en UTF-16 (sans BOM), pas en UTF-8 : réenregistrez-le en UTF-8 "
            "depuis votre éditeur."
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # the UTF-8 BOM; positions are counted after it, as in the decoded text
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line_start = before.rfind(b"\n") + 1
        line = before.count(b"\n") + 1
        column = len(before[line_start:].decode("utf-8", errors="replace")) + 1
        raise ParseError(
            f"Le fichier n'est pas en UTF-8 (octet 0x{raw[error.start]:02x} illisible) : "
            "réenregistrez-le en UTF-8 depuis votre éditeur.",
            line,
            column,
        ) from None
    bad = _FORBIDDEN.search(text)
    if bad:
        char = bad.group()
        if char == "\x00":
            raise ParseError(
                "Le fichier contient des octets nuls : ce n'est pas un fichier texte. Réenregistrez-le en UTF-8.",
                *_offset(text, bad.start()),
            )
        raise ParseError(f"{_describe(char)} : retirez-le (il est invisible ou trompeur à l'écran).", *_offset(text, bad.start()))
    return text


def _looks_utf16(head: bytes) -> bool:
    """Text in UTF-16 has a NUL in nearly every other byte, and almost none in between."""
    if len(head) < 8:
        return False
    even, odd = head[0::2], head[1::2]
    zeros = even.count(0) / len(even), odd.count(0) / len(odd)
    return max(zeros) >= 0.7 and min(zeros) <= 0.1


def _describe(char: str) -> str:
    code = f"U+{ord(char):04X}"
    if char in _BIDI:
        return f"Caractère de contrôle du sens d'écriture {code} interdit"
    if "\ud800" <= char <= "\udfff":
        return f"Demi-caractère Unicode isolé {code} interdit"
    name = _CHAR_NAMES.get(char)
    return f"Caractère de contrôle {code}{f' ({name})' if name else ''} interdit"


def _offset(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _check_lines(text: str) -> None:
    if len(text) <= MAX_LINE_CHARS:
        return
    lines = text.split("\n")
    if len(lines) > MAX_LINES + 1:  # + 1: the empty "line" after a final newline
        raise ParseError(
            f"Fichier de plus de {MAX_LINES} lignes : ce n'est pas un registre (découpez-le).", MAX_LINES + 1, 1
        )
    for number, line in enumerate(lines, start=1):
        if len(line.rstrip("\r")) > MAX_LINE_CHARS:
            raise ParseError(
                f"Ligne de {len(line.rstrip(chr(13)))} caractères : au-delà de {MAX_LINE_CHARS}, un registre n'est "
                "plus lisible. Coupez-la (un texte long s'écrit en bloc « | » sur plusieurs lignes).",
                number,
                MAX_LINE_CHARS + 1,
            )


# -- YAML ------------------------------------------------------------------------------------------

def _mark_of(mark) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _too_deep(line: int = 1, column: int = 1) -> ParseError:
    return ParseError(
        f"Imbrication trop profonde (plus de {MAX_DEPTH} niveaux de listes ou dictionnaires) : "
        "ce n'est pas un registre.",
        line,
        column,
    )


def _too_many(line: int = 1, column: int = 1) -> ParseError:
    return ParseError(
        f"Trop de valeurs (plus de {MAX_NODES}) : alias YAML démultipliés ou fichier démesuré, refusé.", line, column
    )


class _Scanner(Scanner):
    """ruamel's scanner, refusing flow collections nested deeper than MAX_DEPTH and directive floods.

    Each open `[` or `{` keeps a possible simple key that every later token re-examines: without
    this bound, `[[[[…` costs quadratic time long before the composer sees the depth.
    """

    directives = 0

    def fetch_flow_collection_start(self, TokenClass: Any, to_push: str) -> None:
        if len(self.flow_context) >= MAX_DEPTH:
            raise _too_deep(*_mark_of(self.reader.get_mark()))
        super().fetch_flow_collection_start(TokenClass, to_push)

    def fetch_directive(self) -> None:
        self.directives += 1
        if self.directives > MAX_DIRECTIVES:
            raise ParseError(
                f"Plus de {MAX_DIRECTIVES} directives YAML « % » : un registre n'en a pas besoin, retirez-les.",
                *_mark_of(self.reader.get_mark()),
            )
        super().fetch_directive()


class _Composer(Composer):
    """ruamel's composer with a budget: MAX_NODES nodes and aliases, MAX_DEPTH levels, YAML 1.2 only."""

    def __init__(self, loader: Any = None) -> None:
        super().__init__(loader)
        self.warn_double_anchors = False  # a reused anchor is legal YAML; no warning on stderr
        self.events = 0

    def compose_document(self) -> Any:
        start = self.parser.peek_event()
        version = getattr(start, "version", None)
        if version is not None and tuple(version) != (1, 2):
            buffer = self.loader._reader.buffer
            raise ParseError(
                f"Directive %YAML {version[0]}.{version[1]} : les registres sont en YAML 1.2, retirez cette ligne.",
                *_offset(buffer, max(0, buffer.find("%YAML"))),
            )
        return super().compose_document()

    def compose_node(self, parent: Any, index: Any) -> Any:
        self.events += 1
        if self.events > MAX_NODES:
            raise _too_many(*_mark_of(self.parser.peek_event().start_mark))
        if self.depth > MAX_DEPTH:
            raise _too_deep(*_mark_of(self.parser.peek_event().start_mark))
        return super().compose_node(parent, index)


class _Loader(Reader, _Scanner, Parser, _Composer, VersionedResolver):
    """A fresh reader → scanner → parser → composer pipeline per file: no state shared between files."""

    def __init__(self, text: str) -> None:
        self.comment_handling = None
        self.max_depth = 0  # ruamel's own check; ours is in _Composer
        self.doc_infos = [DocInfo(requested_version=None)]  # where ruamel notes %YAML and %TAG directives
        Reader.__init__(self, text, loader=self)
        _Scanner.__init__(self, loader=self)
        Parser.__init__(self, loader=self)
        _Composer.__init__(self, loader=self)
        VersionedResolver.__init__(self, None, loader=self)


def parse_yaml(text: str) -> Document:
    """One YAML document whose top level is a mapping, as plain data with positions."""
    _check_lines(text)
    bad = _FORBIDDEN.search(text)  # decode() refuses them already; parse_yaml may be given any text
    if bad:
        raise ParseError(f"{_describe(bad.group())} : retirez-le.", *_offset(text, bad.start()))
    node = _compose(text)
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


def _compose(text: str):
    loader = None
    try:
        loader = _Loader(text)
        return loader.get_single_node()
    except ParseError:
        raise
    except MarkedYAMLError as error:
        raise _yaml_error(error, text) from None
    except ReaderError as error:
        raise ParseError(
            f"Caractère U+{error.character:04X} interdit en YAML : retirez-le.", *_offset(text, error.position)
        ) from None
    except YAMLError as error:
        raise ParseError(f"YAML illisible : {str(error).splitlines()[0] if str(error) else type(error).__name__}.") from None
    except RecursionError:
        raise _too_deep() from None
    except Exception as error:  # noqa: BLE001 - a fault of the YAML library on odd input is still an unreadable file
        raise ParseError(f"YAML illisible (le lecteur YAML a échoué : {type(error).__name__}).") from None
    finally:
        if loader is not None:
            loader.dispose()
            loader.anchors = {}


def _mark(node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


# ruamel's problems, in the words of a coordinator.
_PROBLEMS_FR = (
    ("mapping values are not allowed here",
     "deux-points inattendu (un « : » dans une valeur doit être entre guillemets)"),
    ("could not find expected ':'", "deux-points « : » attendu après la clé"),
    ("found undefined alias", "alias « * » sans ancre « & » correspondante"),
    ("found unexpected end of stream", "fin de fichier inattendue (guillemet ou crochet non refermé ?)"),
    ("found unknown escape character", "séquence d'échappement « \\ » inconnue entre guillemets doubles"),
    ("that cannot start any token",
     "caractère qui ne peut pas commencer une valeur (« @ », « ` »…) : mettez la valeur entre guillemets"),
    ("while scanning an anchor", "nom d'ancre « & » invalide (mettez la valeur entre guillemets si « & » en fait partie)"),
    ("while scanning an alias", "nom d'alias « * » invalide (mettez la valeur entre guillemets si « * » en fait partie)"),
    ("while scanning a tag", "étiquette « ! » mal formée (mettez la valeur entre guillemets si « ! » en fait partie)"),
    ("while scanning a directive", "directive « % » mal formée (mettez la valeur entre guillemets si « % » en fait partie)"),
    ("while scanning a block scalar", "bloc de texte « | » ou « > » mal formé"),
    ("expected a comment or a line break", "texte inattendu après une valeur (un commentaire « # » suit une espace)"),
    ("expected ',' or ']'", "virgule ou « ] » attendu dans la liste entre crochets"),
    ("expected ',' or '}'", "virgule ou « } » attendu dans le dictionnaire entre accolades"),
    ("expected the node content", "valeur attendue à cet endroit (caractère inattendu)"),
    ("expected '<document start>'", "contenu inattendu après la fin du document"),
    ("expected <block end>", "indentation incohérente"),
    ("did not find expected key", "indentation incohérente ou clé attendue"),
    ("did not find expected '-' indicator", "indentation incohérente dans une liste « - »"),
    ("found duplicate anchor", "ancre « & » en double"),
)


def _yaml_error(error: MarkedYAMLError, text: str = "") -> ParseError:
    mark = error.problem_mark or error.context_mark
    line, column = _mark_of(mark)
    problem = (error.problem or "").strip()
    context = (error.context or "").strip()
    if "expected a single document" in context or "expected a single document" in problem:
        return ParseError("Plusieurs documents YAML (séparés par ---) : un registre n'en contient qu'un.", line, column)
    if "\\t" in problem or "tab" in problem:
        return ParseError(_tab_message(text, line, column), line, column)
    key = error.context_mark
    if "could not find expected ':'" in problem and key is not None and mark is not None and (
        mark.line == key.line and mark.index - key.index > 1024
    ):
        return ParseError(
            "Clé de plus de 1024 caractères (ou « : » manquant sur une très longue ligne) : un nom de champ est court.",
            *_mark_of(key),
        )
    if "mapping values are not allowed here" in problem and column > 1024:
        return ParseError(
            "Clé de plus de 1024 caractères (ou deux-points inattendu en fin de longue ligne) : "
            "un nom de champ est court.",
            line,
            column,
        )
    detail = "; ".join(part for part in (context, problem) if part)
    said = next((french for english, french in _PROBLEMS_FR if english in detail), None)
    lead = f"YAML illisible : {said}" if said else "YAML illisible à cet endroit"
    return ParseError(f"{lead}. Vérifiez l'indentation, les deux-points et les guillemets.", line, column)


def _tab_message(text: str, line: int, column: int) -> str:
    """A tab where YAML wants spaces: in the indentation, or as the space after « : » or « - »."""
    lines = text.splitlines()
    before = lines[line - 1][: column - 1].rstrip("\t") if 0 < line <= len(lines) else ""
    fixed = " (corrigé par gqrec fmt)"
    if before.strip() and before.rstrip()[-1:] in (":", "-"):
        return f"Tabulation après « {before.rstrip()[-1]} » : YAML demande une espace à cet endroit{fixed}."
    return f"Tabulation dans l'indentation : YAML n'indente qu'avec des espaces{fixed}."


class _Builder:
    """Turns composed nodes into plain values, recording positions and refusing what is unsafe."""

    def __init__(self) -> None:
        self.values: dict[Path_, tuple[int, int]] = {}
        self.keys: dict[Path_, tuple[int, int]] = {}
        self.visits = 0
        self.open: set[int] = set()  # ids of the collections being built: an alias back into one is a loop

    def build(self, node, path: Path_, depth: int) -> Any:
        self.visits += 1
        if self.visits > MAX_NODES:
            raise _too_many(*self._field_of(path, node))
        if depth > MAX_DEPTH:
            raise _too_deep(*_mark(node))
        self.values[path] = _mark(node)
        tag = str(node.tag)
        if isinstance(node, ScalarNode):
            return self._scalar(node, tag)
        if id(node) in self.open:
            raise ParseError("Alias récursif : une ancre « & » se contient elle-même, refusé.", *_mark(node))
        self.open.add(id(node))
        try:
            if isinstance(node, MappingNode):
                self._check_tag(node, tag, "tag:yaml.org,2002:map")
                return self._mapping(node, path, depth)
            if isinstance(node, SequenceNode):
                self._check_tag(node, tag, "tag:yaml.org,2002:seq")
                return [self.build(item, path + (index,), depth + 1) for index, item in enumerate(node.value)]
        finally:
            self.open.discard(id(node))
        raise ParseError("Nœud YAML inconnu.", *_mark(node))

    def _field_of(self, path: Path_, node) -> tuple[int, int]:
        """Where to report a budget overrun: the key of the field being built (aliases' marks are the
        anchor's, far from the alias that multiplied them), else the node."""
        for end in range(len(path), 0, -1):
            if path[:end] in self.keys:
                return self.keys[path[:end]]
        return _mark(node)

    def _mapping(self, node: MappingNode, path: Path_, depth: int) -> dict:
        out: dict = {}
        for key_node, value_node in node.value:
            key = self._key(key_node)
            if key in out:
                first = self.keys[path + (key,)]
                raise ParseError(
                    f"Clé « {key} » en double (déjà à la ligne {first[0]}) : gardez-en une seule.", *_mark(key_node)
                )
            self.keys[path + (key,)] = _mark(key_node)
            out[key] = self.build(value_node, path + (key,), depth + 1)
        return out

    def _key(self, node) -> str:
        """A field name is the text written, whatever it looks like (`1`, `true`, `2024-01-01`)."""
        self.visits += 1
        if not isinstance(node, ScalarNode):
            raise ParseError("Clé complexe (liste ou dictionnaire) : une clé est un nom de champ.", *_mark(node))
        tag = str(node.tag)
        if tag == MERGE:
            raise ParseError("Les clés de fusion « << » ne sont pas acceptées : écrivez les champs.", *_mark(node))
        if tag not in TEXT_TAGS and tag not in PLAIN_SCALAR_TAGS:
            raise _tag_refused(node, tag)
        key = node.value
        if len(key) > MAX_KEY_CHARS:
            raise ParseError(f"Clé de {len(key)} caractères : un nom de champ est court.", *_mark(node))
        self._check_text(node, key)
        if not key.replace(" ", "").isprintable():
            raise ParseError(
                f"Clé « {key} » avec un caractère invisible ou de mise en forme : écrivez le nom du champ seul.",
                *_mark(node),
            )
        return key

    def _scalar(self, node: ScalarNode, tag: str) -> Any:
        if tag in TEXT_TAGS:  # dates stay the text written; the schema checks their form
            self._check_text(node, node.value)
            return node.value
        if tag in PLAIN_SCALAR_TAGS:
            return _plain_scalar(node, tag)
        raise _tag_refused(node, tag)

    @staticmethod
    def _check_text(node, text: str) -> None:
        bad = _FORBIDDEN.search(text)
        if bad:  # only an escape in a double-quoted value can bring one here: decode() refused raw ones
            raise ParseError(
                f"{_describe(bad.group())} dans la valeur « {text[:80]} » (écrit avec « \\ » entre guillemets) : "
                "retirez-le.",
                *_mark(node),
            )

    @staticmethod
    def _check_tag(node, tag: str, expected: str) -> None:
        if tag != expected:
            raise _tag_refused(node, tag)


# The YAML 1.2 core schema's spellings, exactly (ruamel.yaml also reads 0b…, 1_000 and 1__0 as integers,
# as YAML 1.1 did; to the core schema they are text).
_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_NUMBER_STARTS = frozenset("0123456789+-.")
_BOOLS = {"true": True, "false": False}
_NULLS = {"", "~", "null"}


def _plain_scalar(node: ScalarNode, tag: str) -> Any:
    """int, float, bool or None from the text, as YAML 1.2 reads it; never a Python object, never NaN."""
    text = node.value
    if tag == NULL and text.lower() in _NULLS:
        return None
    if tag == BOOL and text.lower() in _BOOLS:
        return _BOOLS[text.lower()]
    if tag in (INT, FLOAT) and len(text) > MAX_NUMBER_CHARS:
        raise ParseError(
            f"Nombre de {len(text)} caractères : trop long pour un registre (au plus {MAX_NUMBER_CHARS}). "
            "Si c'est du texte, mettez-le entre guillemets.",
            *_mark(node),
        )
    if tag == INT and _INT.fullmatch(text):
        base = {"0o": 8, "0x": 16}.get(text[:2], 10)
        return int(text[2:] if base != 10 else text, base)
    if tag in (INT, FLOAT):
        if tag == FLOAT and text.lower().lstrip("+-") in (".inf", ".nan"):
            raise _not_finite(node)
        if _FLOAT.fullmatch(text):
            value = float(text)
            if not math.isfinite(value):
                raise _not_finite(node)
            return value
        if getattr(node.ctag, "handle", None) is None and text[:1] in _NUMBER_STARTS:
            return text  # read as a number by ruamel.yaml, not by the core schema (0b101, 1_000): text, as written
    kinds = {INT: "un nombre entier", FLOAT: "un nombre", BOOL: "true ou false", NULL: "une valeur vide"}
    raise ParseError(
        f"« {text[:80]} » n'est pas {kinds[tag]} lisible : mettez-le entre guillemets si c'est du texte.",
        *_mark(node),
    )


def _not_finite(node) -> ParseError:
    return ParseError(
        f"Nombre non fini « {node.value} » (infini ou « pas un nombre ») refusé : écrivez un nombre.", *_mark(node)
    )


def _tag_refused(node, tag: str) -> ParseError:
    return ParseError(
        f"Étiquette YAML « {tag[:120]} » refusée : un registre ne contient que du texte, des nombres, "
        "des dates, des listes et des dictionnaires (aucune étiquette « !! » ni « ! »).",
        *_mark(node),
    )


# -- CSV -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Table:
    """Rows of a CSV file as dicts of text, each with its 1-based line.

    `problems` (only with `parse_csv(..., keep_going=True)`) are the rows that could not be read:
    wrong number of cells, a line break or an oversized value in a cell, broken quoting; each a
    ParseError at the row's first line. The other rows are kept: one bad row does not lose the file.
    """

    header: tuple[str, ...]
    rows: tuple[tuple[int, Mapping[str, str]], ...]
    problems: tuple[ParseError, ...] = ()


def parse_csv(text: str, columns: tuple[str, ...], *, keep_going: bool = False) -> Table:
    """A comma-separated table with exactly the expected header; empty lines are skipped.

    A file-wide fault (empty, other separator, wrong header) raises ParseError. A faulty row raises
    too, unless `keep_going`: then it is left out of `rows` and reported in `problems`, and the
    caller must report those (the loader does, as GQ001 at the row's line).
    """
    first_end = text.find("\n")
    first = (text if first_end < 0 else text[:first_end]).rstrip("\r")
    if not first.strip():
        raise ParseError(f"Fichier CSV vide : la première ligne doit être l'en-tête {','.join(columns)}.")
    if len(first) > MAX_CSV_CELL_CHARS * len(columns):
        raise ParseError(f"En-tête CSV démesuré ({len(first)} caractères) : attendu « {','.join(columns)} ».")
    for separator, name in ((";", "« ; » (export de tableur français)"), ("\t", "tabulation")):
        if separator in first and "," not in first:
            raise ParseError(
                f"Séparateur {name} détecté : enregistrez le fichier en CSV séparé par des virgules "
                f"(en-tête attendu « {','.join(columns)} »).",
            )
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = tuple(cell.strip() for cell in next(reader))
    except (csv.Error, StopIteration) as error:
        raise ParseError(f"En-tête CSV illisible : {_csv_error(error) if isinstance(error, csv.Error) else error}.") from None
    if header != columns:
        missing = [c for c in columns if c not in header]
        extra = [c for c in header if c not in columns]
        detail = []
        if missing:
            detail.append("colonnes manquantes : " + ", ".join(missing))
        if extra:
            detail.append("colonnes inconnues : " + ", ".join(c[:40] for c in extra[:10]))
        if not detail:
            detail.append("colonnes dans le désordre ou en double")
        raise ParseError(f"En-tête CSV attendu « {','.join(columns)} » ({' ; '.join(detail)}).")
    rows = []
    problems: list[ParseError] = []

    def too_many_bad_rows() -> bool:
        if len(problems) < MAX_CSV_BAD_ROWS:
            return False
        problems.append(ParseError(
            f"Plus de {MAX_CSV_BAD_ROWS} lignes illisibles : la suite du fichier n'est pas lue. "
            "Est-ce bien le CSV des retours d'indicateurs ?", reader.line_num + 1, 1,
        ))
        return True

    while True:
        start = reader.line_num + 1  # the row's first line, even when a quoted cell spans several
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            problems.append(ParseError(f"Ligne {start} : {_csv_error(error)}. Vérifiez les guillemets de cette ligne.",
                                       start, 1))
            if reader.line_num < start or too_many_bad_rows():  # cannot, or should not, go on
                break
            continue
        if not cells or all(not c.strip() for c in cells):
            continue
        problem = _row_problem(cells, columns, start, reader.line_num)
        if problem:
            problems.append(problem)
            if too_many_bad_rows():
                break
            continue
        rows.append((start, MappingProxyType(dict(zip(columns, (c.strip() for c in cells))))))
    if problems and not keep_going:
        raise problems[0]
    return Table(header, tuple(rows), tuple(problems))


_CSV_ERRORS_FR = (
    ("unexpected end of data", "guillemet ouvert jamais refermé"),
    ("expected after", "texte collé à un guillemet fermant"),
    ("field larger than field limit", "valeur démesurée"),
    ("NUL", "octet nul"),
    ("new-line character seen in unquoted field", "retour à la ligne isolé dans une valeur"),
)


def _csv_error(error: csv.Error) -> str:
    said = next((french for english, french in _CSV_ERRORS_FR if english in str(error)), "CSV illisible")
    return f"{said} ({error})"


def _row_problem(cells: list[str], columns: tuple[str, ...], start: int, end: int) -> ParseError | None:
    if len(cells) != len(columns):
        return ParseError(
            f"Ligne {start} : {len(cells)} valeurs au lieu de {len(columns)} ({','.join(columns)}).", start, 1
        )
    column = 1
    for name, cell in zip(columns, cells):
        if "\n" in cell or "\r" in cell or end != start:
            return ParseError(
                f"Ligne {start} : la valeur de « {name} » s'étend sur plusieurs lignes (guillemet non refermé ?).",
                start,
                column,
            )
        if len(cell) > MAX_CSV_CELL_CHARS:
            return ParseError(
                f"Ligne {start} : valeur de « {name} » de {len(cell)} caractères (au plus {MAX_CSV_CELL_CHARS}).",
                start,
                column,
            )
        column += len(cell) + 1
    return None
