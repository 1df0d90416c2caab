"""The cahier des charges' meeting rules: GQ103, GQ107, GQ108, GQ111, GQ112.

Each test breaks one meeting (or what it depends on) in the compliant world of tests/world.py and checks
that rule's findings alone (`world.findings_of`), or checks an edge where the rule must stay silent.
"""

from world import (
    ANIMATOR,
    MEETING_DAYS,
    MEMBERS,
    OUTSIDER,
    after,
    meeting_path,
    one,
    set_until,
    where,
)

JANUARY = meeting_path("2024-01-16")
MARCH = meeting_path("2024-03-12")
DECEMBER = meeting_path("2024-12-10")
PROGRAMME = "regions/armor/programmes/2024.yaml"


def contract(who):
    return f"regions/armor/contracts/2024/{who}.yaml"


# -- GQ103 the animator of the day animates the group on that day

def test_gq103_meeting_animated_by_someone_who_is_not_an_animator(world):
    world.edit(MARCH, f'animator: "{ANIMATOR}"', f'animator: "{OUTSIDER}"')
    f = one(world, "GQ103")
    assert where(f) == (MARCH, *world.pos(MARCH, f'"{OUTSIDER}"'))
    assert f["severity"] == "error"
    assert f"{OUTSIDER} n'est pas animateur actif du groupe « lamballe » le 2024-03-12" in f["message"]
    assert f"(animateur actif : {ANIMATOR})" in f["message"]


def test_gq103_animator_whose_period_ended_the_day_before(world):
    set_until(world, ANIMATOR, "2024-12-09")
    f = one(world, "GQ103")
    assert where(f) == (DECEMBER, *world.pos(DECEMBER, f'"{ANIMATOR}"'))
    assert "le 2024-12-10 (animateur actif : aucun)" in f["message"]


def test_gq103_animator_whose_period_ends_on_the_meeting_day_is_active(world):
    set_until(world, ANIMATOR, "2024-12-10")
    assert world.findings_of("GQ103") == []


# -- GQ107 a contract for the year, signed on or before the meeting day

def test_gq107_contract_signed_after_the_meeting(world):
    world.edit(contract(MEMBERS[2]), "signed: 2024-01-05", "signed: 2024-01-17")
    f = one(world, "GQ107")
    assert where(f) == (JANUARY, *world.pos(JANUARY, f'"{MEMBERS[2]}"'))
    assert f["severity"] == "error"
    assert f"{MEMBERS[2]} est présent le 2024-01-16" in f["message"]
    assert "signé que le 2024-01-17" in f["message"]


def test_gq107_contract_signed_on_the_meeting_day_is_fine(world):
    world.edit(contract(MEMBERS[2]), "signed: 2024-01-05", "signed: 2024-01-16")
    assert world.findings_of("GQ107") == []


def test_gq107_present_without_any_contract_at_every_meeting(world):
    world.remove(contract(MEMBERS[2]))
    found = world.findings_of("GQ107")
    assert len(found) == len(MEETING_DAYS), found
    f = found[2]
    assert where(f) == (MARCH, *world.pos(MARCH, f'"{MEMBERS[2]}"'))
    assert f"{MEMBERS[2]} est présent le 2024-03-12 sans contrat pour 2024" in f["message"]


def test_gq107_absent_member_needs_no_contract(world):
    world.remove(contract(MEMBERS[9]))  # absent from every meeting
    assert world.findings_of("GQ107") == []


# -- GQ108 thematic meetings follow the validated programme of their year

def test_gq108_theme_not_in_the_programme(world):
    world.write("themes/cystite-aigue.yaml", """
        title: Cystite aiguë simple
        criteria: {daily_practice: true, evaluable: true, evidence_based: true, efficiency: true}
        dossier: {problem: "", key_messages: [], references: []}
    """)
    world.edit(MARCH, "theme: asthme-adulte", "theme: cystite-aigue")
    f = one(world, "GQ108")
    assert where(f) == (MARCH, *after(world, MARCH, "theme: "))
    assert f["severity"] == "error"
    assert "« cystite-aigue » n'est pas au programme 2024" in f["message"]
    assert "(asthme-adulte)" in f["message"]


