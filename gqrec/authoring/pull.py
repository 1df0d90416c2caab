"""`gqrec library pull`: the national library (federation.yaml, themes/, indicators/) written into a
regional repository from the national one, at one commit, with `library.lock` beside it.

The lock records where the library came from (the repository, the full commit id, the day) and each
file's SHA-256, so that a local edit is told from a national change: a file whose digest is no longer the
lock's was changed here, and is never overwritten nor removed without `force` (the check reports it,
GQ125). A theme the national library removed that a programme or a meeting of the region still names is
kept, with the indicators of its dossier, and listed under `kept` until nothing uses it. Pulling the
same commit again changes nothing. Without a lock (a repository made by `gqrec init` from gqrec's own
copy), the files still as `init` wrote them count as pulled: only those edited since are local edits.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Mapping

from ruamel.yaml.comments import CommentedMap

from .. import gitio, walk
from ..budgets import MAX_YAML_BYTES
from ..fsio import read_regular, write_atomic
from ..kinds import LIBRARY_KINDS
from ..layout import LOCK, Place, classify, folder_of
from ..load import file_digest
from ..parse import ParseError, decode, parse_yaml
from ..roots import MARKER, RECORDS_FOLDER
from ..schemas import is_valid
from . import AuthoringError
from .library import embedded_library
from .yamlio import dumps

LOCK_HEADING = ("# Écrit par « gqrec library pull » : la bibliothèque nationale tirée (dépôt, commit, jour) et\n"
                "# l'empreinte de chaque fichier. Ne le modifiez pas à la main : relancez gqrec library pull.\n")
KIND_FR = {"federation": "fédération", "theme": "thème", "indicator": "indicateur"}


@dataclass(frozen=True)
class National:
    """The national library at one commit of the national repository: path under a records root -> bytes."""

    source: str
    revision: str
    files: Mapping[str, bytes]


@dataclass(frozen=True)
class Change:
    path: str
    label: str  # « thème « Asthme de l'adulte » (themes/asthme-adulte.yaml) »
    why: str = ""


@dataclass(frozen=True)
class Pulled:
    """What a pull did (or, refused, would have done), each change named by its theme's or indicator's title."""

    source: str
    revision: str
    previous: str | None
    added: tuple[Change, ...] = ()
    changed: tuple[Change, ...] = ()
    removed: tuple[Change, ...] = ()
    kept: tuple[Change, ...] = ()  # removed nationally, still used here
    local: tuple[Change, ...] = ()  # edited here, the national version unchanged: left as they are
    restored: tuple[Change, ...] = ()  # edited here, replaced by the national version (--force)
    written: tuple[str, ...] = field(default=())  # paths written or removed, library.lock included

    def lines(self) -> list[str]:
        """What the command prints, in French."""
        at = f"commit {self.revision[:12]} de {self.source}"
        if not self.written:
            out = [f"Bibliothèque nationale déjà à jour ({at}) : rien n'a changé."]
        elif self.previous is None or self.previous == self.revision:
            out = [f"Bibliothèque nationale tirée : {at}."]
        else:
            out = [f"Bibliothèque nationale tirée : {at} (précédent : {self.previous[:12]})."]
        for verb, changes in (("nouveau", self.added), ("modifié", self.changed), ("retiré", self.removed),
                              ("rétabli (--force)", self.restored)):
            out += [f"  {verb} : {change.label}" for change in changes]
        out += [f"  gardé : {change.label} : retiré de la bibliothèque nationale, mais {change.why} ; il sera retiré "
                "au premier tirage où plus rien ne l'utilise." for change in self.kept]
        out += [f"  modification locale gardée : {change.label} : la version nationale n'a pas changé ; gqrec check "
                "la signale (GQ125), gqrec library pull --force la remplace." for change in self.local]
        if self.written and not (self.added or self.changed or self.removed or self.restored):
            out.append("  aucun fichier de la bibliothèque n'a changé.")
        return out


# -- the national repository ------------------------------------------------------------------------------

def fetch_library(source: str, rev: str | None = None) -> National:
    """The national library of `source` (a git URL, or a local path of a git repository or of a records
    root inside one) at `rev` (a branch, tag or commit; HEAD by default), read from git at one commit:
    what is committed, never a work tree's uncommitted edits."""
    url, inside, shown = _where(source)
    with tempfile.TemporaryDirectory(prefix="gqrec-library-") as tmp:
        repo = Path(tmp) / "repo"
        repo.mkdir()
        commit = gitio.fetch(url, rev, repo)
        top = _records_root(repo, commit, inside, shown)
        wanted = [f"{top}{name}" for name, kind in _entries(repo, commit, top) if kind == "blob" and name == MARKER
                  or kind == "tree" and name in (folder_of("theme"), folder_of("indicator"))]
        tree = gitio.export_tree(repo, commit, Path(tmp) / "tree", wanted) / top
        files = {}
        for info in walk.walk(tree).files:
            place = classify(info[0])
            if isinstance(place, Place) and place.kind in LIBRARY_KINDS:
                files[info[0]] = (tree / info[0]).read_bytes()
    return National(shown, commit, files)


