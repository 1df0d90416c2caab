"""The one way every command reads and judges records: walk → classify → read → build → Registry → rules.

A `Pipeline` holds what a run decides once: the records root, the feedback key, the size limit, the
worker count and the cache policy (the signature every cached outcome and finding is kept under, computed once; each
partition's file cache; the findings memo; why the cache is ignored, for the user). Its stages are
`walk` (`walk.py`), `classify` (`layout`, through `walk.classified`), `read` (`load.read_partitions`,
through the file caches), `build` (`load.records_of`), `index` (the `Registry`) and `judge` (`rules.run`).
Two ways go through them:

- `registry(as_of, years)` (bilan, profiles, ledger, export, `new`): the whole archive walked and
  classified at once (with `years`, only those years' dated files), its cold files handed to a pool of
  worker processes once there are enough of them (`load.PARALLEL_FROM`), built and indexed;
- `findings(as_of)` (`gqrec check`): partition by partition, remembering each one's findings;
- `registry_and_findings(as_of, years)` (`gqrec report`, `gqrec export`): both from one listing of
  the tree (`listing`), which each of the other two then takes instead of walking again.

Every rule judges a region's files against that region's records and the national ones (federation,
themes, indicators), never another region's: a region's findings are a function of its own files and
the national files. A finding on a national file is caused by the national files alone or by one
region's records with them (a theme a region's programme offers, GQ109): the national files' findings
are the union of what each partition causes, and each partition remembers the ones it caused.

So the check lists the tree (paths and stats only), and a region whose listing, and the national
listing, are what they were at the last run keeps its remembered findings without a file being
opened; only the regions that changed are read (from the file cache where it can vouch) and judged.
A change to a national file judges every region again. A cold run is the same with every region
stale: the regions are then judged whole by worker processes, largest first, two at a time on two cores.
"""

from __future__ import annotations

import hashlib
import marshal
import time
from dataclasses import dataclass, replace
from datetime import date
from functools import cache as once, partial
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from . import cache, gitio, sealing, walk
from .budgets import MAX_YAML_BYTES
from .findings import Finding
from .layout import Place, Survey, partition_of
from .workers import fork_pool, paused_gc, workers

if TYPE_CHECKING:  # the reading, the records and the index are imported when a partition is read: a check
    from .load import Loaded, Outcome  # where nothing changed imports none of them, nor the rules
    from .registry import Registry

Partition = str | None  # a region's slug, or None for the national files (and misplaced ones)


@dataclass(frozen=True)
class Judged:
    """What the rules found in one partition: its number of placed files and its findings as tuples."""

    files: int
    findings: tuple[tuple, ...]
    needs_git: bool = False  # a rule in force there needs git (`Rule.needs`): the findings also depend on HEAD
    listing: bytes = b""  # the digest they were computed from (see `_listing`)


