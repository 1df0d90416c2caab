"""A meeting's life (RECORDS.md): planned, then held with its roll call, or cancelled; only a held meeting
dated on or before the reference date counts (bilan, GQ102, ledger, attestations, export); GQ122, GQ123;
`gqrec new meeting` plans without roll call and `gqrec roll-call` records the one the coordinator names."""

from __future__ import annotations

import json
import sqlite3

from world import ANIMATOR, G, MEMBERS, World, meeting_path, rpps

PLANNED = 'theme: asthme-adulte\nstatus: planned\nduration_minutes: 120\nanimator: "{animator}"\n'


def plan(world: World, day: str) -> None:
    world.write(meeting_path(day), PLANNED.format(animator=ANIMATOR))


def held(world: World, day: str) -> None:
    present = "".join(f'  - "{m}"\n' for m in MEMBERS[:9])
    world.write(meeting_path(day), f'theme: asthme-adulte\nduration_minutes: 120\nanimator: "{ANIMATOR}"\n'
                                   f'present:\n{present}absent:\n  - "{MEMBERS[9]}"\n')


def report_json(world: World, year: int, as_of: str) -> dict:
    result = world.invoke("report", str(world.root), "--year", str(year), "--format", "json", "--as-of", as_of)
    assert result.exit_code == 0, result.output
    return json.loads(result.output[result.output.index("{"):])


def region(data: dict) -> dict:
    return next(r for r in data["regions"] if r["region"] == "armor")


# -- GQ122: a meeting after the reference date recorded as held ---------------------------------------

def test_gq122_a_future_meeting_with_a_roll_call_is_one_finding(world):
    world.write("regions/armor/programmes/2025.yaml", "validated: 2024-12-01\nthemes: [asthme-adulte]\n")
    held(world, "2025-02-11")
    run = world.check(as_of="2025-01-15")
    assert run.rules() == ["GQ122"], run.findings  # not also GQ107 (no 2025 contract yet): it did not happen
    finding = run.findings[0]
    assert finding["path"] == meeting_path("2025-02-11") and finding["severity"] == "error"
    assert (finding["line"], finding["column"]) == world.pos(meeting_path("2025-02-11"), "present:")
    assert "status: planned" in finding["message"]


def test_gq122_leaves_the_same_meeting_alone_once_its_day_has_come(world):
    world.write("regions/armor/programmes/2025.yaml", "validated: 2024-12-01\nthemes: [asthme-adulte]\n")
    held(world, "2025-02-11")
    assert "GQ122" not in world.check(as_of="2025-02-11").rules()


def test_a_planned_future_meeting_is_no_finding_and_counts_for_nothing(world):
    plan(world, "2024-12-10")
    assert world.check(as_of="2024-12-01").rules() == []
    assert region(report_json(world, 2024, "2024-12-01"))["meetings_held"] == 9  # up to 12 November


def test_a_future_meeting_recorded_as_held_is_not_counted_in_the_bilan(world):
    """The issue's « Réunions tenues 10 » on 1 June: the bilan counts only what was held by then."""
    figures = region(report_json(world, 2024, "2024-06-01"))
    assert figures["meetings_held"] == 5  # January to May; June to December are GQ122 in the check
    assert figures["attendances"] == 5 * 9


# -- GQ123: a planned meeting whose roll call is missing ------------------------------------------------

def test_gq123_a_planned_meeting_past_roll_call_within_days(world):
    plan(world, "2024-12-10")
    assert "GQ123" not in world.check(as_of="2025-01-09").rules()  # 30 days: still in time
    run = world.check(as_of="2025-01-10")
    finding = next(f for f in run.findings if f["rule"] == "GQ123")
    assert finding["severity"] == "warning" and finding["path"] == meeting_path("2024-12-10")
    assert "gqrec roll-call --group lamballe --date 2024-12-10" in finding["message"]
    # and the meeting is not held: the year has 9 (GQ102), the planned one is not counted
    assert "9 réunions tenues en 2024" in run.only("GQ102")[0]["message"]


def test_gq123_follows_the_charter(world):
    world.edit("regions/armor/region.yaml", "  group_size: {min: 10, max: 12}\n",
               "  group_size: {min: 10, max: 12}\n  roll_call_within_days: 7\n")
    plan(world, "2024-12-10")
    assert "GQ123" in world.check(as_of="2024-12-18").rules()


