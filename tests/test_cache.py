"""The file cache in .gqrec-cache/: used when the content is the same, never trusted otherwise."""

import marshal
import os

from gqrec import cache
from conftest import meeting_path

MEETING = meeting_path("2024-03-12")
FORGED = "Constat forgé dans le cache"


def cache_file(world):
    return world.root / cache.CACHE_DIR / cache.CACHE_FILE


def age_all_files(world, seconds=3600):
    """Files written long before the cache, so that their stat alone vouches for them."""
    for folder, _, files in os.walk(world.root):
        for name in files:
            path = os.path.join(folder, name)
            stat = os.stat(path)
            os.utime(path, ns=(stat.st_atime_ns - seconds * 10**9, stat.st_mtime_ns - seconds * 10**9))


def forge(world, path=MEETING):
    """Replace one file's cached outcome by a finding no real check would give."""
    signature, written, entries = marshal.loads(cache_file(world).read_bytes())
    size, mtime, digest, _ = entries[path]
    entries[path] = (size, mtime, digest, (None, ((1, 1, "GQ001", FORGED),)))
    cache_file(world).write_bytes(marshal.dumps((signature, written, entries)))


def forged_found(world) -> bool:
    return any(f["message"] == FORGED for f in world.check().findings)


def test_cache_is_written_and_used(world):
    age_all_files(world)
    assert world.check().findings == []
    assert cache_file(world).exists()
    forge(world)
    assert forged_found(world)  # the cached outcome was used: the file was not reread


def test_no_cache_option_neither_reads_nor_writes(world):
    age_all_files(world)
    world.check()
    forge(world)
    assert world.check("--no-cache").findings == []


def test_a_changed_file_is_reread(world):
    age_all_files(world)
    world.check()
    forge(world)
    world.edit(MEETING, "theme: asthme-adulte", "theme: asthme-enfant")
    run = world.check()
    assert FORGED not in [f["message"] for f in run.findings]
    assert [f["rule"] for f in run.findings] == ["GQ004"]


def test_same_content_with_a_new_date_is_not_reread(world):
    age_all_files(world)
    world.check()
    forge(world)
    path = world.root / MEETING
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))  # `git checkout` does this
    assert forged_found(world)  # same content hash: the outcome stands


def test_a_recently_modified_file_is_rehashed_even_with_the_same_stat(world):
    world.check()  # files younger than the racy window
    forge(world)
    path = world.root / MEETING
    stat = path.stat()
    text = world.read(MEETING).replace("duration_minutes: 120", "duration_minutes: 121")
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same mtime: only the hash can tell
    assert not forged_found(world)


def test_a_new_gqrec_version_drops_the_cache(world, monkeypatch):
    age_all_files(world)
    world.check()
    forge(world)
    monkeypatch.setattr(cache, "__version__", "9.9.9")
    assert not forged_found(world)


def test_a_schema_change_drops_the_cache(world, monkeypatch, tmp_path):
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


def test_a_corrupt_cache_is_ignored(world):
    world.check()
    cache_file(world).write_bytes(b"\x00garbage" * 100)
    assert world.check().findings == []
    world.edit(MEETING, "duration_minutes: 120", "duration_minutes: 60")
    assert [f["rule"] for f in world.check().findings] == ["GQ111"]


def test_a_cache_of_the_wrong_shape_is_ignored(world):
    world.check()
    cache_file(world).write_bytes(marshal.dumps(("not", "the", "format")))
    assert world.check().findings == []


def test_cache_folder_is_not_a_layout_error_and_ignores_itself_in_git(world):
    world.check()
    assert (world.root / cache.CACHE_DIR / ".gitignore").read_text() == "*\n"
    assert world.check().findings == []


def test_a_change_in_gqrec_code_drops_the_cache(world, monkeypatch):
    age_all_files(world)
    world.check()
    forge(world)
    monkeypatch.setattr(cache, "_code_fingerprint", lambda: "another build")
    assert not forged_found(world)


def test_another_size_limit_does_not_reuse_outcomes(world):
    big = "themes/asthme-adulte.yaml"
    age_all_files(world)
    world.check("--max-file-size", "2048")
    path = world.root / big
    path.write_text(world.read(big) + "# " + "x" * 3000 + "\n", encoding="utf-8")
    world.check("--max-file-size", "2048")
    run = world.check("--max-file-size", "2")
    assert [(f["path"], f["rule"]) for f in run.findings] == [(big, "GQ001")]
