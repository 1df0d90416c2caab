"""The read and build stages of the pipeline (`pipeline`): each placed file read once, then typed records.

Everything that can go wrong with a single placed file (GQ001 unreadable, GQ002 schema, GQ120/GQ121 on
a feedback file) is found here, so that the rules only ever judge well-formed records; a placed file
that gives none still gives a `records.Partial` (what its path and valid fields say). What the walk
and the layout find (GQ003, GQ005/GQ006 on names) comes before, from `walk` and `layout`.

Reading a file gives an *outcome*: plain, marshal-able data (the record's fields, a schema-invalid
file's valid fields, or a feedback file's valid rows) and the file's findings as tuples. Outcomes are
what the file cache keeps and what worker processes send back; typed records are built from them in
the main process, each with a Source that finds positions only when a finding asks for them.
"""

from __future__ import annotations

import hashlib
import marshal
import os
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from types import MappingProxyType
from typing import Any, Callable, Iterator

from . import records, schemas, sealing
from .budgets import MAX_CSV_BYTES, MAX_YAML_BYTES
from .workers import fork_pool, workers
from .cache import FileCache, digest
from .fastparse import fast_data, fast_feedback
from .findings import ERROR, WARNING, Finding
from .fsio import read_regular
from .kinds import CSV_KINDS, LIBRARY_KINDS
from .layout import FileStat, Place
from .parse import MAX_CSV_BAD_ROWS, Document, ParseError, decode, parse_csv, parse_yaml

PARALLEL_FROM = 4000  # files to read before worker processes pay for themselves

Outcome = tuple  # (data or None, ((line, column, rule, message), ...))
LOADING_WARNINGS = frozenset({"GQ120"})  # what reading finds that is not an error: a sealed file left unread


@dataclass(frozen=True)
class Loaded:
    """What the read and build stages give (see `pipeline`): the places found, the valid records, the findings."""

    root: Path
    places: tuple[Place, ...]
    records: tuple[Any, ...]
    findings: tuple[Finding, ...]
    # with a library.lock, each national library file's digest (`library_digests`), which GQ125 compares
    digests: Any = field(default_factory=lambda: MappingProxyType({}))


def file_digest(raw: bytes) -> str:
    """How library.lock writes a file's digest: its bytes' SHA-256."""
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def library_digests(root: Path, places, max_yaml_bytes: int = MAX_YAML_BYTES) -> MappingProxyType:
    """The digest of each national library file among the places (federation.yaml, themes, indicators),
    when the places hold a library.lock to compare them with (`gqrec library pull`); else none. A few
    dozen small files, hashed once per run (the cache keeps what they say, not their bytes); an unreadable
    one has no digest (its GQ001 says why)."""
    if not any(place.kind == "lock" for place in places):
        return MappingProxyType({})
    out = {}
    for place in places:
        if place.kind in LIBRARY_KINDS:
            raw, _ = _read_raw(os.path.join(root, place.path), max_yaml_bytes)
            if raw is not None:
                out[place.path] = file_digest(raw)
    return MappingProxyType(out)


def records_of(root: Path, places, outcomes: dict[str, Outcome]) -> tuple[list, list[Finding]]:
    """The typed records and the findings of read files, in the order of `places`."""
    findings: list[Finding] = []
    recs = []
    for place in places:
        data, problems = outcomes[place.path]
        if problems:
            findings.extend(
                Finding(place.path, line, column, rule, WARNING if rule in LOADING_WARNINGS else ERROR, message)
                for line, column, rule, message in problems
            )
            if place.kind not in CSV_KINDS and type(data) is not dict:  # see `outcome_of`; a CSV keeps its valid rows
                recs.append(records.build_partial(place, data, _source(root, place)))
                continue
        if data is not None:
            recs.append(_record(root, place, data))
    return recs, findings


CHUNK = 1000  # files a worker reads per task: small enough to start early and share the work evenly