# -- cancelled -----------------------------------------------------------------------------------------

def test_a_cancelled_meeting_keeps_its_reason_and_counts_for_nothing(world):
    world.write(meeting_path("2024-12-10"), f'theme: asthme-adulte\nstatus: cancelled\nanimator: "{ANIMATOR}"\n'
                                            "reason: Tempête, routes coupées.\n")
    run = world.check(as_of="2025-01-15")
    assert run.rules() == ["GQ102"], run.findings
    assert region(report_json(world, 2024, "2025-01-15"))["meetings_held"] == 9


def test_a_cancelled_meeting_needs_its_reason_and_a_planned_one_no_roll_call(world):
    world.write(meeting_path("2024-12-10"), f'theme: asthme-adulte\nstatus: cancelled\nanimator: "{ANIMATOR}"\n')
    findings = world.check().only("GQ002")
    assert [f["path"] for f in findings] == [meeting_path("2024-12-10")] and "reason" in findings[0]["message"]
    plan(world, "2024-12-10")
    world.edit(meeting_path("2024-12-10"), "status: planned\n", f'status: planned\npresent: ["{MEMBERS[0]}"]\n')
    assert [f["rule"] for f in world.check().findings if f["path"] == meeting_path("2024-12-10")] == ["GQ002"]


# -- products: ledger, attestation, export ------------------------------------------------------------

def with_rates(world: World) -> None:
    world.edit("regions/armor/region.yaml", "  group_size: {min: 10, max: 12}\n",
               "  group_size: {min: 10, max: 12}\n  indemnity_participant: 100\n  indemnity_animator: 200\n")


