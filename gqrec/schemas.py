"""The JSON Schemas of `schema/`, and their verdicts turned into French findings at the right line."""

from __future__ import annotations

import difflib
import json
import re
from functools import lru_cache, cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from .french import counted
from .ids import french_date, loose_date
from .safe import printable
from .suggest import did_you_mean

if TYPE_CHECKING:  # the validators are imported when first needed: a run that reads no file needs none
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError
    from referencing import Registry

    from .parse import Document

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"

PATTERN_FR = {
    "^[0-9]{11}$": "un numéro RPPS de 11 chiffres entre guillemets, par ex. \"10001234565\"",
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}$": "une date AAAA-MM-JJ, par ex. 2024-03-12",
    "^[a-z0-9]+(-[a-z0-9]+)*$": "un identifiant en minuscules, chiffres et tirets, par ex. asthme-adulte",
    "^[0-9]{4}-(S[12]|T[1-4])$": "une période AAAA-S1, AAAA-S2 ou AAAA-T1 à AAAA-T4",
    "^[0-9]+$": "un nombre entier positif ou nul",
    "^([0-9]{11})?$": "un numéro RPPS de 11 chiffres, ou rien (ligne du groupe témoin)",
    "^GQ[0-9]{3}$": "un identifiant de règle, GQ suivi de 3 chiffres, par ex. GQ105",
    "^[0-9][0-9AB][0-9]{3}$": "un code INSEE de 5 caractères (2A ou 2B pour la Corse), par ex. 22093",
    "^([01][0-9]|2[0-3]):[0-5][0-9]$": "une heure HH:MM (24 h), par ex. \"20:30\"",
    "^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*\\.(png|svg)$": "le chemin d'une image .png ou .svg, relatif au dossier des "
                                                        "registres, par ex. .assets/logo.png",
    # library.lock (written by gqrec library pull)
    "^[0-9a-f]{40}([0-9a-f]{24})?$": "l'identifiant complet d'un commit git (40 caractères hexadécimaux)",
    "^sha256:[0-9a-f]{64}$": "une empreinte sha256: suivie de 64 caractères hexadécimaux",
    "^(federation\\.yaml|(themes|indicators)/[a-z0-9]+(-[a-z0-9]+)*\\.yaml)$":
        "le chemin d'un fichier de la bibliothèque nationale, par ex. themes/asthme-adulte.yaml",
    "^(themes|indicators)/[a-z0-9]+(-[a-z0-9]+)*\\.yaml$":
        "le chemin d'un thème ou d'un indicateur, par ex. themes/asthme-adulte.yaml",
}
FIXED_BY_FMT = " (corrigé par gqrec fmt)"
SCIENTIFIC = re.compile(r"[0-9]+([.,][0-9]+)?[eE]\+?[0-9]+")  # 1.002003001E+10: a spreadsheet's number
TYPE_FR = {
    "string": "du texte",
    "integer": "un nombre entier",
    "number": "un nombre",
    "boolean": "true ou false",
    "array": "une liste",
    "object": "un dictionnaire de champs",
    "null": "une valeur vide",
}


@lru_cache(maxsize=1)
def _contents() -> dict[str, dict]:
    return {path.name: json.loads(path.read_text("utf-8")) for path in sorted(SCHEMA_DIR.glob("*.schema.json"))}


@lru_cache(maxsize=1)
def _registry() -> Registry:
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    return Registry().with_resources(
        (name, Resource.from_contents(schema, default_specification=DRAFT202012)) for name, schema in _contents().items()
    )


@cache
def _quick(kind: str):
    """A compiled (Rust) validator that only says yes or no: the fast path for the many valid files."""
    import jsonschema_rs

    contents = _contents()
    return jsonschema_rs.Draft202012Validator(
        contents[f"{kind}.schema.json"],
        retriever=lambda uri: contents[uri.rsplit("/", 1)[-1]],
        base_uri=f"file:///gqrec/schema/{kind}.schema.json",
        validate_formats=True,
    )


@cache
def validator(kind: str) -> Draft202012Validator:
    """The validator of one record kind, refs resolved against the other schema files."""
    from jsonschema import Draft202012Validator, FormatChecker

    return Draft202012Validator(
        {"$ref": f"{kind}.schema.json"}, registry=_registry(), format_checker=FormatChecker()
    )


def schema_files() -> list[Path]:
    return sorted(SCHEMA_DIR.glob("*.schema.json"))


def fingerprint() -> str:
    """Changes whenever any schema changes (used to invalidate caches)."""
    import hashlib

    digest = hashlib.sha256()
    for path in schema_files():
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def is_valid(kind: str, data: Any) -> bool:
    """Whether plain data fits its kind's schema."""
    try:
        return _quick(kind).is_valid(data)
    except (ValueError, OverflowError, TypeError):
        return not any(True for _ in validator(kind).iter_errors(data))


