"""The cache must never change a verdict: a same-size edit that keeps the mtime, a cache committed to git or
written by another installation, links and FIFOs in place of cache files, crafted entries, a full disk.

Each test compares with what `--no-cache` says, which reads every file."""

from __future__ import annotations

import contextlib
import marshal
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from world import FEEDBACK_KEY, meeting_path
from gqrec import cache, sealing

MEETING = meeting_path("2024-03-12")
FAULT = ("theme: asthme-adulte", "theme: asthme-enfant")  # an error: GQ004, no such theme
GIT_ENV = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "T",
           "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.org"}


def git(folder: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=folder, env={**os.environ, **GIT_ENV}, check=True, capture_output=True,
                          text=True)
    return done.stdout


def age_all_files(root: Path, seconds: int = 3600) -> None:
    for folder, _, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            info = os.stat(path)
            os.utime(path, ns=(info.st_atime_ns - seconds * 10**9, info.st_mtime_ns - seconds * 10**9))


def gqrec(*args: str, cwd: Path | None = None, env: dict | None = None, timeout: int = 60):
    """The real command in its own process (no answer of this process's caches carries over)."""
    return subprocess.run([sys.executable, "-m", "gqrec.cli", *args], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, **(env or {})}, timeout=timeout)


def rules(run) -> list[str]:
    return [f["rule"] for f in run.findings]


def stored(root: Path, name: str, key: bytes | None = None):
    raw = (root / cache.CACHE_DIR / name).read_bytes()
    return marshal.loads(cache._unseal(name, raw, key or cache.secret()))


def store(root: Path, name: str, content, key: bytes | None = None) -> None:
    payload = marshal.dumps(content)
    (root / cache.CACHE_DIR / name).write_bytes(cache._seal(name, payload, key or cache.secret()))


# -- content decides ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("how", ["touch -r", "cp -p", "rsync -a"])
def test_a_same_size_edit_that_keeps_the_mtime_is_seen(world, tmp_path, how):
    age_all_files(world.root)
    assert world.check().findings == []
    path = world.root / MEETING
    before = path.stat()
    edited = world.read(MEETING).replace("duration_minutes: 120", "duration_minutes: 060")
    assert len(edited) == before.st_size
    if how == "touch -r":
        path.write_text(edited, encoding="utf-8")
    else:
        copy = tmp_path / "copie.yaml"
        copy.write_text(edited, encoding="utf-8")
        if how == "cp -p":
            shutil.copyfile(copy, path)  # same inode, new bytes
        else:
            os.replace(copy, path)  # rsync writes a new file and renames it: a new inode
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert rules(world.check()) == ["GQ111"]
    assert rules(world.check()) == ["GQ111"]  # and the next run too: the stale verdict never comes back
    assert rules(world.check("--no-cache")) == ["GQ111"]


# -- only this installation's cache --------------------------------------------------------------------

def _forge_clean_verdict(root: Path, key: bytes) -> None:
    """What an attacker commits: a faulty meeting's content hash with a clean outcome, and its region clean."""
    for name in os.listdir(root / cache.CACHE_DIR):
        if name.startswith("files-"):
            signature, written, entries = stored(root, name, key)
            for path, entry in entries.items():
                entries[path] = (*entry[:5], marshal.dumps((marshal.loads(entry[5])[0] or {}, ())))
            store(root, name, (signature, written, entries), key)
    signature, written, entries = stored(root, cache.MEMO_FILE, key)
    store(root, cache.MEMO_FILE, (signature, written, {part: (*entry[:4], ()) for part, entry in entries.items()}), key)