class Pipeline:
    """The stages and the cache policy of one run over one records root.

    `key` is the run's feedback key (None: none): the reading stage opens the sealed feedback files
    with it (its forked workers inherit it with the pipeline) and the cache signature includes its
    fingerprint (`sealing.fingerprint`), so what was read under another key is never reused.
    """

    def __init__(self, root: Path, *, key: bytes | None = None, max_yaml_bytes: int = MAX_YAML_BYTES,
                 use_cache: bool = True, jobs: int | None = None):
        self.root = Path(root)
        self.key = key
        self.max_yaml_bytes = max_yaml_bytes
        self.jobs = jobs
        self.signature = cache.signature((max_yaml_bytes, sealing.fingerprint(key))) if use_cache else None

    def uncached(self, root: Path) -> Pipeline:
        """The same reading of another root (a tree exported from git), which never has a cache."""
        return Pipeline(root, key=self.key, max_yaml_bytes=self.max_yaml_bytes, use_cache=False, jobs=self.jobs)

    # -- the cache policy -------------------------------------------------------------------------------

    def notices(self) -> tuple[str, ...]:
        """What the user should know of the cache: why it is ignored (a link, a folder tracked by git)."""
        warning = cache.probe(self.root).warning if self.signature is not None else None
        return (warning,) if warning else ()

    def _file_cache(self, part: Partition, unread: dict[Partition, list[str]] | None = None) -> cache.FileCache:
        return cache.FileCache.open(self.root, self.signature, part, (unread or {}).get(part, ()))

    def _memo(self, as_of: date) -> cache.FindingsMemo | None:
        if self.signature is None:
            return None
        return cache.FindingsMemo.open(self.root, (*self.signature, as_of.isoformat()))

    # -- the stages -------------------------------------------------------------------------------------

    def classify(self, walked: walk.Walk, years: frozenset[int] | None = None) -> Survey:
        return walk.classified(walked, years)

    def read(self, parts, jobs: int | None = None,
             unread: dict[Partition, list[str]] | None = None) -> Iterator[tuple[Partition, dict[str, Outcome]]]:
        """Each partition's outcomes (see `load.read_partitions`), through its file cache when the run has
        one, which keeps what it knows of the `unread` files walked past (`FileCache.save`)."""
        from . import load

        cache_of = partial(self._file_cache, unread=unread) if self.signature is not None else None
        return load.read_partitions(self.root, parts, self.max_yaml_bytes, cache_of, self.jobs if jobs is None else jobs,
                                    self.key)

    def build(self, survey: Survey, outcomes: dict[str, Outcome]) -> Loaded:
        """The typed records of the survey's places, with the walk's, the layout's and the reading's findings."""
        from .load import Loaded, library_digests, records_of

        records, problems = records_of(self.root, survey.places, outcomes)
        return Loaded(self.root, survey.places, tuple(records), survey.findings + tuple(problems),
                      library_digests(self.root, survey.places, self.max_yaml_bytes))

    @staticmethod
    def index(loaded: Loaded, as_of: date) -> Registry:
        from .registry import Registry

        return Registry(loaded, as_of)

    @staticmethod
    def judge(registry: Registry, part: Partition) -> tuple[tuple, ...]:
        """The findings the rules give on the partition's files and on the national ones, as tuples."""
        from . import rules

        return tuple(f.as_row() for f in rules.run(registry) if partition_of(f.path) in (part, None))

    @staticmethod
    def judge_all(registry: Registry) -> list[Finding]:
        """Every finding the rules give on a registry of the whole archive (as `findings` gives them)."""
        from . import rules

        return rules.run(registry)

    # -- the whole archive ------------------------------------------------------------------------------

    def listing(self) -> dict[Partition, walk.Walk]:
        """The tree listed once, by partition (national first, then each region): what `findings` and
        `registry` take from a caller that asks both (`registry_and_findings`)."""
        return walk.walk_partitions(self.root)

    def loaded(self, years: frozenset[int] | None = None,
               listed: dict[Partition, walk.Walk] | None = None, regions: frozenset[str] | None = None) -> Loaded:
        """Every file read at most once, and not at all when cached; with `years`, the dated records
        (meetings, contracts, programmes, feedback) of other years left out: a year's bilan reads a
        fifteen-year archive's files of two years, not of fifteen. `listed`: the tree as `listing` gave
        it (the partitions' files one after the other: each index keeps its order, as in the check's
        registries), else it is walked here. `regions`: the national files and those regions' alone,
        neither listed nor read elsewhere (a region's profiles ask nothing of another region)."""
        if listed is None and regions is not None:
            listed = _listed_regions(self.root, regions)
        with paused_gc():
            walked = walk.walk(self.root) if listed is None else _joined(listed)
            survey = self.classify(walked, years)
            outcomes: dict[str, Outcome] = {}
            parts = ((part, places, survey.stats) for part, places in _by_partition(survey.places))
            for _, got in self.read(parts, unread=None if years is None else _unread(walked, survey, listed)):
                outcomes.update(got)
            return self.build(survey, outcomes)

    def registry(self, as_of: date | None = None, years: frozenset[int] | None = None,
                 listed: dict[Partition, walk.Walk] | None = None, regions: frozenset[str] | None = None) -> Registry:
        """The archive read (see `loaded`) and indexed once, for the day `as_of` (today by default)."""
        return self.index(self.loaded(years, listed, regions), as_of or date.today())

    def registry_and_findings(self, as_of: date, years: frozenset[int] | None = None
                              ) -> tuple[Registry, tuple[int, list[Finding]]]:
        """`registry(as_of, years)` and `findings(as_of)` from one listing of the tree.

        When no region's findings are remembered (a cold run, or no cache) and the whole archive is
        asked for, the archive is read once (its cold files by worker processes, which fill the file
        cache) and the rules judge the whole registry: the same findings as region by region
        (tests/test_incremental.py), without reading every file a second time. Otherwise the check
        comes first (each unchanged region's findings remembered; cold, its workers fill the file
        cache that the registry is then read from)."""
        listed = self.listing()
        memo = self._memo(as_of)
        if years is None and not (memo is not None and memo.entries):
            registry = self.registry(as_of, None, listed)
            return registry, (len(registry.places), self.judge_all(registry))
        found = self.findings(as_of, listed=listed)
        return self.registry(as_of, years, listed), found

    # -- the check, partition by partition --------------------------------------------------------------

    def findings(self, as_of: date, *, only: frozenset[str] | None = None, skip: frozenset[str] = frozenset(),
                 listed: dict[Partition, walk.Walk] | None = None) -> tuple[int, list[Finding]]:
        """(number of files placed by the layout, every finding with its severity in force), unsorted.

        With `only` (or `skip`), the national files and those regions alone (or all but those): what
        `check --changed-since` compares. `listed`: the tree as `listing` gave it, else it is walked here.
        """
        started_ns = time.time_ns()
        with paused_gc():
            memo = self._memo(as_of)
            parts = listed if listed is not None else _walked(self.root, remembering=bool(memo and memo.entries))
            if only is not None or skip:
                parts = {part: walked for part, walked in parts.items()
                         if part is None or ((only is None or part in only) and part not in skip)}
            national = _digest(parts[None])
            head = once(lambda: gitio.history_state(self.root))
            judged: dict[Partition, Judged] = {}
            for part, walked in parts.items():
                if memo is None or walked is None:
                    continue
                remembered = memo.get(part, _listing(walked, part, national), _newest(walked), head)
                if remembered is not None:
                    judged[part] = Judged(*remembered)
            stale = [part for part in parts if part not in judged]
            if stale:
                fresh = self._judge_stale(parts, stale, as_of, national)
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

    def _judge_stale(self, parts, stale, as_of: date, national: bytes) -> dict[Partition, Judged]:
        """Read the stale partitions (and the national files they are judged with) and run the rules on each.

        Regions are judged in worker processes, largest first, when there are several and enough files to
        pay for the processes; each worker reads, builds and judges a whole region and sends back only
        its findings (and writes the region's file cache itself). One stale region is judged here, its
        files read by worker processes when there are many.
        """
        from .load import PARALLEL_FROM

        judge = _Judge(self, parts, as_of, national)
        out: dict[Partition, Judged] = {}
        if None in stale:
            out[None] = judge(None, self.jobs)

        def size(part):  # a region not walked yet counts as large: nothing is remembered, all is to read
            return len(parts[part].files) if parts[part] is not None else PARALLEL_FROM

        regions = sorted((part for part in stale if part is not None), key=lambda part: -size(part))
        count = min(workers(self.jobs), len(regions))
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
                out[part] = judge(part, self.jobs)
        return out