def violations(kind: str, doc: Document) -> Iterator[tuple[int, int, str]]:
    """(line, column, French message) for every way the document breaks its kind's schema.

    The compiled validator answers for valid documents; the detailed (and slower) Python validator
    only explains the invalid ones, in French, at the right line.
    """
    try:
        if _quick(kind).is_valid(doc.data):
            return
    except (ValueError, OverflowError, TypeError):
        pass  # a value the compiled validator cannot take (a huge integer…): let the Python one explain
    errors = list(validator(kind).iter_errors(doc.data))
    if not errors:
        yield from _ecma_only(kind, doc)
        return
    misshapen = {_path(e) for e in errors if e.validator in ("type", "pattern")}
    unknown_at = {_path(e) for e in errors if e.validator == "additionalProperties"}
    for error in errors:
        if error.validator == "format" and _path(error) in misshapen:
            continue  # "not a real date" says nothing more once the form itself is wrong
        if error.validator == "required" and _path(error) in unknown_at:
            continue  # a misspelt key is one fault: its "unknown field" finding names what is missing
        yield from _explain(error, doc, _missing(errors, _path(error)))


def _missing(errors: list[ValidationError], path: tuple) -> list[str]:
    """The required keys missing from the object at path (whichever subschema requires them)."""
    names: list[str] = []
    for error in errors:
        if error.validator == "required" and _path(error) == path and isinstance(error.instance, dict):
            names.extend(n for n in error.validator_value if n not in error.instance and n not in names)
    return names


@cache
def fields(kind: str) -> frozenset[str]:
    """The top-level fields a record kind's schema knows."""
    return frozenset(_contents()[f"{kind}.schema.json"].get("properties", {}))


def faulty_paths(kind: str, data: Any) -> set[tuple]:
    """The paths of the values a document gets wrong, and of its missing and unknown keys.

    What is not under one of them is a valid field: a record that fails its schema still counts by
    those (see `records.Partial`).
    """
    found: set[tuple] = set()
    try:  # the compiled validator is the reference verdict (see `_ecma_only`)
        for error in _quick(kind).iter_errors(data):
            path, name = tuple(error.instance_path), error.kind.name
            if name == "required":
                found.add(path + (error.kind.property,))
            elif name == "additionalProperties":
                found.update(path + (key,) for key in error.kind.unexpected)
            else:
                found.add(path)
        return found
    except (ValueError, OverflowError, TypeError, AttributeError):
        found.clear()
    for error in validator(kind).iter_errors(data):
        path = _path(error)
        if error.validator == "required" and isinstance(error.instance, dict):
            found.update(path + (name,) for name in error.validator_value if name not in error.instance)
        elif error.validator == "additionalProperties" and isinstance(error.instance, dict):
            known = error.schema.get("properties", {})
            found.update(path + (key,) for key in error.instance if key not in known)
        else:
            found.add(path)
    return found


def _ecma_only(kind: str, doc: Document) -> Iterator[tuple[int, int, str]]:
    """What only the compiled validator refuses, which reads `pattern` as JSON Schema means it (ECMA-262):
    Python's `$` also matches before a final line break, so "a-b\\n" would pass for a slug there."""
    try:
        refused = list(_quick(kind).iter_errors(doc.data))
    except (ValueError, OverflowError, TypeError):
        refused = []
    for error in refused:
        path = tuple(error.instance_path)
        value = printable(repr(error.instance))[:80]
        yield (*_at_value(doc, path), f"{_field_name(path)} : valeur non conforme au schéma ({value}) ; "
               "un retour à la ligne s'est-il glissé dans la valeur ?")


def _path(error: ValidationError) -> tuple:
    return tuple(error.absolute_path)


def _at_value(doc: Document, path: tuple) -> tuple[int, int]:
    while path not in doc.values and path:
        path = path[:-1]
    return doc.values.get(path, (1, 1))


def _field_name(path: tuple) -> str:
    if not path:
        return "le fichier"
    shown = ".".join(f"[{p + 1}]" if isinstance(p, int) else str(p) for p in path).replace(".[", "[")
    return f"« {shown} »"


def _explain(error: ValidationError, doc: Document, missing: list[str] = ()) -> Iterator[tuple[int, int, str]]:
    path = _path(error)
    where = _field_name(path)
    keyword = error.validator
    instance = error.instance
    if keyword == "additionalProperties" and isinstance(instance, dict):
        known = sorted(error.schema.get("properties", {}))
        unknown = sorted((k for k in instance if k not in known), key=str)
        claimed: dict[str, list[str]] = {}
        for name in missing:  # each missing key is put down to the unknown key most like it
            closest = (difflib.get_close_matches(name, list(map(str, unknown)), n=1, cutoff=0) or [str(unknown[0])])[0]
            claimed.setdefault(closest, []).append(name)
        for key in unknown:
            line, column = doc.keys.get(path + (key,), _at_value(doc, path))
            names = claimed.get(str(key))
            if names:
                advice = (f" Champ obligatoire « {', '.join(names)} » manquant : est-ce lui, mal orthographié ?"
                          if len(names) == 1 else f" Champs obligatoires manquants : {', '.join(names)}.")
            else:
                advice = did_you_mean(str(key), known) or f" Champs permis : {', '.join(known)}."
            yield line, column, f"Champ inconnu « {key} » dans {where}.{advice}"
        return
    if keyword == "uniqueItems" and isinstance(instance, list):
        seen: dict = {}
        for index, item in enumerate(instance):
            first = seen.setdefault(json.dumps(item, sort_keys=True, default=str), index)
            if first != index:
                yield (*_at_value(doc, path + (index,)), f"{where} : {_show(item)} figure deux fois dans la liste "
                       f"(éléments {first + 1} et {index + 1}) ; chaque valeur ne doit y figurer qu'une fois.")
        return
    line, column = _at_value(doc, path)
    if keyword == "required":
        for name in error.validator_value:
            if isinstance(instance, dict) and name not in instance:
                yield line, column, f"Champ obligatoire « {name} » manquant dans {where}."
        return
    yield line, column, _message(keyword, error, where, instance)


