"""What gqrec remembers between runs, in `.gqrec-cache/` (safe to delete, ignored by git).

Two stores, both per partition (a region's folder, or the national files):

- `FileCache`, what each file gave when read (its plain data or its findings), keyed on its content: an
  entry is reused when the file's bytes hash to the digest it was computed from. The stat (size, mtime,
  ctime, inode) only spares the hashing: it vouches when all four are unchanged and the file was last
  changed well before the cache was written (as git does for its index, a file changed within the
  same clock tick is "racy" and rehashed). `cp -p`, `rsync -a`, `tar x` or `touch -r` keep a size and
  an mtime, never a ctime.
- `FindingsMemo`, each partition's findings, with the digest of the listing they were computed from
  (every file's path, size, mtime, ctime and inode, and the national files' listing): a region none of
  whose files changed, nor any national file, is not read again at all.

A cache must never change a verdict, so what is read is trusted only when this installation wrote it:
each file is authenticated with a secret of this user kept outside every repository (`cache-key` under
$XDG_CACHE_HOME/gqrec or ~/.cache/gqrec, created 0600), then checked entry by entry, any surprise
being a miss. A committed `.gqrec-cache/` (someone else's, or anyone's forgery) is thus never believed;
one tracked by git is not even read nor written, with one warning. The folder and its files are opened
without following links, regular files only, within a size bound; nothing is ever written through a
link, nor at `/`. Everything is dropped when gqrec, the schemas or Python change.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import marshal
import os
import re
import secrets
import stat as stat_mod
import subprocess
import sys
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from . import __version__, fsio, schemas

CACHE_DIR = ".gqrec-cache"
MEMO_FILE = "findings.marshal"
FORMAT = 5
UNVOUCHED = (-1, 0, 0, 0)  # a stat no file has: the entry is trusted on its content digest alone
RACY_NS = 2_000_000_000  # a file changed less than 2 s before the cache was written is rehashed
MAX_STORE_BYTES = 1 << 30  # a cache file larger than this was not written by gqrec (70,000 records: ~40 MB)
MAGIC = b"gqrec-cache-5\n"
MAC_BYTES = 32
KEY_FILE = "cache-key"
IGNORE_ALL = b"*\n"  # the cache folder's own .gitignore
_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


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


# -- the secret and the folder -------------------------------------------------------------------------

def key_folder() -> Path | None:
    """Where this user's cache key lives: $XDG_CACHE_HOME/gqrec, else ~/.cache/gqrec (None without a home)."""
    base = os.environ.get("XDG_CACHE_HOME")
    if not base or not os.path.isabs(base):
        try:
            base = str(Path.home() / ".cache")
        except (RuntimeError, KeyError):
            return None
    return Path(base) / "gqrec"


def secret() -> bytes | None:
    """This user's key for authenticating cache files, made on first need; None when there is no safe
    place for it (then nothing is cached: a cache that cannot be authenticated is never trusted)."""
    folder = key_folder()
    return None if folder is None else _secret_in(str(folder))


@lru_cache(maxsize=4)
def _secret_in(folder: str) -> bytes | None:
    path = os.path.join(folder, KEY_FILE)
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        if not os.path.lexists(path):
            with contextlib.suppress(FileExistsError):
                fsio.write_atomic(path, secrets.token_bytes(MAC_BYTES), overwrite=False, mode=0o600)
    except (OSError, fsio.WriteError):
        return None
    got = fsio.read_regular(path, MAC_BYTES)
    if got is None:
        return None
    key, info = got
    if len(key) != MAC_BYTES or info.st_uid != os.geteuid() or info.st_mode & 0o077:
        return None  # a key others could read, or not ours: no cache rather than a forgeable one
    return key


def _mac(key: bytes, name: str, payload: bytes) -> bytes:
    """BLAKE2b in keyed mode (a MAC by design) over the file's name and its payload."""
    hasher = hashlib.blake2b(name.encode() + b"\0", key=key, digest_size=MAC_BYTES)
    hasher.update(payload)
    return hasher.digest()


@dataclass(frozen=True)
class Probe:
    """Whether a records root may have a cache, and why not: `usable`, and a warning for the user, if any."""

    usable: bool
    warning: str | None = None


def probe(root: Path) -> Probe:
    """Whether root's cache may be read and written: not at `/`, not through a link, not tracked by git.

    Asked once per records root and process (forked workers inherit the answer): git is asked at most once.
    Files are opened without following links in any case, so a folder replaced by a link later is not
    followed either."""
    try:
        real = Path(root).resolve()
    except OSError:
        return Probe(False)
    if real == Path(real.anchor):
        return Probe(False)  # `check /`: never a cache at the top of the file system
    return _probe(str(real))


