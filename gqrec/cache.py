"""A cache of what each file gave when read (its plain data or its findings), in `.gqrec-cache/`.

Safe to delete, ignored by git. An entry is reused when the file's content is the same: the stat
(size, mtime) vouches for it when the file was last modified well before the cache was written
(as git does for its index, a file modified within the same clock tick is "racy" and rehashed);
otherwise the content hash decides. The whole cache is dropped when gqrec, the schemas or Python
change (its version or any of its source files), and a cache that cannot be read is ignored, never
trusted.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from . import __version__, schemas

CACHE_DIR = ".gqrec-cache"
CACHE_FILE = "files.marshal"
FORMAT = 2
RACY_NS = 2_000_000_000  # a file modified less than 2 s before the cache was written is rehashed


def digest(raw: bytes) -> bytes:
    return hashlib.blake2b(raw, digest_size=16).digest()


def _code_fingerprint() -> str:
    """Changes with any change of gqrec's own code, released or not (a version number may lag)."""
    package = Path(__file__).resolve().parent
    hasher = hashlib.blake2b(digest_size=16)
    for path in sorted(package.rglob("*.py")):
        hasher.update(path.relative_to(package).as_posix().encode() + path.read_bytes())
    return hasher.hexdigest()


def _signature(settings: tuple) -> tuple:
    """What every cached outcome depends on beside the file itself; `settings` are the run's own (limits)."""
    return (FORMAT, __version__, _code_fingerprint(), schemas.fingerprint(), sys.version_info[:2], settings)


class FileCache:
    """Outcomes by relative path, with the stat and content digest they were computed from."""

    def __init__(self, root: Path, entries: dict[str, tuple], written_ns: int, settings: tuple = ()):
        self.root = root
        self.settings = settings
        self.entries = entries  # path -> (size, mtime_ns, digest, outcome)
        self.written_ns = written_ns
        self.fresh: dict[str, tuple] = {}

    @classmethod
    def open(cls, root: Path, settings: tuple = ()) -> "FileCache":
        """The cache of root, or an empty one when it is missing, unreadable or made with other settings."""
        path = root / CACHE_DIR / CACHE_FILE
        try:
            with open(path, "rb") as handle:
                stored = marshal.loads(handle.read())  # one read: marshal.load on a file reads piecemeal
            signature, written_ns, entries = stored
            if signature != _signature(settings) or not isinstance(entries, dict) or not isinstance(written_ns, int):
                raise ValueError("stale")
        except (OSError, ValueError, EOFError, TypeError):
            entries, written_ns = {}, 0
        return cls(root, entries, written_ns, settings)

    def lookup(self, rel: str, stat: os.stat_result, read) -> Any:
        """A file's cached outcome, or None when it must be computed; `read` gives its bytes if needed."""
        entry = self.entries.get(rel)
        if entry is not None and len(entry) == 4:
            size, mtime_ns, known, outcome = entry
            if size == stat.st_size and mtime_ns == stat.st_mtime_ns and mtime_ns < self.written_ns - RACY_NS:
                self.fresh[rel] = entry
                return outcome
            raw = read()
            if raw is not None and digest(raw) == known:
                self.fresh[rel] = (stat.st_size, stat.st_mtime_ns, known, outcome)
                return outcome
        return None

    def store(self, rel: str, signature: tuple[int, int], content_digest: bytes, outcome: Any) -> None:
        """Remember what a file gave, with the (size, mtime) it had when read and its content digest."""
        self.fresh[rel] = (*signature, content_digest, outcome)

    def save(self) -> None:
        """Write the entries of this run (atomically); a read-only root simply goes without a cache."""
        if self.fresh == self.entries and self.written_ns:
            return  # nothing changed since the cache was written
        folder = self.root / CACHE_DIR
        try:
            folder.mkdir(exist_ok=True)
            (folder / ".gitignore").write_text("*\n") if not (folder / ".gitignore").exists() else None
            handle, tmp = tempfile.mkstemp(dir=folder, prefix=".files-")
            with os.fdopen(handle, "wb") as out:
                out.write(marshal.dumps((_signature(self.settings), time.time_ns(), self.fresh)))
            os.replace(tmp, folder / CACHE_FILE)
        except (OSError, ValueError):
            pass
