"""The annual report: each figure on small hand-made records whose true values are known, pooling, the
JSON contract, the four formats, reproducibility and anonymity. Real files, the real command."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from world import ANIMATOR, AS_OF, FEEDBACK_KEY, G, MEETING_DAYS, MEMBERS, OUTSIDER, World, build_world, meeting_path, rpps
from gqrec import i18n
from gqrec.check import build_registry
from gqrec.cli import cli
from gqrec.report import build, files

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "records"
AS_OF_DATE = date.fromisoformat(AS_OF)
KEY = FEEDBACK_KEY.encode()  # a library caller passes the key that opens the sealed feedback

NEWCOMER = rpps(20)  # joins Lamballe on 1 July 2024, replacing MEMBERS[9] who left on 30 June
PLANCOET = [rpps(30 + i) for i in range(10)]  # the group constituted in September 2024
IROISE_COORDINATOR, IROISE_ANIMATOR = rpps(50), rpps(61)
IROISE = [rpps(51 + i) for i in range(10)]

REGION_KEYS = ["region", "name", "groups", "animators", "coordinators", "participants", "meetings_held",
               "meetings_expected", "hours", "attendances", "attendance_rate", "themes", "coverage", "findings",
               "indemnities", "groups_detail", "impact"]
FIGURE_KEYS = REGION_KEYS[2:-2]
DETAIL_KEYS = ["group", "name", "members", "meetings_held", "attendance_rate", "coverage", "themes"]


def quoted(numbers) -> str:
    return "".join(f'  - "{n}"\n' for n in numbers)


def tenures(numbers, since: str) -> str:
    return "".join(f'  - physician: "{n}"\n    since: {since}\n' for n in numbers)


def write_meeting(w: World, path: str, present, absent=(), theme="asthme-adulte", minutes=120, animator=ANIMATOR,
                  period=None) -> None:
    head = f"type: feedback\nperiod: {period}\n" if period else f"theme: {theme}\n"
    w.write(path, f'{head}duration_minutes: {minutes}\nanimator: "{animator}"\npresent:\n{quoted(present)}'
                  + (f"absent:\n{quoted(absent)}" if absent else ""))


def build_report_world(root: Path) -> World:
    """The world of tests/world.py made to exercise every figure; `gqrec check` still finds nothing in it.

    Armor, 2024. Lamballe (rural, 16 GPs, active all year, 10 expected): MEMBERS[9] leaves on 30 June
    and NEWCOMER joins on 1 July; MEMBERS[0] practises in Moncontour. Ten meetings: January to June 9
    present (the animator, not a member, also listed present on 12 March) and MEMBERS[9] absent; 10
    September NEWCOMER absent; then 10 present; 11 June lasts 150 minutes; 12 November is a feedback
    meeting; 10 December is on cystitis. Plancoët (urban Moncontour, 20 GPs) is constituted on
    1 September: three meetings, one absence.
    """
    w = build_world(root)
    w.write("themes/cystite-aigue-simple.yaml", """
        title: Cystite aiguë simple de la femme
        criteria: {daily_practice: true, evaluable: true, evidence_based: true, efficiency: true}
        dossier:
          problem: Des ECBU inutiles accompagnent les traitements courts.
          key_messages: [Pas d'ECBU pour une cystite simple traitée en dose unique.]
          references: [{title: Recommandations cystite, publisher: SPILF, year: 2017}]
        indicators: [cystite-ecbu]
    """)
    w.write("indicators/cystite-ecbu.yaml", """
        title: ECBU et traitement court de la cystite
        theme: cystite-aigue-simple
        numerator: patientes avec ECBU
        denominator: patientes traitées en dose unique
        better: lower
    """)
    w.edit("regions/armor/programmes/2024.yaml", "themes: [asthme-adulte]", "themes: [asthme-adulte, cystite-aigue-simple]")
    w.write("regions/armor/territories/moncontour.yaml", "name: Moncontour\nsetting: urban\ngeneral_practitioners: 20\n")
    w.edit(f"regions/armor/physicians/{MEMBERS[0]}.yaml", "territory: lamballe", "territory: moncontour")
    w.edit(G, f'  - physician: "{MEMBERS[9]}"\n    since: 2024-01-01\n',
           f'  - physician: "{MEMBERS[9]}"\n    since: 2024-01-01\n    until: 2024-06-30\n'
           f'  - physician: "{NEWCOMER}"\n    since: 2024-07-01\n')
    w.write(f"regions/armor/physicians/{NEWCOMER}.yaml", "name: Dr Nouvelle Arrivante\nterritory: lamballe\n")
    w.write(f"regions/armor/contracts/2024/{NEWCOMER}.yaml", "signed: 2024-07-01\ngroup: lamballe\n")
    stayers = MEMBERS[:9]
    for day in MEETING_DAYS:
        path = meeting_path(day)
        if day < "2024-07-01":
            present = stayers + [ANIMATOR] if day == "2024-03-12" else stayers
            write_meeting(w, path, present, [MEMBERS[9]], minutes=150 if day == "2024-06-11" else 120)
        elif day == "2024-09-10":
            write_meeting(w, path, stayers, [NEWCOMER])
        elif day == "2024-11-12":
            write_meeting(w, path, stayers + [NEWCOMER], period="2024-S1")
        else:
            write_meeting(w, path, stayers + [NEWCOMER], theme="cystite-aigue-simple" if day == "2024-12-10" else "asthme-adulte")
    for who in PLANCOET:
        w.write(f"regions/armor/physicians/{who}.yaml", "name: Dr Plancoët Membre\nterritory: moncontour\n")
        w.write(f"regions/armor/contracts/2024/{who}.yaml", "signed: 2024-09-01\ngroup: plancoet\n")
    w.write("regions/armor/groups/plancoet/group.yaml",
            "name: Groupe Qualité de Plancoët\nterritory: moncontour\nconstituted: 2024-09-01\nwave: 2\n"
            f'animators:\n  - physician: "{ANIMATOR}"\n    since: 2024-09-01\nmembers:\n' + tenures(PLANCOET, "2024-09-01"))
    meetings = "regions/armor/groups/plancoet/meetings/"
    write_meeting(w, meetings + "2024-09-20.yaml", PLANCOET)
    write_meeting(w, meetings + "2024-10-18.yaml", PLANCOET[:9], [PLANCOET[9]], theme="cystite-aigue-simple")
    write_meeting(w, meetings + "2024-11-15.yaml", PLANCOET, theme="cystite-aigue-simple")
    return w


def add_iroise(w: World) -> None:
    """A second region: Brest, 10 members all from its 10-GP territory, two meetings of 8 present and 2
    absent in 2024: GQ102 (2 meetings for 10) and GQ113 (no feedback in 2024-S1 nor S2) on its group.yaml."""
    w.write("regions/iroise/region.yaml", f"""
        name: Iroise
        association: {{name: APIMED Iroise}}
        partners: [{{name: URPS ML Iroise, role: urps}}]
        coordinator: "{IROISE_COORDINATOR}"
    """)
    w.write("regions/iroise/territories/brest.yaml", "name: Brest\nsetting: urban\ngeneral_practitioners: 10\n")
    w.write(f"regions/iroise/physicians/{IROISE_COORDINATOR}.yaml", "name: Dr Iroise Coordonnateur\nterritory: brest\n")
    w.write(f"regions/iroise/physicians/{IROISE_ANIMATOR}.yaml",
            "name: Dr Iroise Animateur\nterritory: brest\nanimator_trained: 2023-01-01\n")
    for who in IROISE + [IROISE_ANIMATOR]:
        if who != IROISE_ANIMATOR:
            w.write(f"regions/iroise/physicians/{who}.yaml", "name: Dr Iroise Membre\nterritory: brest\n")
        w.write(f"regions/iroise/contracts/2024/{who}.yaml", "signed: 2024-01-02\ngroup: brest\n")
    w.write("regions/iroise/groups/brest/group.yaml",
            "name: Groupe Qualité de Brest\nterritory: brest\nconstituted: 2024-01-01\nwave: 1\n"
            f'animators:\n  - physician: "{IROISE_ANIMATOR}"\n    since: 2024-01-01\nmembers:\n' + tenures(IROISE, "2024-01-01"))
    w.write("regions/iroise/programmes/2024.yaml", "validated: 2023-12-01\nthemes: [asthme-adulte]\n")
    for day in ("2024-02-01", "2024-03-01"):
        write_meeting(w, f"regions/iroise/groups/brest/meetings/{day}.yaml", IROISE[:8], IROISE[8:],
                      animator=IROISE_ANIMATOR)


@pytest.fixture
def armor(tmp_path) -> World:
    return build_report_world(tmp_path / "records")


@pytest.fixture
def two_regions(armor) -> World:
    add_iroise(armor)
    return armor


def report(w: World, *args: str, as_of: str = AS_OF) -> str:
    result = CliRunner().invoke(cli, ["report", str(w.root), "--as-of", as_of, *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def report_json(w: World, year: int = 2024, *args: str) -> dict:
    return json.loads(report(w, "--year", str(year), "--format", "json", *args))


def squeeze(text: str) -> str:
    """A Markdown table with its padding removed: one space around each cell."""
    return re.sub(" +", " ", text)


def region_of(data: dict, region: str) -> dict:
    return next(r for r in data["regions"] if r["region"] == region)


def test_the_report_world_is_compliant(armor):
    assert armor.check().findings == []


def test_each_figure_of_a_region(armor):
    region = region_of(report_json(armor), "armor")
    assert {k: region[k] for k in FIGURE_KEYS} == {
        "groups": 2,
        "animators": 1,  # one animator of both groups
        "coordinators": 1,
        "participants": 21,  # Lamballe's 9 stayers, the leaver and the newcomer, and Plancoët's 10
        "meetings_held": 13,
        "meetings_expected": 13,  # Plancoët, constituted 1 September: floor(10 × 122 / 366) = 3
        "hours": 26.5,  # (9 × 120 + 150 + 3 × 120) / 60
        "attendances": 122,  # Lamballe 6 × 9 + 9 + 3 × 10 (the animator not counted), Plancoët 10 + 9 + 10
        "attendance_rate": 122 / 130,
        "themes": {"asthme-adulte": 9, "cystite-aigue-simple": 3},  # the feedback meeting is no theme
        "coverage": 19 / 36,  # (9 of Lamballe's 16 GPs + 10 of Moncontour's 20) / 36
        "findings": {"errors": 0, "warnings": 0},
        "indemnities": None,  # the charter sets no rate
    }


def test_each_figure_of_a_group(armor):
    lamballe, plancoet = region_of(report_json(armor), "armor")["groups_detail"]
    assert lamballe == {
        "group": "lamballe", "name": "Groupe Qualité de Lamballe",
        "members": 11,  # the leaver counts: a member on some day of the year
        "meetings_held": 10,
        "attendance_rate": 0.93,  # 93 / (93 + 7)
        "coverage": 0.5625,  # on 31 December: 9 of the 10 active members practise in Lamballe (16 GPs)
        "themes": {"asthme-adulte": 8, "cystite-aigue-simple": 1},
    }
    assert plancoet == {
        "group": "plancoet", "name": "Groupe Qualité de Plancoët", "members": 10, "meetings_held": 3,
        "attendance_rate": 29 / 30, "coverage": 0.5,
        "themes": {"asthme-adulte": 1, "cystite-aigue-simple": 2},
    }


def test_the_animator_listed_present_is_no_attendance(armor):
    before = region_of(report_json(armor), "armor")["attendances"]
    write_meeting(armor, meeting_path("2024-04-09"), MEMBERS[:9] + [ANIMATOR], [MEMBERS[9]])
    assert region_of(report_json(armor), "armor")["attendances"] == before


def test_total_sums_counts_and_pools_rates(two_regions):
    data = report_json(two_regions)
    iroise = region_of(data, "iroise")
    assert (iroise["attendances"], iroise["attendance_rate"], iroise["coverage"]) == (16, 0.8, 1.0)
    assert iroise["findings"] == {"errors": 1, "warnings": 2}
    assert data["total"] == {
        "groups": 3, "animators": 2, "coordinators": 2, "participants": 31, "meetings_held": 15,
        "meetings_expected": 23, "hours": 30.5, "attendances": 138,  # Plancoët owes 3 (pro rata)
        "attendance_rate": 0.92,  # (122 + 16) / (130 + 20), not the mean of 93.8 % and 80 %
        "themes": {"asthme-adulte": 11, "cystite-aigue-simple": 3},
        "coverage": 29 / 46,  # (19 + 10) / (36 + 10)
        "findings": {"errors": 1, "warnings": 2},
        "indemnities": None,
    }


def test_json_keys_are_exactly_those_of_reports_md(two_regions):
    data = report_json(two_regions)
    assert list(data) == ["year", "regions", "total"]
    assert data["year"] == 2024
    assert [r["region"] for r in data["regions"]] == ["armor", "iroise"]
    for region in data["regions"]:
        assert list(region) == REGION_KEYS
        assert list(region["findings"]) == ["errors", "warnings"]
        for detail in region["groups_detail"]:
            assert list(detail) == DETAIL_KEYS
    assert list(data["total"]) == FIGURE_KEYS


def test_one_region_and_its_total(two_regions):
    data = report_json(two_regions, 2024, "--region", "iroise")
    assert [r["region"] for r in data["regions"]] == ["iroise"]
    assert data["total"] == {k: v for k, v in data["regions"][0].items() if k in FIGURE_KEYS}


def test_unknown_region_is_a_usage_error(armor):
    result = CliRunner().invoke(cli, ["report", str(armor.root), "--year", "2024", "--region", "nowhere"])
    assert result.exit_code == 2
    assert "Région inconnue" in result.output


def test_a_year_without_activity_gives_zeros_and_null_rates(armor):
    region = region_of(report_json(armor, 2023), "armor")
    assert (region["groups"], region["meetings_held"], region["hours"]) == (0, 0, 0.0)
    assert (region["attendance_rate"], region["coverage"], region["groups_detail"]) == (None, None, [])


def test_findings_count_the_files_of_the_year_and_the_standing_ones(armor):
    """A 2025 meeting's findings belong to 2025 only; a group.yaml's to every year."""
    armor.write(f"regions/armor/physicians/{MEMBERS[1]}.yaml", "name: Dr Spécialiste\nterritory: lamballe\n"
                "specialty: cardiologie\n")  # GQ115 warning on group.yaml
    # 60 minutes (GQ111), no 2025 contracts (GQ107 × 10), no 2025 programme (GQ108)
    write_meeting(armor, meeting_path("2025-01-14"), MEMBERS[:9] + [NEWCOMER], minutes=60)
    assert region_of(report_json(armor, 2024), "armor")["findings"] == {"errors": 0, "warnings": 1}
    held_2025 = json.loads(report(armor, "--year", "2025", "--format", "json", as_of="2025-01-31"))
    assert region_of(held_2025, "armor")["findings"] == {"errors": 11, "warnings": 2}
    markdown = report(armor, "--year", "2025", as_of="2025-01-31")
    assert re.search(r"\| GQ107 +\| Présent sans contrat de l'année +\| erreur +\| +10 \|", markdown)
    assert re.search(r"\| GQ115 .*\| avertissement +\| +1 \|", markdown)


def test_findings_of_a_group_yaml_count_under_the_year_they_are_about(two_regions):
    """Brest holds no meeting in 2025: judged on 1 January 2026, its group.yaml gets GQ102 for 2025 and
    GQ113 for 2025-S1 and 2025-S2, which the 2024 bilan must not count (nor 2024's in 2025's)."""
    iroise_2024 = region_of(report_json(two_regions, 2024), "iroise")
    later = json.loads(report(two_regions, "--year", "2024", "--format", "json", as_of="2026-01-01"))
    assert region_of(later, "iroise")["findings"] == iroise_2024["findings"] == {"errors": 1, "warnings": 2}
    in_2025 = json.loads(report(two_regions, "--year", "2025", "--format", "json", as_of="2026-01-01"))
    assert region_of(in_2025, "iroise")["findings"] == {"errors": 1, "warnings": 2}


def test_hours_are_shown_exactly_and_add_up_to_the_total(armor):
    """19.25 h is « 19 h 15 » (not « 19,2 », rounded half-even), and the groups' hours printed in the
    attendance table add up to the total printed under them."""
    write_meeting(armor, meeting_path("2024-04-09"), MEMBERS[:9], [MEMBERS[9]], minutes=45)  # Lamballe: 1155 min
    markdown = report(armor, "--year", "2024", "--region", "armor")
    attendance = markdown.split("## 6. Heures et assiduité")[1].split("## 7.")[0]
    rows = {cells[0]: cells[3] for line in attendance.splitlines()
            if line.startswith("| ") and len(cells := [c.strip() for c in line.strip("|").split("|")]) == 7}
    assert rows["Groupe Qualité de Lamballe"] == "19 h 15"
    assert rows["Groupe Qualité de Plancoët"] == "6 h"
    assert rows["Total"] == "25 h 15"

    def minutes(shown: str) -> int:
        hours, _, rest = shown.partition(" h")
        return int(hours) * 60 + int(rest or 0)

    assert minutes(rows["Groupe Qualité de Lamballe"]) + minutes(rows["Groupe Qualité de Plancoët"]) == minutes(rows["Total"])
    assert "| Heures " in markdown and re.search(r"\| Heures +\| +25 h 15 \|", markdown)


def test_markdown_carries_the_tables_in_french(two_regions):
    text = report(two_regions, "--year", "2024")
    assert text.startswith("# Bilan annuel 2024 des Groupes Qualité — ensemble des régions\n")
    assert "**3 groupes — 2 animateurs — 2 médecins coordonnateurs — 31 médecins participants**" in text
    for title in ("Chiffres clés", "Inventaire", "Équilibre rural / urbain", "Vagues de constitution",
                  "Réunions tenues et attendues", "Heures et assiduité", "Thèmes traités",
                  "Couverture des territoires", "Conformité au cahier des charges", "Évolution des indicateurs"):
        assert re.search(rf"^## \d+\. {re.escape(title)}", text, re.M), title
    assert "Registres arrêtés au 1er janvier 2025." in text
    assert i18n.percent(0.93) in text  # « 93,0 % », Lamballe's attendance
    assert i18n.percent(138 / 150) in text
    assert "31 décembre 2024" in text  # the coverage day
    assert "| Groupe Qualité de Plancoët | 1er septembre 2024" in squeeze(text)
    assert re.search(r"\| Armor +\| rural +\| +1 \| +1 \| +11 \|", text)  # Lamballe's territory and members
    assert re.search(r"\| Armor +\| urbain +\| +1 \| +1 \| +10 \|", text)
    assert re.search(r"\| Iroise +\| GQ102 +\| Nombre de réunions annuel insuffisant +\| erreur +\| +1 \|", text)


def test_one_region_inventory_line(armor):
    text = report(armor, "--year", "2024", "--region", "armor")
    assert text.startswith("# Bilan annuel 2024 des Groupes Qualité — Armor\n")
    assert "**2 groupes — 1 animateur — 1 médecin coordonnateur — 21 médecins participants**" in text
    assert "| Région" not in text  # one region: no region column


def test_indicators_pool_participants_and_control(armor):
    """Conftest's feedback: participants 5+i over 20+i for ten members, control 400 over 1000, both semesters.
    A rate over fewer than 10 patients is not shown; a physician in no group is no participant."""
    armor.write("regions/armor/feedback/2024-S2.csv", armor.read("regions/armor/feedback/2024-S2.csv")
                + f"participant,{MEMBERS[0]},cystite-ecbu,1,4\nparticipant,{MEMBERS[1]},cystite-ecbu,2,5\n"
                + "control,,cystite-ecbu,30,100\n"
                + f"participant,{OUTSIDER},asthme-corticoide-inhale,500,500\n")  # in no group: left aside
    bilan = build(build_registry(armor.root, AS_OF_DATE, key=KEY), 2024)
    asthma, cystitis = bilan.regions[0].indicators
    assert asthma.periods == ("2024-S1", "2024-S2")
    # in S2, MEMBERS[9] (14 over 29) has left the group: no longer a participant
    assert asthma.participants == (95 / 245, (95 - 14) / (245 - 29))
    assert asthma.control == (0.4, 0.4)
    assert asthma.better == "higher"
    assert cystitis.participants == (None, None)  # no data in S1, 3 of 9 patients in S2: hidden
    assert cystitis.control == (None, 0.3)
    text = report(armor, "--year", "2024")
    assert f"| {i18n.percent(95 / 245)} |" in squeeze(text)


def test_english_report(armor, tmp_path):
    text = report(armor, "--year", "2024", "--lang", "en")
    assert text.startswith("# Groupes Qualité annual report 2024 — all regions\n")
    assert "**2 groups — 1 animator — 1 coordinator — 21 participating physicians**" in text
    assert "## 1. Key figures" in text and "Records as of 1 January 2025." in text
    assert i18n.percent(0.93, "en") in text
    html = report(armor, "--year", "2024", "--lang", "en", "--format", "html")
    assert '<html lang="en">' in html and "Meetings held and expected per group" in html
    assert report_json(armor) == json.loads(report(armor, "--year", "2024", "--format", "json", "--lang", "en"))


def test_out_writes_the_named_files(two_regions, tmp_path):
    out = tmp_path / "out"
    for fmt in ("md", "html", "json", "csv"):
        report(two_regions, "--year", "2024", "--format", fmt, "--out", str(out))
    report(two_regions, "--year", "2024", "--region", "armor", "--format", "md", "--out", str(out))
    names = sorted(p.name for p in out.iterdir())
    tables = ["assiduite", "chiffres", "conformite", "couverture", "indicateurs", "inventaire", "milieux",
              "reunions", "themes", "vagues", "effets", "idees-forces", "actions-a-revoir"]
    assert names == sorted(["bilan-2024.md", "bilan-2024.html", "bilan-2024.json", "bilan-2024-armor.md"]
                           + [f"bilan-2024-{t}.csv" for t in tables])
    assert (out / "bilan-2024.md").read_text(encoding="utf-8") == report(two_regions, "--year", "2024")


def test_csv_is_one_table_a_file_for_a_french_spreadsheet(two_regions, tmp_path):
    report(two_regions, "--year", "2024", "--format", "csv", "--out", str(tmp_path))
    raw = (tmp_path / "bilan-2024-assiduite.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.endswith(b"\r\n")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == "Région;Groupe;Membres;Réunions;Heures;Présences;Absences;Taux d'assiduité"
    assert "Armor;Groupe Qualité de Lamballe;11;10;20,5;93;7;93 %" in lines
    assert lines[-1] == "Total;;31;15;30,5;138;12;92 %"
    coverage = (tmp_path / "bilan-2024-couverture.csv").read_text(encoding="utf-8-sig")
    assert "Armor;Groupe Qualité de Lamballe;Lamballe;rural;2024-12-31;9;16;56,25 %" in coverage


def test_csv_for_programs_has_plain_values(two_regions, tmp_path):
    report(two_regions, "--year", "2024", "--format", "csv", "--out", str(tmp_path), "--csv-dialect", "data")
    raw = (tmp_path / "bilan-2024-assiduite.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8").splitlines()
    assert lines[0] == "Region,Group,Members,Meetings,Hours,Attendances,Absences,Attendance rate"
    assert lines[-1] == "Total,,31,15,30.5,138,12,0.92"
    coverage = (tmp_path / "bilan-2024-couverture.csv").read_text(encoding="utf-8")
    assert ",rural,2024-12-31,9,16,0.5625" in coverage


def test_csv_needs_out(armor):
    result = CliRunner().invoke(cli, ["report", str(armor.root), "--year", "2024", "--format", "csv"])
    assert result.exit_code == 2 and "--out" in result.output


def test_record_text_is_escaped(armor):
    armor.edit(G, "name: Groupe Qualité de Lamballe", 'name: "GQ <script>alert(1)</script> & | *x*"')
    html = report(armor, "--year", "2024", "--format", "html")
    assert "<script>" not in html
    assert "GQ &lt;script&gt;alert(1)&lt;/script&gt; &amp; | *x*" in html
    markdown = report(armor, "--year", "2024")
    assert "<script>" not in markdown
    assert r"GQ \<script\>alert(1)\</script\> & \| \*x\*" in markdown


def run_report_process(root: Path, out: Path, fmt: str, seed: str) -> None:
    env = dict(os.environ, PYTHONHASHSEED=seed)
    done = subprocess.run([sys.executable, "-m", "gqrec.cli", "report", str(root), "--year", "2024", "--format", fmt,
                           "--out", str(out), "--as-of", AS_OF], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


@pytest.mark.slow
def test_two_runs_give_identical_bytes(two_regions, tmp_path):
    """Separate processes with different hash seeds: nothing may depend on set or dict order by chance."""
    for fmt in ("md", "html", "json", "csv"):
        run_report_process(two_regions.root, tmp_path / "a", fmt, "1")
        run_report_process(two_regions.root, tmp_path / "b", fmt, "2")
    first = {p.name: p.read_bytes() for p in (tmp_path / "a").iterdir()}
    second = {p.name: p.read_bytes() for p in (tmp_path / "b").iterdir()}
    assert len(first) == 16
    assert first == second


def all_outputs(root: Path, year: int, as_of: str, regions: list[str]) -> dict[str, str]:
    registry = build_registry(root, date.fromisoformat(as_of), key=KEY)
    out = {}
    for region in [None, *regions]:
        bilan = build(registry, year, region)
        for lang in ("fr", "en"):
            for fmt in ("md", "html", "json", "csv"):
                out.update({f"{lang}/{name}": text for name, text in files(bilan, fmt, lang).items()})
    return out


def coordinators(root: Path) -> set[str]:
    """The RPPS of the regions' coordinators (region.yaml)."""
    return {re.search(r'^coordinator: *"?(\d+)', path.read_text(encoding="utf-8"), re.M).group(1)
            for path in root.glob("regions/*/region.yaml")}


def individual_strings(root: Path, bilan: bool = False) -> list[str]:
    """What would tie a report to a physician: each RPPS and each name written in a physician's file —
    for the `bilan`, but the coordinators' names, which its cover gives in that office (as it names the
    COPIL's members): nothing of theirs but the name, and never their RPPS."""
    found, named = [], coordinators(root) if bilan else set()
    for path in sorted(root.glob("regions/*/physicians/*.yaml")):
        found.append(path.stem)
        name = re.search(r"^name: *(.+)$", path.read_text(encoding="utf-8"), re.M)
        if path.stem not in named:
            found.append(name.group(1).strip().strip('"'))
    return found


def assert_nothing_individual(outputs: dict[str, str], strings: list[str]) -> None:
    for name, text in outputs.items():
        for needle in strings:
            assert needle not in text, f"{needle!r} appears in {name}"
        assert not re.search(r"(?<!\d)\d{11}(?!\d)", text), f"an RPPS-like number in {name}"


def test_nothing_individual_in_any_format(two_regions):
    outputs = all_outputs(two_regions.root, 2024, AS_OF, ["armor", "iroise"])
    assert_nothing_individual(outputs, individual_strings(two_regions.root, bilan=True))


needs_sample = pytest.mark.skipif(not (SAMPLE / "regions").is_dir(), reason="records/regions not generated yet")


@needs_sample
def test_nothing_individual_in_the_sample_reports():
    regions = sorted(p.name for p in (SAMPLE / "regions").iterdir() if p.is_dir())
    strings = individual_strings(SAMPLE, bilan=True)
    for year in (2024, 2025):
        assert_nothing_individual(all_outputs(SAMPLE, year, "2026-01-01", regions), strings)
    committed = {p.name: p.read_text(encoding="utf-8") for p in (REPO / "reports").iterdir() if p.is_file()}
    assert committed
    assert_nothing_individual(committed, strings)


@pytest.mark.slow
@needs_sample
@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_committed_reports_are_up_to_date(tmp_path):
    """`make reports` into a temporary folder gives byte for byte the committed reports/."""
    stamp = tmp_path / "stamp"
    stamp.touch()  # newer than pyproject.toml: no reinstall from inside the test
    out = tmp_path / "reports"
    made = subprocess.run(
        ["make", "--no-print-directory", "-s", "reports", f"REPORTS_DIR={out}", f"STAMP={stamp}",
         f"BIN={Path(sys.executable).parent}"],
        cwd=REPO, capture_output=True, text=True,
    )
    assert made.returncode == 0, made.stdout + made.stderr
    fresh = {p.name: p.read_bytes() for p in out.iterdir()}
    committed = {p.name: p.read_bytes() for p in (REPO / "reports").iterdir() if p.is_file()}
    assert sorted(fresh) == sorted(committed), "reports/ is stale: run `make reports`"
    stale = [name for name in fresh if fresh[name] != committed[name]]
    assert not stale, f"reports/ is stale ({', '.join(stale)}): run `make reports`"


@pytest.mark.slow
def test_a_year_bilan_reads_two_years_and_says_what_the_whole_archive_says(tmp_path):
    """The bilan reads only the year's and the year before's dated records, and takes the check's
    remembered findings: on a many-year archive with faults it is the bilan of everything, rules run afresh."""
    from gqrec import rules
    from gqrec.demo import generate
    from gqrec.layout import classify
    from gqrec.findings import sort_findings

    root = tmp_path / "archive"
    generate(root, regions=2, groups=4, years=5, first_year=2020, faults=25)
    as_of = date(2026, 1, 1)
    registry = build_registry(root, as_of, key=KEY, use_cache=False)
    findings = sort_findings(rules.run(registry))
    years = {getattr(classify(f.path), "year", None) for f in findings}
    assert years - {None, 2022, 2023} and years & {2022, 2023}  # faults in the years read and in the others
    for year, fmt in ((2022, "json"), (2023, "md"), (2023, "md")):  # cold, then from what the check remembers
        expected = files(build(registry, year, None, findings), fmt, "fr")
        run = CliRunner().invoke(cli, ["report", str(root), "--year", str(year), "--format", fmt,
                                       "--as-of", as_of.isoformat()])
        assert run.exit_code == 0, run.output
        assert run.output == next(iter(expected.values()))