def read_partitions(
    root: Path, parts, max_yaml_bytes: int, cache_of: Callable[[str | None], FileCache] | None,
    jobs: int | None = None, key: bytes | None = None,
) -> Iterator[tuple[str | None, dict[str, Outcome]]]:
    """The outcome of every file, partition by partition, in the order given; `key` opens the sealed
    feedback files (None: they stay closed, GQ120) and seals their rows again in the cache.

    `parts` yields (partition, places, stats of the walk) and may classify lazily: the files a
    partition's cache (`cache_of(partition)`, none without `cache_of`) cannot vouch for are handed to
    worker processes (once there are enough of them to pay for the processes) as soon as that
    partition is known, so the workers read while the next partitions are classified, and while the
    caller works on the partitions already read.
    """
    plan = []
    count = workers(jobs)
    work = partial(_read_chunk, str(root), max_yaml_bytes=max_yaml_bytes, keep=cache_of is not None, key=key)
    sent = partial(_read_chunk_sent, str(root), max_yaml_bytes=max_yaml_bytes, keep=cache_of is not None, key=key)
    pool = None
    cold_total = 0
    try:
        for part, places, stats in parts:
            cache = cache_of(part) if cache_of is not None else None
            outcomes: dict[str, Outcome] = {}
            cold: list[Place] = []
            for place in places:
                outcome = (_cached(root, place, cache, stats.get(place.path), max_yaml_bytes, key)
                           if cache is not None and cache.entries else None)
                if outcome is None:
                    cold.append(place)
                else:
                    outcomes[place.path] = outcome
            plan.append([part, cache, outcomes, cold, []])
            cold_total += len(cold)
            if pool is None and count > 1 and cold_total >= PARALLEL_FROM:
                pool = fork_pool(count)
            if pool is not None:
                for entry in plan:
                    waiting, entry[3] = entry[3], []
                    entry[4].extend(pool.submit(sent, waiting[i:i + CHUNK]) for i in range(0, len(waiting), CHUNK))
        for part, cache, outcomes, cold, futures in plan:
            for future in futures:
                _take(marshal.loads(future.result()), outcomes, cache, key)
            if cold:
                _take(work(cold), outcomes, cache, key)
            yield part, _saved(cache, outcomes)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)


def _take(results, outcomes: dict[str, Outcome], cache: FileCache | None, key: bytes | None) -> None:
    for path, signature, content_digest, outcome, kept in results:
        outcomes[path] = outcome
        if cache is not None and signature is not None:
            cache.store(path, signature, content_digest, outcome if kept is None else kept)


_SEALED_OUTCOME = ("gqrec-sealed-outcome",)  # where a feedback file's physicians would be: never an RPPS


def _kept(outcome: Outcome, key: bytes | None) -> Outcome:
    """What the cache keeps of an outcome: a sealed file's (its rows in clear) sealed again under the
    run's key (the one that opened it), so the cache, inside the repository, never holds a sealed file's rows in clear. It has
    the shape of a feedback file's data, which the cache knows."""
    data = outcome[0]
    if type(data) is tuple and len(data) == 4 and data[3] == records.SEALED:
        return (_SEALED_OUTCOME, (), sealing.seal(marshal.dumps(outcome), key, None, level=1)), ()
    return outcome


def _restored(outcome: Outcome | None, key: bytes | None) -> Outcome | None:
    """A cached outcome as `_kept` gave it back in clear; None (a miss) when it does not open."""
    data = outcome[0] if type(outcome) is tuple and outcome else None
    if type(data) is not tuple or len(data) != 3 or data[0] != _SEALED_OUTCOME:
        return outcome
    try:
        restored = marshal.loads(sealing.unseal(data[2], key, MAX_CSV_BYTES * 4))
    except (sealing.SealError, ValueError, EOFError, TypeError):
        return None
    return restored if type(restored) is tuple and len(restored) == 2 else None


