"""Where each kind of record lives, and what its file name must look like.

This is the only module that parses paths: everything else receives a `Place`.
"""

from __future__ import annotations

import marshal
import os
import stat
from operator import attrgetter
from typing import Mapping, NamedTuple
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from . import ids
from .budgets import workers
from .findings import ERROR, Finding
from .kinds import KINDS as KIND_TABLE
from .safe import printable

KINDS = tuple(KIND_TABLE)  # every kind of record, in the layout's order

LAYOUT_FR = "\n".join(
    kind.pattern.format(region="<région>", group="<groupe>", year="<AAAA>", id=kind.id_fr) for kind in KIND_TABLE.values()
)  # the layout as the help and the README show it


class Place(NamedTuple):
    """A file classified by the layout: its kind and the identifiers its path gives.

    A named tuple rather than a dataclass: a national archive makes 70,000 of them on every run.
    """

    path: str  # relative to the records root, '/'-separated
    kind: str
    region: str | None = None
    id: str | None = None  # the record's own id (slug, rpps, date, year or period)
    group: str | None = None  # for meetings
    year: int | None = None  # for programmes, contracts and feedback


@dataclass(frozen=True)
class Survey:
    """Every file under a root: the ones the layout places, and findings for the others."""

    places: tuple[Place, ...]
    findings: tuple[Finding, ...]
    stats: Mapping[str, "FileStat"] = field(default_factory=dict)  # of each placed file, from the walk


def _layout_finding(path: str, message: str, rule: str = "GQ003") -> Finding:
    return Finding(path, 1, 1, rule, ERROR, message)


def _misplaced(path: str) -> Finding:
    return _layout_finding(
        path,
        "Fichier à un emplacement que la disposition des registres ne prévoit pas. "
        "Déplacez-le à sa place (voir `gqrec check --help` ou le README), "
        "ou supprimez-le s'il n'a rien à faire ici.",
    )


def _name_form(path: str, expected: str) -> Finding:
    return _layout_finding(path, f"Nom de fichier invalide : attendu {expected}.")


def _slug_ok(path: str, value: str, what: str) -> Finding | None:
    if ids.is_slug(value):
        return None
    return _name_form(
        path,
        f"un identifiant de {what} en minuscules, chiffres et tirets (par ex. « pays-de-la-loire »), "
        f"trouvé « {value} »",
    )


def _rpps_ok(path: str, value: str) -> Finding | None:
    if not ids.rpps_form_ok(value):
        return _name_form(path, f"un numéro RPPS de 11 chiffres suivi de .yaml, trouvé « {value} »")
    if not ids.luhn_ok(value):
        return _layout_finding(
            path,
            f"Le numéro RPPS « {value} » du nom de fichier a une clé de contrôle (Luhn) fausse : "
            "vérifiez le numéro sur l'annuaire santé.",
            rule="GQ005",
        )
    return None


def classify(path: str) -> Place | Finding:
    """The place of one relative path, or the layout finding that explains why it has none."""
    folder, _, name = path.rpartition("/")
    bulk = _bulk_folder(folder)
    if bulk is not None:
        place = _bulk_place(path, name, *bulk)
        if place is not None:
            return place
    return _classify(path)


@lru_cache(maxsize=4096)
def _bulk_folder(folder: str) -> tuple | None:
    """(kind, region, group, year) for the folders that hold nearly all files (meetings, contracts,
    physicians) when the folder itself is well named, else None: such a folder is judged once, and
    each file by its name alone. Anything unusual takes `_classify`, which explains it."""
    parts = folder.split("/")
    if len(parts) < 3 or parts[0] != "regions" or not ids.is_slug(parts[1]):
        return None
    if len(parts) == 5 and parts[2] == "groups" and parts[4] == "meetings" and ids.is_slug(parts[3]):
        return "meeting", parts[1], parts[3], None
    if len(parts) == 4 and parts[2] == "contracts" and ids.YEAR.fullmatch(parts[3]):
        return "contract", parts[1], None, int(parts[3])
    if len(parts) == 3 and parts[2] == "physicians":
        return "physician", parts[1], None, None
    return None


def _bulk_place(path: str, name: str, kind: str, region: str, group: str | None, year: int | None) -> Place | None:
    """The place of a well-named file in a bulk folder, or None to let `_classify` explain."""
    stem, dot, ext = name.rpartition(".")
    if not dot or ext != "yaml":
        return None
    if kind == "meeting":
        if ids.parse_date(stem) is None:
            return None
        return Place(path, kind, region, stem, group, int(stem[:4]))
    if not (ids.rpps_form_ok(stem) and ids.luhn_ok(stem)):
        return None
    return Place(path, kind, region, stem, None, year)


