"""Listing a records root: every entry judged on its own metadata, no file opened, no link followed.

The layout (`layout.py`) then says where each listed path belongs; this module finds the paths, with
their stats, by partition when the check asks (one forked helper lists half the regions), and hands
them to the layout (`classified`).
"""

from __future__ import annotations

import marshal
import os
import stat
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path

from . import layout
from .findings import Finding
from .layout import FileStat, layout_finding
from .safe import printable
from .workers import workers


@dataclass(frozen=True)
class Walk:
    """What listing a records root gives before any file is classified or opened."""

    files: tuple[FileStat, ...]  # regular files, in path order
    findings: tuple[Finding, ...]  # entries that are never opened: links, FIFOs, odd names, unreadable folders


def walk(root: Path) -> Walk:
    """List the records root once, in path order, opening no file and following no link out of it.

    Folders are listed one at a time (no recursion: any depth is fine). Each entry is judged on its
    own metadata (lstat): a regular file is kept with its stat; anything else — a symbolic link (to a
    file or a folder, inside or out of the root, broken or in a loop), a FIFO, a socket, a device, a
    name with control characters — is a finding and is never opened, so nothing can hang the check
    and nothing outside the root is read.
    """
    return _walk(Path(root), split=False)[None]


PARALLEL_WALK_REGIONS = 4  # region folders from which a second process lists half of them


def walk_partitions(root: Path) -> dict[str | None, Walk]:
    """The same walk, kept apart by partition (see `partition_of`): national first, then each region.

    Listing 70,000 files costs one lstat each, which no cache can spare (a file edited in place changes
    no folder). With many regions a forked process lists every other region meanwhile and sends its
    listing back marshalled; if it fails for any reason, this process lists those regions itself.
    """
    root = Path(root)
    regions = _region_folders(root)
    if len(regions) < PARALLEL_WALK_REGIONS or workers() < 2:
        return _walk(root, split=True)
    theirs = regions[1::2]
    receiving, sending = os.pipe()
    try:
        child = os.fork()
    except OSError:  # no process to spare: list everything here
        os.close(receiving)
        os.close(sending)
        return _walk(root, split=True)
    if child == 0:  # pragma: no cover (runs in the forked process, which never returns)
        try:
            os.close(receiving)
            walked = _walk_regions(root, theirs)
            listing = {part: (w.files, [f.as_row() for f in w.findings]) for part, w in walked.items() if part}
            with os.fdopen(sending, "wb") as out:
                out.write(marshal.dumps(listing))
        finally:
            os._exit(0)
    os.close(sending)
    mine = _walk(root, split=True, skip=frozenset(theirs))
    with os.fdopen(receiving, "rb") as incoming:
        data = incoming.read()
    os.waitpid(child, 0)
    try:
        received = {part: Walk(files, tuple(Finding(*row) for row in rows)) for part, (files, rows) in marshal.loads(data).items()}
    except (ValueError, EOFError, TypeError):
        received = {}
    if set(received) != set(theirs):  # the helper failed: list its regions here
        received = _walk_regions(root, theirs)
        received.pop(None, None)
    return {None: mine.pop(None), **dict(sorted({**mine, **received}.items()))}


def walk_national(root: Path) -> tuple[Walk, list[str]]:
    """The walk of the national partition alone, and the region folders it leaves for `walk_region`."""
    root = Path(root)
    regions = _region_folders(root)
    return _walk(root, split=True, skip=frozenset(regions))[None], regions


def walk_region(root: Path, region: str) -> Walk:
    """The walk of one region's folder (a partition of `walk_partitions`)."""
    return _walk_regions(Path(root), [region]).get(region, Walk((), ()))


def _walk_regions(root: Path, regions: list[str]) -> dict[str | None, Walk]:
    """The walks of these regions' folders, each a partition (and an empty national one)."""
    return _walk(root, split=True, start=[(layout.region_folder(name), name) for name in regions])


def _region_folders(root: Path) -> list[str]:
    """Names of the real folders under regions/ that name a region (as the layout judges), in order; none when
    regions/ itself is not a real folder (a link is reported by the walk of the root, never entered)."""
    try:
        if not stat.S_ISDIR(os.lstat(root / layout.REGIONS).st_mode):
            return []
        with os.scandir(root / layout.REGIONS) as listing:
            return sorted(e.name for e in listing
                          if layout.region_of_folder(layout.region_folder(e.name)) and e.is_dir(follow_symlinks=False))
    except OSError:
        return []


def _walk(
    root: Path, split: bool, start: list[tuple[str, str | None]] | None = None, skip: frozenset[str] = frozenset()
) -> dict[str | None, Walk]:
    """The walk from `start` (the root by default), not entering the region folders named in `skip`."""
    lists: dict[str | None, tuple[list, list]] = {None: ([], [])}
    real_root = Path(os.path.realpath(root))
    pending: list[tuple[str, str | None]] = list(reversed(start or [("", None)]))  # folders to list, next last
    while pending:
        folder, part = pending.pop()
        files, findings = lists.setdefault(part, ([], []))
        path = root / folder if folder else root
        try:
            handle = os.open(path, _FOLDER_FLAGS if folder else _ROOT_FLAGS) if _BY_DESCRIPTOR else path
        except OSError as error:
            findings.append(_unreadable_folder(folder or ".", error))
            continue
        try:
            subfolders = _list_folder(root, handle, folder, real_root, files, findings)
        except OSError as error:
            findings.append(_unreadable_folder(folder or ".", error))
            continue
        finally:
            if _BY_DESCRIPTOR:
                os.close(handle)
        if split and folder == layout.REGIONS:  # each region's folder is a partition of its own
            named = [(rel, layout.region_of_folder(rel)) for rel in subfolders]
            pending.extend((rel, region or part) for rel, region in reversed(named) if region not in skip)
        else:
            pending.extend((rel, part) for rel in reversed(subfolders))  # files of a folder first, then its subfolders
    return {part: Walk(tuple(files), tuple(findings)) for part, (files, findings) in lists.items()}