def _saved(cache: FileCache | None, outcomes: dict[str, Outcome]) -> dict[str, Outcome]:
    if cache is not None:
        cache.save()
    return outcomes


def _cached(
    root: Path, place: Place, cache: FileCache, info: FileStat | None, max_yaml_bytes: int, key: bytes | None
) -> Outcome | None:
    """The file's cached outcome; its bytes are read (as `_read_chunk` reads them) only to compare digests."""
    if info is None:
        return None
    path = os.path.join(root, place.path)
    outcome = _restored(cache.lookup(place.path, info, lambda: _read_raw(path, _limit(place, max_yaml_bytes))[0]), key)
    return outcome if outcome is not None and trusted(place.kind, outcome) else None


def trusted(kind: str, outcome: Outcome) -> bool:
    """Whether a cached outcome may stand for reading its file again: a record that fits its kind's
    schema, or a feedback file's rows as the reading keeps them (valid, sealed and opened). Anything
    else — a file with findings, data the reading never gives — is read again: an entry with a valid
    MAC but crafted or damaged content then changes no verdict and crashes nothing. A clean record
    costs one compiled schema check (a few microseconds); the few faulty files are simply re-read."""
    data, problems = outcome
    if problems:
        return False
    if kind in CSV_KINDS:
        return _feedback_data_ok(data)
    try:
        return type(data) is dict and schemas.is_valid(kind, data)
    except Exception:  # noqa: BLE001 — whatever a crafted value makes the validator raise, it is not trusted
        return False


def _feedback_data_ok(data: Any) -> bool:
    """A sealed feedback file's data as `records.with_state` gives it, its rows those the fast reader
    accepts again when written back as CSV, and its physicians and indicators those of its rows."""
    if type(data) is not tuple or len(data) != 4 or data[3] != records.SEALED or type(data[2]) is not bytes:
        return False
    try:
        stored = marshal.loads(data[2])
    except (ValueError, EOFError, TypeError):
        return False
    if type(stored) is not list:
        return False
    if stored and type(stored[0]) is tuple:  # the reference reader's rows: (line, population, physician, …)
        if not all(type(row) is tuple and len(row) == 6 and type(row[0]) is int and type(row[4]) is int
                   and type(row[5]) is int and type(row[1]) is str and type(row[3]) is str
                   and (row[2] is None or type(row[2]) is str) for row in stored):
            return False
        stored = [cell for row in stored for cell in (row[1], row[2] or "", row[3], str(row[4]), str(row[5]))]
    if not all(type(cell) is str for cell in stored) or len(stored) % 5:
        return False
    lines = [",".join(stored[i:i + 5]) for i in range(0, len(stored), 5)]
    text = "\n".join([",".join(records.FEEDBACK_COLUMNS), *lines, ""])
    if fast_feedback(text, records.FEEDBACK_COLUMNS) != stored:
        return False
    return (data[0] == tuple(sorted(set(stored[1::5]) - {""})) and data[1] == tuple(sorted(set(stored[2::5]))))


def _read_chunk(root: str, places: list[Place], *, max_yaml_bytes: int, keep: bool, key: bytes | None) -> list[tuple]:
    """(path, (size, mtime, ctime, inode) or None, content digest or None, outcome, what the cache keeps
    of it when that is not the outcome itself, else None) of each place; the digest and what is kept only
    when the outcomes are kept in the cache (`keep`): a worker seals a feedback file's rows again itself."""
    results = []
    root = root.rstrip("/") + "/"
    for place in places:
        raw, signature = _read_raw(root + place.path, _limit(place, max_yaml_bytes))
        outcome = outcome_of(place, raw, _limit(place, max_yaml_bytes), key)
        kept = _kept(outcome, key) if keep else outcome
        results.append((place.path, signature, digest(raw or b"") if keep else None, outcome,
                        None if kept is outcome else kept))
    return results


