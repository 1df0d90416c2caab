"""Where the records root is, found the way git finds `.git`, and which of its files a command was given.

A records root is the folder that holds `federation.yaml`. From a starting folder: that folder if it holds
one, else its `records/` if that does, else the same question asked of each parent in turn. So `gqrec
check`, `gqrec check .` and `gqrec check records/regions/bretagne/groups/lamballe` all find the same root
from anywhere in a records repository.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError

MARKER = "federation.yaml"
RECORDS_FOLDER = "records"  # where `gqrec init` puts the records, and the usual name of a records root


class RootNotFound(UsageError):
    """No records root around a folder, or given paths that are not under one root; the message is French."""


def root_at(folder: Path) -> Path | None:
    """The records root this folder is or holds as `records/` (not looking at its parents)."""
    if (folder / MARKER).is_file():
        return folder
    if (folder / RECORDS_FOLDER / MARKER).is_file():
        return folder / RECORDS_FOLDER
    return None


def find_root(start: Path) -> Path:
    """The records root of start (a folder, or a file whose folder is used), searching up its parents."""
    start = Path(start)
    folder = start if start.is_dir() else start.parent
    for candidate in (folder, *folder.resolve().parents):
        found = root_at(candidate)
        if found is not None:
            return found
    raise RootNotFound(
        f"Aucun registre trouvé : ni {MARKER} ni {RECORDS_FOLDER}/{MARKER} dans {_shown(folder)} "
        "ni dans ses dossiers parents. Indiquez le dossier des registres (celui qui contient "
        f"{MARKER}), ou créez un dépôt avec « gqrec init »."
    )


@dataclass(frozen=True)
class Target:
    """The records root of a command and, when it was given files or folders inside it, those paths
    (relative to the root, `/`-separated); `paths` is None for the whole root."""

    root: Path
    paths: tuple[str, ...] | None = None

    def selects(self, path: str) -> bool:
        """Whether a finding's path (relative to the root) is one of the given files or under a given folder."""
        if self.paths is None:
            return True
        return any(path == wanted or path.startswith(wanted + "/") for wanted in self.paths)


def target_of(given: tuple[Path, ...] | list[Path], cwd: Path | None = None) -> Target:
    """The root and selection for what was typed on the command line (nothing: the current folder).

    A folder that is a records root, or holds one in `records/`, means the whole root; any other path
    (a record, a region's or a group's folder) selects itself inside the root found above it. Every
    path must exist and belong to the same root.
    """
    cwd = Path(cwd) if cwd is not None else Path.cwd()
    if not given:
        return Target(_as_given(find_root(cwd), cwd))
    roots: set[Path] = set()
    selected: list[str] | None = []
    for path in map(Path, given):
        if not path.exists() and not path.is_symlink():
            raise RootNotFound(f"Chemin introuvable : {_shown(path)}")
        whole = root_at(path) if path.is_dir() else None
        root = whole or find_root(path)
        roots.add(root.resolve())
        if len(roots) > 1:
            raise RootNotFound(
                f"Les chemins donnés appartiennent à plusieurs dossiers de registres ({_shown(root)} et un "
                "autre) : vérifiez-les un dossier de registres à la fois."
            )
        inside = None if whole is not None else _inside(root, path)
        if not inside:
            selected = None
        elif selected is not None:
            selected.append(inside)
    root = root_at(next(iter(roots))) or next(iter(roots))
    return Target(_as_given(root, cwd), None if selected is None else tuple(sorted(set(selected))))


def _inside(root: Path, path: Path) -> str:
    """path relative to root, without following a link at its end (a link is a record's path too)."""
    resolved = path.resolve() if path.is_dir() else path.parent.resolve() / path.name
    try:
        relative = resolved.relative_to(root.resolve()).as_posix()
    except ValueError:
        raise RootNotFound(
            f"{_shown(path)} n'est pas dans le dossier des registres {_shown(root)} : gqrec ne vérifie que les "
            "fichiers des registres."
        ) from None
    return "" if relative == "." else relative


def _as_given(root: Path, cwd: Path) -> Path:
    """The root written relative to the current folder when it is below it (shorter messages, same files)."""
    try:
        relative = root.resolve().relative_to(cwd.resolve())
    except ValueError:
        return root.resolve()
    return relative if relative.parts else Path(".")


def _shown(path: Path) -> str:
    return str(path) if str(path) else "."
