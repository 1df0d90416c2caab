"""Atomic output: a file or a folder of files is written under a temporary name beside its target and
renamed into place only once complete, so an interrupted export never leaves half a database (or half
a table) under the name an analyst opens.

Minimal and local to the export for now: gqrec has no shared atomic-write helper for a file written by
a library that wants a path (sqlite3 does) rather than bytes.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


def _sync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


@contextmanager
def replaced_file(target: Path) -> Iterator[Path]:
    """A temporary path beside target to write; renamed onto target when the block ends normally,
    removed when it raises."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    temporary = Path(name)
    try:
        yield temporary
        _sync(temporary)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


@contextmanager
def replaced_files(folder: Path) -> Iterator[Path]:
    """A temporary folder beside `folder` to write files in. When the block ends normally, a new folder
    is renamed into place whole; in an existing one, each file replaces its namesake only once every
    file is written (other files of the folder are left alone). Removed when the block raises."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".tmp", dir=folder.parent))
    try:
        yield temporary
        for path in temporary.iterdir():
            _sync(path)
        if not folder.exists():
            os.replace(temporary, folder)
        else:
            for path in sorted(temporary.iterdir()):
                os.replace(path, folder / path.name)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)