def _read_chunk_sent(root: str, places: list[Place], *, max_yaml_bytes: int, keep: bool, key: bytes | None) -> bytes:
    """`_read_chunk` in a worker process, marshalled (not pickled, no file bytes) for the way back."""
    return marshal.dumps(_read_chunk(root, places, max_yaml_bytes=max_yaml_bytes, keep=keep, key=key))


def _limit(place: Place, max_yaml_bytes: int) -> int:
    return MAX_CSV_BYTES if place.kind in CSV_KINDS else max_yaml_bytes


def _read_raw(path, limit: int) -> tuple[bytes | None, tuple[int, int, int, int] | None]:
    """At most limit + 1 bytes of a regular file (never a FIFO or device) and its (size, mtime, ctime, inode),
    or None."""
    got = read_regular(path, limit)
    if got is None:
        return None, None
    raw, info = got
    return raw, (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


def outcome_of(place: Place, raw: bytes | None, limit: int = MAX_YAML_BYTES, key: bytes | None = None) -> Outcome:
    """What one file's content gives (pure: no file system); `key` opens a sealed feedback file."""
    if raw is None:
        return _unreadable(ParseError("Fichier illisible : ce n'est pas un fichier ordinaire lisible."))
    if len(raw) > limit:
        return _unreadable(
            ParseError(f"Fichier trop gros (plus de {limit // 1024} Kio) pour un registre : découpez-le ou retirez-le.")
        )
    try:
        if place.kind in CSV_KINDS:
            return _sealed_outcome(place, raw, limit, key) if sealing.is_sealed(raw) else _feedback_outcome(decode(raw))
        text = decode(raw)
        data = fast_data(text)
        if data is not None and schemas.is_valid(place.kind, data):
            return data, ()
        doc = parse_yaml(text)
    except ParseError as error:
        return _unreadable(error)
    # A schema-invalid file gives its findings and, as data, either a whole record (its faults are only in
    # unknown keys or in fields no rule judges: `records.judgeable`) or what it still says (`Partial`).
    problems = tuple((line, column, "GQ002", message) for line, column, message in schemas.violations(place.kind, doc))
    if not problems:
        return doc.data, ()
    faulty = schemas.faulty_paths(place.kind, doc.data)
    whole = records.judgeable(place, doc.data, faulty, schemas.fields(place.kind))
    return (whole if whole is not None else records.partial_data(doc.data, faulty)), problems


def _unreadable(error: ParseError) -> Outcome:
    return None, ((error.line, error.column, "GQ001", error.message),)


CLEAR_ROWS = (
    1, 1, "GQ121",
    "Données individuelles en clair dans le dépôt : numérateurs et dénominateurs de chaque médecin permettraient "
    "de relier les codes des profils de groupe aux médecins. Chiffrez-le : « gqrec seal » suivi du chemin de ce fichier "
    "(voir docs/feedback.md).",
)
LOCKED = (
    1, 1, "GQ120",
    f"Fichier de retour chiffré non vérifié : pas de clé ({sealing.KEY_ENV} ou --key-file). Ses lignes ne sont "
    "pas jugées (GQ002, GQ004, GQ113) ; donnez la clé à la CI comme secret (docs/feedback.md).",
)


UNBOUND = (  # the message starts with UNBOUND_FR: `unread` tells it from LOCKED
    "Fichier de retour chiffré au format v1, qui n'est pas lié à sa région ni à sa période : une copie d'un "
    "autre fichier (autre période, autre région) s'ouvrirait ici sans rien dire. Il est lu et jugé ; "
    "rechiffrez-le au format v2 avec la même clé : « gqrec seal {path} » (docs/feedback.md)."
)
UNBOUND_FR = UNBOUND.split(",", 1)[0]


def unread(finding: Finding) -> bool:
    """Whether a finding says that a sealed file was not read for want of the key (GQ120's first use;
    the other, a file of format v1, is read)."""
    return finding.rule == "GQ120" and not finding.message.startswith(UNBOUND_FR)


def _sealed_outcome(place: Place, raw: bytes, limit: int, key: bytes | None) -> Outcome:
    """A sealed feedback file: opened with the run's key at its place (region, period) and judged as a
    clear one; without the key, a record that names no one (one warning, gathered by `check`); with
    another key, or sealed for another place, unreadable. A file of format v1 (bound to no place) is
    read, with a warning asking to seal it again."""
    if key is None:
        return records.with_state((), records.LOCKED), (LOCKED,)
    try:
        text = decode(sealing.unseal(raw, key, limit, sealing.Place(place.region, place.id)))
    except sealing.SealError as error:
        raise ParseError(f"Retours d'information : {error}") from None
    data, problems = _feedback_outcome(text, sealed=True)
    if sealing.sealed_place(raw) is None:
        problems = (*problems, (1, 1, "GQ120", UNBOUND.format(path=place.path)))
    return records.with_state(data, records.SEALED), problems


def _feedback_outcome(text: str, sealed: bool = False) -> Outcome:
    """Validate each CSV row against the row schema; keep the file usable with its valid rows.

    A plain file is split and validated in bulk; any doubt or fault goes through the reference CSV
    reader and row-by-row validation, for findings at each faulty row's line. A file in clear is
    usable, with GQ121 asking to seal it; a sealed file's findings quote no numerator or denominator.
    """
    columns = records.FEEDBACK_COLUMNS
    clear = () if sealed else (CLEAR_ROWS,)
    plain = fast_feedback(text, columns)
    if plain is not None:
        return records.plain_feedback_data(plain), clear
    table = parse_csv(text, columns, keep_going=True)
    problems: list[tuple] = [(p.line, p.column, "GQ001", p.message) for p in table.problems]
    data = []
    invalid_rows = 0
    for line, cells in table.rows:
        positions = {(): (line, 1)}
        offset = 1
        for name in columns:
            positions[(name,)] = (line, offset)
            offset += len(cells[name]) + 1
        row_doc = Document(dict(cells), positions, positions)
        found = [(row, col, "GQ002", f"Ligne {line} : {m}") for row, col, m in schemas.violations("feedback", row_doc)]
        if not found and int(cells["numerator"]) > int(cells["denominator"]):
            message = (f"Ligne {line} : numérateur supérieur au dénominateur." if sealed else
                       f"Ligne {line} : numérateur {cells['numerator']} supérieur au dénominateur {cells['denominator']}.")
            found.append((*positions[("numerator",)], "GQ002", message))
        if found:
            invalid_rows += 1
            if invalid_rows <= MAX_CSV_BAD_ROWS:
                problems.extend(found)
            continue
        data.append((line, cells["population"], cells["physician"] or None, cells["indicator"],
                     int(cells["numerator"]), int(cells["denominator"])))
    if invalid_rows > MAX_CSV_BAD_ROWS:
        problems.append((1, 1, "GQ002", f"{invalid_rows} lignes non conformes en tout : seules les {MAX_CSV_BAD_ROWS} "
                         "premières sont détaillées. Est-ce bien le CSV des retours d'indicateurs ?"))
    return records.feedback_data(data), tuple(sorted(problems)) + clear


def _record(root: Path, place: Place, data: Any):
    """The typed record of an outcome's data, its positions found lazily by the reference parser."""
    return records.build(place, data, _source(root, place))


def _source(root: Path, place: Place) -> records.Source:
    return records.Source(place.path, partial(_positions, root, place))


def _positions(root: Path, place: Place):
    """Positions of a record file's values and keys, reparsed with marks on first need."""
    if place.kind in CSV_KINDS:
        return MappingProxyType({}), MappingProxyType({})
    raw, _ = _read_raw(root / place.path, MAX_CSV_BYTES)
    try:
        doc = parse_yaml(decode(raw or b""))
        return doc.values, doc.keys
    except ParseError:  # the file changed under us: positions fall back to 1:1
        return MappingProxyType({}), MappingProxyType({})
