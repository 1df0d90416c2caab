"""GitHub Actions workflow commands, so findings show up on the pull request's lines."""

from __future__ import annotations

from ..findings import ERROR
from ..safe import printable
from . import Shown


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(findings, shown: Shown = Shown()) -> str:
    """One `::error` or `::warning` line per finding; `shown.prefix` is the records root seen from the
    repository."""
    prefix = shown.prefix
    lines = []
    for f in findings:
        level = "error" if f.severity == ERROR else "warning"
        path = printable(f"{prefix}{f.path}")
        lines.append(
            f"::{level} file={_escape_property(path)},line={f.line},col={f.column},"
            f"title={_escape_property(f.rule)}::{_escape_data(printable(f.message))}"
        )
    return "".join(line + "\n" for line in lines)
