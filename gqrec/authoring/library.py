"""The national library shipped with gqrec: the themes (with their dossiers) and the indicators that the
sample records use, so that a repository made by `gqrec init` can validate a programme on its first day.

The files live in the package (`gqrec/library/`); the sample records' `themes/` and `indicators/` are the
same files (a test keeps them equal); `gqrec init` writes them into a new repository.
"""

from __future__ import annotations

from pathlib import Path

from ..layout import folder_of, path_of

LIBRARY = Path(__file__).resolve().parent.parent / "library"
KINDS = ("theme", "indicator")  # laid out in the package as under a records root


def library_files() -> dict[str, str]:
    """Path under a records root -> text, for every theme and indicator of the national library."""
    return {
        path_of(kind, id=path.stem): path.read_text(encoding="utf-8")
        for kind in KINDS for path in sorted((LIBRARY / folder_of(kind)).glob("*.yaml"))
    }

