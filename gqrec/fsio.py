"""How gqrec writes a file of its own (a report, a profile, a formatted record, a new repository's files)
and reads a file it is handed (a key file): never half a file, never a FIFO's wait, never a link followed.

A write goes to a temporary file in the target's folder, is synced, then renamed over the target: the
target holds its old content or its new one, whatever happens (full disk, kill -9, power cut). The
temporary file's name carries the writing process's id, so that the leftovers of a killed run are
recognised and swept by the next write in that folder (never the file of a run still writing). A
failure is a `WriteError` in French, which the command line reports as a refusal (exit 2): never a
traceback, never a damaged previous file.

Only a regular file is ever replaced. A character device (`/dev/null`, a terminal) is written to as a
stream, never renamed over; a symbolic link, a FIFO, a folder or a block device is refused (`target`).
A file naming physicians is written `private`: 0600 when new, and a replaced one loses any permission
for others (a group permission set on purpose is kept: docs/hostile.md).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import stat as stat_mod
import tempfile
from pathlib import Path
from typing import Iterator

from .errors import UsageError

TEMP_PREFIX = "."
TEMP_MARK = ".gqrec-"  # .NAME.gqrec-<pid>-<random>.tmp
_LEFTOVER = re.compile(r"\..*\.gqrec-([0-9]+)-[0-9a-f]+\.tmp")

_READ_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
# A new file, never an existing one nor through a link.
NEW_FILE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
_CREATE_FLAGS = NEW_FILE_FLAGS
_STREAM_FLAGS = os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
PRIVATE = 0o600  # a new file naming physicians: readable by its owner only


class WriteError(UsageError):
    """A file gqrec was asked to write could not be written; the previous file, if any, is intact."""

    def __init__(self, path: Path | str, reason: str, what: str = "d'écrire"):
        super().__init__(f"Impossible {what} {path} : {reason}.")
        self.path, self.reason = path, reason


class ReadError(UsageError):
    """A file gqrec was handed (not a record: a key file) is not a regular file it can read within its bound."""


def why(error: OSError) -> str:
    """The system's reason for an OSError, in French where it is a usual one."""
    reasons = {
        errno.ENOSPC: "disque plein",
        errno.EDQUOT: "quota disque dépassé",
        errno.EACCES: "permission refusée",
        errno.EPERM: "opération non permise",
        errno.EROFS: "système de fichiers en lecture seule",
        errno.ENOENT: "dossier absent",
        errno.ENOTDIR: "un élément du chemin n'est pas un dossier",
        errno.EISDIR: "c'est un dossier",
        errno.ELOOP: "lien symbolique refusé",
        errno.EIO: "erreur d'entrée-sortie",
    }
    return reasons.get(error.errno, error.strerror or str(error))


def target(path: Path | str) -> str:
    """What writing to path means: "new" (nothing there), "file" (a regular file, replaced by a rename)
    or "device" (a character device such as /dev/null, written as a stream). A symbolic link, a FIFO,
    a folder, a socket or a block device is refused with a WriteError: a rename would put a regular file
    in its place (as root, /dev/null itself), and a link would send the data elsewhere."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return "new"
    except OSError as error:
        raise WriteError(path, why(error)) from None
    if stat_mod.S_ISREG(info.st_mode):
        return "file"
    if stat_mod.S_ISCHR(info.st_mode):
        return "device"
    if stat_mod.S_ISLNK(info.st_mode):
        raise WriteError(path, "c'est un lien symbolique, que gqrec ne suit pas : donnez le chemin qu'il désigne "
                               "(pour la sortie standard, n'indiquez pas de fichier)")
    if stat_mod.S_ISDIR(info.st_mode):
        raise WriteError(path, "c'est un dossier")
    raise WriteError(path, "ce n'est pas un fichier ordinaire (tube, socket ou périphérique bloc)")


def _stream(path: Path, chunks: Iterator[bytes]) -> None:
    """Write to a character device as it is (never created, truncated nor renamed over)."""
    try:
        fd = os.open(path, _STREAM_FLAGS)
    except OSError as error:
        raise WriteError(path, why(error)) from None
    try:
        if not stat_mod.S_ISCHR(os.fstat(fd).st_mode):  # swapped since `target` looked
            raise WriteError(path, "ce n'est plus un périphérique caractère")
        for chunk in chunks:
            write_all(fd, chunk)
    except OSError as error:
        raise WriteError(path, why(error)) from None
    finally:
        os.close(fd)


def _file_chunks(path: Path, size: int = 1 << 20) -> Iterator[bytes]:
    with open(path, "rb") as handle:
        while chunk := handle.read(size):
            yield chunk


def write_atomic(path: Path | str, data: str | bytes, *, overwrite: bool = True, mode: int | None = None,
                 private: bool = False) -> None:
    """Give path its new content all at once: a temporary file in the same folder, fsync, then a rename.

    Whatever happens, the file holds either its old content or its new one, and no temporary file of
    this run is left (those of killed runs in the folder are swept). Text is written as UTF-8 with LF.
    Without `overwrite`, an existing file raises FileExistsError and is not touched. `mode` gives a new
    file's permissions (default: the old file's, or the umask's); `private` those of a file naming
    physicians (`private_mode`). A character device is written as a stream; a link, a FIFO, a folder
    are refused (`target`).
    Raises WriteError (French) when the system refuses (full disk, permissions, read-only).
    """
    path = Path(path)
    folder = path.parent
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if overwrite and target(path) == "device":
        _stream(path, iter((raw,)))
        return
    if private:
        mode = private_mode(path)
    sweep(folder)
    temp = folder / temp_name(path.name)
    try:
        fd = os.open(temp, _CREATE_FLAGS, 0o600)
    except OSError as error:
        raise WriteError(path, why(error)) from None
    try:
        try:
            write_all(fd, raw)
            os.fsync(fd)
            os.fchmod(fd, _mode_for(path) if mode is None else mode)
        finally:
            os.close(fd)
        if overwrite:
            target(path)  # nothing but a regular file is renamed over, even one put there meanwhile
            os.replace(temp, path)
        else:
            os.link(temp, path)  # fails if path exists: no window where another file could be overwritten
            os.unlink(temp)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(error, FileExistsError) and not overwrite:
            raise
        if isinstance(error, OSError):
            raise WriteError(path, f"{why(error)} ; le fichier précédent est intact") from None
        raise
    _sync_folder(folder)


def write_all(fd: int, data: bytes) -> None:
    """Write all of data to an open file (os.write may write less than asked)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


