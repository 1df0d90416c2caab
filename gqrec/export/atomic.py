"""Atomic output of an export, through `fsio.replaced`: each file is written under a temporary name
beside its target and renamed into place only once complete, so an interrupted export never leaves half
a database (or half a table) under the name an analyst opens."""

from __future__ import annotations

from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Callable, Iterator

from ..fsio import make_folder, replaced

@contextmanager
def replaced_file(target: Path) -> Iterator[Path]:
    """A temporary path to write target's new content to (renamed onto target when the block ends)."""
    make_folder(target.parent)
    with replaced(target, private=True) as temporary:  # personal data: 0600
        yield temporary


@contextmanager
def replaced_files(folder: Path) -> Iterator[Callable[[str], Path]]:
    """A function giving, for a file name, a temporary path to write `folder/name` to. When the block
    ends normally every file is renamed into place, only once all of them are written; other files of
    the folder are left alone. When it raises, no file of the folder is touched."""
    make_folder(folder)
    with ExitStack() as stack:
        yield lambda name: stack.enter_context(replaced(folder / name, private=True))
