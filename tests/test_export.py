"""`gqrec export`: the tables of EXPORT.md, the bilan's figures found again with plain SQL, keys that
hold, pseudonymisation that leaves nothing individual, slices, past revisions, atomic writing and CSV
cells that no spreadsheet runs. Real files, the real command (in a subprocess where it must be killed)."""

from __future__ import annotations

import csv
import json
import os
import re
import resource
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from world import ANIMATOR, FEEDBACK_KEY, meeting_path
from test_git import commit_all, git, git_identity  # noqa: F401  (the fixture isolates git's configuration)
from test_report import individual_strings
from gqrec import rules
from gqrec.cli import cli
from gqrec.member_codes import code

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "records"
SAMPLE_AS_OF = "2026-01-01"
KEY = FEEDBACK_KEY  # the tests' key (tests/world.py): it codes the physicians and opens the sealed feedback rows

# EXPORT.md: every table, with these columns at least
SPEC = {
    "regions": "region name association coordinator",
    "territories": "region territory name setting general_practitioners",
    "physicians": "region rpps name territory specialty animator_trained",
    "groups": "region group_id name territory constituted wave",
    "memberships": "region group_id rpps role since until",
    "meetings": "region group_id date type theme period duration_minutes animator clinical_cases",
    "attendance": "region group_id date rpps status",
    "programmes": "region year validated theme",
    "contracts": "region year rpps signed group_id role",
    "themes": "theme title daily_practice evaluable evidence_based efficiency",
    "indicators": "indicator title theme better",
    "feedback": "region period population rpps indicator numerator denominator",
    "findings": "rule severity path line column message",
}


def export(root: Path, out: Path, *args: str, key: str | None = KEY, as_of: str = SAMPLE_AS_OF):
    env = {"GQREC_FEEDBACK_KEY": key}
    return CliRunner().invoke(cli, ["export", str(root), "--out", str(out), "--as-of", as_of, *args], env=env)


def exported(root: Path, out: Path, *args: str, **kwargs) -> sqlite3.Connection:
    result = export(root, out, *args, **kwargs)
    assert result.exit_code == 0, result.output
    return sqlite3.connect(out)


def query(db: sqlite3.Connection, sql: str, *params) -> list[tuple]:
    return db.execute(sql, params).fetchall()


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory) -> sqlite3.Connection:
    return exported(SAMPLE, tmp_path_factory.mktemp("export") / "sample.db")


# -- the tables --------------------------------------------------------------------------------------


def test_every_table_and_column_of_the_spec_with_its_keys(sample_db):
    for table, columns in SPEC.items():
        found = [row[1] for row in query(sample_db, f'PRAGMA table_info("{table}")')]
        assert set(columns.split()) <= set(found), table
        assert any(row[5] for row in query(sample_db, f'PRAGMA table_info("{table}")')), f"{table} has no primary key"
    references = {(table, row[2]) for table in SPEC for row in query(sample_db, f'PRAGMA foreign_key_list("{table}")')}
    assert {("attendance", "meetings"), ("attendance", "physicians"), ("meetings", "groups"), ("meetings", "themes"),
            ("memberships", "groups"), ("contracts", "physicians"), ("feedback", "indicators"),
            ("physicians", "territories"), ("indicators", "themes"), ("programmes", "themes")} <= references
    indexed = {row[1] for row in query(sample_db, "SELECT type, tbl_name FROM sqlite_master WHERE type = 'index' "
                                                  "AND name NOT LIKE 'sqlite_autoindex%'")}
    assert {"attendance", "meetings", "memberships", "contracts", "feedback", "findings"} <= indexed


def test_foreign_keys_hold_on_the_sample(sample_db):
    assert query(sample_db, "PRAGMA foreign_key_check") == []
    assert query(sample_db, "SELECT count(*) FROM attendance")[0][0] > 1000


def test_foreign_keys_hold_on_a_demo_archive(tmp_path):
    root = tmp_path / "demo"
    assert CliRunner().invoke(cli, ["demo", str(root), "--regions", "2", "--groups", "4", "--years", "2"]).exit_code == 0
    db = exported(root, tmp_path / "demo.db", as_of="2026-01-01")
    assert query(db, "PRAGMA foreign_key_check") == []
    for table in SPEC:
        if table != "findings":
            assert query(db, f'SELECT count(*) FROM "{table}"')[0][0] > 0, table


