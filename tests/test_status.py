"""`gqrec status`: each group at a glance on the reference date — held against expected pro rata, planned
meetings ahead, roll calls to record (GQ123's test), contracts missing, feedback periods pending (GQ113's
test), the attendance trend and its warning (docs/operations.md)."""

from __future__ import annotations

import json

from world import ANIMATOR, MEETING_DAYS, MEMBERS, meeting_path


def status(world, *args: str, as_of: str) -> dict:
    result = world.invoke("status", str(world.root), "--as-of", as_of, "--format", "json", *args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output[result.output.index("{"):])
    assert data["as_of"] == as_of
    (group,) = data["groups"]
    return group


def text(world, *args: str, as_of: str) -> str:
    result = world.invoke("status", str(world.root), "--as-of", as_of, *args)
    assert result.exit_code == 0, result.output
    return result.output


def plan(world, day: str, extra: str = "") -> None:
    world.write(meeting_path(day), f'theme: asthme-adulte\nstatus: planned\nanimator: "{ANIMATOR}"\n{extra}')


def test_held_against_expected_so_far_pro_rata(world):
    group = status(world, as_of="2024-06-01")
    assert group["meetings_held"] == 5  # January to May; the later ones have not happened
    assert group["meetings_expected_so_far"] == 10 * 153 // 366 == 4  # 153 days of 366
    assert group["meetings_expected_year"] == 10 and group["meetings_behind"] == 0
    world.remove(meeting_path(MEETING_DAYS[4]))
    world.remove(meeting_path(MEETING_DAYS[3]))
    behind = status(world, as_of="2024-06-01")
    assert behind["meetings_held"] == 3 and behind["meetings_behind"] == 1
    assert "1 réunion de retard sur le prorata" in text(world, as_of="2024-06-01")


def test_planned_meetings_ahead_and_roll_calls_to_record(world):
    world.remove(meeting_path(MEETING_DAYS[5]))
    plan(world, MEETING_DAYS[5], 'start: "20:30"\nplace: Maison médicale de Lamballe\n')  # 11 June
    world.remove(meeting_path(MEETING_DAYS[3]))
    plan(world, MEETING_DAYS[3])  # 9 April, no roll call yet
    group = status(world, as_of="2024-05-20")
    assert group["planned_ahead"] == [{"date": "2024-06-11", "theme": "Asthme de l'adulte", "start": "20:30",
                                       "place": "Maison médicale de Lamballe"}]
    assert group["roll_calls_due"] == [{"date": "2024-04-09", "days": 41, "overdue": True}]  # GQ123: 30 days
    assert status(world, as_of="2024-04-20")["roll_calls_due"] == [{"date": "2024-04-09", "days": 11, "overdue": False}]
    shown = text(world, as_of="2024-05-20")
    assert "11 juin 2024 à 20:30, Maison médicale de Lamballe — Asthme de l'adulte" in shown
    assert "9 avril 2024 (41 j, en retard : GQ123)" in shown


def test_contracts_missing_for_next_year(world):
    group = status(world, as_of="2024-11-15")
    assert list(group["contracts_missing"]) == ["2025"]  # every 2024 contract is there
    assert sorted(p["rpps"] for p in group["contracts_missing"]["2025"]) == sorted([ANIMATOR, *MEMBERS])
    assert "Contrats 2025 manquants : tous (11) — gqrec new contract --region armor --group lamballe" in \
        text(world, as_of="2024-11-15")
    for who in MEMBERS[1:]:
        world.write(f"regions/armor/contracts/2025/{who}.yaml", "signed: 2024-11-02\ngroup: lamballe\n")
    world.write(f"regions/armor/contracts/2025/{ANIMATOR}.yaml", "signed: 2024-11-02\ngroup: lamballe\nrole: animator\n")
    group = status(world, as_of="2024-11-15")
    assert group["contracts_missing"] == {"2025": [{"rpps": MEMBERS[0], "name": "Dr Médecin 2"}]}
    assert f"Contrats 2025 manquants : 1 — Dr Médecin 2 ({MEMBERS[0]})" in text(world, as_of="2024-11-15")


def test_feedback_periods_pending(world):
    assert status(world, as_of="2025-01-15")["feedback_pending"] == []
    world.remove("regions/armor/feedback/2024-S2.csv")
    assert status(world, as_of="2025-01-15")["feedback_pending"] == ["2024-S2"]
    assert status(world, as_of="2024-12-15")["feedback_pending"] == []  # not over yet
    assert "Retours d'information en attente : 2024-S2" in text(world, as_of="2025-01-15")


def fewer_present(world, day: str, present: int) -> None:
    names = "".join(f'  - "{m}"\n' for m in MEMBERS[:present])
    away = "".join(f'  - "{m}"\n' for m in MEMBERS[present:])
    world.write(meeting_path(day), f'theme: asthme-adulte\nduration_minutes: 120\nanimator: "{ANIMATOR}"\n'
                                   f'present:\n{names}absent:\n{away}')


def test_the_attendance_trend_warns_when_it_falls(world):
    steady = status(world, as_of="2025-01-15")["attendance"]
    assert [a["present"] for a in steady["last"]] == [9] * 6 and steady["falling"] is False
    assert "participation baisse" not in text(world, as_of="2025-01-15")
    for day in MEETING_DAYS[-3:]:
        fewer_present(world, day, 7)  # 7 of 10 three times: 70 % against 90 %
    falling = status(world, as_of="2025-01-15")["attendance"]
    assert falling["falling"] is True and falling["recent_rate"] == 0.7 and falling["before_rate"] == 0.9
    assert "la participation baisse : 70 % de présents aux 3 dernières réunions, contre 90 % avant." in \
        text(world, as_of="2025-01-15")
    for day, present in zip(MEETING_DAYS[-3:], (8, 8, 9)):
        fewer_present(world, day, present)  # 83 %: less than ten points down
    assert status(world, as_of="2025-01-15")["attendance"]["falling"] is False


def test_unknown_group_or_region_is_a_usage_error(world):
    result = world.invoke("status", str(world.root), "--group", "lambale")
    assert result.exit_code == 2 and "Vouliez-vous dire lamballe" in result.output
    result = world.invoke("status", str(world.root), "--region", "nulle-part")
    assert result.exit_code == 2 and "Région inconnue" in result.output