@pytest.mark.parametrize("tracked", [True, False])
def test_a_cache_written_elsewhere_is_never_trusted(world, tmp_path, tracked):
    """A `.gqrec-cache/` forced into git (or copied) from another installation cannot make a faulty tree pass."""
    world.edit(MEETING, FAULT[0], FAULT[1])
    origin = world.root
    age_all_files(origin)
    elsewhere = {"XDG_CACHE_HOME": str(tmp_path / "autre-machine")}
    assert gqrec("check", str(origin), "--as-of", "2025-01-01", env=elsewhere).returncode == 1
    other_key = (tmp_path / "autre-machine/gqrec" / cache.KEY_FILE).read_bytes()
    assert other_key != cache.secret()
    _forge_clean_verdict(origin, other_key)
    assert gqrec("check", str(origin), "--as-of", "2025-01-01", env=elsewhere).returncode == 0  # the forgery works there
    git(origin, "init", "-q")
    git(origin, "add", "-A")
    if tracked:
        git(origin, "add", "-f", cache.CACHE_DIR)
    git(origin, "commit", "-q", "-m", "registres")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(origin), str(clone))
    if not tracked:
        shutil.copytree(origin / cache.CACHE_DIR, clone / cache.CACHE_DIR)
    run = gqrec("check", ".", "--format", "github", "--as-of", "2025-01-01", cwd=clone)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "GQ004" in run.stdout
    warned = run.stderr.count("suivi par git")
    assert warned == (1 if tracked else 0), run.stderr
    if tracked:
        assert git(clone, "status", "--porcelain") == ""  # nothing written into the tracked folder


def test_the_key_is_kept_outside_the_records_and_private(world):
    world.check()
    folder = cache.key_folder()
    key = folder / cache.KEY_FILE
    assert key.stat().st_mode & 0o777 == 0o600
    assert world.root not in key.parents
    assert key.read_bytes() not in b"".join(p.read_bytes() for p in (world.root / cache.CACHE_DIR).iterdir())


# -- links, FIFOs, devices ------------------------------------------------------------------------------

@pytest.mark.parametrize("name", [cache.MEMO_FILE, cache.cache_file_name("armor")])
@pytest.mark.parametrize("kind", ["dev-zero", "fifo", "link-to-a-real-cache"])
def test_a_cache_file_that_is_no_regular_file_is_never_read(world, tmp_path, name, kind):
    age_all_files(world.root)
    world.check()
    target = world.root / cache.CACHE_DIR / name
    kept = tmp_path / "vrai-cache"
    shutil.copyfile(target, kept)
    target.unlink()
    if kind == "dev-zero":
        target.symlink_to("/dev/zero")
    elif kind == "fifo":
        os.mkfifo(target)
    else:
        target.symlink_to(kept)
    world.edit(MEETING, *FAULT)
    run = gqrec("check", str(world.root), "--format", "json", "--as-of", "2025-01-01", timeout=60)
    assert run.returncode == 1, run.stderr
    assert '"GQ004"' in run.stdout


def test_a_cache_folder_that_is_a_link_is_never_followed(world, tmp_path):
    """`ln -s .. .gqrec-cache` used to make gqrec write and delete files outside the root."""
    outside = tmp_path / "dehors"
    outside.mkdir()
    (outside / "files-precieux.marshal").write_text("à garder")
    (world.root / cache.CACHE_DIR).symlink_to(outside)
    before = sorted(os.listdir(outside))
    run = gqrec("check", str(world.root), "--as-of", "2025-01-01")
    assert run.returncode == 0, run.stderr
    assert sorted(os.listdir(outside)) == before
    assert (outside / "files-precieux.marshal").read_text() == "à garder"
    assert run.stderr.count("n'est pas un dossier") == 1
    parent_link = world.root / cache.CACHE_DIR
    parent_link.unlink()
    parent_link.symlink_to("..")
    before = sorted(os.listdir(world.root.parent))
    assert gqrec("check", str(world.root), "--as-of", "2025-01-01").returncode == 0
    assert sorted(os.listdir(world.root.parent)) == before


# -- crafted entries with a valid MAC ------------------------------------------------------------------

