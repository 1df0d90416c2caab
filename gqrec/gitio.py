"""What gqrec asks of git: files changed since a revision, when each file was first committed, and the
records as they were at a commit. Plain `git` subprocesses; no checkout is ever touched."""

from __future__ import annotations

import os
import subprocess
import tempfile
from contextlib import contextmanager
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

from .errors import UsageError
from .fsio import write_all


class GitError(UsageError):
    """git could not answer (not a repository, unknown revision…), with git's own words."""


class ShallowHistory(GitError):
    """The repository's history is cut short (a shallow clone): what needs it cannot be answered."""


SHALLOW_NOTE = "Délais d'enregistrement des comptes rendus (minutes_within_days, GQ116) non vérifiés"
SHALLOW = (
    "le dépôt git est un clone superficiel (git clone --depth, ou actions/checkout sans fetch-depth: 0) : "
    "l'historique manque. Récupérez-le avec « git fetch --unshallow » (dans GitHub Actions : fetch-depth: 0)."
)


def _git(root: Path, *args: str, binary: bool = False, stdin: bytes | None = None):
    try:
        proc = subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, check=False, text=not binary, input=stdin,
        )
    except FileNotFoundError:
        raise GitError("git est introuvable sur cette machine.") from None
    if proc.returncode != 0:
        err = proc.stderr if isinstance(proc.stderr, str) else proc.stderr.decode("utf-8", "replace")
        said = err.strip().splitlines()[-1] if err.strip() else ""
        raise GitError(f"git a refusé la demande « git {args[0]} »" + (f" (git : {said})" if said else "") + ".")
    return proc.stdout


def ignored(tree: Path, path: Path) -> bool:
    """Whether git would leave path (in the work tree `tree`, existing or not) out of a `git add -A`: an
    ignored path that is not tracked. False when git cannot tell (no git, not a repository)."""
    try:
        relative = Path(path).resolve().relative_to(Path(tree).resolve())
    except ValueError:
        return False
    try:
        proc = subprocess.run(["git", "-C", str(tree), "check-ignore", "-q", "--", str(relative)],
                              capture_output=True, check=False)
    except OSError:
        return False
    return proc.returncode == 0


def revision(root: Path, rev: str) -> str:
    """The commit a revision names, checked before git sees it: a name that git would take for an option
    (`--output=FILE` truncated FILE) is refused, and so is any revision of a shallow clone, whose past is
    missing (a comparison with it would be a wrong judgement, not an answer)."""
    if not rev or rev.startswith("-") or any(c in rev for c in "\0\n"):
        raise GitError(f"révision « {rev} » refusée : un nom de révision git ne commence pas par « - ».")
    if is_shallow(root):
        raise ShallowHistory(SHALLOW)
    try:
        return _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}").strip()
    except GitError:
        if head(root) is None:
            raise GitError(f"{root} n'est dans aucun dépôt git ayant un commit : il n'y a pas d'historique où "
                           f"trouver « {rev} ».") from None
        raise GitError(f"révision git inconnue : « {rev} » (ni branche, ni étiquette, ni commit de ce dépôt).") from None


def toplevel(folder: Path) -> str:
    """The work tree a folder is in (a GitError outside any repository)."""
    return _git(folder, "rev-parse", "--show-toplevel").strip()


def fetch(url: str, rev: str | None, into: Path) -> str:
    """Fetch the commit `rev` (a branch, tag or commit id; the remote's HEAD by default) of the repository at
    `url` (a git URL or a local path) into `into`, a bare repository made here; its full commit id.

    One commit without its history where the remote allows it (a branch, a tag, a full commit id); else
    (an abbreviated id) its branches and tags, where the revision is then looked for."""
    rev = rev or "HEAD"
    for value, what in ((url, "adresse du dépôt"), (rev, "révision")):
        if not value or value.startswith("-") or any(c in value for c in "\0\n"):
            raise GitError(f"{what} « {value} » refusée : elle ne commence pas par « - » et tient sur une ligne.")
    _git(into, "init", "--quiet", "--bare", ".")
    try:
        _git(into, "fetch", "--quiet", "--depth", "1", "--end-of-options", url, rev)
        return _git(into, "rev-parse", "--verify", "--quiet", "FETCH_HEAD^{commit}").strip()
    except GitError:
        pass
    _git(into, "fetch", "--quiet", "--end-of-options", url, "+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*")
    try:
        return _git(into, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}").strip()
    except GitError:
        raise GitError(f"révision git inconnue dans {url} : « {rev} » (ni branche, ni étiquette, ni commit).") from None


def is_shallow(root: Path) -> bool:
    """Whether root is in a shallow clone (False outside a repository: git then says so itself)."""
    return _is_shallow(Path(root), head(root))


@lru_cache(maxsize=4)
def _is_shallow(root: Path, head_commit: str | None) -> bool:
    try:
        return _git(root, "rev-parse", "--is-shallow-repository").strip() == "true"
    except GitError:
        return False


def history_state(root: Path) -> str | None:
    """HEAD, marked when the clone is shallow: what findings that depend on history were computed from."""
    commit = head(root)
    return f"{commit}+shallow" if commit is not None and is_shallow(root) else commit


