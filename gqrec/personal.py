"""Where a document naming physicians may be written: never under a `reports/` folder (the committed,
aggregate reports), nor inside the records root, nor anywhere in the git work tree that holds the records
unless git ignores that place (one `git add -A` would commit it). One test for every such document:
individual feedback profiles, the ledger, attestations, attendance sheets, the export and clear feedback
rows; they are written `fsio` `private` (0600)."""

from __future__ import annotations

from pathlib import Path

from . import gitio
from .member_codes import work_tree


def under_reports(folder: Path) -> bool:
    """True when the resolved folder has a path component named `reports` (any case)."""
    return any(part.casefold() == "reports" for part in Path(folder).resolve().parts)


def inside(folder: Path, root: Path) -> bool:
    folder, root = Path(folder).resolve(), Path(root).resolve()
    return folder == root or root in folder.parents


def ignored(place: Path, tree: Path) -> bool:
    """Whether git ignores place: an existing file itself, else what would be written there (a new
    file, or the files of a folder)."""
    place = Path(place)
    return gitio.ignored(tree, place if place.is_file() else place / ".gqrec")


def refusal(place: Path, root: Path, what: str) -> str | None:
    """The French reason not to write `what` (« un registre des indemnités ») at place (a file or a
    folder of files), or None."""
    if under_reports(place):
        return (f"Refus d'écrire {what} dans {place} : un dossier « reports » contient les rapports commités, "
                "sans donnée individuelle. Choisissez un dossier hors de reports/ et hors du dépôt.")
    if inside(place, root):
        return (f"Refus d'écrire {what} dans {place}, à l'intérieur des registres ({root}) : "
                "choisissez un dossier hors du dépôt.")
    tree = work_tree(Path(root).resolve())
    if tree is not None and inside(place, tree) and not ignored(place, tree):
        return (f"Refus d'écrire {what} dans {place}, à l'intérieur du dépôt git des registres ({tree}) "
                "sans que git l'ignore : un « git add -A » le publierait. Choisissez un dossier hors du dépôt, "
                "ou faites-le ignorer par git (.gitignore).")
    return None
