"""The third fault campaign (issue 24), bad input: line breaks in CSV cells, control characters in names
and titles and in authored values, noncharacters in XML. Each test failed on the code before its fix."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from world import AS_OF, MEETING_DAYS, meeting_path, rpps
from gqrec.cli import cli
from gqrec.csvsafe import csv_text, neutralise
from gqrec.demo import generate
from test_cache_trust import fill, small_disk
from gqrec.safe import printable

THEME = "themes/asthme-adulte.yaml"
INJECTED = "Diabète\r@SUM(1)"


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def first_cells(text: str) -> list[str]:
    """The first cell of each row as a spreadsheet splitting lines on any line break would see it."""
    return [line.split(",")[0].split(";")[0] for line in text.splitlines()]


@pytest.mark.parametrize("cell", ["Diabète\r@SUM(1)", "Diabète\n=1+1", "a\r\n+cmd", "a\u2028-1", "a\x0b@x", "a\x85=1"])
def test_no_line_break_survives_in_a_csv_cell(cell):
    text = csv_text(["titre", "n"], [[cell, 1]])
    assert len(text.splitlines()) == 2, repr(text)
    assert not any(first.lstrip('"').startswith(("=", "+", "-", "@")) for first in first_cells(text)[1:])
    assert neutralise("\r=1").startswith("'")


def test_a_bare_carriage_return_in_a_title_makes_no_row_in_the_bilan_csv(world, tmp_path_factory):
    world.edit(THEME, "title: Asthme de l'adulte", 'title: "Diabète\\r@SUM(1)"')
    out = tmp_path_factory.mktemp("bilan")
    result = invoke("report", world.root, "--year", "2024", "--format", "csv", "--out", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    texts = [p.read_text(encoding="utf-8") for p in out.glob("*.csv")]
    assert any("Diabète" in t for t in texts)
    for text in texts:
        assert "\r" not in text
        assert not any(first.startswith("@") for first in first_cells(text))


def test_a_bare_carriage_return_in_a_title_makes_no_row_in_the_export_csv(world, tmp_path_factory):
    world.edit(THEME, "title: Asthme de l'adulte", 'title: "Diabète\\r@SUM(1)"')
    out = tmp_path_factory.mktemp("export") / "csv"
    result = invoke("export", world.root, "--format", "csv", "--out", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    themes = (out / "themes.csv").read_text(encoding="utf-8")
    assert "Diabète @SUM(1)" in themes and "\r" not in themes
    assert not any(first.startswith("@") for text in (p.read_text(encoding="utf-8") for p in out.glob("*.csv"))
                   for first in first_cells(text))


def test_check_reports_control_characters_in_names_and_titles(world):
    world.edit(THEME, "title: Asthme de l'adulte", 'title: "Diabète\\r@SUM(1)"')
    physician = next((world.root / "regions/armor/physicians").glob("*.yaml"))
    text = physician.read_text(encoding="utf-8")
    name_line = next(line for line in text.splitlines() if line.startswith("name:"))
    physician.write_text(text.replace(name_line, 'name: "Dr X\\n=1+1"'), encoding="utf-8")
    result = invoke("check", world.root, "--format", "json", "--as-of", AS_OF)
    found = [f for f in json.loads(result.stdout) if f["rule"] == "GQ126"]
    assert sorted(f["path"] for f in found) == sorted([THEME, physician.relative_to(world.root).as_posix()])
    assert all(f["severity"] == "warning" and f["line"] == 1 for f in found)
    assert any("\\x0d@SUM" in f["message"] for f in found) and any("Dr X\\x0a=1+1" in f["message"] for f in found)


@pytest.mark.parametrize("value", ["Dr \x1b[31mX", "Dr X\r", "Dr \u202eX", "Dr\x00X"])
def test_new_refuses_control_characters_in_every_authored_value(world, value):
    target = world.root / f"regions/armor/physicians/{rpps(60)}.yaml"
    result = invoke("new", "physician", "--root", world.root, "--region", "armor", "--rpps", rpps(60),
                    "--name", value, "--territory", "lamballe")
    assert result.exit_code == 2, result.output
    assert "caractère de contrôle" in result.output and "Traceback" not in result.output
    assert not target.exists()
    theme = invoke("new", "theme", "--root", world.root, "--id", "cystite", "--title", value)
    assert theme.exit_code == 2 and not (world.root / "themes/cystite.yaml").exists()


@pytest.mark.parametrize("char", ["\ufffe", "\uffff", "\ufdd0", "\U0001fffe"])
def test_printable_escapes_noncharacters(char):
    assert char not in printable(f"a{char}b") and printable(printable(f"a{char}b")) == printable(f"a{char}b")


def test_junit_stays_valid_xml_with_noncharacters_in_a_line_and_a_file_name(world):
    world.edit(meeting_path(MEETING_DAYS[0]), "theme: asthme-adulte", 'theme: "x\\uFFFEy"')
    odd = world.root / "regions/armor/physicians/nom\ufffe.yaml"
    odd.write_text("name: x\n", encoding="utf-8")
    result = invoke("check", world.root, "--format", "junit", "--as-of", AS_OF)
    assert result.exit_code == 1, result.output
    ET.fromstring(result.stdout.encode("utf-8"))
    assert "\ufffe" not in result.stdout and "\\ufffe" in result.stdout


# -- worker processes ----------------------------------------------------------------------------------


def children(pid: int) -> set[int]:
    """The live processes whose parent is pid (a zombie is dead)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists() or (os.cpu_count() or 1) < 2,
                    reason="needs /proc and two cores for the check to start workers")
