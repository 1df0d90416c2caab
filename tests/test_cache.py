"""What gqrec remembers in .gqrec-cache/: used when the files are the same, never trusted otherwise.

Two stores: each file's outcome (files-<partition>.marshal) and each partition's findings
(findings.marshal). Each test forges an entry no real check would give and watches whether it shows.
"""

import marshal
import os
import shutil
import subprocess
import time

import pytest

from gqrec import cache
from world import REGION, meeting_path

MEETING = meeting_path("2024-03-12")
FORGED = "Constat forgé dans le cache"
FORGED_ROW = (MEETING, 1, 1, "GQ001", "error", FORGED, "", None)
FORGED_THEME = "theme-forge-dans-le-cache"  # a forged outcome names it: GQ004 says so when the outcome is used


def store(world, name):
    return world.root / cache.CACHE_DIR / name


def file_store(world, region="armor"):
    return store(world, cache.cache_file_name(region))


def all_files(world):
    """Every file of the records (not the cache's)."""
    for folder, _, files in os.walk(world.root):
        if cache.CACHE_DIR in folder:
            continue
        for name in files:
            yield os.path.join(folder, name)


def age_all_files(world, seconds=3600):
    """Files written long before the cache, so that their stat alone vouches for them."""
    for path in all_files(world):
        stat = os.stat(path)
        os.utime(path, ns=(stat.st_atime_ns - seconds * 10**9, stat.st_mtime_ns - seconds * 10**9))


def read(world, name):
    """(signature, written, entries) of a cache file, read with this installation's key."""
    return marshal.loads(cache._unseal(name, store(world, name).read_bytes(), cache.secret()))


def write(world, name, content):
    """A cache file as this installation would write it (what only a forger holding the key could do)."""
    store(world, name).write_bytes(cache._seal(name, marshal.dumps(content), cache.secret()))


def forget_findings(world):
    store(world, cache.MEMO_FILE).unlink()


def forge_outcome(world, path=MEETING, stat=None, written_ns=None):
    """Replace one meeting's cached outcome by valid data of another theme (the cache trusts only data that
    fits its schema), and forget the findings so that files are looked up (and, if given, the stat
    remembered for it and when the cache was written)."""
    name = cache.cache_file_name("armor")
    signature, written, entries = read(world, name)
    known = entries[path][:4] if stat is None else (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
    data, problems = marshal.loads(entries[path][5])
    entries[path] = (*known, entries[path][4], marshal.dumps(({**data, "theme": FORGED_THEME}, problems)))
    write(world, name, (signature, written if written_ns is None else written_ns, entries))
    forget_findings(world)


def forge_findings(world, region="armor", row=FORGED_ROW, started=None):
    """Add a finding to what a partition remembers (and, if given, when the run that judged it started)."""
    signature, written, entries = read(world, cache.MEMO_FILE)
    listing, stored_start, head, files, findings = entries[region]
    entries[region] = (listing, stored_start if started is None else started, head, files, (*findings, row))
    write(world, cache.MEMO_FILE, (signature, written, entries))


def forged(message: str) -> bool:
    return message == FORGED or FORGED_THEME in message


def forged_found(world, *args, **kwargs) -> bool:
    return any(forged(f["message"]) for f in world.check(*args, **kwargs).findings)


# -- each file's outcome --------------------------------------------------------------------------------

def test_outcomes_are_written_per_partition_and_used(world):
    age_all_files(world)
    assert world.check().findings == []
    assert file_store(world).exists() and file_store(world, None).exists()
    forge_outcome(world)
    assert forged_found(world)  # the cached outcome was used: the file was not reread


def test_no_cache_option_neither_reads_nor_writes(world):
    age_all_files(world)
    assert world.check("--no-cache").findings == []
    assert not (world.root / cache.CACHE_DIR).exists()
    world.check()
    forge_outcome(world)
    assert world.check("--no-cache").findings == []
    assert not store(world, cache.MEMO_FILE).exists()


@pytest.mark.parametrize("forge", [forge_outcome, forge_findings])
def test_a_changed_file_is_reread_and_its_region_judged_again(world, forge):
    age_all_files(world)
    world.check()
    forge(world)
    world.edit(MEETING, "theme: asthme-adulte", "theme: asthme-enfant")
    run = world.check()
    assert not any(forged(f["message"]) for f in run.findings)
    assert [f["rule"] for f in run.findings] == ["GQ004"]


def test_same_content_with_a_new_date_is_not_reread(world):
    age_all_files(world)
    world.check()
    forge_outcome(world)
    path = world.root / MEETING
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))  # `git checkout` does this
    assert forged_found(world)  # same content hash: the outcome stands


