"""The reference date everywhere (RECORDS.md, « A meeting's life »): `--as-of` on every command that reads
the records, today by default; only a held meeting dated on or before it counts — paid by the ledger,
listed by the attestations, counted by the export's attendance and participation; attestations refuse an
`--issued` date before a meeting they list. The test world's 2024 meetings are all recorded held: with
`--as-of 2024-06-01` those of June to December have not happened yet (the issue's meeting of 15 December
recorded ahead of time)."""

from __future__ import annotations

import json
import sqlite3

from world import ANIMATOR, MEETING_DAYS, MEMBERS, meeting_path

BEFORE_JUNE = [day for day in MEETING_DAYS if day < "2024-06-01"]  # 5 meetings, January to May


def with_rates(world) -> None:
    world.edit("regions/armor/region.yaml", "  group_size: {min: 10, max: 12}\n",
               "  group_size: {min: 10, max: 12}\n  indemnity_participant: 100\n  indemnity_animator: 200\n")


def test_the_ledger_pays_no_meeting_after_the_reference_date(world):
    with_rates(world)
    result = world.invoke("ledger", str(world.root), "--year", "2024", "--format", "json", "--as-of", "2024-06-01")
    assert result.exit_code == 0, result.output
    region = json.loads(result.output)["regions"][0]
    animator = next(p for p in region["physicians"] if p["physician"] == ANIMATOR)
    assert animator["animated"] == len(BEFORE_JUNE) == 5 and animator["amount"] == 1000.0
    assert region["total"]["attended"] == 5 * 9
    whole = json.loads(world.invoke("ledger", str(world.root), "--year", "2024", "--format", "json",
                                    "--as-of", "2025-01-01").output)["regions"][0]
    assert whole["total"]["attended"] == 10 * 9


def test_attestations_list_no_meeting_after_the_reference_date(world, tmp_path):
    out = tmp_path / "attestations"
    result = world.invoke("attestation", str(world.root), "--year", "2024", "--physician", MEMBERS[0],
                          "--out", str(out), "--as-of", "2024-06-01", "--issued", "2024-06-01")
    assert result.exit_code == 0, result.output
    page = (out / f"attestation-2024-{MEMBERS[0]}.html").read_text(encoding="utf-8")
    assert "14 mai 2024" in page and "11 juin 2024" not in page and "10 décembre 2024" not in page


def test_attestations_refuse_an_issue_date_before_a_meeting_they_list(world, tmp_path):
    out = tmp_path / "attestations"
    result = world.invoke("attestation", str(world.root), "--year", "2024", "--all", "--out", str(out),
                          "--as-of", "2025-01-15", "--issued", "2024-06-01")
    assert result.exit_code == 2, result.output
    assert "antérieure à une réunion attestée" in result.output and "2024-12-10" in result.output
    assert not out.exists()  # refused before anything is written
    # dated on the day of the last meeting listed, they are written
    result = world.invoke("attestation", str(world.root), "--year", "2024", "--all", "--out", str(out),
                          "--as-of", "2025-01-15", "--issued", "2024-12-10")
    assert result.exit_code == 0, result.output


def test_the_export_counts_no_attendance_after_the_reference_date(world, tmp_path):
    out = tmp_path / "export.db"
    result = world.invoke("export", str(world.root), "--format", "sqlite", "--out", str(out), "--as-of", "2024-06-01")
    assert result.exit_code == 0, result.output
    with sqlite3.connect(out) as db:
        days = sorted({row[0] for row in db.execute("SELECT DISTINCT date FROM attendance")})
        attended = db.execute("SELECT attended_min FROM participation WHERE rpps = ? AND year = 2024",
                              (MEMBERS[0],)).fetchall()
    assert days == BEFORE_JUNE
    assert attended == [(5,)]  # the participation table counted the ten meetings recorded held


def sheet(world, day: str, as_of: str):
    result = world.invoke("sheet", str(world.root), "--region", "armor", "--group", "lamballe", "--date", day,
                          "--as-of", as_of)
    assert result.exit_code == 0, result.output
    return result


def test_the_sheet_says_when_its_meeting_is_already_over(world):
    assert "est passée" not in sheet(world, "2024-12-10", "2024-12-01").output
    late = sheet(world, "2024-12-10", "2025-01-15").output
    assert "la réunion du 2024-12-10 est passée" in late and "appel est déjà enregistré" in late
    world.write(meeting_path("2024-12-10"), f'theme: asthme-adulte\nstatus: planned\nanimator: "{ANIMATOR}"\n')
    planned = sheet(world, "2024-12-10", "2025-01-15").output
    assert "gqrec roll-call" in planned


def test_feedback_says_a_period_not_over_by_the_reference_date_is_provisional(world):
    args = ("feedback", "--period", "2024-S2", "--group", "lamballe", str(world.root))
    early = world.invoke(*args, "--as-of", "2024-10-01")
    assert early.exit_code == 0, early.output
    assert "la période 2024-S2 n'est pas terminée au 2024-10-01" in early.output
    assert "provisoires" not in world.invoke(*args, "--as-of", "2025-01-01").output