def test_gq108_no_programme_for_the_year(world):
    world.remove(PROGRAMME)
    found = world.findings_of("GQ108")
    assert len(found) == len(MEETING_DAYS), found
    f = found[0]
    assert where(f) == (JANUARY, *after(world, JANUARY, "theme: "))
    assert "Aucun programme validé pour 2024" in f["message"]
    assert f"({PROGRAMME})" in f["message"]  # the path from the records root, as every finding names files


def test_gq108_meeting_before_the_programme_was_validated(world):
    world.edit(PROGRAMME, "validated: 2023-12-15", "validated: 2024-01-20")
    f = one(world, "GQ108")
    assert where(f) == (JANUARY, *after(world, JANUARY, "theme: "))
    assert "Réunion du 2024-01-16 antérieure à la validation du programme 2024" in f["message"]
    assert "le 2024-01-20" in f["message"]


def test_gq108_meeting_on_the_validation_day_is_fine(world):
    world.edit(PROGRAMME, "validated: 2023-12-15", "validated: 2024-01-16")
    assert world.findings_of("GQ108") == []


def test_gq108_feedback_meeting_has_no_theme_to_judge(world):
    world.edit(JANUARY, "theme: asthme-adulte", "type: feedback\nperiod: 2023-S2")
    world.edit(PROGRAMME, "validated: 2023-12-15", "validated: 2024-01-20")
    assert world.findings_of("GQ108") == []


# -- GQ111 meeting duration (a warning)

def test_gq111_meeting_too_short_is_a_warning(world):
    world.edit(MARCH, "duration_minutes: 120", "duration_minutes: 89")
    f = one(world, "GQ111")
    assert where(f) == (MARCH, *after(world, MARCH, "duration_minutes: "))
    assert f["severity"] == "warning"
    assert "Réunion de 89 minutes" in f["message"] and "au moins 90" in f["message"]


def test_gq111_meeting_of_exactly_the_minimum_is_fine(world):
    world.edit(MARCH, "duration_minutes: 120", "duration_minutes: 90")
    assert world.findings_of("GQ111") == []


# -- GQ112 the roll call

def test_gq112_active_member_neither_present_nor_absent(world):
    world.edit(MARCH, f'absent:\n  - "{MEMBERS[9]}"\n', "")
    f = one(world, "GQ112")
    assert where(f) == (MARCH, *world.pos(MARCH, "present:"))
    assert f["severity"] == "error"
    assert "le 2024-03-12 ni présent ni absent" in f["message"]
    assert MEMBERS[9] in f["message"]


def test_gq112_member_listed_both_present_and_absent(world):
    world.edit(MARCH, "absent:\n", f'absent:\n  - "{MEMBERS[0]}"\n')
    f = one(world, "GQ112")
    assert where(f) == (MARCH, *world.pos(MARCH, f'"{MEMBERS[0]}"', nth=1))
    assert f["message"] == f"{MEMBERS[0]} est à la fois présent et absent."


def test_gq112_non_member_listed(world):
    world.edit(MARCH, "absent:\n", f'absent:\n  - "{OUTSIDER}"\n')
    f = one(world, "GQ112")
    assert where(f) == (MARCH, *world.pos(MARCH, f'"{OUTSIDER}"'))
    assert f"{OUTSIDER} n'est pas membre actif du groupe « lamballe » le 2024-03-12" in f["message"]


def test_gq112_the_animator_may_be_listed_present(world):
    world.edit(MARCH, "present:\n", f'present:\n  - "{ANIMATOR}"\n')
    assert world.findings_of("GQ112") == []


def test_gq112_member_whose_period_ends_on_the_meeting_day_is_still_active(world):
    set_until(world, MEMBERS[9], "2024-12-10")  # listed absent on 2024-12-10, the last meeting
    assert world.findings_of("GQ112") == []
