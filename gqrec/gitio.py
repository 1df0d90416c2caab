"""What gqrec asks of git: files changed since a revision, when each file was first committed, and the
records as they were at a commit. Plain `git` subprocesses; no checkout is ever touched."""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from contextlib import contextmanager
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Iterator


class GitError(Exception):
    """git could not answer (not a repository, unknown revision…), with git's own words."""


def _git(root: Path, *args: str, binary: bool = False):
    try:
        proc = subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, check=False, text=not binary,
        )
    except FileNotFoundError:
        raise GitError("git est introuvable sur cette machine.") from None
    if proc.returncode != 0:
        err = proc.stderr if isinstance(proc.stderr, str) else proc.stderr.decode("utf-8", "replace")
        raise GitError(err.strip() or f"git {' '.join(args)} a échoué.")
    return proc.stdout


def changed_since(root: Path, rev: str) -> frozenset[str]:
    """Paths under root (relative to it) changed since rev, in commits or in the working tree, or new."""
    changed = _git(root, "diff", "--name-only", "--relative", "--no-renames", rev, "--", ".")
    untracked = _git(root, "ls-files", "--others", "--exclude-standard", "--", ".")
    return frozenset(line for line in (changed + untracked).splitlines() if line)


def head(root: Path) -> str | None:
    """The commit HEAD names, or None outside a repository or before the first commit."""
    try:
        return _git(root, "rev-parse", "--verify", "--quiet", "HEAD").strip() or None
    except GitError:
        return None


def first_added(root: Path) -> dict[str, date]:
    """The commit date on which each file under root (relative path) was first added, from one `git log`.

    Asked once per HEAD: the check judges region by region, and each region may ask."""
    return _first_added(Path(root), head(root))


@lru_cache(maxsize=4)
def _first_added(root: Path, head_commit: str | None) -> dict[str, date]:
    if head_commit is None:
        raise GitError("aucun commit")
    out = _git(root, "log", "--reverse", "--diff-filter=A", "--name-only", "--relative", "--format=@%cI", "--", ".")
    dates: dict[str, date] = {}
    current: date | None = None
    for line in out.splitlines():
        if line.startswith("@"):
            current = datetime.fromisoformat(line[1:]).date()
        elif line and current is not None:
            dates.setdefault(line, current)
    return dates


def export_tree(root: Path, rev: str, dest: Path) -> Path:
    """Write the records under root as they were at rev into dest (via `git archive`); return the records root.

    Run from a subdirectory, `git archive` writes paths relative to it, so dest is the records root."""
    data = _git(root, "archive", "--format=tar", rev, "--", ".", binary=True)
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        archive.extractall(dest, filter="data")
    return dest


@contextmanager
def tree_at(root: Path, rev: str) -> Iterator[Path]:
    """The records under root as they were at rev, in a temporary folder removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="gqrec-rev-") as tmp:
        yield export_tree(root, rev, Path(tmp))