def ledger_json(world: World, *args: str) -> dict:
    result = world.invoke("ledger", str(world.root), "--year", "2024", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_the_ledger_pays_no_planned_or_cancelled_meeting(world):
    with_rates(world)
    before = ledger_json(world)
    plan(world, "2024-12-10")
    world.write(meeting_path("2024-11-12"), f'theme: asthme-adulte\nstatus: cancelled\nanimator: "{ANIMATOR}"\n'
                                            "reason: Animatrice malade.\n")
    after = ledger_json(world)
    region_before, region_after = before["regions"][0], after["regions"][0]
    assert region_after["groups"][0]["animated"] == region_before["groups"][0]["animated"] - 2 == 8
    assert region_after["total"]["attended"] == 8 * 9
    animator = next(p for p in region_after["physicians"] if p["physician"] == ANIMATOR)
    assert animator["animated"] == 8 and animator["amount"] == 1600.0


def test_attestations_list_no_planned_meeting(world, tmp_path):
    plan(world, "2024-12-10")
    out = tmp_path / "attestations"
    result = world.invoke("attestation", str(world.root), "--year", "2024", "--physician", MEMBERS[0],
                          "--out", str(out), "--issued", "2025-01-15")
    assert result.exit_code == 0, result.output
    page = (out / f"attestation-2024-{MEMBERS[0]}.html").read_text(encoding="utf-8")
    assert "12 novembre 2024" in page and "10 décembre 2024" not in page


def test_the_export_lists_no_roll_call_of_a_meeting_that_does_not_count(world, tmp_path):
    plan(world, "2024-12-10")
    out = tmp_path / "export.db"
    result = world.invoke("export", str(world.root), "--format", "sqlite", "--out", str(out))
    assert result.exit_code == 0, result.output
    with sqlite3.connect(out) as db:
        days = {row[0] for row in db.execute("SELECT DISTINCT date FROM attendance")}
    assert "2024-12-10" not in days and "2024-11-12" in days


# -- gqrec new meeting, gqrec roll-call ------------------------------------------------------------------

def new_meeting(world: World, day: str) -> None:
    result = world.invoke("new", "meeting", "--root", str(world.root), "--group", "lamballe", "--date", day,
                          "--theme", "asthme-adulte", "--start", "20:30", "--place", "MSP de Lamballe")
    assert result.exit_code == 0, result.output


def roll_call(world: World, day: str, *args: str, as_of: str = "2025-01-20"):
    return world.invoke("roll-call", "--root", str(world.root), "--group", "lamballe", "--date", day,
                        "--as-of", as_of, *args)


def test_new_meeting_is_planned_and_marks_no_one_present(world):
    world.remove(meeting_path("2024-12-10"))
    new_meeting(world, "2024-12-10")
    text = world.read(meeting_path("2024-12-10"))
    assert "status: planned" in text and "present" not in text.split("# Champs facultatifs")[1].split("\n", 2)[-1]
    assert not any(member in text for member in MEMBERS)
    assert world.check(as_of="2024-12-20").rules() == []  # planned, within roll_call_within_days


def test_roll_call_with_the_absent_marks_the_others_present_and_says_who(world):
    world.remove(meeting_path("2024-12-10"))
    new_meeting(world, "2024-12-10")
    result = roll_call(world, "2024-12-10", "--absent", f"{MEMBERS[3]},{MEMBERS[4]}")
    assert result.exit_code == 0, result.output
    assert "Présents (8)" in result.output and f"Dr Médecin 5 ({MEMBERS[3]})" in result.output
    assert "Absents (2)" in result.output
    text = world.read(meeting_path("2024-12-10"))
    assert "status: held" in text and "place: MSP de Lamballe" in text
    assert world.check(as_of="2025-01-20").rules() == []  # held, complete: the year has its 10 meetings


def test_roll_call_with_the_present_marks_the_others_absent(world):
    world.remove(meeting_path("2024-12-10"))
    new_meeting(world, "2024-12-10")
    result = roll_call(world, "2024-12-10", "--present", " ".join(MEMBERS[:7]))
    assert result.exit_code == 0, result.output
    assert "Présents (7)" in result.output and "Absents (3)" in result.output


def test_roll_call_refuses_what_it_cannot_vouch_for(world):
    world.remove(meeting_path("2024-12-10"))
    new_meeting(world, "2024-12-10")
    before = world.read(meeting_path("2024-12-10"))
    stranger = rpps(77)
    for args, words in [((), "Nommez l'appel"), (("--absent", stranger), "pas membre actif"),
                        (("--absent", MEMBERS[0], "--present", MEMBERS[1]), "Nommez l'appel")]:
        result = roll_call(world, "2024-12-10", *args)
        assert result.exit_code == 2 and words in result.output, result.output
    result = roll_call(world, "2024-12-10", "--none-absent", as_of="2024-12-09")
    assert result.exit_code == 2 and "pas encore eu lieu" in result.output
    assert world.read(meeting_path("2024-12-10")) == before
    result = roll_call(world, "2024-11-12", "--none-absent")
    assert result.exit_code == 2 and "déjà enregistré" in result.output


def test_the_group_file_is_left_alone_by_a_roll_call(world):
    world.remove(meeting_path("2024-12-10"))
    new_meeting(world, "2024-12-10")
    before = world.read(G)
    assert roll_call(world, "2024-12-10", "--none-absent").exit_code == 0
    assert world.read(G) == before


# -- payment caps ---------------------------------------------------------------------------------------

def test_indemnity_max_meetings_leaves_the_meetings_beyond_it_unpaid_and_named(world):
    with_rates(world)
    world.edit("regions/armor/region.yaml", "  indemnity_animator: 200\n",
               "  indemnity_animator: 200\n  indemnity_max_meetings: 6\n")
    data = ledger_json(world)["regions"][0]
    animator = next(p for p in data["physicians"] if p["physician"] == ANIMATOR)
    member = next(p for p in data["physicians"] if p["physician"] == MEMBERS[0])
    assert (animator["animated"], animator["unpaid"], animator["amount"]) == (10, 4, 1200.0)
    assert (member["attended"], member["unpaid"], member["amount"]) == (10, 4, 600.0)
    assert data["groups"][0]["amount"] == data["total"]["amount"] == 1200.0 + 9 * 600.0
    markdown = world.invoke("ledger", str(world.root), "--year", "2024").output
    assert "plafond de 6 réunions payées" in markdown and "10 septembre 2024" in markdown


def test_a_roll_call_on_a_planned_meeting_is_explained_in_french(world):
    plan(world, "2024-12-10")
    world.edit(meeting_path("2024-12-10"), "status: planned\n", f'status: planned\npresent: ["{MEMBERS[0]}"]\n')
    finding = next(f for f in world.check().findings if f["path"] == meeting_path("2024-12-10"))
    assert "gqrec roll-call" in finding["message"] and "(not)" not in finding["message"]
