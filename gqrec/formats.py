"""Output formats by name, one table per product, and the one renderer interface they share.

A product (the check's findings, the rule catalogue, the bilan, the profiles, the ledger, the export)
keeps a `Formats` table: name -> `Renderer`. Every renderer is called the same way, as
check-jsonschema's reporters are: `render(subject, request)`, the product's object (findings, bilan,
profiles…) and what was asked (the product's request, or for the check its `Shown` view: language,
source lines, paths as seen from the repository). It returns the text to print or write — or, for a
`many` format, file slug -> text — or, for the export's writers, the rows written per table.

The command line reads these tables for its `--format` choices, their help and the dispatch, so a new
format is one `add` beside its renderer module and nothing else.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from .errors import InternalError, UsageError


@dataclass(frozen=True)
class Renderer:
    """One format of a product: its `render(subject, request)` and a French line for `--help`.

    `function` is the function or its "module:name", imported when first rendered (so that the command
    line lists every format without importing them). `closing` (findings) says where the product's
    closing line goes with this format: "stdout", "stderr" or None (none); `many` says the format writes
    several files and needs a folder (`--out`). `keeps_known` (findings): with a baseline, the format is
    given every finding, those the baseline knows marked (`Shown.known`), instead of the new ones only —
    SARIF marks them suppressed, so code scanning keeps their alerts open rather than closing them.
    """

    function: Callable[[Any, Any], Any] | str
    help: str
    closing: str | None = None
    many: bool = False
    keeps_known: bool = False

    def render(self, subject, request=None):
        function = self.function
        if isinstance(function, str):
            module, _, name = function.partition(":")
            function = getattr(importlib.import_module(module), name)
        return function(subject, request)


class Formats(dict[str, Renderer]):
    """name -> Renderer, in the order the formats were added (the first is the default)."""

    def add(self, name: str, renderer: Renderer) -> Renderer:
        if name in self:
            raise InternalError(f"format {name!r} registered twice")
        self[name] = renderer
        return renderer

    @property
    def default(self) -> str:
        return next(iter(self))

    def refuse_without_folder(self, fmt: str, out: Path | None) -> None:
        """The one refusal of every product alike: a format that writes several files needs `--out`."""
        if self[fmt].many and out is None:
            raise UsageError(f"--format {fmt} écrit un fichier par tableau : indiquez le dossier avec --out.")

    def files(self, stem: str, fmt: str, subject, request=None) -> dict[str, str]:
        """File name -> text of a document rendered in `fmt`: `<stem>.<fmt>`, or `<stem>-<table>.<fmt>`
        for each table of a `many` format."""
        renderer = self[fmt]
        if renderer.many:
            return {f"{stem}-{slug}.{fmt}": text for slug, text in renderer.render(subject, request).items()}
        return {f"{stem}.{fmt}": renderer.render(subject, request)}

    def help(self) -> str:
        return " ; ".join(f"{name} : {renderer.help}" for name, renderer in self.items()) + "."


def language(request) -> str:
    """The language a request asks its document in (`--lang`), French when not said."""
    return getattr(request, "lang", None) or "fr"