@pytest.mark.parametrize("written_after_ns, trusted", [(cache.RACY_NS - 1, False), (cache.RACY_NS + 1, True)])
def test_a_recently_modified_file_is_rehashed_even_with_the_same_stat(world, written_after_ns, trusted):
    """A stat taken less than RACY_NS before the cache was written cannot vouch: with a coarse clock, an
    edit later in the same tick keeps size, mtime and ctime. Told by explicit times (the cache remembers
    the stat the edited file has, and was written just under or over RACY_NS after it), not by how fast
    the machine gets from writing the files to the check."""
    world.check()
    path = world.root / MEETING
    path.write_text(world.read(MEETING).replace("duration_minutes: 120", "duration_minutes: 121"), encoding="utf-8")
    stat = path.stat()
    forge_outcome(world, stat=stat, written_ns=max(stat.st_mtime_ns, stat.st_ctime_ns) + written_after_ns)
    assert forged_found(world) is trusted  # trusted: the stat alone vouched, the edit went unseen


@pytest.mark.parametrize("forge", [forge_outcome, forge_findings])
def test_a_new_gqrec_version_drops_everything(world, monkeypatch, forge):
    age_all_files(world)
    world.check()
    forge(world)
    monkeypatch.setattr(cache, "__version__", "9.9.9")
    assert not forged_found(world)


@pytest.mark.parametrize("forge", [forge_outcome, forge_findings])
def test_a_schema_change_drops_everything(world, monkeypatch, tmp_path, forge):
    from gqrec import schemas

    age_all_files(world)
    world.check()
    forge(world)
    changed = tmp_path / "schema"
    changed.mkdir()
    for path in schemas.schema_files():
        (changed / path.name).write_bytes(path.read_bytes())
    meeting = changed / "meeting.schema.json"
    meeting.write_text(meeting.read_text(encoding="utf-8").replace("Réunion", "Séance", 1), encoding="utf-8")
    monkeypatch.setattr(schemas, "SCHEMA_DIR", changed)
    assert not forged_found(world)


@pytest.mark.parametrize("forge", [forge_outcome, forge_findings])
def test_a_change_in_gqrec_code_drops_everything(world, monkeypatch, forge):
    age_all_files(world)
    world.check()
    forge(world)
    monkeypatch.setattr(cache, "_code_fingerprint", lambda: "another build")
    assert not forged_found(world)


@pytest.mark.parametrize("name", [cache.MEMO_FILE, cache.cache_file_name("armor"), cache.cache_file_name(None)])
def test_a_corrupt_cache_is_ignored(world, name):
    age_all_files(world)
    world.check()
    store(world, name).write_bytes(b"\x00garbage" * 100)
    assert world.check().findings == []
    world.edit(MEETING, "duration_minutes: 120", "duration_minutes: 60")
    assert [f["rule"] for f in world.check().findings] == ["GQ111"]


@pytest.mark.parametrize("name", [cache.MEMO_FILE, cache.cache_file_name("armor")])
def test_a_cache_of_the_wrong_shape_is_ignored(world, name):
    age_all_files(world)
    world.check()
    write(world, name, ("not", "the", "format"))
    assert world.check().findings == []
    signature, written, entries = read(world, cache.MEMO_FILE)
    write(world, cache.MEMO_FILE, (signature, written, {"armor": ("short",)}))
    assert world.check().findings == []


def test_cache_folder_is_not_a_layout_error_and_ignores_itself_in_git(world):
    world.check()
    assert (world.root / cache.CACHE_DIR / ".gitignore").read_text() == "*\n"
    assert world.check().findings == []


def test_another_size_limit_does_not_reuse_outcomes(world):
    big = "themes/asthme-adulte.yaml"
    age_all_files(world)
    world.check("--max-file-size", "2048")
    path = world.root / big
    path.write_text(world.read(big) + "# " + "x" * 3000 + "\n", encoding="utf-8")
    age_all_files(world)
    world.check("--max-file-size", "2048")
    run = world.check("--max-file-size", "2")
    assert [(f["path"], f["rule"]) for f in run.findings] == [(big, "GQ001")]


# -- each partition's findings --------------------------------------------------------------------------

def test_an_unchanged_region_keeps_its_findings_without_reading_a_file(world):
    age_all_files(world)
    world.check()
    forge_findings(world)
    assert forged_found(world)


@pytest.mark.parametrize("change", ["added", "removed", "renamed", "touched"])
def test_any_change_to_the_listing_judges_the_region_again(world, change):
    extra = meeting_path("2024-12-20")
    age_all_files(world)
    world.check()
    forge_findings(world)
    path = world.root / MEETING
    if change == "added":
        shutil.copy(path, world.root / extra)
    elif change == "removed":
        path.unlink()
    elif change == "renamed":
        path.rename(world.root / extra)
    else:
        os.utime(path)
    assert not forged_found(world)