FILE_VARIANTS = {
    "entries-not-a-dict": lambda e: ["x"],
    "entry-too-short": lambda e: {p: v[:4] for p, v in e.items()},
    "entry-not-a-tuple": lambda e: {p: list(v) for p, v in e.items()},
    "digest-not-bytes": lambda e: {p: (*v[:4], "digest", v[5]) for p, v in e.items()},
    "outcome-not-a-pair": lambda e: {p: (*v[:5], marshal.dumps((None,))) for p, v in e.items()},
    "data-a-list": lambda e: {p: (*v[:5], marshal.dumps((["x"], ()))) for p, v in e.items()},
    "problem-line-text": lambda e: {p: (*v[:5], marshal.dumps((None, (("1", 1, "GQ001", "x"),)))) for p, v in e.items()},
    "problem-short": lambda e: {p: (*v[:5], marshal.dumps((None, ((1, 1),)))) for p, v in e.items()},
    "feedback-blob-text": lambda e: {p: (*v[:5], marshal.dumps((((), (), "blob"), ()))) for p, v in e.items()},
    "outcome-not-marshalled": lambda e: {p: (*v[:5], marshal.loads(v[5])) for p, v in e.items()},
    "outcome-bytes-garbled": lambda e: {p: (*v[:5], b"\xff" + v[5]) for p, v in e.items()},
    "stat-with-text": lambda e: {p: ("1", *v[1:]) for p, v in e.items()},
}


def _data(change):
    """A variant that changes the data of each file's outcome, (path, data) -> data, its MAC recomputed."""
    def variant(entries):
        out = {}
        for path, entry in entries.items():
            data, problems = marshal.loads(entry[5])
            out[path] = (*entry[:5], marshal.dumps((change(path, data), problems)))
        return out
    return variant


def _resealed(outcome):
    """What the cache keeps of a sealed file, its content chosen: sealed again under the run's key (the
    test's, which it holds as the cache's owner would)."""
    return (("gqrec-sealed-outcome",), (), sealing.seal(marshal.dumps(outcome), FEEDBACK_KEY.encode(), None, level=1))


def _where(part: str, change):
    return lambda path, data: change(data) if part in path else data


# Values no reading gives, each with a valid MAC: a wrong verdict or an exit 3 before they were checked.
FILE_VARIANTS.update({
    "meeting-theme-a-number": _data(_where("meetings/", lambda d: {**d, "theme": 5})),
    "meeting-present-a-text": _data(_where("meetings/", lambda d: {**d, "present": "abc"})),
    "group-members-texts": _data(_where("group.yaml", lambda d: {**d, "members": ["x"]})),
    "region-charter-a-text": _data(_where("region.yaml", lambda d: {**d, "charter": "x"})),
    "contract-impossible-date": _data(_where("contracts/", lambda d: {**d, "signed": "2024-13-45"})),
    "every-record-empty": _data(lambda path, d: {} if type(d) is dict else d),
    "physician-name-lone-surrogate": _data(_where("physicians/", lambda d: {**d, "name": "Dr \ud800"})),
    "feedback-rows-of-numbers": _data(_where("feedback/", lambda d: ((1, 2), (3,), b""))),
    "feedback-blob-garbage": _data(_where("feedback/", lambda d: ((), (), b"zz"))),
    "sealed-opens-to-a-number": _data(_where("feedback/", lambda d: _resealed((5, ())))),
    "sealed-opens-to-bad-problems": _data(_where("feedback/", lambda d: _resealed((None, "x")))),
    "sealed-row-numerator-over-denominator": _data(_where("feedback/", lambda d: _resealed(
        (((), ("x",), marshal.dumps(["participant", "10000000108", "x", "9", "1"]), 1), ())))),
    "a-clean-file-given-a-finding": lambda e: {p: (*v[:5], marshal.dumps((None, ((1, 1, "GQ001", "forgé"),))))
                                               for p, v in e.items()},
})
MEMO_VARIANTS = {
    "entry-too-short": lambda e: {p: v[:3] for p, v in e.items()},
    "findings-a-list": lambda e: {p: (*v[:4], list(v[4])) for p, v in e.items()},
    "row-too-short": lambda e: {p: (*v[:4], (("x", 1, 1),)) for p, v in e.items()},
    "row-line-text": lambda e: {p: (*v[:4], (("x", "1", 1, "GQ001", "error", "m", "", None),)) for p, v in e.items()},
    "row-unknown-severity": lambda e: {p: (*v[:4], (("x", 1, 1, "GQ001", "fatal", "m", "", None),)) for p, v in e.items()},
    "files-negative": lambda e: {p: (*v[:3], -1, v[4]) for p, v in e.items()},
    "files-text": lambda e: {p: (*v[:3], "12", v[4]) for p, v in e.items()},
    "started-text": lambda e: {p: (v[0], "0", *v[2:]) for p, v in e.items()},
    "row-lone-surrogate": lambda e: {p: (*v[:4], (("x", 1, 1, "GQ001", "error", "\ud800", "", None),)) for p, v in e.items()},
    "row-negative-line": lambda e: {p: (*v[:4], (("x", -1, 1, "GQ001", "error", "m", "", None),)) for p, v in e.items()},
    "row-absolute-path": lambda e: {p: (*v[:4], (("/etc/passwd", 1, 1, "GQ001", "error", "m", "", None),)) for p, v in e.items()},
    "row-not-a-rule": lambda e: {p: (*v[:4], (("x", 1, 1, "\x00", "error", "m", "", None),)) for p, v in e.items()},
}


