"""`gqrec check` region by region, remembering each region's findings between runs.

Every rule judges a region's files against that region's records and the national ones (federation,
themes, indicators), never another region's: a region's findings are a function of its own files and
the national files. A finding on a national file is caused by the national files alone or by one
region's records with them (a theme a region's programme offers, GQ109): the national files' findings
are the union of what each partition causes, and each partition remembers the ones it caused. So the check lists the tree (paths and stats only), and a region whose listing,
and the national listing, are what they were at the last run keeps its remembered findings without
a file being opened; only the regions that changed are read (from the file cache where it can vouch)
and judged. A change to a national file judges every region again.

A cold run is the same with every region stale: worker processes read the files while this process
judges the regions already read.
"""

from __future__ import annotations

import hashlib
import marshal
import time
from dataclasses import dataclass
from datetime import date
from functools import cache as once
from pathlib import Path

from . import gitio, layout
from .cache import FindingsMemo, signature
from .findings import Finding
from .budgets import paused_gc

Partition = str | None  # a region's slug, or None for the national files (and misplaced ones)


@dataclass(frozen=True)
class Judged:
    """What the rules found in one partition: its number of placed files and its findings as tuples."""

    files: int
    findings: tuple[tuple, ...]
    needs_git: bool = False  # its charter asks git (GQ116): the findings also depend on HEAD


def check_findings(
    root: Path, as_of: date, *, max_yaml_bytes: int, use_cache: bool, jobs: int | None = None
) -> tuple[int, list[Finding]]:
    """(number of files placed by the layout, every finding with its severity in force), unsorted."""
    started_ns = time.time_ns()
    with paused_gc():
        parts = layout.walk_partitions(root)
        listings = _listings(parts)
        file_signature = signature((max_yaml_bytes,)) if use_cache else None
        memo = FindingsMemo.open(root, (*file_signature, as_of.isoformat())) if use_cache else None
        head = once(lambda: gitio.head(root))
        judged: dict[Partition, Judged] = {}
        for part, walked in parts.items():
            remembered = memo.get(part, listings[part], _newest(walked), head) if memo else None
            if remembered is not None:
                judged[part] = Judged(*remembered)
        stale = [part for part in parts if part not in judged]
        if stale:
            fresh = _judge(root, parts, stale, as_of, max_yaml_bytes, file_signature, jobs)
            judged.update(fresh)
            if memo is not None:
                for part, result in fresh.items():
                    git_head = head() if result.needs_git else None
                    memo.put(part, listings[part], started_ns, git_head, result.files, result.findings)
        if memo is not None:
            memo.keep_only(parts)
            memo.save()
    files = sum(result.files for result in judged.values())
    return files, [Finding(*row) for result in judged.values() for row in result.findings]


def _listings(parts: dict[Partition, layout.Walk]) -> dict[Partition, bytes]:
    """Per partition, a digest of what its findings depend on: its listing, and the national one."""
    national = _digest(parts[None])
    return {part: national if part is None else _digest(walked, national) for part, walked in parts.items()}


def _digest(walked: layout.Walk, *more: bytes) -> bytes:
    """Paths with size, mtime, ctime and inode (a file replaced or touched shows), and the walk's findings."""
    hasher = hashlib.blake2b(marshal.dumps(walked.files), digest_size=16)
    hasher.update(marshal.dumps([(f.path, f.rule, f.message) for f in walked.findings]))
    for extra in more:
        hasher.update(extra)
    return hasher.digest()


def _newest(walked: layout.Walk) -> int:
    return max((info[2] for info in walked.files), default=0)


def _judge(root, parts, stale, as_of, max_yaml_bytes, file_signature, jobs) -> dict[Partition, Judged]:
    """Read the stale partitions (and the national files they are judged with) and run the rules on each."""
    from . import rules  # imported here: a run where no partition changed needs neither rules nor records
    from .load import Loaded, read_partitions, records_of
    from .registry import Registry

    needed = [None, *(part for part in stale if part is not None)]
    surveyed: dict[Partition, layout.Survey] = {}

    def classified():  # lazily: the workers start on the first partitions while the others are classified
        for part in needed:
            survey = surveyed[part] = layout.place_files(parts[part].files, parts[part].findings)
            yield part, survey.places, survey.stats

    national_places, national_records = (), []
    out: dict[Partition, Judged] = {}
    for part, outcomes in read_partitions(root, classified(), max_yaml_bytes, file_signature, jobs):
        survey = surveyed[part]
        records, problems = records_of(root, survey.places, outcomes)
        if part is None:
            national_places, national_records = survey.places, records
            if None not in stale:
                continue
            loaded = Loaded(root, survey.places, tuple(records), survey.findings + tuple(problems))
        else:
            loaded = Loaded(root, national_places + survey.places, tuple(national_records + records),
                            survey.findings + tuple(problems))
        registry = Registry(loaded, as_of)
        found = tuple(astuple(f) for f in rules.run(registry) if layout.partition_of(f.path) in (part, None))
        needs_git = part is not None and bool(registry.charter(part)["minutes_within_days"])
        out[part] = Judged(len(survey.places), found, needs_git)
    return out


def astuple(finding: Finding) -> tuple:
    return (finding.path, finding.line, finding.column, finding.rule, finding.severity, finding.message, finding.hint)