@lru_cache(maxsize=64)
def _probe(root: str) -> Probe:
    try:
        info = os.lstat(os.path.join(root, CACHE_DIR))
    except OSError:
        return Probe(secret() is not None)  # absent: made at the first save
    if not stat_mod.S_ISDIR(info.st_mode):
        return Probe(False, f"{CACHE_DIR} n'est pas un dossier (lien ou fichier) dans {root} : le cache est "
                     "ignoré, rien n'y est lu ni écrit. Supprimez-le.")
    if _tracked(root):
        return Probe(False, f"{CACHE_DIR} est suivi par git dans {root} : le cache est ignoré (il peut venir "
                     f"d'ailleurs et changer le verdict). Retirez-le du dépôt : git rm -r --cached {CACHE_DIR}, "
                     f"puis ajoutez {CACHE_DIR}/ au .gitignore.")
    return Probe(secret() is not None)


def _tracked(root: str) -> bool:
    """Whether git tracks a file of the cache folder."""
    try:
        done = subprocess.run(["git", "-C", root, "ls-files", "-z", "--", CACHE_DIR], capture_output=True,
                              check=False, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0 and bool(done.stdout)


class _Folder:
    """The cache folder of a records root, opened without following a link (None when it cannot be)."""

    @staticmethod
    @contextlib.contextmanager
    def opened(root: Path, create: bool):
        path = Path(root) / CACHE_DIR
        fd = None
        try:
            if create:
                with contextlib.suppress(FileExistsError):
                    os.mkdir(path, 0o700)
            fd = os.open(path, _DIR_FLAGS)
        except OSError:
            fd = None
        try:
            yield fd
        finally:
            if fd is not None:
                os.close(fd)


def _seal(name: str, payload: bytes, key: bytes) -> bytes:
    """A cache file's bytes: a magic line, the payload's MAC under this user's key, the payload."""
    return b"".join(_sealed_parts(name, payload, key))


def _sealed_parts(name: str, payload: bytes, key: bytes) -> tuple[bytes, ...]:
    """`_seal`'s bytes in the pieces written one after the other: a region's payload (40 MB for 90,000
    files) is never copied once more behind its MAC, which was the peak of a cold check's memory."""
    return MAGIC, _mac(key, name, payload), payload


def _unseal(name: str, raw: bytes, key: bytes) -> memoryview | None:
    """The payload of a cache file this installation wrote, or None (another's, forged, damaged)."""
    head = len(MAGIC) + MAC_BYTES
    if len(raw) < head or len(raw) > MAX_STORE_BYTES or not raw.startswith(MAGIC):
        return None
    payload = memoryview(raw)[head:]
    if not hmac.compare_digest(raw[len(MAGIC):head], _mac(key, name, payload)):
        return None
    return payload


def _read_store(root: Path, name: str, signature: tuple, key: bytes | None) -> tuple[dict, int]:
    """The entries of a cache file and when it was written, or ({}, 0) when it cannot be trusted."""
    if key is None:
        return {}, 0
    with _Folder.opened(root, create=False) as fd:
        got = fsio.read_regular(name, MAX_STORE_BYTES, dir_fd=fd) if fd is not None else None
    payload = _unseal(name, got[0], key) if got is not None else None
    if payload is None:
        return {}, 0
    try:
        stored_signature, written_ns, entries = marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return {}, 0
    if stored_signature != signature or type(entries) is not dict or type(written_ns) is not int:
        return {}, 0
    return entries, written_ns


def _write_store(root: Path, name: str, signature: tuple, written_ns: int, entries: dict, key: bytes | None) -> None:
    """Replace one cache file atomically; a read-only root or a full disk simply goes without a cache."""
    if key is None:
        return
    payload = marshal.dumps((signature, written_ns, entries))
    with _Folder.opened(root, create=True) as fd:
        if fd is None:
            return
        fsio.sweep("", dir_fd=fd)
        _sweep_old_temporaries(fd)
        got = fsio.read_regular(".gitignore", 64, dir_fd=fd)
        if got is None or got[0] != IGNORE_ALL:
            _replace(fd, ".gitignore", IGNORE_ALL)
        _replace(fd, name, *_sealed_parts(name, payload, key))


def _replace(fd: int, name: str, *data: bytes) -> bool:
    """Write a file of the cache folder all at once (temporary file, rename); False when it cannot be."""
    temp = fsio.temp_name(name)
    try:
        out = os.open(temp, fsio.NEW_FILE_FLAGS, 0o600, dir_fd=fd)
    except OSError:
        return False
    try:
        try:
            for chunk in data:
                fsio.write_all(out, chunk)
        finally:
            os.close(out)
        os.replace(temp, name, src_dir_fd=fd, dst_dir_fd=fd)
        return True
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temp, dir_fd=fd)
        return False