def _classify(path: str) -> Place | Finding:
    """`classify` for any path, each part checked in turn."""
    parts = path.split("/")
    name = parts[-1]
    stem, _, ext = name.rpartition(".")
    if ext == "yml":
        return _name_form(path, "l'extension .yaml (et non .yml)")
    n = len(parts)
    if n == 1 and name == "federation.yaml":
        return Place(path, "federation")
    if n == 2 and parts[0] in ("themes", "indicators") and ext == "yaml":
        kind, what = ("theme", "thème") if parts[0] == "themes" else ("indicator", "indicateur")
        return _slug_ok(path, stem, what) or Place(path, kind, id=stem)
    if n < 3 or parts[0] != "regions":
        return _misplaced(path)
    region = parts[1]
    bad = _slug_ok(path, region, "région")
    if bad:
        return bad
    section = parts[2]
    if n == 3 and name == "region.yaml":
        return Place(path, "region", region, id=region)
    if n == 4 and section in ("territories", "physicians", "programmes", "feedback"):
        return _classify_regional_file(path, region, section, stem, ext)
    if section == "groups" and n >= 5:
        group = parts[3]
        bad = _slug_ok(path, group, "groupe")
        if bad:
            return bad
        if n == 5 and name == "group.yaml":
            return Place(path, "group", region, id=group)
        if n == 6 and parts[4] == "meetings" and ext == "yaml":
            if not ids.ISO_DATE.fullmatch(stem):
                return _name_form(path, f"la date de la réunion AAAA-MM-JJ.yaml, trouvé « {name} »")
            if ids.parse_date(stem) is None:
                return _layout_finding(
                    path, f"« {stem} » n'est pas une date réelle du calendrier : corrigez le nom du fichier.", "GQ006"
                )
            return Place(path, "meeting", region, id=stem, group=group, year=int(stem[:4]))
    if section == "contracts" and n == 5 and ext == "yaml":
        if not ids.YEAR.fullmatch(parts[3]):
            return _name_form(path, f"un dossier d'année AAAA, trouvé « {parts[3]} »")
        return _rpps_ok(path, stem) or Place(path, "contract", region, id=stem, year=int(parts[3]))
    return _misplaced(path)


def path_of(
    kind: str, region: str | None = None, id: str | None = None, group: str | None = None, year: int | str | None = None
) -> str:
    """The relative path of a record, the inverse of `classify` (same fields as `Place`).

    Nothing is checked here: `classify` the result to know whether the identifiers have their form.
    Given "*" for each identifier it yields the layout's glob of that kind (for editors' schema maps).
    """
    if kind not in KIND_TABLE:
        raise ValueError(f"unknown record kind: {kind}")
    year = id if year is None else year  # a programme's id is its year
    return KIND_TABLE[kind].pattern.format(region=region, id=id, group=group, year=year)


def _classify_regional_file(path: str, region: str, section: str, stem: str, ext: str) -> Place | Finding:
    if section == "feedback":
        match = ids.PERIOD.fullmatch(stem)
        if ext != "csv" or not match:
            return _name_form(path, "AAAA-S1.csv, AAAA-S2.csv ou AAAA-T1.csv à AAAA-T4.csv")
        return Place(path, "feedback", region, id=stem, year=int(match["year"]))
    if ext != "yaml":
        return _misplaced(path)
    if section == "territories":
        return _slug_ok(path, stem, "territoire") or Place(path, "territory", region, id=stem)
    if section == "physicians":
        return _rpps_ok(path, stem) or Place(path, "physician", region, id=stem)
    if not ids.YEAR.fullmatch(stem):
        return _name_form(path, f"l'année du programme AAAA.yaml, trouvé « {stem}.{ext} »")
    return Place(path, "programme", region, id=stem, year=int(stem))


# A walked regular file: (relative path, size, mtime_ns, ctime_ns, inode), all that is known before opening it.
FileStat = tuple[str, int, int, int, int]


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
    return _walk(root, split=True, start=[(f"regions/{name}", name) for name in regions])


