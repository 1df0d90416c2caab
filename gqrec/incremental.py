"""`gqrec check` region by region, remembering each region's findings between runs.

Every rule judges a region's files against that region's records and the national ones (federation,
themes, indicators), never another region's: a region's findings are a function of its own files and
the national files. A finding on a national file is caused by the national files alone or by one
region's records with them (a theme a region's programme offers, GQ109): the national files' findings
are the union of what each partition causes, and each partition remembers the ones it caused.

So the check lists the tree (paths and stats only), and a region whose listing, and the national
listing, are what they were at the last run keeps its remembered findings without a file being
opened; only the regions that changed are read (from the file cache where it can vouch) and judged.
A change to a national file judges every region again. A cold run is the same with every region
stale: the regions are then judged whole by worker processes, two at a time on two cores.
"""

from __future__ import annotations

import hashlib
import marshal
import time
from dataclasses import dataclass
from datetime import date
from functools import cache as once
from pathlib import Path

from . import gitio, layout, sealing, walk
from .cache import FindingsMemo, signature
from .findings import Finding
from .workers import fork_pool, paused_gc, workers

Partition = str | None  # a region's slug, or None for the national files (and misplaced ones)


@dataclass(frozen=True)
class Judged:
    """What the rules found in one partition: its number of placed files and its findings as tuples."""

    files: int
    findings: tuple[tuple, ...]
    needs_git: bool = False  # a rule in force there needs git (`Rule.needs`): the findings also depend on HEAD
    listing: bytes = b""  # the digest they were computed from (see `_listing`)


def check_findings(
    root: Path, as_of: date, *, max_yaml_bytes: int, use_cache: bool, jobs: int | None = None,
    only: frozenset[str] | None = None, skip: frozenset[str] = frozenset(),
) -> tuple[int, list[Finding]]:
    """(number of files placed by the layout, every finding with its severity in force), unsorted.

    With `only` (or `skip`), the national files and those regions alone (or all but those): what
    `check --changed-since` compares.
    """
    started_ns = time.time_ns()
    with paused_gc():
        file_signature = signature((max_yaml_bytes, sealing.fingerprint())) if use_cache else None
        memo = FindingsMemo.open(root, (*file_signature, as_of.isoformat())) if use_cache else None
        parts = _walked(root, remembering=bool(memo and memo.entries))
        if only is not None or skip:
            parts = {part: walked for part, walked in parts.items()
                     if part is None or ((only is None or part in only) and part not in skip)}
        national = _digest(parts[None])
        head = once(lambda: gitio.history_state(root))
        judged: dict[Partition, Judged] = {}
        for part, walked in parts.items():
            if memo is None or walked is None:
                continue
            remembered = memo.get(part, _listing(walked, part, national), _newest(walked), head)
            if remembered is not None:
                judged[part] = Judged(*remembered)
        stale = [part for part in parts if part not in judged]
        if stale:
            fresh = _judge(root, parts, stale, as_of, max_yaml_bytes, file_signature, jobs, national)
            judged.update(fresh)
            if memo is not None:
                for part, result in fresh.items():
                    git_head = head() if result.needs_git else None
                    memo.put(part, result.listing, started_ns, git_head, result.files, result.findings)
        if memo is not None:
            if only is None and not skip:
                memo.keep_only(parts)
            memo.save()
    files = sum(result.files for result in judged.values())
    return files, [Finding(*row) for result in judged.values() for row in result.findings]


def _walked(root: Path, remembering: bool) -> dict[Partition, walk.Walk | None]:
    """Each partition's walk; with nothing remembered, only the national files' (None for each region):
    every region is then stale anyway, and each is walked by the process that judges it."""
    if remembering:
        return walk.walk_partitions(root)
    national, regions = walk.walk_national(root)
    return {None: national, **dict.fromkeys(regions)}


def _listing(walked: walk.Walk, part: Partition, national: bytes) -> bytes:
    """A digest of what a partition's findings depend on: its listing, and the national one."""
    return national if part is None else _digest(walked, national)


