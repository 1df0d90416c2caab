"""What gqrec remembers between runs, in `.gqrec-cache/` (safe to delete, ignored by git).

Two stores, both per partition (a region's folder, or the national files):

- `FileCache`, what each file gave when read (its plain data or its findings). An entry is reused
  when the file's content is the same: the stat (size, mtime) vouches for it when the file was last
  modified well before the cache was written (as git does for its index, a file modified within the
  same clock tick is "racy" and rehashed); otherwise the content hash decides.
- `FindingsMemo`, each partition's findings, with the digest of the listing they were computed from
  (every file's path, size, mtime and inode, and the national files' listing): a region none of whose
  files changed, nor any national file, is not read again at all.

Everything is dropped when gqrec, the schemas or Python change (its version or any of its source
files), and a cache that cannot be read is ignored, never trusted.
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
MEMO_FILE = "findings.marshal"
FORMAT = 3
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


def signature(settings: tuple = ()) -> tuple:
    """What everything cached depends on beside the files; `settings` are the run's own (limits, date).

    Computed once per run (it reads gqrec's sources and the schemas) and handed to each store.
    """
    return (FORMAT, __version__, _code_fingerprint(), schemas.fingerprint(), sys.version_info[:2], settings)


class FileCache:
    """Outcomes by relative path, with the stat and content digest they were computed from."""

    def __init__(self, root: Path, entries: dict[str, tuple], written_ns: int, signature: tuple = (), name: str = ""):
        self.root = root
        self.signature = signature
        self.name = name
        self.entries = entries  # path -> (size, mtime_ns, digest, outcome)
        self.written_ns = written_ns
        self.fresh: dict[str, tuple] = {}

    @classmethod
    def open(cls, root: Path, signature: tuple, partition: str | None = None) -> "FileCache":
        """The cache of one partition of root, or an empty one when it is missing, unreadable or stale."""
        name = cache_file_name(partition)
        entries, written_ns = _read_store(root / CACHE_DIR / name, signature)
        return cls(root, entries, written_ns, signature, name)

    def lookup(self, rel: str, size: int, mtime_ns: int, read) -> Any:
        """A file's cached outcome, or None when it must be computed; `read` gives its bytes if needed."""
        entry = self.entries.get(rel)
        if entry is not None and len(entry) == 4:
            known_size, known_mtime_ns, known, outcome = entry
            if known_size == size and known_mtime_ns == mtime_ns and mtime_ns < self.written_ns - RACY_NS:
                self.fresh[rel] = entry
                return outcome
            raw = read()
            if raw is not None and digest(raw) == known:
                self.fresh[rel] = (size, mtime_ns, known, outcome)
                return outcome
        return None

    def store(self, rel: str, signature: tuple[int, int], content_digest: bytes, outcome: Any) -> None:
        """Remember what a file gave, with the (size, mtime) it had when read and its content digest."""
        self.fresh[rel] = (*signature, content_digest, outcome)

    def save(self) -> None:
        """Write the entries of this run (atomically); a read-only root simply goes without a cache."""
        if self.fresh == self.entries and self.written_ns:
            return  # nothing changed since the cache was written
        _write_store(self.root, self.name, self.signature, time.time_ns(), self.fresh)


def cache_file_name(partition: str | None) -> str:
    """The file of a partition's outcomes: a region's slug, or `_national` (no slug starts with `_`)."""
    return f"files-{partition or '_national'}.marshal"


class FindingsMemo:
    """Each partition's findings, kept with what they were computed from.

    An entry is (listing digest, run start in ns, git HEAD or None, number of files, findings as tuples).
    It answers only when the digest is the same, no file of the partition is racy (modified within
    RACY_NS of that run's start) and, for a region whose charter asks git (GQ116), HEAD has not moved.
    """

    def __init__(self, root: Path, entries: dict, signature: tuple):
        self.root = root
        self.signature = signature
        self.entries = entries
        self.changed = False

    @classmethod
    def open(cls, root: Path, signature: tuple) -> "FindingsMemo":
        entries, _ = _read_store(root / CACHE_DIR / MEMO_FILE, signature)
        return cls(root, entries, signature)

    def get(self, partition: str | None, listing: bytes, newest_ns: int, head) -> tuple | None:
        """(number of files, findings as tuples) of a partition, or None when they must be computed.

        `head` gives the repository's HEAD (asked only for a region that needs git).
        """
        entry = self.entries.get(partition)
        if not (isinstance(entry, tuple) and len(entry) == 5):
            return None
        known, started_ns, git_head, files, findings = entry
        if known != listing or newest_ns >= started_ns - RACY_NS:
            return None
        if git_head is not None and git_head != head():
            return None
        return files, findings

    def put(self, partition: str | None, listing: bytes, started_ns: int, git_head, files: int, findings: tuple) -> None:
        self.entries[partition] = (listing, started_ns, git_head, files, findings)
        self.changed = True

    def keep_only(self, partitions) -> None:
        """Forget the partitions that no longer exist (a region folder removed), and their files' cache;
        and the single cache file of earlier versions."""
        kept = {cache_file_name(part) for part in partitions}
        for gone in set(self.entries) - set(partitions):
            del self.entries[gone]
            self.changed = True
        try:
            for path in (self.root / CACHE_DIR).glob("files*.marshal"):
                if path.name not in kept:
                    path.unlink()
        except OSError:
            pass  # a read-only cache folder keeps its old files

    def save(self) -> None:
        if self.changed:
            _write_store(self.root, MEMO_FILE, self.signature, time.time_ns(), self.entries)


def _read_store(path: Path, signature: tuple) -> tuple[dict, int]:
    """The entries of a cache file and when it was written, or ({}, 0) when it cannot be trusted."""
    try:
        with open(path, "rb") as handle:
            stored = marshal.loads(handle.read())  # one read: marshal.load on a file reads piecemeal
        stored_signature, written_ns, entries = stored
        if stored_signature != signature or not isinstance(entries, dict) or not isinstance(written_ns, int):
            raise ValueError("stale")
    except (OSError, ValueError, EOFError, TypeError):
        return {}, 0
    return entries, written_ns


def _write_store(root: Path, name: str, signature: tuple, written_ns: int, entries: dict) -> None:
    """Replace one cache file atomically; a read-only root simply goes without a cache."""
    folder = root / CACHE_DIR
    try:
        folder.mkdir(exist_ok=True)
        (folder / ".gitignore").write_text("*\n") if not (folder / ".gitignore").exists() else None
        handle, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
        with os.fdopen(handle, "wb") as out:
            out.write(marshal.dumps((signature, written_ns, entries)))
        os.replace(tmp, folder / name)
    except (OSError, ValueError):
        pass
