"""The one shape of every product of gqrec — the check's findings, the rule catalogue, the bilan, the
profiles, the ledger, the attestations, the attendance sheet, the export: a `Request` (what the command
was asked: root, year or date, feedback key, format, folder…) goes to the product's `produce`, which makes
its refusals, reads, builds, renders and writes, and returns an `Outcome`: all the command line prints,
in order, and the exit status. The command line only parses options into the request and prints the
outcome (`commands.options.echo_outcome`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Outcome:
    """What a product gives back: notices (stderr, « Attention : … »), the document for standard output,
    the files written (one line each, after `written_as`), the closing line, and the exit status."""

    document: str | None = None
    written: tuple[Path, ...] = ()
    notices: tuple[str, ...] = ()
    closing: str = ""  # printed as is (its own newline), after the document and the files
    closing_on_stdout: bool = True  # else on standard error
    status: int = 0  # 0 done, 1 the records cannot give what was asked (2 and 3 are raised, not returned)
    written_as: str = "Écrit : "  # `gqrec report` gives bare paths, which scripts read


def quiet(items, length: int, label: str):
    """The progress a library run shows when its command gives none (`commands.options.progress` shows a
    bar): the items, as they are."""
    return items