def test_a_national_change_judges_every_region_again_and_other_regions_keep_theirs(world):
    world.copy_region("armor", "argoat")
    age_all_files(world)
    assert world.check().findings == []
    other = ("regions/argoat/region.yaml", 1, 1, "GQ001", "error", FORGED, "", None)
    forge_findings(world, "argoat", other)
    world.edit(MEETING, "duration_minutes: 120", "duration_minutes: 60")
    run = world.check()
    assert [f["rule"] for f in run.findings] == ["GQ001", "GQ111"]  # argoat kept what it remembered
    age_all_files(world)
    world.check()
    forge_findings(world, "argoat", other)
    world.edit("themes/asthme-adulte.yaml", "Asthme de l'adulte", "Asthme de l'adulte (2025)")
    age_all_files(world)
    assert [f["rule"] for f in world.check().findings] == ["GQ111"]


def test_another_as_of_date_judges_again(world):
    age_all_files(world)
    world.check()
    forge_findings(world)
    assert not forged_found(world, as_of="2025-06-01")


@pytest.mark.parametrize("started_after_ns, trusted", [(cache.RACY_NS - 1, False), (cache.RACY_NS + 1, True)])
def test_findings_of_racy_files_are_not_trusted(world, started_after_ns, trusted):
    """A file changed less than RACY_NS before the run that judged its region started: its stat cannot
    vouch for it. Told by explicit times (every file's mtime, the run's start as remembered), not by how
    fast the machine gets from writing the files to the check."""
    changed_ns = time.time_ns() - 3600 * 10**9
    for path in all_files(world):
        os.utime(path, ns=(changed_ns, changed_ns))
    world.check()
    forge_findings(world, started=changed_ns + started_after_ns)
    assert forged_found(world) is trusted


def test_a_region_that_asks_git_is_judged_again_when_head_moves(world):
    def git(*args):
        env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
               "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org",
               "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.org"}
        subprocess.run(["git", *args], cwd=world.root, env=env, check=True, capture_output=True)

    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "registres")
    age_all_files(world)
    world.check()
    forge_findings(world)
    git("commit", "-q", "--allow-empty", "-m", "rien")
    assert forged_found(world)  # without minutes_within_days, git history does not matter
    world.edit("regions/armor/region.yaml", "charter:\n", "charter:\n  minutes_within_days: 90\n")
    age_all_files(world)
    world.check()
    forge_findings(world)
    assert forged_found(world)
    git("commit", "-q", "--allow-empty", "-m", "encore rien")
    assert not forged_found(world)


def test_the_cache_of_a_removed_region_is_removed_with_it(world):
    world.copy_region("armor", "argoat")
    world.check()
    (world.root / cache.CACHE_DIR / "files.marshal").write_bytes(b"an older gqrec's single cache file")
    assert file_store(world, "argoat").exists()
    shutil.rmtree(world.root / "regions/argoat")
    assert world.check().findings == []
    assert not file_store(world, "argoat").exists() and file_store(world, "armor").exists()
    assert not (world.root / cache.CACHE_DIR / "files.marshal").exists()
    signature, written, entries = read(world, cache.MEMO_FILE)
    assert set(entries) == {None, "armor"}


# -- a read of some years ---------------------------------------------------------------------------------

def bilan_of_another_year(world):
    """`gqrec report --year 2023`: it reads the 2022 and 2023 dated records only, none of the 2024 meetings."""
    assert world.invoke("report", str(world.root), "--year", "2023", "--format", "json").exit_code == 0


def test_a_read_of_one_year_keeps_the_other_years_cached(world):
    """A year's bilan or ledger leaves the other years' files unread: their cached outcomes stay, and
    the next check takes them from the cache instead of reading them again."""
    age_all_files(world)
    world.check()
    forge_outcome(world)
    bilan_of_another_year(world)
    assert MEETING in read(world, cache.cache_file_name("armor"))[2]
    assert forged_found(world)


def test_a_racy_outcome_kept_by_a_read_that_leaves_its_file_unread_is_not_vouched_by_its_stat(world):
    """An entry its store's date did not vouch for (racy) would be, kept as it is, by the later date of
    the store that keeps it: it is kept without its stat, and the edit made within the same tick shows."""
    world.check()
    path = world.root / MEETING
    path.write_text(world.read(MEETING).replace("duration_minutes: 120", "duration_minutes: 121"), encoding="utf-8")
    stat = path.stat()
    forge_outcome(world, stat=stat, written_ns=max(stat.st_mtime_ns, stat.st_ctime_ns) + cache.RACY_NS - 1)
    time.sleep(cache.RACY_NS / 1e9 + 0.2)  # a store written now would vouch for that stat
    os.utime(world.root / REGION)  # read by the bilan with a new date: its store is written again
    bilan_of_another_year(world)
    assert not forged_found(world)