def test_a_dangling_reference_is_what_the_foreign_key_check_shows(world, tmp_path):
    """The keys are declared, not decoration: a meeting on a theme that does not exist (GQ004) is the
    one row the check lists, and the finding is in the findings table."""
    world.edit(meeting_path("2024-03-12"), "theme: asthme-adulte", "theme: asthme-enfant")
    db = exported(world.root, tmp_path / "x.db", as_of="2025-01-01")
    assert [(row[0], row[2]) for row in query(db, "PRAGMA foreign_key_check")] == [("meetings", "themes")]
    assert query(db, "SELECT rule, path, line FROM findings") == [("GQ004", meeting_path("2024-03-12"), 1)]


# -- the bilan's figures, recomputed with SQL -------------------------------------------------------

ATTENDANCE = """
    SELECT m.region,
           sum(a.status = 'present'), sum(a.status = 'absent')
    FROM attendance a JOIN meetings m USING (region, group_id, date)
    WHERE substr(m.date, 1, 4) = ?
      AND EXISTS (SELECT 1 FROM memberships s
                  WHERE s.region = a.region AND s.group_id = a.group_id AND s.rpps = a.rpps AND s.role = 'member'
                    AND s.since <= a.date AND (s.until IS NULL OR a.date <= s.until))
    GROUP BY m.region
"""
HELD = "SELECT region, count(*), sum(duration_minutes) FROM meetings WHERE substr(date, 1, 4) = ? GROUP BY region"
THEMES = """
    SELECT region, theme, count(*) FROM meetings
    WHERE substr(date, 1, 4) = ? AND type = 'thematic' AND theme IS NOT NULL
    GROUP BY region, theme ORDER BY region, theme
"""


def approx(value: float):
    """A rate or a number of hours as the JSON may write it: rounded to 4 decimals, or exact."""
    return pytest.approx(value, rel=0, abs=5e-5)


def sql_figures(db: sqlite3.Connection, year: int) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for region, held, minutes in query(db, HELD, str(year)):
        out[region] = {"meetings_held": held, "hours": approx(minutes / 60), "themes": {}}
    for region, present, absent in query(db, ATTENDANCE, str(year)):
        out[region]["attendances"] = present
        out[region]["attendance_rate"] = approx(present / (present + absent))
    for region, theme, count in query(db, THEMES, str(year)):
        out[region]["themes"][theme] = count
    return out


@pytest.mark.parametrize("year", [2024, 2025])
def test_the_bilan_figures_found_again_with_plain_sql(sample_db, year):
    result = CliRunner().invoke(cli, ["report", str(SAMPLE), "--year", str(year), "--format", "json",
                                      "--as-of", SAMPLE_AS_OF])
    assert result.exit_code == 0, result.output
    bilan = json.loads(result.stdout)
    keys = ("meetings_held", "hours", "attendances", "attendance_rate", "themes")
    expected = {r["region"]: {k: r[k] for k in keys} for r in bilan["regions"]}
    assert sql_figures(sample_db, year) == expected
    total = query(sample_db, "SELECT count(*) FROM meetings WHERE substr(date, 1, 4) = ?", str(year))[0][0]
    assert total == bilan["total"]["meetings_held"] > 0
    assert sum(r["attendances"] for r in expected.values()) == bilan["total"]["attendances"]


# -- pseudonymisation -------------------------------------------------------------------------------