# A folder is listed through a descriptor where the platform allows it: each entry's lstat is then
# relative to it (fstatat), with no walk of the whole path for each of 70,000 files.
_BY_DESCRIPTOR = os.scandir in os.supports_fd
_ROOT_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)  # the root itself may be a link the user gave
_FOLDER_FLAGS = _ROOT_FLAGS | getattr(os, "O_NOFOLLOW", 0)


def _list_folder(root: Path, handle: int | Path, folder: str, real_root: Path, files: list, findings: list) -> list[str]:
    """Add a folder's files and findings to the lists; return its subfolders to walk, in order."""
    prefix = f"{folder}/" if folder else ""
    subfolders = []
    with os.scandir(handle) as listing:
        for entry in sorted(listing, key=_name):
            name = entry.name
            if name[0] == "." or name == "README.md":
                continue
            rel = prefix + name
            if name.isprintable():  # the common cases first, known from the listing's file types
                if entry.is_file(follow_symlinks=False):
                    info = entry.stat(follow_symlinks=False)
                    files.append((rel, info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino))
                    continue
                if entry.is_dir(follow_symlinks=False):
                    subfolders.append(rel)
                    continue
            result = _judge(root, entry, rel, real_root)
            if result is _FOLDER:
                subfolders.append(rel)
            elif result is _FILE:
                info = entry.stat(follow_symlinks=False)  # cached by the DirEntry: no system call
                files.append((rel, info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino))
            else:
                findings.append(result)
    return subfolders


def survey(root: Path, years: frozenset[int] | None = None) -> layout.Survey:
    """Every file under root, walked (see `walk`) and classified (see `classified`)."""
    return classified(walk(root), years)


def classified(listed: Walk, years: frozenset[int] | None = None) -> layout.Survey:
    """A walk's files placed by the layout; with `years`, the dated records (meetings, contracts,
    programmes, feedback) of other years left out, most before being classified."""
    files = listed.files if years is None else [info for info in listed.files if layout.may_be_of(info[0], years)]
    found = layout.place_files(files, listed.findings)
    if years is None:
        return found
    kept = tuple(p for p in found.places if p.year is None or p.year in years)
    return layout.Survey(kept, found.findings, found.stats)


_name = attrgetter("name")


_FOLDER = object()
_FILE = object()


def _judge(root: Path, entry: os.DirEntry, rel: str, real_root: Path):
    """_FILE for a regular file, _FOLDER for a real (not linked) folder to walk into, or a Finding."""
    if printable(rel) != rel:
        return layout_finding(
            printable(rel),
            "Nom de fichier ou de dossier avec des caractères de contrôle, invisibles ou non UTF-8 : "
            "renommez-le en lettres, chiffres et tirets.",
        )
    try:
        mode = entry.stat(follow_symlinks=False).st_mode
    except OSError as error:
        return layout_finding(rel, f"Fichier illisible ({error.strerror}) : il n'est pas vérifié.", "GQ001")
    if stat.S_ISDIR(mode):
        return _FOLDER
    if stat.S_ISLNK(mode):
        return _judge_link(root / rel, rel, real_root)
    if not stat.S_ISREG(mode):
        return _not_regular(rel)
    return _FILE


def _judge_link(full: Path, rel: str, real_root: Path) -> Finding:
    """No link is followed (the loader opens with O_NOFOLLOW): each is reported, said where it leads.

    Resolving a link reads no file; nothing outside the root is ever opened.
    """
    try:
        target = Path(os.path.realpath(full, strict=True))
    except (OSError, RuntimeError):
        return layout_finding(
            rel,
            "Lien symbolique cassé ou en boucle : il n'est pas lu. Remplacez-le par le fichier lui-même.",
        )
    if not _inside(target, real_root):
        return _symlink_finding(rel)
    return layout_finding(
        rel,
        "Lien symbolique : il n'est pas lu (un registre est un fichier, pas un lien). "
        "Remplacez-le par le fichier lui-même, ou supprimez-le si c'est un doublon.",
    )


def _inside(path: Path, real_root: Path) -> bool:
    return path == real_root or real_root in path.parents


def _symlink_finding(path: str) -> Finding:
    return layout_finding(
        path,
        "Lien symbolique qui mène hors des registres : il n'est pas lu. Remplacez-le par le fichier lui-même.",
    )


def _not_regular(path: str) -> Finding:
    return layout_finding(
        path,
        "Ce n'est pas un fichier ordinaire (tube nommé, socket ou périphérique) : il n'est pas lu. Supprimez-le.",
    )


def _unreadable_folder(path: str, error: OSError) -> Finding:
    return layout_finding(
        path,
        f"Dossier illisible ({error.strerror or error}) : ses fichiers ne sont pas vérifiés. "
        "Rendez-le lisible ou supprimez-le.",
        "GQ001",
    )
