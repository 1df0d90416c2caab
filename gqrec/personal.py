"""Where a document naming physicians may be written: never under a `reports/` folder (the committed,
aggregate reports) nor inside the records root (which goes into git). One test for every such document:
individual feedback profiles, the ledger, attestations and attendance sheets."""

from __future__ import annotations

from pathlib import Path


def under_reports(folder: Path) -> bool:
    """True when the resolved folder has a path component named `reports` (any case)."""
    return any(part.casefold() == "reports" for part in Path(folder).resolve().parts)


def inside(folder: Path, root: Path) -> bool:
    folder, root = Path(folder).resolve(), Path(root).resolve()
    return folder == root or root in folder.parents


def refusal(folder: Path, root: Path, what: str) -> str | None:
    """The French reason not to write `what` (« un registre des indemnités ») into folder, or None."""
    if under_reports(folder):
        return (f"Refus d'écrire {what} dans {folder} : un dossier « reports » contient les rapports commités, "
                "sans donnée individuelle. Choisissez un dossier hors de reports/ et hors du dépôt.")
    if inside(folder, root):
        return (f"Refus d'écrire {what} dans {folder}, à l'intérieur des registres ({root}) : "
                "choisissez un dossier hors du dépôt.")
    return None
