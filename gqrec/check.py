"""The library entry point of `gqrec check`: load, index, run the rules, return sorted findings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from typing import TYPE_CHECKING

from . import gitio
from .budgets import MAX_YAML_BYTES
from .findings import Finding, count_by_severity, sort_findings
from .incremental import check_findings

if TYPE_CHECKING:
    from .registry import Registry


@dataclass(frozen=True)
class CheckResult:
    root: Path
    files: int
    findings: tuple[Finding, ...]

    @property
    def errors(self) -> int:
        return count_by_severity(self.findings)["errors"]

    @property
    def warnings(self) -> int:
        return count_by_severity(self.findings)["warnings"]


def build_registry(
    root: Path, as_of: date | None = None, *, max_yaml_bytes: int = MAX_YAML_BYTES, use_cache: bool = True,
    years: frozenset[int] | None = None,
) -> Registry:
    """Read and index a records root once (through the file cache when asked); with `years`, only the
    dated records of those years (see `load.load`)."""
    from .load import load
    from .registry import Registry

    loaded = load(Path(root), max_yaml_bytes=max_yaml_bytes, use_cache=use_cache, years=years)
    return Registry(loaded, as_of or date.today())


def check(
    root: Path,
    as_of: date | None = None,
    *,
    changed_since: str | None = None,
    max_yaml_bytes: int = MAX_YAML_BYTES,
    use_cache: bool = True,
) -> CheckResult:
    """All findings of a records root; with `changed_since`, only those the change is answerable for.

    Region by region, with each unchanged region's findings remembered (see `incremental`).
    """
    as_of = as_of or date.today()
    files, found = check_findings(Path(root), as_of, max_yaml_bytes=max_yaml_bytes, use_cache=use_cache)
    findings = sort_findings(found)
    if changed_since is not None:
        findings = _answerable(Path(root), findings, changed_since, as_of, max_yaml_bytes)
    return CheckResult(Path(root), files, tuple(findings))


def _answerable(root: Path, findings: list[Finding], rev: str, as_of: date, max_yaml_bytes: int) -> list[Finding]:
    """Findings in files changed since rev, plus findings the change caused in untouched files.

    The rules run on everything in both states: a finding in an untouched file that was not there at
    rev (a removed physician breaking a meeting, say) belongs to the change too.
    """
    from . import rules

    changed = gitio.changed_since(root, rev)
    with gitio.tree_at(root, rev) as base_root:
        base = build_registry(base_root, as_of, max_yaml_bytes=max_yaml_bytes, use_cache=False)
        before = {_identity(f) for f in rules.run(base)}
    return [f for f in findings if f.path in changed or _identity(f) not in before]


def _identity(finding: Finding) -> tuple:
    return finding.path, finding.rule, finding.line, finding.column, finding.message