def test_sigterm_to_a_cold_check_leaves_no_worker_alive(tmp_path):
    root = tmp_path / "records"
    generate(root, regions=2, groups=8, years=3, first_year=2022)
    # The real command, its workers started from the first file (the archive is small for a test).
    script = "import sys; from gqrec import load; load.PARALLEL_FROM = 1; from gqrec.cli import main; main()"
    proc = subprocess.Popen([sys.executable, "-c", script, "check", str(root), "--no-cache", "--as-of", "2025-01-01"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 60
        while not workers and proc.poll() is None and time.monotonic() < deadline:
            workers = children(proc.pid)
            time.sleep(0.005)
        assert workers, "the check ended before starting its workers"
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)
        deadline = time.monotonic() + 10
        while any(map(alive, workers)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [pid for pid in workers if alive(pid)], "workers outlived their check"
    finally:
        for pid in workers:  # the workers this test started, if the fix is missing
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        if proc.poll() is None:
            proc.kill()


# -- the baseline file ---------------------------------------------------------------------------------


def check_with_baseline(world, baseline: Path) -> tuple[subprocess.CompletedProcess, int]:
    """The real command in its own process, and its peak memory in MiB."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    done = subprocess.run([sys.executable, "-m", "gqrec.cli", "check", str(world.root), "--as-of", AS_OF,
                           "--baseline", str(baseline)], capture_output=True, text=True, check=False)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return done, max(peak, before) // 1024


def test_a_baseline_of_empty_objects_is_refused_without_eating_memory(world, tmp_path):
    baseline = tmp_path / "base.json"
    with open(baseline, "w", encoding="utf-8") as handle:
        handle.write('{"gqrec_baseline": 1, "findings": [')
        handle.write("{}," * (5 << 20))
        handle.write("{}]}")
    done, peak = check_with_baseline(world, baseline)
    assert done.returncode == 2, done.stderr
    assert "référence gqrec" in done.stderr and "Traceback" not in done.stderr
    assert peak < 400, f"{peak} Mio"


def test_a_huge_baseline_is_refused_by_its_size(world, tmp_path):
    baseline = tmp_path / "base.json"
    with open(baseline, "wb") as handle:
        handle.truncate(300 << 20)  # sparse: nothing written
    done, peak = check_with_baseline(world, baseline)
    assert done.returncode == 2 and "trop gros" in done.stderr, done.stderr
    assert peak < 400


def test_a_count_of_five_thousand_digits_is_a_refusal_not_a_crash(world, tmp_path):
    baseline = tmp_path / "base.json"
    entry = '{"rule": "GQ111", "path": "x.yaml", "message": "m", "count": ' + "9" * 5000 + "}"
    baseline.write_text('{"gqrec_baseline": 1, "findings": [' + entry + "]}", encoding="utf-8")
    done, _ = check_with_baseline(world, baseline)
    assert done.returncode == 2, done.stderr
    assert "count entier positif" in done.stderr and "Traceback" not in done.stderr


# -- the bilan's feedback rates -------------------------------------------------------------------------


def bilan_rates(world, rows: list[tuple]) -> tuple:
    """The participants' pooled rates of the bilan 2024 (Armor, asthma) over these rows of 2024-S1."""
    from datetime import date

    from test_feedback import ASTHMA, write_csv
    from gqrec.pipeline import Pipeline
    from gqrec.report.figures import indicator_series
    from world import FEEDBACK_KEY

    write_csv(world, "2024-S1", rows)
    registry = Pipeline(world.root, key=FEEDBACK_KEY.encode(), use_cache=False).registry(date(2025, 1, 1))
    series = {s.id: s for s in indicator_series(registry, "armor", 2024)}
    return dict(zip(series[ASTHMA].periods, series[ASTHMA].participants))["2024-S1"]


def test_the_bilan_shows_no_participant_rate_resting_on_fewer_members_than_the_charter_asks(world):
    from test_feedback import ASTHMA
    from world import MEMBERS

    assert bilan_rates(world, [(MEMBERS[0], ASTHMA, 30, 40)]) is None  # one physician, 40 patients
    assert bilan_rates(world, [(who, ASTHMA, 5, 10) for who in MEMBERS[:4]]) is None
    assert bilan_rates(world, [(who, ASTHMA, 5, 10) for who in MEMBERS[:5]]) == 0.5  # feedback_min_members: 5


# -- the key file and the key variable ------------------------------------------------------------------

SEALED = "regions/armor/feedback/2024-S1.csv"


def unseal_with(world, key_file: Path, *, env: dict | None = None):
    return CliRunner().invoke(cli, ["unseal", str(world.root / SEALED), "--key-file", str(key_file)],
                              env=env or {})


def test_a_key_file_with_a_bom_is_the_same_key(world, tmp_path_factory):
    from world import FEEDBACK_KEY

    key_file = tmp_path_factory.mktemp("cle") / "cle.txt"
    key_file.write_bytes(b"\xef\xbb\xbf" + FEEDBACK_KEY.encode() + b"\r\n")
    key_file.chmod(0o600)
    result = unseal_with(world, key_file)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("population,physician,indicator")


def test_a_key_file_in_utf16_is_refused_with_its_reason(world, tmp_path_factory):
    from world import FEEDBACK_KEY

    key_file = tmp_path_factory.mktemp("cle") / "cle.txt"
    key_file.write_bytes(FEEDBACK_KEY.encode("utf-16"))
    key_file.chmod(0o600)
    result = unseal_with(world, key_file)
    assert result.exit_code == 2 and "UTF-16" in result.output, result.output


def test_a_key_file_others_can_read_is_warned_about(world, tmp_path_factory):
    from world import FEEDBACK_KEY

    key_file = tmp_path_factory.mktemp("cle") / "cle.txt"
    key_file.write_text(FEEDBACK_KEY + "\n")
    key_file.chmod(0o644)
    result = unseal_with(world, key_file)
    assert result.exit_code == 0, result.output
    assert "lisible par d'autres" in result.stderr and "chmod 600" in result.stderr
    key_file.chmod(0o600)
    assert "lisible" not in unseal_with(world, key_file).stderr


def test_a_key_file_inside_the_records_root_is_refused_by_seal_and_unseal_too(world):
    from world import FEEDBACK_KEY

    key_file = world.root / "cle.txt"
    key_file.write_text(FEEDBACK_KEY + "\n")
    key_file.chmod(0o600)
    for args in (["unseal", str(world.root / SEALED)], ["seal", str(world.root / SEALED)]):
        result = CliRunner().invoke(cli, [*args, "--key-file", str(key_file)])
        assert result.exit_code == 2 and "dossier des registres" in result.output, (args, result.output)


def test_a_key_variable_that_is_not_utf8_is_a_refusal_not_a_crash(world):
    env = dict(os.environb)
    env[b"GQREC_FEEDBACK_KEY"] = b"\xff\xfe une cle tres longue et invalide"
    done = subprocess.run([sys.executable, "-m", "gqrec.cli", "unseal", str(world.root / SEALED)], env=env,
                          capture_output=True, check=False)
    stderr = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 2, stderr
    assert "UTF-8" in stderr and "Traceback" not in stderr


OTHER_KEY = "une-autre-cle-secrete-9876543210"


@pytest.mark.parametrize("command", [["report", "--year", "2024"], ["feedback", "--period", "2024-S1"],
                                     ["feedback", "--period", "2024-S1", "--group", "lamballe"]])
def test_a_wrong_key_is_named_and_nothing_is_produced(world, command):
    result = CliRunner().invoke(cli, [command[0], str(world.root), *command[1:]], env={"GQREC_FEEDBACK_KEY": OTHER_KEY})
    assert result.exit_code == 2, result.output
    assert "La clé donnée n'ouvre pas" in result.output and "regions/armor/feedback/2024-S1.csv" in result.output
    assert "Pas de données" not in result.output and "aucun fichier" not in result.output


# -- full disks -------------------------------------------------------------------------------------------


def test_fmt_on_a_full_disk_exits_2_and_keeps_the_file(world, tmp_path):
    with small_disk(tmp_path, "256k") as mount:
        root = mount / "records"
        (root / "themes").mkdir(parents=True)
        (root / "federation.yaml").write_bytes((world.root / "federation.yaml").read_bytes())
        theme = root / THEME
        text = (world.root / THEME).read_text(encoding="utf-8").replace("\n  ", "\n      ")  # to reformat
        theme.write_text(text, encoding="utf-8")
        fill(mount)
        result = invoke("fmt", "--root", root)
        assert result.exit_code == 2, result.output
        assert "disque plein" in result.output and theme.read_text(encoding="utf-8") == text


def test_init_on_a_full_disk_leaves_nothing_and_the_next_init_works(tmp_path, gqrec_source):
    with small_disk(tmp_path, "64k") as mount:
        filler = fill(mount)
        target = mount / "depot"
        result = invoke("init", target, "--source", gqrec_source)
        assert result.exit_code == 2, result.output
        assert "disque plein" in result.output and "Traceback" not in result.output
        assert not target.exists()
        filler.unlink()
        (mount / "x").write_bytes(b"")
    (tmp_path / "grand").mkdir()
    with small_disk(tmp_path / "grand", "16m") as mount:
        target = mount / "depot"
        target.mkdir()
        (target / ".git").mkdir()  # a clone of an empty repository: kept as it was
        filler = fill(mount)
        assert invoke("init", target, "--source", gqrec_source).exit_code == 2
        assert sorted(p.name for p in target.iterdir()) == [".git"]
        filler.unlink()
        again = invoke("init", target, "--source", gqrec_source)
        assert again.exit_code == 0, again.output


def test_sqlite_s_full_disk_is_said_in_french(tmp_path):
    sample = Path(__file__).resolve().parent.parent / "records"
    with small_disk(tmp_path, "256k") as mount:
        fill(mount)
        result = invoke("export", sample, "--format", "sqlite", "--out", mount / "export.db", "--as-of", "2026-01-01")
        assert result.exit_code == 2, result.output
        assert "disque plein" in result.output and "database or disk is full" not in result.output


# -- rekey -------------------------------------------------------------------------------------------------


def test_rekey_reseals_every_feedback_file_all_or_nothing(world, tmp_path_factory):
    from world import FEEDBACK_KEY

    keys = tmp_path_factory.mktemp("cles")
    old, new, wrong = keys / "ancienne", keys / "nouvelle", keys / "fausse"
    for path, value in ((old, FEEDBACK_KEY), (new, OTHER_KEY), (wrong, "encore-une-autre-cle-0123456789")):
        path.write_text(value + "\n")
        path.chmod(0o600)
    files = sorted(world.root.glob("regions/*/feedback/*.csv"))
    assert len(files) >= 2
    before = {p: p.read_bytes() for p in files}
    refused = invoke("rekey", world.root, "--from", wrong, "--to", new)
    assert refused.exit_code == 2 and "Rien n'a été rechiffré" in refused.output, refused.output
    assert {p: p.read_bytes() for p in files} == before
    done = invoke("rekey", world.root, "--from", old, "--to", new)
    assert done.exit_code == 0, done.output
    assert f"{len(files)} fichiers" in done.output and "codes des membres" in done.output
    assert sorted(world.root.glob("regions/*/feedback/*")) == files  # no temporary, no clear copy
    for path in files:
        raw = path.read_bytes()
        assert raw.startswith(b"# gqrec-sealed") and raw != before[path]
        assert invoke("unseal", path, "--key-file", new).exit_code == 0
        assert invoke("unseal", path, "--key-file", old).exit_code == 2


def test_demo_on_a_full_disk_is_a_refusal_in_french(tmp_path):
    with small_disk(tmp_path, "64k") as mount:
        fill(mount)
        result = invoke("demo", mount / "archive")
        assert result.exit_code == 2, result.output
        assert "disque plein" in result.output and "erreur interne" not in result.output