def _craft(root: Path, name: str, change) -> None:
    signature, written, entries = stored(root, name)
    store(root, name, (signature, written, change(entries)))


CRAFTED = [(cache.cache_file_name("armor"), name) for name in sorted(FILE_VARIANTS)] + [
    (cache.MEMO_FILE, name) for name in sorted(MEMO_VARIANTS)]


@pytest.mark.parametrize(("store_name", "variant"), CRAFTED)
def test_a_crafted_cache_is_a_miss(world, store_name, variant):
    world.edit(MEETING, *FAULT)
    age_all_files(world.root)
    truth = rules(world.check("--no-cache"))
    world.check()
    if store_name != cache.MEMO_FILE:
        (world.root / cache.CACHE_DIR / cache.MEMO_FILE).unlink()  # so that the files' cache is asked
    change = (MEMO_VARIANTS if store_name == cache.MEMO_FILE else FILE_VARIANTS)[variant]
    _craft(world.root, store_name, change)
    run = world.check()
    assert run.exit_code == 1 and rules(run) == truth


# -- full disk, leftovers, where a cache may be -----------------------------------------------------------

@contextlib.contextmanager
def small_disk(tmp_path: Path, size: str):
    mount = tmp_path / "disque"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"pas de tmpfs montable ici ({done.stderr.decode(errors='replace').strip()})")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(folder: Path) -> Path:
    filler = folder / "remplissage"
    with contextlib.suppress(OSError), open(filler, "wb") as out:
        while True:
            out.write(b"x" * 4096)
            out.flush()
    return filler


def test_a_full_disk_leaves_no_debris_and_the_next_run_repairs_the_cache(world, tmp_path):
    with small_disk(tmp_path, "4m") as disk:
        root = disk / "records"
        shutil.copytree(world.root, root)
        folder = root / cache.CACHE_DIR
        folder.mkdir()
        (folder / ".gitignore").write_text("")  # what an earlier version left on a full disk
        (folder / ".tmp-k2j3h4").write_bytes(b"")
        filler = fill(disk)
        run = gqrec("check", str(root), "--as-of", "2025-01-01")
        assert run.returncode == 0, run.stderr
        assert not [n for n in os.listdir(folder) if n.endswith(".tmp")]
        filler.unlink()
        run = gqrec("check", str(root), "--as-of", "2025-01-01")
        assert run.returncode == 0, run.stderr
        assert sorted(n for n in os.listdir(folder) if n.startswith(".")) == [".gitignore"]
        assert (folder / ".gitignore").read_text() == "*\n"
        assert (folder / cache.MEMO_FILE).exists()


def test_no_cache_is_ever_written_at_the_top_of_the_file_system():
    assert not cache.probe(Path("/")).usable
    memo = cache.FindingsMemo.open(Path("/"), cache.signature())
    memo.put(None, b"", 0, None, 0, ())
    memo.save()
    assert not os.path.lexists("/" + cache.CACHE_DIR)


def test_the_report_says_too_that_a_tracked_cache_is_ignored(world):
    world.check()
    git(world.root, "init", "-q")
    git(world.root, "add", "-A")
    git(world.root, "add", "-f", cache.CACHE_DIR)
    git(world.root, "commit", "-q", "-m", "registres et cache")
    run = gqrec("report", str(world.root), "--year", "2024", "--as-of", "2025-01-01")
    assert run.returncode == 0, run.stderr
    assert run.stderr.count("suivi par git") == 1
