"""The export as CSV: one file a table (`<table>.csv`), empty cells for NULL, every text cell neutralised
against spreadsheet formulas (`csvsafe`, as every CSV gqrec writes), in the CSV dialect asked
(`document.spreadsheet`): for a French spreadsheet by default (`;`, UTF-8 with BOM, CRLF, French
headers and words), or with `--csv-dialect data` the columns of docs/export.md as they are in SQLite
(comma, LF, English). The files are all written before any of them replaces its predecessor."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Mapping

from ..document.spreadsheet import dialect_of
from .atomic import replaced_files
from .schema import TABLES

# The French spreadsheet's column headers (one name per column name, the same in every table).
HEADERS_FR = {
    "region": "région", "name": "nom", "association": "association", "coordinator": "coordonnateur",
    "territory": "territoire", "setting": "milieu", "general_practitioners": "médecins généralistes",
    "rpps": "RPPS", "specialty": "spécialité", "animator_trained": "formé à l'animation le",
    "group_id": "groupe", "constituted": "constitué le", "wave": "vague", "role": "rôle", "entry": "entrée",
    "since": "depuis", "until": "jusqu'au", "date": "date", "type": "type", "theme": "thème",
    "period": "période", "duration_minutes": "durée (minutes)", "animator": "animateur",
    "clinical_cases": "cas cliniques", "status": "statut", "year": "année", "validated": "validé le",
    "signed": "signé le", "title": "titre", "daily_practice": "pratique quotidienne", "evaluable": "évaluable",
    "evidence_based": "fondé sur les preuves", "efficiency": "efficience", "indicator": "indicateur",
    "better": "meilleur taux", "line": "ligne", "population": "population", "numerator": "numérateur",
    "denominator": "dénominateur", "finding": "constat", "rule": "règle", "severity": "gravité",
    "path": "chemin", "column": "colonne", "message": "message", "hint": "conseil", "as_of": "date de référence",
    "revision": "révision", "commit_id": "commit", "pseudonymised": "pseudonymisé",
    "gqrec_version": "version de gqrec", "attended_min": "réunions suivies (au moins)",
    "attended_max": "réunions suivies (au plus)",
}
# The words among the values, by column.
WORDS_FR = {
    "setting": {"rural": "rural", "urban": "urbain", "mixed": "mixte"},
    "role": {"animator": "animateur", "member": "membre", "participant": "participant"},
    "type": {"thematic": "thématique", "feedback": "restitution"},
    "status": {"present": "présent", "absent": "absent"},
    "better": {"lower": "le plus bas", "higher": "le plus haut"},
    "severity": {"error": "erreur", "warning": "avertissement"},
    "population": {"participant": "participant", "control": "témoin"},
}


def _french_rows(names: tuple[str, ...], rows: Iterable[tuple]) -> Iterable[tuple]:
    words = [WORDS_FR.get(name) for name in names]
    for row in rows:
        yield tuple(cell if table is None else table.get(cell, cell) for cell, table in zip(row, words))


def write(rows: Mapping[str, Iterable[tuple]], request) -> dict[str, int]:
    """Write every table of `schema` as `<request.out>/<table>.csv`; the rows of each table."""
    dialect = dialect_of(request)
    french = dialect.lang == "fr"
    counts = {}
    with replaced_files(Path(request.out)) as temporary:
        for table in TABLES:
            headers = [HEADERS_FR[name] for name in table.names] if french else table.names
            body = _french_rows(table.names, rows[table.name]) if french else rows[table.name]
            with open(temporary(f"{table.name}.csv"), "w", encoding="utf-8", newline="") as handle:
                counts[table.name] = dialect.write(handle, headers, body)
    return counts