def _sweep_old_temporaries(fd: int) -> None:
    """The `.tmp-*` files earlier versions left on a full disk (they never wrote anything else so named)."""
    with contextlib.suppress(OSError):
        for name in os.listdir(fd):
            if name.startswith(".tmp-"):
                with contextlib.suppress(OSError):
                    os.unlink(name, dir_fd=fd)


def _remove_other_stores(root: Path, kept: set[str]) -> None:
    with _Folder.opened(root, create=False) as fd:
        if fd is None:
            return
        with contextlib.suppress(OSError):
            for name in os.listdir(fd):
                if name.startswith("files") and name.endswith(".marshal") and name not in kept:
                    with contextlib.suppress(OSError):
                        os.unlink(name, dir_fd=fd)


# -- what is kept --------------------------------------------------------------------------------------

def _problems_ok(problems: Any) -> bool:
    if type(problems) is not tuple:
        return False
    for problem in problems:
        if not (type(problem) is tuple and len(problem) == 4 and type(problem[0]) is int and type(problem[1]) is int
                and type(problem[2]) is str and type(problem[3]) is str):
            return False
    return True


def _decoded(kept: bytes) -> Any:
    """An outcome kept marshalled (`FileCache.store`), or None when its bytes do not decode or hold a
    lone surrogate (marshal writes one as these bytes; no file decodes to it)."""
    if _SURROGATE.search(kept):
        return None
    try:
        return marshal.loads(kept)
    except (ValueError, EOFError, TypeError):
        return None


def _outcome_ok(outcome: Any) -> bool:
    """An outcome as `load.outcome_of` makes it: (record data, a feedback file's data, or None; problems)."""
    if type(outcome) is not tuple or len(outcome) != 2:
        return False
    data, problems = outcome
    if data is not None and type(data) is not dict and not (
        type(data) is tuple and len(data) == 3 and type(data[0]) is tuple and type(data[1]) is tuple
        and type(data[2]) is bytes
    ):
        return False
    return _problems_ok(problems)


_ROW_TYPES = (str, int, int, str, str, str)
_RULE_ID = re.compile(r"GQ[0-9]{3}")
_SURROGATE = re.compile(rb"\xed[\xa0-\xbf]")  # U+D800..U+DFFF as marshal writes them (UTF-8, surrogatepass)


def _rows_ok(rows: Any) -> bool:
    """Findings as `Finding.as_row` gives them."""
    if type(rows) is not tuple:
        return False
    for row in rows:
        if type(row) is not tuple or len(row) != 8 or row[4] not in ("error", "warning"):
            return False
        for value, kind in zip(row, _ROW_TYPES):
            if type(value) is not kind:
                return False
        if not (row[6] is None or type(row[6]) is str) or not (row[7] is None or type(row[7]) is int):
            return False
        if (row[1] < 0 or row[2] < 0 or row[0].startswith("/") or not _RULE_ID.fullmatch(row[3])
                or not all(map(_text_ok, (row[0], row[5], row[6] or "")))):
            return False
    return True