def test_pseudonymised_export_has_no_rpps_and_no_name(tmp_path):
    db_path, folder = tmp_path / "p.db", tmp_path / "csv"
    db = exported(SAMPLE, db_path, "--pseudonymise", key=KEY)
    assert export(SAMPLE, folder, "--format", "csv", "--pseudonymise", key=KEY).exit_code == 0
    individual = individual_strings(SAMPLE)
    assert len(individual) > 100
    contents = {"p.db": db_path.read_bytes(), **{p.name: p.read_bytes() for p in folder.iterdir()}}
    for name, data in contents.items():
        for needle in individual:
            assert needle.encode("utf-8") not in data, f"{needle!r} in {name}"
        assert not re.search(rb"(?<![0-9])[0-9]{11}(?![0-9])", data), name
    rpps = sorted(path.stem for path in SAMPLE.glob("regions/*/physicians/*.yaml"))
    coded = {row[0] for row in query(db, "SELECT rpps FROM physicians")}
    assert coded and coded <= {code(KEY.encode(), r) for r in rpps}  # only codes that keep five candidates
    assert query(db, "SELECT count(*) FROM physicians WHERE coalesce(name, territory, specialty, animator_trained) "
                     "IS NOT NULL") == [(0,)]
    assert query(db, "PRAGMA foreign_key_check") == []


def test_names_and_rpps_in_findings_are_pseudonymised_too(world, tmp_path):
    """GQ104's message names the animator: RPPS and name. Pseudonymised, the finding keeps its rule's
    title only (a code would tie the animator's finding to the code)."""
    world.edit(f"regions/armor/physicians/{ANIMATOR}.yaml", "animator_trained: 2023-06-01\n", "")
    plain = exported(world.root, tmp_path / "plain.db", as_of="2025-01-01")
    message = query(plain, "SELECT message FROM findings WHERE rule = 'GQ104'")[0][0]
    assert ANIMATOR in message and "Dr Anne Animatrice" in message
    coded = exported(world.root, tmp_path / "coded.db", "--pseudonymise", key=KEY, as_of="2025-01-01")
    message = query(coded, "SELECT message, hint FROM findings WHERE rule = 'GQ104'")[0]
    assert message == (rules.titles()["GQ104"], None)
    data = (tmp_path / "coded.db").read_bytes()
    assert b"Anne Animatrice" not in data and ANIMATOR.encode() not in data


def test_pseudonymised_rows_do_not_follow_the_rpps_order(sample_db, tmp_path):
    """RPPS are public and numbered in sequence: rows listed in RPPS order would match codes to people."""
    db = exported(SAMPLE, tmp_path / "p.db", "--pseudonymise", key=KEY)
    checks = {
        "physicians": ("region", "rpps"),
        "participation": ("region, group_id, year", "rpps"),
        "feedback": ("region, period, population", "coalesce(rpps, '')"),
    }
    for table, (part, column) in checks.items():
        lists: dict[tuple, list[str]] = {}
        for *where, coded in query(db, f'SELECT {part}, {column} FROM "{table}" ORDER BY rowid'):
            lists.setdefault(tuple(where), []).append(coded)
        assert all(codes == sorted(codes) for codes in lists.values()), table
        assert any(len(codes) > 5 for codes in lists.values()), table
    by_line = [row[0] for row in query(db, "SELECT line FROM feedback WHERE period = '2025-S1' AND region = 'bretagne' "
                                           "ORDER BY rowid")]
    assert by_line == list(range(1, len(by_line) + 1))
    plain = query(sample_db, "SELECT rpps FROM participation ORDER BY rowid")
    coded = query(db, "SELECT rpps FROM participation ORDER BY rowid")
    assert [code(KEY.encode(), r) for (r,) in plain] != [c for (c,) in coded]


def test_pseudonymise_without_a_key_is_refused(tmp_path):
    result = export(SAMPLE, tmp_path / "p.db", "--pseudonymise", key=None)
    assert result.exit_code == 2
    assert "Pas de clé de codage" in result.output and "GQREC_FEEDBACK_KEY" in result.output
    assert not (tmp_path / "p.db").exists()
    inside = SAMPLE.parent / "cle.txt"
    result = export(SAMPLE, tmp_path / "p.db", "--pseudonymise", "--key-file", str(inside), key=None)
    assert result.exit_code == 2 and "dépôt git des registres" in result.output


def test_an_export_is_never_written_under_the_records_or_reports(world, tmp_path):
    for out in (world.root / "export.db", tmp_path / "reports" / "export.db"):
        result = export(world.root, out)
        assert result.exit_code == 2 and "Refus d'écrire" in result.output
        assert not out.exists()


