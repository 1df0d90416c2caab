"""The library entry point of `gqrec check`: load, index, run the rules, return sorted findings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from . import rules
from .findings import Finding, count_by_severity, sort_findings
from .load import load
from .registry import Registry


@dataclass(frozen=True)
class CheckResult:
    root: Path
    files: int
    findings: tuple[Finding, ...]
    registry: Registry

    @property
    def errors(self) -> int:
        return count_by_severity(self.findings)["errors"]

    @property
    def warnings(self) -> int:
        return count_by_severity(self.findings)["warnings"]


def build_registry(root: Path, as_of: date | None = None) -> Registry:
    """Read and index a records root once."""
    return Registry(load(Path(root)), as_of or date.today())


def check(root: Path, as_of: date | None = None) -> CheckResult:
    registry = build_registry(root, as_of)
    findings = tuple(sort_findings(rules.run(registry)))
    return CheckResult(Path(root), len(registry.places), findings, registry)