def _region_folders(root: Path) -> list[str]:
    """Names of the real folders under regions/ that name a region (a slug), in order; none when
    regions/ itself is not a real folder (a link is reported by the walk of the root, never entered)."""
    try:
        if not stat.S_ISDIR(os.lstat(root / "regions").st_mode):
            return []
        with os.scandir(root / "regions") as listing:
            return sorted(e.name for e in listing if ids.is_slug(e.name) and e.is_dir(follow_symlinks=False))
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
        if split and folder == "regions":  # each region's folder is a partition of its own
            subfolders = [rel for rel in subfolders if rel[8:] not in skip]
            pending.extend((rel, rel[8:] if ids.is_slug(rel[8:]) else part) for rel in reversed(subfolders))
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


def survey(root: Path, years: frozenset[int] | None = None) -> Survey:
    """Every file under root, walked (see `walk`) and classified; with `years`, the dated records
    (meetings, contracts, programmes, feedback) of other years left out, most before being classified."""
    listed = walk(root)
    files = listed.files if years is None else [info for info in listed.files if _may_be_of(info[0], years)]
    found = place_files(files, listed.findings)
    if years is None:
        return found
    kept = tuple(p for p in found.places if p.year is None or p.year in years)
    return Survey(kept, found.findings, found.stats)


def _may_be_of(path: str, years: frozenset[int]) -> bool:
    """False for a file of a bulk folder that is surely of another year (a meeting named by its date,
    a contract in its year's folder): 60,000 of a national archive's files need no classifying."""
    folder, _, name = path.rpartition("/")
    bulk = _bulk_folder(folder)
    if bulk is None or bulk[0] == "physician":
        return True
    if bulk[0] == "contract":
        return bulk[3] in years
    return not (name[:4].isdigit() and name[:4].isascii()) or int(name[:4]) in years


def place_files(files, findings=()) -> Survey:
    """Classify walked files: their places, and layout findings for those the layout has no place for."""
    places: list[Place] = []
    problems: list[Finding] = list(findings)
    stats: dict[str, FileStat] = {}
    for info in files:
        result = classify(info[0])
        if isinstance(result, Place):
            places.append(result)
            stats[info[0]] = info
        else:
            problems.append(result)
    return Survey(tuple(places), tuple(problems), stats)


def partition_of(path: str) -> str | None:
    """The region whose folder holds a path, or None for the national files (and misplaced ones).

    The unit of incremental checking: every rule judges a region's files against that region's records
    and the national ones only, so a region's findings change only when its files or the national ones do.
    """
    if path.startswith("regions/"):
        region, sep, _ = path[8:].partition("/")
        if sep and ids.is_slug(region):
            return region
    return None


_name = attrgetter("name")


_FOLDER = object()
_FILE = object()


def _judge(root: Path, entry: os.DirEntry, rel: str, real_root: Path):
    """_FILE for a regular file, _FOLDER for a real (not linked) folder to walk into, or a Finding."""
    if printable(rel) != rel:
        return _layout_finding(
            printable(rel),
            "Nom de fichier ou de dossier avec des caractères de contrôle, invisibles ou non UTF-8 : "
            "renommez-le en lettres, chiffres et tirets.",
        )
    try:
        mode = entry.stat(follow_symlinks=False).st_mode
    except OSError as error:
        return _layout_finding(rel, f"Fichier illisible ({error.strerror}) : il n'est pas vérifié.", "GQ001")
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
        return _layout_finding(
            rel,
            "Lien symbolique cassé ou en boucle : il n'est pas lu. Remplacez-le par le fichier lui-même.",
        )
    if not _inside(target, real_root):
        return _symlink_finding(rel)
    return _layout_finding(
        rel,
        "Lien symbolique : il n'est pas lu (un registre est un fichier, pas un lien). "
        "Remplacez-le par le fichier lui-même, ou supprimez-le si c'est un doublon.",
    )


def _inside(path: Path, real_root: Path) -> bool:
    return path == real_root or real_root in path.parents


def _symlink_finding(path: str) -> Finding:
    return _layout_finding(
        path,
        "Lien symbolique qui mène hors des registres : il n'est pas lu. Remplacez-le par le fichier lui-même.",
    )


def _not_regular(path: str) -> Finding:
    return _layout_finding(
        path,
        "Ce n'est pas un fichier ordinaire (tube nommé, socket ou périphérique) : il n'est pas lu. Supprimez-le.",
    )


def _unreadable_folder(path: str, error: OSError) -> Finding:
    return _layout_finding(
        path,
        f"Dossier illisible ({error.strerror or error}) : ses fichiers ne sont pas vérifiés. "
        "Rendez-le lisible ou supprimez-le.",
        "GQ001",
    )