@contextlib.contextmanager
def replaced(path: Path | str, *, mode: int | None = None, private: bool = False) -> Iterator[Path]:
    """A temporary file in path's folder for a writer that wants a path rather than bytes (sqlite3, a
    streamed CSV): synced and renamed over path when the block ends normally, removed when it raises,
    swept like `write_atomic`'s if the process is killed. Path keeps its old content or gets the whole
    new one. `mode` and `private` as for `write_atomic`, and so are a device (the finished temporary
    file is streamed to it) and a link (refused before the block); an OSError in the block or the
    rename is a WriteError."""
    path = Path(path)
    folder = path.parent
    device = target(path) == "device"
    if private:
        mode = private_mode(path)
    if device:
        folder = Path(tempfile.gettempdir())  # /dev is no place for a temporary file
    sweep(folder)
    temp = folder / temp_name(path.name)
    try:
        os.close(os.open(temp, _CREATE_FLAGS, 0o600))
    except OSError as error:
        raise WriteError(path, why(error)) from None
    try:
        yield temp
        if device:
            _stream(path, _file_chunks(temp))
            return
        fd = os.open(temp, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        try:
            os.fsync(fd)
            os.fchmod(fd, _mode_for(path) if mode is None else mode)
        finally:
            os.close(fd)
        target(path)
        os.replace(temp, path)
    except OSError as error:
        raise WriteError(path, f"{why(error)} ; le fichier précédent est intact") from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temp)
    _sync_folder(folder)


def make_folder(path: Path | str) -> Path:
    """Create a folder (and its parents) to write into; WriteError in French when it cannot be."""
    path = Path(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise WriteError(path, why(error), "de créer le dossier") from None
    return path


def write_files(folder: Path, texts: dict[str, str | bytes], *, private: bool = False) -> tuple[Path, ...]:
    """A product's files (name -> text or bytes) written atomically into folder, made if needed; their
    paths. `private` for files naming physicians (0600, `write_atomic`)."""
    make_folder(folder)
    written = []
    for name, text in texts.items():
        write_atomic(Path(folder) / name, text, private=private)
        written.append(Path(folder) / name)
    return tuple(written)


def sweep(folder: Path | str, *, dir_fd: int | None = None) -> None:
    """Remove the temporary files that killed gqrec runs left in folder (their process is gone)."""
    try:
        names = os.listdir(dir_fd if dir_fd is not None else folder)
    except OSError:
        return
    for name in names:
        match = _LEFTOVER.fullmatch(name) if name.endswith(".tmp") else None
        if match and not _alive(int(match.group(1))):
            with contextlib.suppress(OSError):
                if dir_fd is not None:
                    os.unlink(name, dir_fd=dir_fd)
                else:
                    os.unlink(os.path.join(folder, name))


def temp_name(name: str) -> str:
    """The name of a temporary file for `name` that `sweep` recognises once this process is gone."""
    return f"{TEMP_PREFIX}{name}{TEMP_MARK}{os.getpid()}-{secrets.token_hex(4)}.tmp"


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def _mode_for(path: Path) -> int:
    """The old file's permissions, or those of a newly created file under the umask."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def private_mode(path: Path) -> int:
    """The permissions of a file naming physicians: 0600 when new; a replaced file keeps its owner's and
    group's permissions (a group set on purpose, docs/hostile.md) and loses any for others."""
    try:
        info = os.lstat(path)
    except OSError:
        return PRIVATE
    return info.st_mode & 0o660 if stat_mod.S_ISREG(info.st_mode) else PRIVATE


def _sync_folder(folder: Path) -> None:
    if not hasattr(os, "O_DIRECTORY"):
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def read_regular(path: Path | str, limit: int, *, dir_fd: int | None = None) -> tuple[bytes, os.stat_result] | None:
    """At most limit + 1 bytes of a regular file and its stat, or None when it is not a regular file one
    can open (a link, a FIFO, a device, a folder, missing). Never blocks, never follows a link."""
    try:
        fd = os.open(path, _READ_FLAGS, dir_fd=dir_fd)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat_mod.S_ISREG(info.st_mode):
            return None
        wanted = min(info.st_size, limit) + 1  # read(limit) would allocate the limit for every small file
        chunks = []
        while wanted > 0:
            chunk = os.read(fd, wanted)
            chunks.append(chunk)
            if len(chunk) < wanted:  # a regular file reads short only at its end: no read for the EOF
                break
            wanted -= len(chunk)
        return b"".join(chunks), info
    except OSError:
        return None
    finally:
        os.close(fd)


def read_small_file(path: Path | str, limit: int, what: str) -> bytes:
    """The bytes of a small regular file the user named (a key file), or ReadError in French."""
    got = read_regular(path, limit)
    if got is None:
        raise ReadError(f"{what} {path} n'est pas un fichier ordinaire lisible (lien, tube, périphérique ou absent).")
    raw, _ = got
    if len(raw) > limit:
        raise ReadError(f"{what} {path} est trop gros (plus de {limit} octets).")
    return raw