def test_out_must_be_a_file_for_sqlite_and_a_folder_for_csv(tmp_path):
    (tmp_path / "folder").mkdir()
    (tmp_path / "file.csv").write_text("x", encoding="utf-8")
    result = export(SAMPLE, tmp_path / "folder")
    assert result.exit_code == 2 and "est un dossier" in result.output
    result = export(SAMPLE, tmp_path / "file.csv", "--format", "csv")
    assert result.exit_code == 2 and "est un fichier" in result.output
    assert (tmp_path / "file.csv").read_text(encoding="utf-8") == "x"


# -- slices and revisions ---------------------------------------------------------------------------


def test_a_year_and_a_region(tmp_path):
    db = exported(SAMPLE, tmp_path / "s.db", "--year", "2024", "--region", "bretagne")
    assert query(db, "SELECT DISTINCT substr(date, 1, 4), region FROM meetings") == [("2024", "bretagne")]
    assert query(db, "SELECT DISTINCT year FROM programmes") == [(2024,)]
    assert query(db, "SELECT DISTINCT year FROM contracts") == [(2024,)]
    assert {row[0][:4] for row in query(db, "SELECT period FROM feedback")} == {"2024"}
    assert query(db, "SELECT region FROM regions") == [("bretagne",)]
    assert query(db, "SELECT count(*) FROM themes")[0][0] == 10
    assert query(db, "SELECT year, region FROM export") == [(2024, "bretagne")]
    assert query(db, "PRAGMA foreign_key_check") == []
    result = export(SAMPLE, tmp_path / "t.db", "--region", "normandie")
    assert result.exit_code == 2 and "Région inconnue : normandie" in result.output


def test_a_year_keeps_the_findings_about_it(world, tmp_path):
    """As the bilan counts them: on a file of the year, or on an undated file about the year."""
    world.edit(meeting_path("2024-03-12"), "duration_minutes: 120", "duration_minutes: 60")  # GQ111, a 2024 file
    world.remove(meeting_path("2024-01-16"))  # GQ102 on group.yaml, about 2024
    rows = "SELECT rule, year FROM findings ORDER BY rule"
    assert query(exported(world.root, tmp_path / "a.db", "--year", "2024", as_of="2025-01-01"), rows) == [
        ("GQ102", 2024), ("GQ111", 2024)]
    assert query(exported(world.root, tmp_path / "b.db", "--year", "2023", as_of="2025-01-01"), rows) == []


def test_at_a_revision(world, tmp_path_factory):
    top = world.root.parent
    git(top, "init", "-q")
    commit_all(top)
    world.remove(meeting_path(MEETING_DAY))
    commit_all(top, "une réunion de moins")
    tmp_path = tmp_path_factory.mktemp("hors-du-depot")  # an export is never written in the records' work tree
    count = "SELECT count(*) FROM meetings"
    assert query(exported(world.root, tmp_path / "now.db", as_of="2025-01-01"), count) == [(9,)]
    past = exported(world.root, tmp_path / "past.db", "--at", "HEAD~1", as_of="2025-01-01")
    assert query(past, count) == [(10,)]
    assert query(past, "SELECT revision, commit_id FROM export") == [("HEAD~1", git(top, "rev-parse", "HEAD~1").strip())]
    result = export(world.root, tmp_path / "nowhere.db", "--at", "nulle-part")
    assert result.exit_code == 2 and "--at" in result.output


MEETING_DAY = "2024-03-12"


def test_at_a_revision_is_refused_in_a_shallow_clone(world, tmp_path):
    top = world.root.parent
    git(top, "init", "-q")
    commit_all(top)
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{top}", str(clone))
    result = export(clone / "records", tmp_path / "past.db", "--at", "HEAD", as_of="2025-01-01")
    assert result.exit_code == 2 and "--at" in result.output and "superficiel" in result.output
    assert not (tmp_path / "past.db").exists()


# -- atomic writing ---------------------------------------------------------------------------------


def command(out: Path, fmt: str) -> list[str]:
    return [sys.executable, "-m", "gqrec.cli", "export", str(SAMPLE), "--format", fmt, "--out", str(out),
            "--as-of", SAMPLE_AS_OF, "--no-cache"]