def _where(source: str) -> tuple[str, str, str]:
    """(what git fetches from, the folder inside it the records are in, how the lock names the source)."""
    path = Path(source).expanduser()
    if not path.exists():
        return source, "", source
    try:
        top = Path(gitio.toplevel(path))
    except gitio.GitError:
        raise AuthoringError(f"{source} n'est dans aucun dépôt git : la bibliothèque nationale se tire d'un dépôt git "
                             "(son adresse, ou le chemin d'une copie locale), à un commit.") from None
    inside = path.resolve().relative_to(top.resolve()).as_posix()
    return str(top), "" if inside == "." else inside + "/", str(path.resolve())


def _entries(repo: Path, commit: str, folder: str) -> list[tuple[str, str]]:
    """(name, "blob" or "tree") of each entry of a folder of the commit ("" or "a/b/")."""
    return [(path.rpartition("/")[2], kind) for path, kind in gitio.entries(repo, commit, folder.rstrip("/"))]


def _records_root(repo: Path, commit: str, inside: str, shown: str) -> str:
    """The folder of the commit whose records the library is in: the one given, or its records/ folder."""
    names = dict(_entries(repo, commit, inside))
    if names.get(MARKER) == "blob":
        return inside
    if names.get(RECORDS_FOLDER) == "tree" and dict(_entries(repo, commit, f"{inside}{RECORDS_FOLDER}/")).get(MARKER) == "blob":
        return f"{inside}{RECORDS_FOLDER}/"
    raise AuthoringError(f"{shown} n'a pas de bibliothèque nationale à ce commit : ni {MARKER} ni "
                         f"{RECORDS_FOLDER}/{MARKER} (le dépôt national tient federation.yaml, themes/ et indicators/).")


# -- the regional repository -----------------------------------------------------------------------------

def pull(root: Path, source: str, rev: str | None = None, *, force: bool = False, today: date | None = None) -> Pulled:
    """Fetch the national library (see `fetch_library`) and write it into the records root (see `apply`)."""
    return apply(root, fetch_library(source, rev), force=force, today=today)


def apply(root: Path, national: National, *, force: bool = False, today: date | None = None) -> Pulled:
    """Write the national library into the records root `root` and its lock; refuse (nothing written) when
    that would overwrite or remove a local edit, unless `force`."""
    root = Path(root)
    lock = _read_lock(root)
    present = _present(root)
    before = dict(lock["files"]) if lock else _as_init_wrote(present)
    now = {path: file_digest(raw) for path, raw in present.items()}
    incoming = {path: file_digest(raw) for path, raw in national.files.items()}
    edited = {path for path in {*before, *now} if now.get(path) != before.get(path)}

    writes: dict[str, bytes | None] = {}
    added, changed, removed, kept, local, restored, conflicts = [], [], [], [], [], [], []
    files = dict(incoming)
    for path in sorted(incoming):
        label = _label(path, national.files[path])
        base = before.get(path) or now.get(path)  # the last pull's, else the file already here (a first pull)
        if base is None:
            added.append(Change(path, label))
        elif base != incoming[path]:
            changed.append(Change(path, label))
        if now.get(path) == incoming[path]:
            continue
        if path in edited and before.get(path) == incoming[path] and not force:
            local.append(Change(path, label))
            continue
        if path in edited and not force:
            conflicts.append(path)
        if path in edited and before.get(path) == incoming[path]:
            restored.append(Change(path, label))
        writes[path] = national.files[path]
    gone = sorted(path for path in before if path not in incoming)
    users = _users(root, [path for path in gone if path in present]) if gone else {}
    for path in gone:
        label = _label(path, present.get(path, b""))
        if path in users:
            kept.append(Change(path, label, users[path]))
            files[path] = before[path]
            continue
        if path in edited and path in present and not force:
            conflicts.append(path)
        removed.append(Change(path, label))
        if path in present:
            writes[path] = None
    if conflicts:
        raise AuthoringError(
            f"Modifications locales de la bibliothèque nationale : {', '.join(sorted(conflicts))}. gqrec library pull "
            "ne les remplace ni ne les retire : annulez-les (git checkout), ou relancez avec --force pour prendre la "
            "version nationale (un changement voulu se propose à la fédération)."
        )
    document = _lock_document(national, files, sorted(change.path for change in kept), today or date.today())
    same_lock = lock is not None and {key: value for key, value in lock.items() if key != "pulled"} == \
        {key: value for key, value in document.items() if key != "pulled"}
    written = []
    for path, data in writes.items():
        if data is None:
            (root / path).unlink(missing_ok=True)
        else:
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            write_atomic(root / path, data)
        written.append(path)
    if writes or not same_lock:
        write_atomic(root / LOCK, LOCK_HEADING + dumps(document))
        written.append(LOCK)
    return Pulled(national.source, national.revision, lock["revision"] if lock else None, tuple(added),
                  tuple(changed), tuple(removed), tuple(kept), tuple(local), tuple(restored), tuple(written))


