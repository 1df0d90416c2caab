"""Every CSV meant for people — bilan, profiles, ledger, export — opens in a French spreadsheet: each
file converted by LibreOffice (Calc, headless, French import settings: `;`, UTF-8) to .xlsx and read
back with openpyxl — one value per cell, accents right, numbers as numbers, rates as percentages. The
`data` dialect, for programs, keeps comma, dot decimals and English keys. LibreOffice is skipped where
it is not installed, outside CI only (`.ci/run` installs it)."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from gqrec.cli import cli
from test_ledger import build_ledger_world

BOM = b"\xef\xbb\xbf"
FRENCH_IMPORT = "CSV:59,34,76,1,,1036"  # `;`, `"`, UTF-8, from line 1, default columns, French (France)


@pytest.fixture(scope="module")
def soffice() -> str:
    """LibreOffice's executable (a test that opens CSVs with it is slow: mark it)."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is required under CI (apt-get install -y libreoffice-calc-nogui)")
        pytest.skip("LibreOffice (soffice) is not installed")
    return found


def opened(soffice: str, files: list[Path], tmp_path: Path) -> dict[str, list[tuple]]:
    """Each CSV as LibreOffice reads it: file name -> rows of cell values (numbers as numbers)."""
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "xlsx"
    profile = (tmp_path / "lo-profile").as_uri()  # a profile of its own: two tests may convert at once
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", "xlsx",
                    "--infilter=" + FRENCH_IMPORT, "--outdir", str(out), *map(str, files)], check=True,
                   capture_output=True, timeout=180, env={**os.environ, "HOME": str(tmp_path / "lo-home")})
    sheets = {}
    for path in files:
        book = openpyxl.load_workbook(out / f"{path.stem}.xlsx")
        sheets[path.name] = [tuple((cell.value, cell.number_format) for cell in row)
                             for row in book.active.iter_rows()]
    return sheets


def run(*args: str):
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result


def assert_french_file(raw: bytes) -> list[list[str]]:
    assert raw.startswith(BOM) and b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert len({len(row) for row in rows}) == 1  # one value per cell, every row as wide as the header
    return rows


@pytest.mark.slow  # LibreOffice
def test_the_bilan_csv_opens_in_a_french_spreadsheet(world, tmp_path, soffice):
    out = tmp_path / "bilan"
    run("report", str(world.root), "--year", "2024", "--format", "csv", "--out", str(out), "--as-of", "2025-01-01")
    files = sorted(out.glob("*.csv"))
    for path in files:
        assert_french_file(path.read_bytes())
    sheets = opened(soffice, files, tmp_path)
    attendance = sheets["bilan-2024-assiduite.csv"]
    header = [value for value, _ in attendance[0]]
    assert header[:3] == ["Région", "Groupe", "Membres"] and header[-1] == "Taux d'assiduité"
    row = next(r for r in attendance if r[1][0] == "Groupe Qualité de Lamballe")
    members, rate = row[2], row[-1]
    assert isinstance(members[0], int)
    assert isinstance(rate[0], float) and 0 < rate[0] <= 1 and "%" in rate[1]  # a percentage, a number
    hours = [r[header.index("Heures")][0] for r in attendance[1:]]
    assert hours and all(isinstance(h, (int, float)) for h in hours)


@pytest.mark.slow  # LibreOffice
def test_the_profiles_csv_is_french_with_percentages(world, tmp_path, soffice):
    run("feedback", str(world.root), "--period", "2024-S2", "--group", "lamballe", "--format", "csv",
        "--out", str(tmp_path / "profils"))
    (path,) = (tmp_path / "profils").glob("*.csv")
    rows = assert_french_file(path.read_bytes())
    header = rows[0]
    assert header[:3] == ["période", "période précédente", "région"] and "taux" in header
    by = {name: header.index(name) for name in ("population", "taux", "meilleur taux", "effectif insuffisant")}
    assert {row[by["population"]] for row in rows[1:]} == {"médecin", "groupe", "région", "témoin"}
    assert {row[by["meilleur taux"]] for row in rows[1:]} <= {"le plus bas", "le plus haut"}
    assert {row[by["effectif insuffisant"]] for row in rows[1:]} <= {"oui", "non"}
    sheet = opened(soffice, [path], tmp_path)[path.name]
    rates = [row[by["taux"]] for row in sheet[1:] if row[by["taux"]][0] is not None]
    assert rates and all(isinstance(v, float) and 0 <= v <= 1 and "%" in f for v, f in rates)


