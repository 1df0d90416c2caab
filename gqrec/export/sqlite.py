"""The export as one SQLite database: the tables of `schema` with their keys and indexes, rows always
passed as parameters (never written into SQL), written under a temporary name and renamed into place."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Iterable, Mapping

from .atomic import replaced_file
from .schema import TABLES, Table

FORMAT_VERSION = 2  # PRAGMA user_version of the files written: the tables and columns of docs/export.md


def _name(identifier: str) -> str:
    """An identifier of `schema` (constants only, never data) quoted for SQL: `groups` and `column`
    are SQL keywords."""
    return '"' + identifier.replace('"', '""') + '"'


def _names(columns: Iterable[str]) -> str:
    return ", ".join(map(_name, columns))


def create_statement(table: Table) -> str:
    parts = [f"{_name(column)} {kind}" for column, kind in table.columns]
    parts.append(f"PRIMARY KEY ({_names(table.key)})")
    parts += [f"FOREIGN KEY ({_names(ref.columns)}) REFERENCES {_name(ref.table)} ({_names(ref.to)})"
              for ref in table.references]
    return f"CREATE TABLE {_name(table.name)} (\n  " + ",\n  ".join(parts) + "\n)"


def index_statements(table: Table) -> list[str]:
    return [f"CREATE INDEX {_name(table.name + '_' + '_'.join(columns))} ON {_name(table.name)} ({_names(columns)})"
            for columns in table.indexes]


def insert_statement(table: Table) -> str:
    return f"INSERT INTO {_name(table.name)} ({_names(table.names)}) VALUES ({', '.join('?' * len(table.columns))})"


def write(rows: Mapping[str, Iterable[tuple]], request) -> dict[str, int]:
    """Write every table of `schema` with its rows into the database `target`; the rows of each table."""
    target = Path(request.out)
    counts = {}
    with replaced_file(target) as temporary:
        connection = sqlite3.connect(temporary, isolation_level=None)
        try:
            # A file nobody else sees until it is renamed: no journal, no waiting for the disk (the
            # rename comes after an fsync). Large pages and a page cache the size of a national export
            # (256 Mio at most) spare the B-trees' splits and rereads: a third less time in SQLite.
            connection.execute("PRAGMA page_size = 65536")
            connection.execute("PRAGMA cache_size = -262144")
            connection.execute("PRAGMA journal_mode = OFF")
            connection.execute("PRAGMA synchronous = OFF")
            connection.execute(f"PRAGMA user_version = {FORMAT_VERSION}")
            connection.execute("BEGIN")
            for table in TABLES:
                connection.execute(create_statement(table))
            for table in TABLES:
                cursor = connection.executemany(insert_statement(table), rows[table.name])
                counts[table.name] = cursor.rowcount
            for table in TABLES:
                for statement in index_statements(table):
                    connection.execute(statement)
            connection.execute("COMMIT")
        finally:
            connection.close()
    return counts