def _digest(walked: walk.Walk, *more: bytes) -> bytes:
    """Paths with size, mtime, ctime and inode (a file replaced or touched shows), and the walk's findings.

    Hashed through `repr`, which spells equal listings alike; `marshal` does not (it writes shared
    objects as back-references, so its bytes depend on what else holds the same strings)."""
    hasher = hashlib.blake2b(repr(walked.files).encode("utf-8", "surrogateescape"), digest_size=16)
    hasher.update(repr([(f.path, f.rule, f.message) for f in walked.findings]).encode("utf-8", "surrogateescape"))
    for extra in more:
        hasher.update(extra)
    return hasher.digest()


def _newest(walked: walk.Walk) -> int:
    return max((info[2] for info in walked.files), default=0)


def _judge(root, parts, stale, as_of, max_yaml_bytes, file_signature, jobs, national) -> dict[Partition, Judged]:
    """Read the stale partitions (and the national files they are judged with) and run the rules on each.

    Regions are judged in worker processes, largest first, when there are several and enough files to
    pay for the processes; each worker reads, builds and judges a whole region and sends back only
    its findings (and writes the region's file cache itself). One stale region is judged here, its
    files read by worker processes when there are many.
    """
    from .load import PARALLEL_FROM

    judge = _Judge(root, parts, as_of, max_yaml_bytes, file_signature, national)
    out: dict[Partition, Judged] = {}
    if None in stale:
        out[None] = judge(None, jobs)

    def size(part):  # a region not walked yet counts as large: nothing is remembered, all is to read
        return len(parts[part].files) if parts[part] is not None else PARALLEL_FROM

    regions = sorted((part for part in stale if part is not None), key=lambda part: -size(part))
    count = min(workers(jobs), len(regions))
    if count > 1 and sum(map(size, regions)) >= PARALLEL_FROM:
        global _FORKED
        _FORKED = judge  # inherited by the forked workers: nothing but the region's name is sent
        try:
            with fork_pool(count) as pool:
                for part, sent in zip(regions, pool.map(_judge_in_worker, regions)):
                    out[part] = Judged(*marshal.loads(sent))
        finally:
            _FORKED = None
    else:
        for part in regions:
            out[part] = judge(part, jobs)
    return out


class _Judge:
    """Judges one partition at a time with the national records, read once."""

    def __init__(self, root: Path, parts: dict[Partition, walk.Walk | None], as_of: date, max_yaml_bytes: int,
                 file_signature: tuple | None, national_listing: bytes):
        self.root, self.parts, self.as_of = root, parts, as_of
        self.max_yaml_bytes, self.file_signature, self.national_listing = max_yaml_bytes, file_signature, national_listing
        self.national, self.national_records, self.national_problems = self._read(None, parts[None], 1)

    def _read(self, part: Partition, walked: walk.Walk, jobs: int | None):
        from .load import read_partitions, records_of

        survey = layout.place_files(walked.files, walked.findings)
        reading = read_partitions(
            self.root, [(part, survey.places, survey.stats)], self.max_yaml_bytes, self.file_signature, jobs
        )
        _, outcomes = next(reading)
        reading.close()
        records, problems = records_of(self.root, survey.places, outcomes)
        return survey, records, problems

    def __call__(self, part: Partition, jobs: int | None) -> Judged:
        from . import rules  # imported here: a run where no partition changed needs neither rules nor records
        from .load import Loaded
        from .registry import Registry

        walked = self.parts[part]
        if part is None:
            survey, places, records, problems = self.national, self.national.places, self.national_records, \
                self.national_problems
        else:
            walked = walked or walk.walk_region(self.root, part)
            survey, own, problems = self._read(part, walked, jobs)
            places, records = self.national.places + survey.places, self.national_records + own
        registry = Registry(Loaded(self.root, places, tuple(records), survey.findings + tuple(problems)), self.as_of)
        found = tuple(f.as_row() for f in rules.run(registry) if layout.partition_of(f.path) in (part, None))
        needs_git = part is not None and rules.asks(registry, part, "git")
        return Judged(len(survey.places), found, needs_git, _listing(walked, part, self.national_listing))


_FORKED: _Judge | None = None


def _judge_in_worker(part: str) -> bytes:
    """In a forked worker: one region judged, its findings sent back marshalled."""
    result = _FORKED(part, 1)
    return marshal.dumps((result.files, result.findings, result.needs_git, result.listing))