def changed_since(root: Path, rev: str) -> frozenset[str]:
    """Paths under root (relative to it) changed since rev, in commits or in the working tree, or new."""
    changed = _git(root, "diff", "--name-only", "--relative", "--no-renames", revision(root, rev), "--", ".")
    untracked = _git(root, "ls-files", "--others", "--exclude-standard", "--", ".")
    return frozenset(line for line in (changed + untracked).splitlines() if line)


def head(root: Path) -> str | None:
    """The commit HEAD names, or None outside a repository or before the first commit."""
    try:
        return _git(root, "rev-parse", "--verify", "--quiet", "HEAD").strip() or None
    except GitError:
        return None


def commit_of(root: Path, rev: str) -> tuple[str, date]:
    """The commit a revision names and its commit date: what a report of a past revision says it shows."""
    sha, _, when = _git(root, "show", "-s", "--format=%H %cI", revision(root, rev), "--").strip().partition(" ")
    return sha, datetime.fromisoformat(when).date()


def first_added(root: Path) -> dict[str, date]:
    """The commit date on which each file under root (relative path) was first added, from one `git log`.

    Asked once per HEAD: the check judges region by region, and each region may ask. For a past revision
    written out by `tree_at`, the history is that revision's (what was committed up to it); in a shallow
    clone, ShallowHistory (the first commit there is no file's first commit)."""
    exported = _EXPORTED.get(str(root))
    if exported is not None:
        return _first_added(*exported)
    if is_shallow(root):
        raise ShallowHistory(SHALLOW)
    return _first_added(Path(root), head(root))


@lru_cache(maxsize=4)
def _first_added(root: Path, head_commit: str | None) -> dict[str, date]:
    if head_commit is None:
        raise GitError("aucun commit")
    out = _git(root, "log", "--reverse", "--diff-filter=A", "--name-only", "--relative", "--format=@%cI", head_commit,
               "--", ".")
    dates: dict[str, date] = {}
    current: date | None = None
    for line in out.splitlines():
        if line.startswith("@"):
            current = datetime.fromisoformat(line[1:]).date()
        elif line and current is not None:
            dates.setdefault(line, current)
    return dates


def entries(root: Path, rev: str, folder: str = "") -> list[tuple[str, str]]:
    """(path relative to root, "blob" or "tree") of each entry of a folder under root at rev."""
    out = _git(root, "ls-tree", rev, "--", f"{folder}/" if folder else ".")
    found = []
    for line in out.splitlines():
        meta, _, path = line.partition("\t")
        found.append((path, meta.split()[1]))
    return found


def export_tree(root: Path, rev: str, dest: Path, paths: Iterable[str] | None = None) -> Path:
    """Write the records under root as they were at rev into dest; return the records root.

    The files are listed by `git ls-tree` (paths relative to root, as run from it) and read in one
    `git cat-file --batch`: no archive to unpack file by file. A link is written back as a link (the
    walk reports it and never follows it); a path that would leave dest is not written. With `paths`
    (which must exist at rev, see `entries`), only those files and folders are written.
    """
    paths = ["."] if paths is None else list(paths)
    if not paths:
        return dest
    listing = _git(root, "ls-tree", "-r", "-z", rev, "--", *paths, binary=True)
    entries = []
    for item in listing.split(b"\0"):
        meta, _, path = item.partition(b"\t")
        if not path:
            continue
        mode, kind, sha = meta.decode().split()
        if kind == "blob":  # not a submodule's commit
            entries.append((mode, os.fsdecode(path), sha))
    contents = _git(root, "cat-file", "--batch", binary=True, stdin="".join(f"{e[2]}\n" for e in entries).encode())
    made: set[str] = set()
    at = 0
    for mode, path, _ in entries:
        header_end = contents.index(b"\n", at)
        size = int(contents[at:header_end].split()[2])
        data = contents[header_end + 1:header_end + 1 + size]
        at = header_end + 2 + size
        if path.startswith("/") or "/../" in f"/{path}/":
            continue
        target = os.path.join(dest, path)
        folder = os.path.dirname(target)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        if mode == "120000":
            os.symlink(os.fsdecode(data), target)
            continue
        handle = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            write_all(handle, data)
        finally:
            os.close(handle)
    return dest


_EXPORTED: dict[str, tuple[Path, str]] = {}  # a past revision's folder -> (records root, commit)


@contextmanager
def tree_at(root: Path, rev: str, paths: Iterable[str] | None = None) -> Iterator[Path]:
    """The records under root as they were at rev (only `paths`, if given), in a temporary folder
    removed afterwards; while it exists, `first_added` answers for it with the history up to rev."""
    commit = revision(root, rev)
    with tempfile.TemporaryDirectory(prefix="gqrec-rev-", dir=_scratch()) as tmp:
        _EXPORTED[tmp] = (Path(root), commit)
        try:
            yield export_tree(root, commit, Path(tmp), paths)
        finally:
            del _EXPORTED[tmp]


def _scratch() -> str | None:
    """Where to write a past revision's files: in memory (/dev/shm) where there is such a place and
    TMPDIR does not say otherwise, since creating 70,000 small files on a disk takes a minute on some
    machines and a second in memory; else the usual temporary folder."""
    shm = "/dev/shm"
    if "TMPDIR" not in os.environ and os.path.isdir(shm) and os.access(shm, os.W_OK | os.X_OK):
        return shm
    return None
