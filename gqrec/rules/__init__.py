"""The rule catalogue: each rule a small pure function from the Registry to hits, registered with an
id, a default severity, a French title and an explanation quoting the cahier des charges.

Rules yield `Hit`s (where and what); the runner turns them into `Finding`s with the rule's id and the
severity in force for the region of the file, so overrides and `off` are applied once, here.

The contract that lets `gqrec check` judge region by region (see `pipeline`): a rule judges a
region's files against that region's records and the national ones only, and a finding on a national
file must follow from the national files alone or from one region's records with them (never from the
absence of something in every region). tests/test_incremental.py holds every rule to it.

A rule declares what it reads beyond the Registry: the charter `parameters` (the only keys its `conf`
gives it) and its `needs` from outside the files ("git": the history of the records), so the check
knows which regions' findings depend on more than their files.

A rule also carries its fault `example` (`examples.Example`: the faulty fragment, its compliant form, a
way to plant it in any records tree), which drives its generic test, the region-by-region test, the
demo's `--faults` and `gqrec rule GQxxx`; a rule without one says why (`no_example`). To add a rule:

1. write `check(registry, conf)` in its family's module (ask the Registry: `groups_of`, `tenures`,
   `held`, `coverage`… rather than walking records), decorated with `@rule(id, severity, title,
   explanation, fix, parameters, example=Example(...))`;
2. test it alone on the small world of tests/world.py: break the world, then
   `world.findings_of("GQ1xx")` gives that rule's findings only (`run(registry, only=...)`), so a new
   rule never breaks another rule's tests; tests/test_rule_examples.py already holds its example;
3. give it a one-line `summary` and paste `gqrec rule --format md` over the README's rule table, which
   tests/test_rule_examples.py compares with the catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Iterable

from ..charter import Charter
from ..errors import InternalError, UsageError
from ..findings import ERROR, OFF, Finding
from ..records import Source
from .examples import Example


@dataclass(frozen=True)
class Hit:
    """One breach found by a rule: file, 1-based position, French message, and the year it is about when
    the file itself has none (a group's period, judged year or meeting day)."""

    path: str
    line: int
    column: int
    message: str
    hint: str = ""
    year: int | None = None


def hit(src: Source, path: tuple, message: str, hint: str = "", year: int | None = None) -> Hit:
    """A hit at the value `path` of a record (its nearest written ancestor, or 1:1)."""
    line, column = src.at(*path)
    return Hit(src.path, line, column, message, hint, year)


def hit_key(src: Source, path: tuple, message: str, hint: str = "", year: int | None = None) -> Hit:
    """A hit at the key of `path` (where a whole list or mapping is introduced)."""
    line, column = src.keys.get(path) or src.at(*path)
    return Hit(src.path, line, column, message, hint, year)


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    title: str
    explanation: str
    fix: str
    parameters: tuple[str, ...]
    check: Callable[..., Iterable[Hit]] | None  # check(registry, conf) -> hits
    family: str
    needs: tuple[str, ...] = ()
    example: Example | None = None
    no_example: str = ""  # why the rule has no example, when it has none
    summary: str = ""  # what it finds, in a line (the README's rule table, `gqrec rule --format md`)

    def in_force(self, charter: Charter) -> bool:
        """Whether the rule judges a region under this charter: not `off`, and every parameter it declares
        has a value (a parameter without default, such as minutes_within_days, switches its rule on)."""
        return charter.rules.get(self.id) != OFF and all(charter[key] is not None for key in self.parameters)


CATALOGUE: dict[str, Rule] = {}


def rule(id: str, severity: str, title: str, explanation: str, fix: str, parameters: tuple[str, ...] = (),
         needs: tuple[str, ...] = (), example: Example | None = None, no_example: str = "", summary: str = ""):
    """Register a rule function under its id (twice the same id is a bug, refused at import); a rule
    without function is found while loading."""

    def register(check):
        if id in CATALOGUE:
            raise InternalError(f"rule id {id} registered twice ({CATALOGUE[id].family} and {check.__module__})")
        family = check.__module__.rsplit(".", 1)[-1] if check else "load"
        CATALOGUE[id] = Rule(id, severity, title, explanation, fix, parameters, check, family, needs, example,
                             no_example, summary or title)
        return check

    return register


class Conf:
    """The charter parameters a rule declared, per region: `conf(region)["key"]`, `conf(region).origin`.

    A key the rule did not declare is not there, so `gqrec rule` always lists what a rule reads.
    """

    __slots__ = ("_registry", "_declared", "_charters")

    def __init__(self, registry, declared: tuple[str, ...]):
        self._registry, self._declared, self._charters = registry, declared, {}

    def __call__(self, region: str | None) -> Charter:
        charter = self._charters.get(region)
        if charter is None:
            full = self._registry.charter(region)
            charter = self._charters[region] = replace(
                full, values={key: full.values[key] for key in self._declared},
                origin={key: full.origin[key] for key in self._declared},
            )
        return charter


def loading_rule(id: str, title: str, explanation: str, fix: str, summary: str = "",
                 example: Example | None = None) -> None:
    """A rule whose findings come from reading the files (GQ001–GQ003), listed for the catalogue."""
    rule(id, ERROR, title, explanation, fix, example=example, summary=summary)(None)


def catalogue() -> list[Rule]:
    _import_families()
    return [CATALOGUE[key] for key in sorted(CATALOGUE)]


def titles() -> dict[str, str]:
    """Each rule's French title by id (the bilan's table of findings)."""
    return {entry.id: entry.title for entry in catalogue()}


def find(rule_id: str) -> Rule:
    """The rule of that id (any case), or a usage error."""
    _import_families()
    entry = CATALOGUE.get(rule_id.upper())
    if entry is None:
        raise UsageError(f"Règle inconnue : {rule_id}. `gqrec rule` les liste toutes.")
    return entry


def asks(registry, region: str | None, need: str) -> bool:
    """Whether a rule in force in the region needs `need` ("git"): its findings then depend on it too."""
    charter = registry.charter(region)
    return any(need in entry.needs and entry.in_force(charter) for entry in catalogue())


def _import_families() -> None:
    from . import feedback, freetext, groups, history, library, meetings, structure, themes  # noqa: F401  (registration)


def run(registry, only: frozenset[str] | None = None) -> list[Finding]:
    """Every finding of the records: the loader's and the rules', with severities in force; with `only`,
    those of these rules alone (the others are not run)."""
    findings = [_effective(registry, f.rule, f) for f in registry.load_findings if only is None or f.rule in only]
    for entry in catalogue():
        if entry.check is None or (only is not None and entry.id not in only):
            continue
        for h in entry.check(registry, Conf(registry, entry.parameters)):
            if not registry.charter(registry.region_of_path(h.path)).judges(entry.id, entry.parameters):
                continue  # by a charter value (or severity) a faulty file leaves in doubt: its finding says so
            base = Finding(h.path, h.line, h.column, entry.id, entry.severity, h.message, h.hint, h.year)
            findings.append(_effective(registry, entry.id, base))
    return [f for f in findings if f.severity != OFF]


def _effective(registry, rule_id: str, finding: Finding) -> Finding:
    override = registry.charter(registry.region_of_path(finding.path)).rules.get(rule_id)
    return finding.with_severity(override) if override else finding