def _by_partition(places) -> list[tuple[Partition, list[Place]]]:
    """Places grouped by partition (see `layout.partition_of`), national first, then regions in order."""
    groups: dict[Partition, list[Place]] = {None: []}
    for place in places:
        groups.setdefault(partition_of(place.path), []).append(place)
    return [(None, groups.pop(None)), *sorted(groups.items())]


def _joined(listed: dict[Partition, walk.Walk]) -> walk.Walk:
    """The partitions' walks as one (national first, then each region)."""
    return walk.Walk(tuple(info for part in listed.values() for info in part.files),
                     tuple(finding for part in listed.values() for finding in part.findings))


def _listed_regions(root: Path, regions: frozenset[str]) -> dict[Partition, walk.Walk] | None:
    """The national partition's walk and those regions' (as `walk_partitions` lists them), or None when
    one of them has no folder: the whole tree is then read, and says which regions there are."""
    national, folders = walk.walk_national(root)
    if not regions <= set(folders):
        return None
    return {None: national, **{region: walk.walk_region(root, region) for region in sorted(regions)}}


def _unread(walked: walk.Walk, survey: Survey,
            listed: dict[Partition, walk.Walk] | None = None) -> dict[Partition, list[str]]:
    """The walked files a survey leaves out (other years' dated records), by partition (taken from
    `listed`, the walk by partition, when there is one: no path is then parsed again)."""
    placed = {place.path for place in survey.places}
    if listed is not None:
        return {part: [info[0] for info in listing.files if info[0] not in placed] for part, listing in listed.items()}
    out: dict[Partition, list[str]] = {}
    for info in walked.files:
        if info[0] not in placed:
            out.setdefault(partition_of(info[0]), []).append(info[0])
    return out


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


class _Judge:
    """Judges one partition at a time with the national records, read and built once."""

    def __init__(self, pipeline: Pipeline, parts: dict[Partition, walk.Walk | None], as_of: date,
                 national_listing: bytes):
        self.pipeline, self.parts, self.as_of, self.national_listing = pipeline, parts, as_of, national_listing
        self.national = self._read(None, parts[None], 1)

    def _read(self, part: Partition, walked: walk.Walk, jobs: int | None) -> Loaded:
        survey = self.pipeline.classify(walked)
        reading = self.pipeline.read([(part, survey.places, survey.stats)], jobs)
        _, outcomes = next(reading)
        reading.close()
        return self.pipeline.build(survey, outcomes)

    def __call__(self, part: Partition, jobs: int | None) -> Judged:
        walked = self.parts[part]
        if part is None:
            own = loaded = self.national
        else:
            walked = walked or walk.walk_region(self.pipeline.root, part)
            own = self._read(part, walked, jobs)
            # the region's records with the national ones; the national files' own findings are the
            # national partition's (`judge` keeps those the region causes on them)
            national = self.national
            loaded = replace(own, places=national.places + own.places, records=national.records + own.records,
                             digests=national.digests)
        registry = self.pipeline.index(loaded, self.as_of)
        found = self.pipeline.judge(registry, part)
        needs_git = part is not None and _asks_git(registry, part)
        return Judged(len(own.places), found, needs_git, _listing(walked, part, self.national_listing))


def _asks_git(registry: Registry, part: str) -> bool:
    from . import rules

    return rules.asks(registry, part, "git")


_FORKED: _Judge | None = None


def _judge_in_worker(part: str) -> bytes:
    """In a forked worker: one region judged, its findings sent back marshalled."""
    result = _FORKED(part, 1)
    return marshal.dumps((result.files, result.findings, result.needs_git, result.listing))
