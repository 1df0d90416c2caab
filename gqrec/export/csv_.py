"""The export as CSV: one file a table (`<table>.csv`), UTF-8, a header row, empty cells for NULL,
every text cell neutralised against spreadsheet formulas (`csvsafe`, as every CSV gqrec writes); the
files are all written before any of them replaces its predecessor."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Iterable, Mapping

from ..csvsafe import neutralise
from .atomic import replaced_files
from .schema import TABLES


def write(rows: Mapping[str, Iterable[tuple]], request) -> dict[str, int]:
    """Write every table of `schema` as `<request.out>/<table>.csv`; the rows of each table."""
    folder = Path(request.out)
    counts = {}
    with replaced_files(folder) as temporary:
        for table in TABLES:
            count = 0
            with open(temporary(f"{table.name}.csv"), "w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle, lineterminator="\n")
                writer.writerow(table.names)
                for row in rows[table.name]:
                    writer.writerow([neutralise(cell) for cell in row])
                    count += 1
            counts[table.name] = count
    return counts
