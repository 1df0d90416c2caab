"""Output formats by name, one table per product (findings, bilan, feedback profiles).

The command line reads these tables for its `--format` choices, their help and the dispatch, so a new
format is one `add` beside its renderer module and nothing else (see `render`, `report`, `feedback`).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, Callable

from .errors import InternalError


@dataclass(frozen=True)
class Renderer:
    """One format of a product: the function that renders it and a French line for `--help`.

    `function` is the function or its "module:name", imported when first rendered (so that the command
    line lists every format without importing them). `summary` (findings only) says where the one-line
    count goes: "stdout", "stderr" or None; `many` (bilan only) says the format writes several files
    and needs a folder.
    """

    function: Callable[..., Any] | str
    help: str
    summary: str | None = None
    many: bool = False

    def render(self, *args, **kwargs):
        function = self.function
        if isinstance(function, str):
            module, _, name = function.partition(":")
            function = getattr(importlib.import_module(module), name)
        return function(*args, **kwargs)


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

    def files(self, stem: str, fmt: str, *args) -> dict[str, str]:
        """File name -> text of a document rendered in `fmt`: `<stem>.<fmt>`, or `<stem>-<table>.<fmt>`
        for each table of a `many` format."""
        renderer = self[fmt]
        if renderer.many:
            return {f"{stem}-{slug}.{fmt}": text for slug, text in renderer.render(*args).items()}
        return {f"{stem}.{fmt}": renderer.render(*args)}

    def help(self) -> str:
        return " ; ".join(f"{name} : {renderer.help}" for name, renderer in self.items()) + "."