def _read_lock(root: Path) -> dict | None:
    """The lock's plain data, or None without one; a lock gqrec cannot trust is a refusal."""
    got = read_regular(root / LOCK, MAX_YAML_BYTES)
    if got is None:
        if (root / LOCK).exists() or (root / LOCK).is_symlink():
            raise AuthoringError(f"{LOCK} n'est pas un fichier ordinaire lisible : remplacez-le, ou retirez-le.")
        return None
    try:
        data = parse_yaml(decode(got[0])).data
    except ParseError as error:
        data = error
    if not is_valid("lock", data):
        raise AuthoringError(f"{LOCK} n'est pas tel que gqrec library pull l'écrit (gqrec check dit pourquoi) : "
                             "rétablissez-le (git checkout), ou retirez-le et relancez avec --force.")
    return data


def _present(root: Path) -> dict[str, bytes]:
    """The library files of the records root as they are now (the national partition's walk, placed)."""
    national, _ = walk.walk_national(root)
    out = {}
    for info in national.files:
        place = classify(info[0])
        if isinstance(place, Place) and place.kind in LIBRARY_KINDS:
            got = read_regular(root / info[0], MAX_YAML_BYTES)
            if got is not None:
                out[info[0]] = got[0]
    return out


def _as_init_wrote(present: Mapping[str, bytes]) -> dict[str, str]:
    """Without a lock, the files still as `gqrec init` writes them (gqrec's own copy of the library): they
    count as pulled before, so that a first pull replaces them and removes those the nation dropped."""
    return {path: file_digest(text.encode("utf-8")) for path, text in embedded_library().items()
            if present.get(path) == text.encode("utf-8")}


def _users(root: Path, paths: list[str]) -> dict[str, str]:
    """Of the themes and indicators about to be removed, those the region's records still use, and how
    (« encore au programme 2025 de bretagne et de 3 réunions »): a theme named by a programme or a meeting,
    an indicator of such a theme's dossier or naming one."""
    from ..check import build_registry

    registry = build_registry(root)
    uses: dict[str, list[str]] = {}
    for (region, year) in sorted({*registry.programmes, *registry.partial_programmes}):
        for theme in registry.programme_terms(region, year)[0] or ():
            uses.setdefault(theme, []).append(f"programme {year} de {region}")
    meetings: dict[str, int] = {}
    for listed in (*registry.meetings.values(), *registry.partial_meetings.values()):
        for meeting in listed:
            theme = getattr(meeting, "theme", None) or getattr(meeting, "fields", {}).get("theme")
            if isinstance(theme, str):
                meetings[theme] = meetings.get(theme, 0) + 1
    out = {}
    for path in paths:
        place = classify(path)
        theme = place.id if place.kind == "theme" else None
        if place.kind == "indicator":
            indicator = registry.indicators.get(place.id)
            dossiers = [t.id for t in registry.themes.values() if place.id in t.indicators]
            theme = next((t for t in [indicator.theme if indicator else None, *dossiers]
                          if t and (t in uses or t in meetings)), None)
        if theme is None or not (theme in uses or theme in meetings):
            continue
        said = uses.get(theme, [])[:3]
        if theme in meetings:
            said.append(f"{meetings[theme]} réunion{'s' if meetings[theme] > 1 else ''}")
        what = "encore utilisé" if place.kind == "theme" else f"son thème {theme} est encore utilisé"
        out[path] = f"{what} ({', '.join(said)})"
    return out


def _lock_document(national: National, files: Mapping[str, str], kept: list[str], day: date) -> CommentedMap:
    document = CommentedMap()
    document["source"] = national.source
    document["revision"] = national.revision
    document["pulled"] = day.isoformat()
    document["files"] = CommentedMap(sorted(files.items()))
    if kept:
        document["kept"] = kept
    return document


def _label(path: str, raw: bytes) -> str:
    """How the output names a library file: its kind and title, and its path."""
    place = classify(path)
    if place.kind == "federation":
        return f"fédération et charte nationale ({path})"
    try:
        title = parse_yaml(decode(raw)).data.get("title")
    except (ParseError, AttributeError):
        title = None
    named = f" « {title} »" if isinstance(title, str) and title.strip() else ""
    return f"{KIND_FR[place.kind]}{named} ({path})"
