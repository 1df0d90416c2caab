"""The library entry point of `gqrec check`: the pipeline's findings (see `pipeline`), sorted and gathered,
and only those a change is answerable for with `--changed-since`."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from . import gitio, sealing
from .budgets import MAX_YAML_BYTES
from .errors import UsageError
from .findings import Finding, count_by_severity, sort_findings
from .layout import REGIONS, partition_of, region_of_folder
from .load import unread
from .pipeline import Pipeline

if TYPE_CHECKING:
    from .registry import Registry


@dataclass(frozen=True)
class CheckResult:
    root: Path
    files: int
    findings: tuple[Finding, ...]
    notices: tuple[str, ...] = ()  # what the user should know about the run itself (a cache ignored…)

    @property
    def errors(self) -> int:
        return count_by_severity(self.findings)["errors"]

    @property
    def warnings(self) -> int:
        return count_by_severity(self.findings)["warnings"]


def build_registry(
    root: Path, as_of: date | None = None, *, key: bytes | None = None, max_yaml_bytes: int = MAX_YAML_BYTES,
    use_cache: bool = True, years: frozenset[int] | None = None,
) -> Registry:
    """Read and index a records root once (through the file cache when asked), the sealed feedback files
    opened with `key` (None: left closed); with `years`, only the dated records of those years (see
    `Pipeline.registry`)."""
    return Pipeline(root, key=key, max_yaml_bytes=max_yaml_bytes, use_cache=use_cache).registry(as_of, years)


def check(
    root: Path,
    as_of: date | None = None,
    *,
    key: bytes | None = None,
    changed_since: str | None = None,
    max_yaml_bytes: int = MAX_YAML_BYTES,
    use_cache: bool = True,
) -> CheckResult:
    """All findings of a records root, the sealed feedback files opened with `key` (None: GQ120); with
    `changed_since`, only those the change is answerable for."""
    pipeline = Pipeline(root, key=key, max_yaml_bytes=max_yaml_bytes, use_cache=use_cache)
    return run(pipeline, as_of, changed_since=changed_since)


def run(pipeline: Pipeline, as_of: date | None = None, *, changed_since: str | None = None) -> CheckResult:
    """`check` through a pipeline the caller reads other things with.

    Region by region, with each unchanged region's findings remembered (see `Pipeline.findings`).
    """
    as_of = as_of or date.today()
    return _result(pipeline, as_of, pipeline.findings(as_of), changed_since)


def run_and_read(pipeline: Pipeline, as_of: date | None = None,
                 years: frozenset[int] | None = None) -> tuple[CheckResult, Registry]:
    """`run` and the registry (with `years`, of those years' dated records) from one listing of the tree
    (`Pipeline.registry_and_findings`): what `gqrec report` and `gqrec export` read."""
    as_of = as_of or date.today()
    registry, found = pipeline.registry_and_findings(as_of, years)
    return _result(pipeline, as_of, found, None), registry


def _result(pipeline: Pipeline, as_of: date, judged: tuple[int, list[Finding]], changed_since: str | None) -> CheckResult:
    files, found = judged
    findings = sort_findings(found)
    if changed_since is not None:
        try:
            findings = _answerable(pipeline, findings, changed_since, as_of)
        except gitio.GitError as error:
            raise UsageError(f"--changed-since : {error}") from None
    findings = one_shallow_warning(one_unread_warning(findings))
    return CheckResult(pipeline.root, files, tuple(findings), pipeline.notices())


def unopened(findings) -> list[str]:
    """The sealed feedback files that the key given did not open (another key, or damaged): the paths of
    their GQ001 findings."""
    return sorted({f.path for f in findings if f.rule == "GQ001" and sealing.WRONG_KEY in f.message})


def refuse_unopened(findings) -> None:
    """A bilan or profiles built while the key opens none of some feedback files would say « no data »
    (and go to the COPIL empty): a refusal naming the files instead (exit 2)."""
    paths = unopened(findings)
    if paths:
        shown = ", ".join(paths[:3]) + (f" et {len(paths) - 3} autres" if len(paths) > 3 else "")
        raise UsageError(f"La clé donnée n'ouvre pas {len(paths)} fichier(s) de retour chiffré(s) ({shown}) : "
                         f"c'est une autre clé que la leur ({sealing.KEY_ENV} ou --key-file), ou ils sont abîmés. Rien "
                         "n'est produit : un bilan ou un profil sans leurs lignes dirait à tort « pas de données ».")


def one_unread_warning(findings: list[Finding]) -> list[Finding]:
    """The GQ120 warnings of the sealed files read without a key, as one (on the first such file): one
    missing secret, one warning, and no verdict on what could not be read."""
    return _gathered(findings, unread, lambda count: (
        f"{count} fichiers de retour chiffrés non vérifiés (dont celui-ci) : pas de clé ({sealing.KEY_ENV} ou "
        "--key-file). Leurs lignes ne sont pas jugées (GQ002, GQ004, GQ113) ; donnez la clé à la CI comme secret "
        "(docs/feedback.md)."
    ))


def one_shallow_warning(findings: list[Finding]) -> list[Finding]:
    """The GQ116 warnings of the regions whose deadline a shallow clone cannot judge, as one: one missing
    history, one warning, never a false one per meeting."""
    return _gathered(
        findings, lambda f: f.rule == "GQ116" and f.message.startswith(gitio.SHALLOW_NOTE),
        lambda count: f"{gitio.SHALLOW_NOTE} dans {count} régions : {gitio.SHALLOW}",
    )


def _gathered(findings: list[Finding], belongs, message) -> list[Finding]:
    """The findings that `belongs` picks as one, on the first of them, with `message(how many)`."""
    picked = [f for f in findings if belongs(f)]
    if len(picked) < 2:
        return findings
    first = picked[0]
    single = replace(first, message=message(len(picked)))
    return [single if f is first else f for f in findings if f is first or not belongs(f)]


def _answerable(pipeline: Pipeline, findings: list[Finding], rev: str, as_of: date) -> list[Finding]:
    """Findings in files changed since rev, plus findings the change caused in untouched files.

    The rules run in both states: a finding in an untouched file that was not there at rev (a removed
    physician breaking a meeting, say) belongs to the change too. A change can only cause findings
    through the regions it touches (see `pipeline`): only those regions, with the national files,
    are exported from git and judged as they were; the untouched regions, the same in both states,
    count as they are now. A change to a national file (or to a file in no region) compares everything.
    """
    root = pipeline.root
    rev = gitio.revision(root, rev)  # checked once: no option for git, no shallow past
    changed = gitio.changed_since(root, rev)
    touched = {partition_of(path) for path in changed}
    scope = None if None in touched else frozenset(touched)
    paths = None if scope is None else _paths_at(root, rev, scope)
    with gitio.tree_at(root, rev, paths) as base_root:
        _, before = pipeline.uncached(base_root).findings(as_of, only=scope)
    if scope is not None:
        # The untouched regions are the same in both states: what they cause (on the national files
        # too, GQ109) was already there. Their findings are remembered from the check just run.
        before += pipeline.findings(as_of, skip=scope)[1]
    caused = {_identity(f) for f in findings} - {_identity(f) for f in before}
    return [f for f in findings if f.path in changed or _identity(f) in caused]


def _paths_at(root: Path, rev: str, regions: frozenset[str]) -> list[str]:
    """What to export from rev to judge these regions: everything but the other regions' folders."""
    paths = []
    for path, kind in gitio.entries(root, rev):
        if path != REGIONS or kind != "tree":
            paths.append(path)
            continue
        for sub, sub_kind in gitio.entries(root, rev, REGIONS):
            name = region_of_folder(sub)
            if sub_kind != "tree" or name is None or name in regions:  # kept: all but other regions
                paths.append(sub)
    return paths


def _identity(finding: Finding) -> tuple:
    return finding.path, finding.rule, finding.line, finding.column, finding.message


def rule_findings(root: Path, as_of: date, only: frozenset[str] | None, *, key: bytes | None = None) -> list[Finding]:
    """The findings of these rules alone (all with None), the records read once without cache, the feedback
    files opened with `key`, and judged whole: what a rule's own test asserts, so that no other rule's
    finding ever enters it (`rules.run(only=...)`)."""
    from . import rules

    registry = Pipeline(root, key=key, use_cache=False).registry(as_of)
    return one_shallow_warning(one_unread_warning(sort_findings(rules.run(registry, only))))