def run_limited(out: Path, fmt: str, limit: int) -> subprocess.CompletedProcess:
    """The real command in a process that may not write more than `limit` bytes to a file: the system
    tells it the disk is full (Python ignores SIGXFSZ)."""
    return subprocess.run(
        command(out, fmt), capture_output=True, text=True, check=False,
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit)),
    )


def previous_db(tmp_path: Path) -> tuple[Path, bytes]:
    out = tmp_path / "records.db"
    exported(SAMPLE, out, "--year", "2024")  # the previous export, smaller than the next one
    return out, out.read_bytes()


def being_written(folder: Path) -> bool:
    for path in folder.glob(".records.db.gqrec-*.tmp"):
        try:
            if path.stat().st_size:
                return True
        except FileNotFoundError:  # renamed into place meanwhile
            pass
    return False


def killed_while_writing(out: Path, folder: Path) -> bool:
    """Run the export, stopping it (SIGSTOP) again and again; the first time it is stopped with its
    temporary file written to, SIGKILL it there. Looked at while stopped, the files cannot move: a
    temporary file still present means the rename has not happened (no kill can come too late).
    False when it ended before being caught writing."""
    process = subprocess.Popen(command(out, "sqlite"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            os.kill(process.pid, signal.SIGSTOP)
            _, status = os.waitpid(process.pid, os.WUNTRACED)
            if not os.WIFSTOPPED(status):
                process.returncode = os.waitstatus_to_exitcode(status)  # it ended (reaped here)
                return False
            if being_written(folder):
                os.kill(process.pid, signal.SIGKILL)
                return True
            os.kill(process.pid, signal.SIGCONT)
            os.sched_yield()
    finally:
        if process.returncode is None:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()


@pytest.mark.slow
def test_a_killed_export_leaves_the_previous_database_intact(tmp_path):
    """Killed (SIGKILL) while it writes: the database under the target name is the previous one."""
    out, before = previous_db(tmp_path)
    for _ in range(10):  # stopped between two steps of its own, it may still end before being seen writing
        if killed_while_writing(out, tmp_path):
            break
        out.write_bytes(before)
    else:
        pytest.fail("the export was never caught writing")
    assert out.read_bytes() == before
    assert query(sqlite3.connect(out), "SELECT year FROM export") == [(2024,)]
    leftovers = [p.name for p in tmp_path.glob(".records.db.gqrec-*.tmp")]
    assert leftovers  # what was being written, under another name: swept by the next export
    exported(SAMPLE, out, "--year", "2025")
    assert not any(tmp_path.glob(".records.db.gqrec-*.tmp"))


def test_a_failed_write_says_so_and_leaves_nothing_behind(tmp_path):
    out, before = previous_db(tmp_path)
    done = run_limited(out, "sqlite", len(before) // 2)
    assert done.returncode == 2, done.stderr
    assert "Impossible d'écrire" in done.stderr and "le fichier précédent est intact" in done.stderr
    assert "Traceback" not in done.stderr
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["records.db"]


def test_a_failed_csv_export_leaves_the_previous_tables_intact(tmp_path):
    folder = tmp_path / "tables"
    assert export(SAMPLE, folder, "--format", "csv", "--year", "2024").exit_code == 0
    (folder / "notes.txt").write_text("à garder", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    done = run_limited(folder, "csv", 20_000)
    assert done.returncode == 2, done.stderr
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tables"]
    assert export(SAMPLE, folder, "--format", "csv").exit_code == 0  # a complete export replaces each table
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "à garder"
    assert (folder / "meetings.csv").read_bytes() != before["meetings.csv"]


# -- CSV --------------------------------------------------------------------------------------------


def test_csv_one_file_a_table_with_the_same_rows(sample_db, tmp_path):
    folder = tmp_path / "csv"
    assert export(SAMPLE, folder, "--format", "csv", "--csv-dialect", "data").exit_code == 0
    for table in SPEC:
        with open(folder / f"{table}.csv", encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        columns = [row[1] for row in query(sample_db, f'PRAGMA table_info("{table}")')]
        assert rows[0] == columns
        expected = [["" if v is None else str(v) for v in row]
                    for row in query(sample_db, f'SELECT * FROM "{table}" ORDER BY rowid')]
        assert rows[1:] == expected, table


def test_duckdb_reads_the_csv_rpps_as_text_with_the_documented_call(sample_db, tmp_path):
    """DuckDB guesses an RPPS column to be BIGINT; the read_csv call of docs/export.md keeps it text, so a
    join with the SQLite tables (TEXT) or a leading zero survives."""
    duckdb = pytest.importorskip("duckdb")
    folder = tmp_path / "csv"
    assert export(SAMPLE, folder, "--format", "csv", "--csv-dialect", "data").exit_code == 0
    documented = (REPO / "docs/export.md").read_text(encoding="utf-8")
    call = "read_csv('tables/physicians.csv', header = true, all_varchar = true)"
    assert call in documented
    path = (folder / "physicians.csv").as_posix()
    guessed = duckdb.sql(f"DESCRIBE SELECT rpps FROM read_csv('{path}', header = true)").fetchall()
    assert guessed[0][1] == "BIGINT"  # what the documentation warns of
    read = duckdb.sql("SELECT rpps FROM " + call.replace("tables/physicians.csv", path) + " ORDER BY rpps").fetchall()
    assert [row[0] for row in read] == [row[0] for row in query(sample_db, "SELECT rpps FROM physicians ORDER BY rpps")]
    meetings = (folder / "meetings.csv").as_posix()
    typed = duckdb.sql(f"DESCRIBE SELECT animator FROM read_csv('{meetings}', header = true, "
                       "types = {'animator': 'VARCHAR'})").fetchall()
    assert typed[0][1] == "VARCHAR" and "types =\n  {'animator': 'VARCHAR'}" in documented


def test_csv_cells_cannot_start_a_formula(world, tmp_path):
    world.edit("regions/armor/territories/lamballe.yaml", "name: Lamballe", "name: '=HYPERLINK(\"http://x\")'")
    world.edit("regions/armor/groups/lamballe/group.yaml", "name: Groupe Qualité de Lamballe", "name: '@SUM(A1)'")
    folder = tmp_path / "csv"
    assert export(world.root, folder, "--format", "csv", as_of="2025-01-01").exit_code == 0
    territories = (folder / "territories.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in territories and ";=HYPERLINK" not in territories
    assert ";'@SUM(A1);" in (folder / "groups.csv").read_text(encoding="utf-8")
    db = exported(world.root, tmp_path / "x.db", as_of="2025-01-01")
    assert query(db, "SELECT name FROM territories") == [('=HYPERLINK("http://x")',)]  # SQL keeps the value as written


def test_values_go_through_parameters(world, tmp_path):
    hostile = "Lamballe'); DROP TABLE meetings; --"
    world.edit("regions/armor/territories/lamballe.yaml", "name: Lamballe", f'name: "{hostile}"')
    db = exported(world.root, tmp_path / "x.db", as_of="2025-01-01")
    assert query(db, "SELECT name FROM territories") == [(hostile,)]
    assert query(db, "SELECT count(*) FROM meetings") == [(10,)]


def test_same_records_same_bytes(tmp_path):
    first, second = tmp_path / "a.db", tmp_path / "b.db"
    exported(SAMPLE, first)
    exported(SAMPLE, second)
    assert first.read_bytes() == second.read_bytes()


# -- sealed feedback files --------------------------------------------------------------------------


def test_the_key_file_opens_the_sealed_feedback_rows(world, tmp_path):
    """The world's feedback files are sealed (tests/world.py): a key file opens them, as the variable does."""
    key_file = tmp_path / "cle.txt"
    key_file.write_text(KEY, encoding="utf-8")
    db = exported(world.root, tmp_path / "k.db", "--key-file", str(key_file), key=None, as_of="2025-01-01")
    assert query(db, "SELECT count(*) FROM feedback") == [(22,)]
    result = export(world.root, tmp_path / "n.db", key=None, as_of="2025-01-01")
    assert result.exit_code == 0
    assert "Attention : des fichiers de retour chiffrés n'ont pas été lus" in result.output
    db = sqlite3.connect(tmp_path / "n.db")
    assert query(db, "SELECT count(*) FROM feedback") == [(0,)]
    assert query(db, "SELECT DISTINCT rule FROM findings") == [("GQ120",)]
