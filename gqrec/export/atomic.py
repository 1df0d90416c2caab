"""Atomic output of an export, through `fsio.replaced`: each file is written under a temporary name
beside its target and renamed into place only once complete, so an interrupted export never leaves half
a database (or half a table) under the name an analyst opens."""

from __future__ import annotations

from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Callable, Iterator

from ..fsio import make_folder, replaced

PRIVATE = 0o600  # a new export holds personal data: readable by its owner only (a replaced one keeps its mode)


def _mode(target: Path) -> int | None:
    return None if target.exists() else PRIVATE


@contextmanager
def replaced_file(target: Path) -> Iterator[Path]:
    """A temporary path to write target's new content to (renamed onto target when the block ends)."""
    make_folder(target.parent)
    with replaced(target, mode=_mode(target)) as temporary:
        yield temporary


@contextmanager
def replaced_files(folder: Path) -> Iterator[Callable[[str], Path]]:
    """A function giving, for a file name, a temporary path to write `folder/name` to. When the block
    ends normally every file is renamed into place, only once all of them are written; other files of
    the folder are left alone. When it raises, no file of the folder is touched."""
    make_folder(folder)
    with ExitStack() as stack:
        yield lambda name: stack.enter_context(replaced(folder / name, mode=_mode(folder / name)))