def _text_ok(text: str) -> bool:
    """Text a reading can give: UTF-8 (a lone surrogate, which no file decodes to, would stop the output)."""
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class FileCache:
    """Outcomes by relative path, with the stat and content digest they were computed from."""

    def __init__(self, root: Path, entries: dict[str, tuple], written_ns: int, signature: tuple = (), name: str = "",
                 key: bytes | None = None, unread: Iterable[str] = ()):
        self.root = root
        self.unread = unread  # files the run walked but leaves unread (see `save`)
        self.signature = signature
        self.name = name
        self.key = key
        self.entries = entries  # path -> (size, mtime_ns, ctime_ns, inode, digest, outcome)
        self.written_ns = written_ns
        self.fresh: dict[str, tuple] = {}

    @classmethod
    def open(cls, root: Path, signature: tuple, partition: str | None = None, unread: Iterable[str] = ()) -> FileCache:
        """The cache of one partition of root, or an empty one when it is missing, unreadable, stale or not
        this installation's (and then nothing is written either when the root may not have a cache).
        `unread`: the partition's files this run walks past without reading (see `save`)."""
        name = cache_file_name(partition)
        key = secret() if probe(root).usable else None
        entries, written_ns = _read_store(root, name, signature, key)
        return cls(root, entries, written_ns, signature, name, key, unread)

    def lookup(self, rel: str, info: tuple, read) -> Any:
        """A file's cached outcome, or None when it must be computed; `info` is its walk stat (path, size,
        mtime, ctime, inode), `read` gives its bytes if needed. Any surprise in the entry is a miss."""
        entry = self.entries.get(rel)
        if type(entry) is not tuple or len(entry) != 6:
            return None
        stat = info[1:5]
        known_stat, known, kept = entry[:4], entry[4], entry[5]
        if type(known) is not bytes or type(kept) is not bytes:
            return None
        outcome = _decoded(kept)
        if not _outcome_ok(outcome):
            return None
        if known_stat == stat and max(stat[1], stat[2]) < self.written_ns - RACY_NS:
            self.fresh[rel] = entry
            return outcome
        raw = read()
        if raw is not None and digest(raw) == known:
            self.fresh[rel] = (*stat, known, kept)
            return outcome
        return None

    def store(self, rel: str, stat: tuple[int, int, int, int], content_digest: bytes, outcome: Any) -> None:
        """Remember what a file gave, with the (size, mtime, ctime, inode) it had when read and its digest.

        The outcome is kept marshalled on its own: opening the store decodes each entry's bytes only,
        and a file's outcome is decoded when it is asked (a year's bilan asks two years of fifteen)."""
        self.fresh[rel] = (*stat, content_digest, marshal.dumps(outcome))

    def save(self) -> None:
        """Write the entries of this run (atomically); a read-only root simply goes without a cache.

        The entries of the files the run walked but did not read (a year's bilan reads two years of an
        archive's fifteen) are kept, or the next check would parse the other years again. One whose stat
        did not vouch for it when its store was written (racy: changed within RACY_NS of it) is kept
        without its stat, UNVOUCHED, so that the later date of this store never lets the stat alone
        vouch for it: its content digest must."""
        vouched_before = self.written_ns - RACY_NS
        for rel in self.unread:
            entry = self.entries.get(rel)
            if rel in self.fresh or type(entry) is not tuple or len(entry) != 6:
                continue
            vouched = type(entry[1]) is int and type(entry[2]) is int and max(entry[1], entry[2]) < vouched_before
            self.fresh[rel] = entry if vouched else (*UNVOUCHED, *entry[4:])
        if self.fresh == self.entries and self.written_ns:
            return  # nothing changed since the cache was written
        _write_store(self.root, self.name, self.signature, time.time_ns(), self.fresh, self.key)


def cache_file_name(partition: str | None) -> str:
    """The file of a partition's outcomes: a region's slug, or `_national` (no slug starts with `_`)."""
    return f"files-{partition or '_national'}.marshal"


class FindingsMemo:
    """Each partition's findings, kept with what they were computed from.

    An entry is (listing digest, run start in ns, git HEAD or None, number of files, findings as tuples).
    It answers only when the digest is the same, no file of the partition is racy (changed within
    RACY_NS of that run's start) and, for a region whose charter asks git (GQ116), HEAD has not moved.
    """

    def __init__(self, root: Path, entries: dict, signature: tuple, key: bytes | None = None):
        self.root = root
        self.signature = signature
        self.entries = entries
        self.key = key
        self.changed = False

    @classmethod
    def open(cls, root: Path, signature: tuple) -> FindingsMemo:
        key = secret() if probe(root).usable else None
        entries, _ = _read_store(root, MEMO_FILE, signature, key)
        return cls(root, entries, signature, key)

    def get(self, partition: str | None, listing: bytes, newest_ns: int, head) -> tuple | None:
        """(number of files, findings as tuples) of a partition, or None when they must be computed.

        `head` gives the repository's HEAD (asked only for a region that needs git).
        """
        entry = self.entries.get(partition)
        if not (type(entry) is tuple and len(entry) == 5):
            return None
        known, started_ns, git_head, files, findings = entry
        if type(started_ns) is not int or type(files) is not int or files < 0 or not _rows_ok(findings):
            return None
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
        for gone in set(self.entries) - set(partitions):
            del self.entries[gone]
            self.changed = True
        if self.key is not None:
            _remove_other_stores(self.root, {cache_file_name(part) for part in partitions})

    def save(self) -> None:
        if self.changed:
            _write_store(self.root, MEMO_FILE, self.signature, time.time_ns(), self.entries, self.key)
