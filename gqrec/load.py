"""Read every file of a records root once: classify, parse, validate, build typed records.

Everything that can go wrong with a single file (GQ001 unreadable, GQ002 schema, GQ003 layout,
GQ005/GQ006 on its name) is found here, so that the rules only ever see well-formed records.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import records, schemas
from .findings import ERROR, Finding
from .layout import Place, survey
from .parse import Document, ParseError, decode, parse_csv, parse_yaml

MAX_YAML_BYTES = 1 << 20
MAX_CSV_BYTES = 16 << 20


@dataclass(frozen=True)
class Loaded:
    """All that reading a records root gave: the places found, the valid records, the findings."""

    root: Path
    places: tuple[Place, ...]
    records: tuple[Any, ...]
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class FileResult:
    """What one file gave: its record (None when it is not usable) and its findings."""

    record: Any
    findings: tuple[Finding, ...]


def load(root: Path, *, max_yaml_bytes: int = MAX_YAML_BYTES) -> Loaded:
    """Survey and read a records root; every file is read exactly once."""
    found = survey(root)
    results = [read_place(root, place, max_yaml_bytes=max_yaml_bytes) for place in found.places]
    findings = list(found.findings)
    recs = []
    for result in results:
        findings.extend(result.findings)
        if result.record is not None:
            recs.append(result.record)
    return Loaded(root, found.places, tuple(recs), tuple(findings))


def read_place(root: Path, place: Place, *, max_yaml_bytes: int = MAX_YAML_BYTES) -> FileResult:
    limit = MAX_CSV_BYTES if place.kind == "feedback" else max_yaml_bytes
    try:
        with open(root / place.path, "rb") as handle:
            raw = handle.read(limit + 1)
    except OSError as error:
        return _unreadable(place, ParseError(f"Fichier illisible : {error.strerror}."))
    if len(raw) > limit:
        return _unreadable(
            place, ParseError(f"Fichier trop gros (plus de {limit // 1024} Kio) pour un registre : découpez-le ou retirez-le.")
        )
    return read_bytes(place, raw)


def read_bytes(place: Place, raw: bytes) -> FileResult:
    """The record and findings of one file's content (pure: no file system)."""
    try:
        text = decode(raw)
        if place.kind == "feedback":
            return _read_feedback(place, parse_csv(text, records.FEEDBACK_COLUMNS))
        doc = parse_yaml(text)
    except ParseError as error:
        return _unreadable(place, error)
    problems = tuple(
        Finding(place.path, line, column, "GQ002", ERROR, message)
        for line, column, message in schemas.violations(place.kind, doc)
    )
    if problems:
        return FileResult(None, problems)
    return FileResult(records.build(place, doc), ())


def _unreadable(place: Place, error: ParseError) -> FileResult:
    return FileResult(None, (Finding(place.path, error.line, error.column, "GQ001", ERROR, error.message),))


def _read_feedback(place: Place, table) -> FileResult:
    """Validate each CSV row against the row schema; keep the file usable with its valid rows."""
    findings: list[Finding] = []
    rows: list[records.FeedbackRow] = []
    for line, cells in table.rows:
        positions = {(): (line, 1)}
        offset = 1
        for name in records.FEEDBACK_COLUMNS:
            positions[(name,)] = (line, offset)
            offset += len(cells[name]) + 1
        row_doc = Document(dict(cells), positions, positions)
        problems = [
            Finding(place.path, l, c, "GQ002", ERROR, f"Ligne {line} : {m}")
            for l, c, m in schemas.violations("feedback", row_doc)
        ]
        if not problems and int(cells["numerator"]) > int(cells["denominator"]):
            line_, column = positions[("numerator",)]
            problems.append(Finding(
                place.path, line_, column, "GQ002", ERROR,
                f"Ligne {line} : numérateur {cells['numerator']} supérieur au dénominateur {cells['denominator']}.",
            ))
        if problems:
            findings.extend(problems)
            continue
        rows.append(
            records.FeedbackRow(
                line, cells["population"], cells["physician"] or None, cells["indicator"],
                int(cells["numerator"]), int(cells["denominator"]),
            )
        )
    src = records.Source.of(place.path)
    return FileResult(records.Feedback(src, place.region, place.id, tuple(rows)), tuple(findings))