@pytest.mark.slow  # LibreOffice
def test_the_ledger_csv_opens_in_a_french_spreadsheet(tmp_path, soffice):
    world = build_ledger_world(tmp_path / "records")
    out = tmp_path / "tresorier"
    run("ledger", str(world.root), "--year", "2024", "--format", "csv", "--out", str(out))
    files = sorted(out.glob("*.csv"))
    sheets = opened(soffice, files, tmp_path)
    physicians = sheets["valorisation-2024-medecins.csv"]
    header = [value for value, _ in physicians[0]]
    assert header[:3] == ["Région", "Nom", "RPPS"] and "Montant" in header and "Heures de présence" in header
    amounts = [row[header.index("Montant")][0] for row in physicians[1:]]
    assert amounts and all(isinstance(a, (int, float)) for a in amounts) and 1146 in amounts


@pytest.mark.slow  # LibreOffice
def test_the_export_csv_is_french_unless_data_is_asked(world, tmp_path, soffice):
    french, data = tmp_path / "fr", tmp_path / "data"
    run("export", str(world.root), "--format", "csv", "--out", str(french), "--as-of", "2025-01-01")
    run("export", str(world.root), "--format", "csv", "--out", str(data), "--as-of", "2025-01-01",
        "--csv-dialect", "data")
    rows = assert_french_file((french / "meetings.csv").read_bytes())
    assert rows[0][:4] == ["région", "groupe", "date", "type"] and "thématique" in {row[3] for row in rows[1:]}
    raw = (data / "meetings.csv").read_bytes()
    assert not raw.startswith(BOM) and b"\r\n" not in raw
    assert raw.decode("utf-8").splitlines()[0].startswith("region,group_id,date,type,")
    sheet = opened(soffice, [french / "meetings.csv", french / "attendance.csv"], tmp_path)["meetings.csv"]
    minutes = [row[6][0] for row in sheet[1:]]
    assert minutes and all(isinstance(m, int) for m in minutes)


def test_the_data_dialect_is_for_programs(world, tmp_path):
    out = tmp_path / "bilan"
    run("report", str(world.root), "--year", "2024", "--format", "csv", "--out", str(out), "--as-of", "2025-01-01",
        "--csv-dialect", "data")
    raw = (out / "bilan-2024-assiduite.csv").read_bytes()
    assert not raw.startswith(BOM)
    lines = raw.decode("utf-8").splitlines()
    assert lines[0].startswith("Region,Group,Members,") and ";" not in lines[0]
    assert all(line.split(",")[-1].startswith("0.") for line in lines[1:])  # shares from 0 to 1
    text = run("feedback", str(world.root), "--period", "2024-S2", "--group", "lamballe", "--format", "csv",
               "--csv-dialect", "data").stdout
    table = list(csv.DictReader(io.StringIO(text)))
    assert {row["population"] for row in table} == {"physician", "group", "region", "control"}
    assert {row["suppressed"] for row in table} <= {"true", "false"}


def test_a_formula_in_the_records_stays_text_in_the_french_dialect(world, tmp_path):
    world.edit("regions/armor/groups/lamballe/group.yaml", "name: Groupe Qualité de Lamballe",
               'name: "=HYPERLINK(1)"')
    out = tmp_path / "bilan"
    run("report", str(world.root), "--year", "2024", "--format", "csv", "--out", str(out), "--as-of", "2025-01-01")
    rows = assert_french_file((out / "bilan-2024-assiduite.csv").read_bytes())
    assert "'=HYPERLINK(1)" in [row[1] for row in rows]