def _message(keyword: str, error: ValidationError, where: str, instance: Any) -> str:
    value = error.validator_value
    schema = error.schema
    if keyword == "type":
        if schema.get("pattern") == "^[0-9]{11}$" and isinstance(instance, int):
            return (
                f"{where} : le RPPS {instance} est lu comme un nombre ; écrivez-le entre guillemets "
                f"(\"{instance:011d}\") pour qu'il reste un texte de 11 chiffres" + FIXED_BY_FMT + "."
            )
        if schema.get("pattern") == "^[0-9]{11}$" and isinstance(instance, float):
            return f"{where} : {_spreadsheet(instance)}"
        if schema.get("format") == "date" and isinstance(instance, int):
            return f"{where} : une date AAAA-MM-JJ est attendue, trouvé {instance}."
        if value == "string" and isinstance(instance, (int, float)) and not isinstance(instance, bool):
            return (
                f"{where} : {instance} est lu comme un nombre ; écrivez-le entre guillemets "
                f"(\"{instance}\") pour qu'il reste un texte."
            )
        expected = " ou ".join(TYPE_FR.get(t, t) for t in (value if isinstance(value, list) else [value]))
        return f"{where} : {expected} attendu, trouvé {_show(instance)}."
    if keyword == "pattern":
        expected = PATTERN_FR.get(value, "une valeur de la forme décrite par le schéma (gqrec schema)")
        if value == "^[0-9]{4}-[0-9]{2}-[0-9]{2}$" and isinstance(instance, str):
            if (day := loose_date(instance)) is not None:
                return f"{where} : écrivez la date {day.isoformat()} (AAAA-MM-JJ), trouvé {_show(instance)}{FIXED_BY_FMT}."
            if (day := french_date(instance)) is not None:
                return (f"{where} : date {_show(instance)} écrite jour, mois, année ; écrivez {day.isoformat()} "
                        f"(AAAA-MM-JJ) (corrigé par gqrec fmt --fix-dates).")
        if "[0-9]{11}" in value and isinstance(instance, str) and SCIENTIFIC.fullmatch(instance.strip()):
            return f"{where} : {_spreadsheet(instance)}"
        if value == "^[0-9]{4}-[0-9]{2}-[0-9]{2}$" and "T" in str(instance):
            return f"{where} : une date sans heure est attendue (AAAA-MM-JJ), trouvé {_show(instance)}."
        return f"{where} : {expected} attendu, trouvé {_show(instance)}."
    if keyword == "format" and value == "date":
        return f"{where} : {_show(instance)} n'est pas une date réelle du calendrier."
    if keyword == "format":
        return f"{where} : {_show(instance)} n'est pas au format {value}."
    if keyword in ("enum", "const"):
        allowed = value if keyword == "enum" else [value]
        return f"{where} : valeur {_show(instance)} non permise ; valeurs permises : {', '.join(map(str, allowed))}."
    if keyword == "not" and where in ("« present »", "« absent »"):
        return (f"{where} : pas d'appel pour une réunion prévue ou annulée ; une fois la réunion tenue, "
                "enregistrez l'appel avec gqrec roll-call (elle passe en « status: held »).")
    if keyword == "minimum":
        return f"{where} : au moins {value} attendu, trouvé {_show(instance)}."
    if keyword == "maximum":
        return f"{where} : au plus {value} attendu, trouvé {_show(instance)}."
    if keyword == "minLength":
        return f"{where} : texte vide ; écrivez une valeur."
    if keyword == "minItems":
        return f"{where} : la liste doit compter au moins {counted(value, 'élément', 'éléments')}."
    if keyword == "uniqueItems":
        return f"{where} : la liste contient des doublons ; chaque valeur ne doit y figurer qu'une fois."
    return f"{where} : valeur non conforme au schéma ({keyword})."


def _spreadsheet(value: Any) -> str:
    return (f"{value} est un RPPS écrit en notation scientifique par un tableur, qui l'a pris pour un nombre : "
            "mettez la colonne au format texte dans le tableur, ressaisissez les 11 chiffres, puis réexportez.")


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "…"
