"""A coordinator's year, command by command (issue #23, docs/workflow.md « L'année du coordonnateur »): the
year 2025 of the lamballe group planned in December 2024 (programme, contracts, ten planned meetings),
the roll calls of the first six, a member leaving in June and another joining in September, one meeting
cancelled, the last roll calls; then the ledger, the bilan, the attestations and `gqrec status` read at
three dates — before the year, during it, after it — with their exact figures. Nothing is written by hand
but the cancellation, which no command writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from world import ANIMATOR, MEMBERS, OUTSIDER, REGION, World, meeting_path

pytestmark = pytest.mark.slow  # some forty commands, each reading the records

BEFORE, DURING, AFTER = "2024-12-15", "2025-07-01", "2026-01-15"
DAYS = ["2025-01-14", "2025-02-11", "2025-03-11", "2025-04-08", "2025-05-13", "2025-06-10",
        "2025-09-09", "2025-10-14", "2025-11-11", "2025-12-09"]
CANCELLED = "2025-10-14"
ABSENT = {  # the roll call of each held meeting: who was absent
    "2025-01-14": [MEMBERS[0]], "2025-02-11": [MEMBERS[1]], "2025-03-11": [], "2025-04-08": [MEMBERS[0], MEMBERS[2]],
    "2025-05-13": [MEMBERS[3]], "2025-06-10": [MEMBERS[9]],
    "2025-09-09": [MEMBERS[4]], "2025-11-11": [MEMBERS[0]], "2025-12-09": [],
}
PARTICIPANT, ANIMATOR_RATE = 95.5, 190.0


def gqrec(world: World, *args: str, status: int = 0):
    run = world.invoke(*args)
    assert run.exit_code == status, (args, run.output)
    return run


def authoring(world: World, *args: str, status: int = 0):
    """A command that writes records (--root)."""
    return gqrec(world, *args, "--root", str(world.root), status=status)


def roll_call(world: World, day: str, as_of: str) -> None:
    absent = ABSENT[day]
    named = ("--absent", ",".join(absent)) if absent else ("--none-absent",)
    run = authoring(world, "roll-call", "--group", "lamballe", "--date", day, *named, "--as-of", as_of)
    assert f"Absents ({len(absent)})" in run.output


def feedback(world: World, period: str, members: list[str]) -> None:
    rows = "".join(f"participant,{m},asthme-corticoide-inhale,{6 + i},{20 + i}\n" for i, m in enumerate(members))
    world.write(f"regions/armor/feedback/{period}.csv", "population,physician,indicator,numerator,denominator\n"
                + rows + "control,,asthme-corticoide-inhale,400,1000\n")


def checked(world: World, as_of: str) -> list[str]:
    return [f["rule"] for f in world.check(as_of=as_of).findings]


def ledger(world: World, as_of: str) -> dict:
    run = gqrec(world, "ledger", str(world.root), "--year", "2025", "--format", "json", "--as-of", as_of)
    region = json.loads(run.output[run.output.index("{"):])["regions"][0]
    return {"total": region["total"], "attended": {p["physician"]: p["attended"] for p in region["physicians"]},
            "animated": {p["physician"]: p["animated"] for p in region["physicians"]}}


def bilan(world: World, as_of: str) -> dict:
    run = gqrec(world, "report", str(world.root), "--year", "2025", "--format", "json", "--as-of", as_of)
    data = json.loads(run.output[run.output.index("{"):])
    return next(r for r in data["regions"] if r["region"] == "armor")


def attestations(world: World, out: Path, as_of: str, status: int = 0) -> list[str]:
    gqrec(world, "attestation", str(world.root), "--year", "2025", "--all", "--out", str(out), "--issued", as_of,
          "--as-of", as_of, status=status)
    return sorted(p.name for p in out.glob("attestation-2025-*.html"))  # one per physician (and the year's all)



def status_of(world: World, as_of: str) -> dict:
    run = gqrec(world, "status", str(world.root), "--group", "lamballe", "--format", "json", "--as-of", as_of)
    return json.loads(run.output[run.output.index("{"):])["groups"][0]


def test_a_coordinator_s_year(world, tmp_path):
    world.edit(REGION, "  group_size: {min: 10, max: 12}\n", "  group_size: {min: 10, max: 12}\n"
               f"  indemnity_participant: {PARTICIPANT}\n  indemnity_animator: {ANIMATOR_RATE}\n")

    # -- December 2024: the year is prepared ------------------------------------------------------------
    authoring(world, "new", "programme", "--year", "2025", "--validated", "2024-12-10", "--theme", "asthme-adulte")
    made = authoring(world, "new", "contract", "--group", "lamballe", "--all-members", "--year", "2025",
                     "--signed", "2024-12-12")
    assert made.output.count("Créé :") == 11  # the animator and the ten members
    for day in DAYS:
        authoring(world, "new", "meeting", "--group", "lamballe", "--date", day, "--theme", "asthme-adulte",
                  "--start", "20:30", "--place", "Maison de santé de Lamballe")
    assert checked(world, BEFORE) == []

    # before the year: nothing of 2025 is counted, paid or certified
    assert bilan(world, BEFORE)["meetings_held"] == 0
    run = gqrec(world, "ledger", str(world.root), "--year", "2025", "--format", "json", "--as-of", BEFORE,
                status=1)
    assert "aucune réunion" in run.output.lower()
    assert attestations(world, tmp_path / "avant", BEFORE, status=1) == []
    before = status_of(world, BEFORE)  # the status of 2024, the year of that day, and the ten meetings ahead
    assert (before["year"], before["meetings_held"], before["active_members"]) == (2024, 10, 10)
    assert [a["date"] for a in before["planned_ahead"]] == DAYS and before["roll_calls_due"] == []

    # -- January to June: six roll calls, then a member leaves on 30 June ---------------------------------
    for day in DAYS[:6]:
        roll_call(world, day, as_of="2025-06-20")
    left = authoring(world, "member", "leave", "--group", "lamballe", "--physician", MEMBERS[9], "--date",
                     "2025-06-30")
    assert "Réunions prévues concernées (4) : 2025-09-09, 2025-10-14, 2025-11-11, 2025-12-09" in left.output
    feedback(world, "2025-S1", MEMBERS)
    assert checked(world, DURING) == []

    during = ledger(world, DURING)
    assert during["total"] == {"attended": 54, "animated": 6, "hours": (54 + 6) * 2.0, "amount": 54 * PARTICIPANT + 6 * 190.0,
                               "attestations": 9 + 1}
    assert during["attended"][MEMBERS[0]] == 4 and during["attended"][MEMBERS[9]] == 5
    assert (bilan(world, DURING)["meetings_held"], bilan(world, DURING)["attendances"]) == (6, 54)
    certified = attestations(world, tmp_path / "juillet", DURING)
    assert len(certified) == 10 and not any(MEMBERS[0] in name for name in certified)  # 4 meetings: not yet
    mid = status_of(world, DURING)
    assert (mid["year"], mid["meetings_held"], mid["active_members"], mid["meetings_cancelled"]) == (2025, 6, 9, 0)
    assert [a["date"] for a in mid["planned_ahead"]] == DAYS[6:]

    # -- September to December: a member joins, a meeting is cancelled, the last roll calls ----------------
    authoring(world, "new", "contract", "--rpps", OUTSIDER, "--group", "lamballe", "--signed", "2025-08-25")
    joined = authoring(world, "member", "join", "--group", "lamballe", "--physician", OUTSIDER, "--date",
                       "2025-09-01")
    assert "rejoint le groupe « lamballe » le 2025-09-01" in joined.output and "attention" not in joined.output
    cancelled = world.read(meeting_path(CANCELLED))
    assert "status: planned" in cancelled
    world.write(meeting_path(CANCELLED), cancelled.replace("status: planned", "status: cancelled", 1)
                + "reason: Animatrice malade, réunion non remplacée.\n")
    for day in ("2025-09-09", "2025-11-11", "2025-12-09"):
        roll_call(world, day, as_of="2026-01-10")
    feedback(world, "2025-S2", [*MEMBERS[:9], OUTSIDER])

    # after the year: nine meetings held of ten owed (the cancelled one counts for nothing)
    assert checked(world, AFTER) == ["GQ102"]
    after = ledger(world, AFTER)
    assert after["total"] == {"attended": 82, "animated": 9, "hours": (82 + 9) * 2.0,
                              "amount": 82 * PARTICIPANT + 9 * 190.0, "attestations": 11}
    assert [after["attended"][m] for m in MEMBERS] == [6, 8, 8, 8, 8, 9, 9, 9, 9, 5]
    assert after["attended"][OUTSIDER] == 3 and after["animated"][ANIMATOR] == 9
    figures = bilan(world, AFTER)
    assert (figures["meetings_held"], figures["meetings_expected"], figures["attendances"]) == (9, 10, 82)
    certified = attestations(world, tmp_path / "janvier", AFTER)
    assert len(certified) == 11 and not any(OUTSIDER in name for name in certified)  # 3 meetings only
    end = status_of(world, "2025-12-31")
    assert (end["meetings_held"], end["meetings_expected_year"], end["meetings_cancelled"]) == (9, 10, 1)
    assert end["active_members"] == 10 and end["planned_ahead"] == [] and end["roll_calls_due"] == []
    nothing_yet = status_of(world, AFTER)  # 2026: nothing planned, and the contracts to renew (not the one who left)
    assert (nothing_yet["year"], nothing_yet["meetings_held"], nothing_yet["planned_ahead"]) == (2026, 0, [])
    assert [p["rpps"] for p in nothing_yet["contracts_missing"]["2026"]] == sorted([ANIMATOR, *MEMBERS[:9], OUTSIDER])
    assert [a["present"] for a in nothing_yet["attendance"]["last"]] == [8, 9, 9, 9, 9, 10]
