"""The cahier des charges' group rules: GQ101, GQ102, GQ104, GQ105, GQ106, GQ114, GQ115, and the
Registry's tenure queries they ask.

Each test breaks the compliant world of tests/world.py in one way and checks that rule's findings
alone (`world.findings_of`: rule, file, position of the value at fault, key facts of the French
message), or checks an edge where the rule must stay silent; another rule's findings never enter.
"""

from datetime import date

from gqrec.check import build_registry


from world import (
    ANIMATOR,
    MEETING_DAYS,
    MEMBERS,
    OUTSIDER,
    G,
    after,
    meeting_path,
    one,
    rpps,
    set_until,
    where,
)

SINCE = "    since: 2024-01-01\n"


def unlist_absent(world, day, who=MEMBERS[9]):
    world.edit(meeting_path(day), f'absent:\n  - "{who}"\n', "")


def add_newcomers(world, count, since, listed_absent_on):
    """`count` new local GPs joining lamballe on `since`, listed absent at the meeting of `listed_absent_on`."""
    for n in range(count):
        who = rpps(60 + n)
        world.write(f"regions/armor/physicians/{who}.yaml", "name: Dr Nouveau\nterritory: lamballe\n")
        world.edit(G, "members:\n", f'members:\n  - physician: "{who}"\n    since: {since}\n')
        world.edit(meeting_path(listed_absent_on), "absent:\n", f'absent:\n  - "{who}"\n')


def add_group(world, slug, since, members=(), until=None):
    """Another group on the lamballe territory, constituted and animated by ANIMATOR from `since`."""
    entries = "".join(
        f'  - physician: "{who}"\n    since: {since}\n' + (f"    until: {until}\n" if until else "") for who in members
    )
    path = f"regions/armor/groups/{slug}/group.yaml"
    world.write(path, (
        f"name: Groupe {slug}\nterritory: lamballe\nconstituted: {since}\n"
        f'animators:\n  - physician: "{ANIMATOR}"\n    since: {since}\n'
        + (f"members:\n{entries}" if entries else "members: []\n")
    ))
    return path


def move_to_penthievre(world, physicians):
    """These physicians now practise in another territory: they no longer count for lamballe's coverage."""
    world.write("regions/armor/territories/penthievre.yaml", "name: Penthièvre\nsetting: rural\ngeneral_practitioners: 12\n")
    for who in physicians:
        world.edit(f"regions/armor/physicians/{who}.yaml", "territory: lamballe", "territory: penthievre")


# -- GQ101 group size on each meeting date, one finding per group and year

def test_gq101_too_few_members_is_reported_once_for_the_year(world):
    set_until(world, MEMBERS[9], "2024-06-30")
    for day in MEETING_DAYS[6:]:  # the four meetings after the departure: 9 members each
        unlist_absent(world, day)
    f = one(world, "GQ101")
    assert where(f) == (G, *world.pos(G, "members:"))
    assert f["severity"] == "error"
    assert "9 membres actifs le 2024-09-10" in f["message"]
    assert "10 à 12" in f["message"]


def test_gq101_reports_again_in_the_next_year(world):
    set_until(world, MEMBERS[9], "2024-06-30")
    for day in MEETING_DAYS[6:]:
        unlist_absent(world, day)
    absent = "".join(f'  - "{m}"\n' for m in MEMBERS[:9])
    world.write(meeting_path("2025-01-14"), (
        f'type: feedback\nperiod: 2024-S2\nduration_minutes: 120\nanimator: "{ANIMATOR}"\n'
        f"present: []\nabsent:\n{absent}"
    ))
    found = world.findings_of("GQ101", as_of="2025-01-31")  # the 2025 meeting held (and so counted) by then
    assert [f["rule"] for f in found] == ["GQ101", "GQ101"], found
    assert "le 2024-09-10" in found[0]["message"]
    assert "le 2025-01-14" in found[1]["message"]


def test_gq101_too_many_members_against_the_regional_maximum(world):
    add_newcomers(world, 3, since="2024-12-01", listed_absent_on="2024-12-10")
    f = one(world, "GQ101")
    assert where(f) == (G, *world.pos(G, "members:"))
    assert "13 membres actifs le 2024-12-10" in f["message"]
    assert "10 à 12" in f["message"]


def test_gq101_maximum_is_inclusive(world):
    add_newcomers(world, 2, since="2024-12-01", listed_absent_on="2024-12-10")
    assert world.findings_of("GQ101") == []


def test_gq101_member_leaving_the_day_before_a_meeting_no_longer_counts(world):
    set_until(world, MEMBERS[9], "2024-12-09")
    found = world.findings_of("GQ101", "GQ112")
    assert [f["rule"] for f in found] == ["GQ101", "GQ112"], found  # GQ112: still listed absent on 2024-12-10
    assert "9 membres actifs le 2024-12-10" in found[0]["message"]


# -- GQ102 meetings per year, judged once the year is over, for a group active all year

def test_gq102_too_few_meetings_in_a_judged_year(world):
    world.remove(meeting_path("2024-06-11"))
    f = one(world, "GQ102")
    assert where(f) == (G, *after(world, G, "constituted: "))
    assert f["severity"] == "error"
    assert "9 réunions tenues en 2024 pour 10 attendues" in f["message"]


def test_gq102_year_not_over_before_as_of_is_not_judged(world):
    world.remove(meeting_path("2024-06-11"))
    assert world.findings_of("GQ102", as_of="2024-12-31") == []


def test_gq102_group_constituted_in_march_is_not_judged_that_year(world):
    world.edit(G, "constituted: 2024-01-01", "constituted: 2024-03-01")
    for day in MEETING_DAYS[:2]:  # January and February: before the group existed
        world.remove(meeting_path(day))
    assert world.findings_of("GQ102") == []  # 8 meetings in 2024, but the group was not active all year


# -- GQ104 trained animators

def test_gq104_animator_trained_after_taking_up_the_group(world):
    world.edit(f"regions/armor/physicians/{ANIMATOR}.yaml", "animator_trained: 2023-06-01", "animator_trained: 2024-01-02")
    f = one(world, "GQ104")
    assert where(f) == (G, *world.pos(G, f'"{ANIMATOR}"'))
    assert ANIMATOR in f["message"]
    assert "2024-01-01" in f["message"] and "2024-01-02" in f["message"]


def test_gq104_animator_without_training_date(world):
    world.edit(f"regions/armor/physicians/{ANIMATOR}.yaml", "animator_trained: 2023-06-01\n", "")
    f = one(world, "GQ104")
    assert where(f) == (G, *world.pos(G, f'"{ANIMATOR}"'))
    assert ANIMATOR in f["message"] and "Dr Anne Animatrice" in f["message"]


def test_gq104_animator_trained_the_day_they_start_is_fine(world):
    world.edit(f"regions/armor/physicians/{ANIMATOR}.yaml", "animator_trained: 2023-06-01", "animator_trained: 2024-01-01")
    assert world.findings_of("GQ104") == []


# -- GQ105 territorial coverage

def test_gq105_coverage_exactly_at_threshold_does_not_fire(world):
    move_to_penthievre(world, MEMBERS[:2])  # 8 local members of 16 GPs = 0.5
    assert world.findings_of("GQ105") == []


def test_gq105_coverage_below_threshold_on_31_december(world):
    move_to_penthievre(world, MEMBERS[:3])  # 7 of 16
    f = one(world, "GQ105")
    assert where(f) == (G, *after(world, G, "territory: "))
    assert f["severity"] == "error"
    assert "Le 2024-12-31, 7 des 16" in f["message"]
    assert "« lamballe »" in f["message"] and "50%" in f["message"]


def test_gq105_year_not_over_is_measured_on_the_last_meeting(world):
    move_to_penthievre(world, MEMBERS[:3])
    f = one(world, "GQ105", as_of="2024-12-31")
    assert "Le 2024-12-10, 7 des 16" in f["message"]


# -- GQ106 one group at a time, reported on the second group.yaml by path order

def test_gq106_reported_on_lamballe_when_the_other_group_sorts_first(world):
    add_group(world, "broons", "2025-01-01", [MEMBERS[3]])
    f = one(world, "GQ106")
    assert where(f) == (G, *world.pos(G, f'"{MEMBERS[3]}"'))
    assert f["message"] == f"Le médecin {MEMBERS[3]} est membre actif de « broons » et de « lamballe » le 2025-01-01."


def test_gq106_reported_on_the_other_group_when_it_sorts_last(world):
    other = add_group(world, "plancoet", "2025-01-01", [MEMBERS[3]])
    f = one(world, "GQ106")
    assert where(f) == (other, *world.pos(other, f'"{MEMBERS[3]}"'))
    assert "« lamballe » et de « plancoet » le 2025-01-01" in f["message"]


def test_gq106_leaving_the_day_before_joining_is_fine(world):
    set_until(world, MEMBERS[3], "2024-12-31")
    add_group(world, "broons", "2025-01-01", [MEMBERS[3]])
    assert world.findings_of("GQ106") == []


def test_gq106_leaving_on_the_day_of_joining_overlaps_that_day(world):
    set_until(world, MEMBERS[3], "2025-01-01")
    add_group(world, "broons", "2025-01-01", [MEMBERS[3]])
    f = one(world, "GQ106")
    assert "le 2025-01-01" in f["message"]


# -- GQ114 animator load

def test_gq114_animator_of_four_groups_at_once(world):
    for slug in ("plouha", "quintin", "rostrenen"):
        add_group(world, slug, "2025-01-01")
    f = one(world, "GQ114")
    last = "regions/armor/groups/rostrenen/group.yaml"
    assert where(f) == (last, *world.pos(last, f'"{ANIMATOR}"'))
    assert f["severity"] == "warning"
    assert f"Le 2025-01-01, l'animateur {ANIMATOR} anime 4 groupes" in f["message"]
    assert "(lamballe, plouha, quintin, rostrenen) pour 3 au plus" in f["message"]


def test_gq114_three_groups_is_the_limit(world):
    for slug in ("plouha", "quintin"):
        add_group(world, slug, "2025-01-01")
    assert world.findings_of("GQ114") == []


def test_gq114_four_groups_one_after_the_other_is_fine(world):
    set_until(world, ANIMATOR, "2024-12-31")
    for slug in ("plouha", "quintin", "rostrenen"):
        add_group(world, slug, "2025-01-01")
    assert world.findings_of("GQ114") == []


# -- GQ115 general practitioners only

def test_gq115_member_of_another_specialty(world):
    world.edit(f"regions/armor/physicians/{MEMBERS[4]}.yaml", "territory: lamballe\n",
               "territory: lamballe\nspecialty: pédiatrie\n")
    f = one(world, "GQ115")
    assert where(f) == (G, *world.pos(G, f'"{MEMBERS[4]}"'))
    assert f["severity"] == "warning"
    assert MEMBERS[4] in f["message"] and "« pédiatrie »" in f["message"]


def test_gq115_explicit_general_practice_and_specialists_outside_groups_are_fine(world):
    world.edit(f"regions/armor/physicians/{MEMBERS[4]}.yaml", "territory: lamballe\n",
               "territory: lamballe\nspecialty: médecine générale\n")
    world.edit(f"regions/armor/physicians/{OUTSIDER}.yaml", "territory: lamballe\n",
               "territory: lamballe\nspecialty: cardiologie\n")
    assert world.findings_of("GQ115") == []


# -- the Registry's tenure queries (GQ106, GQ114)

def test_registry_tenures_and_groups_of_a_physician_on_a_day(world):
    add_group(world, "broons", "2025-01-01", [MEMBERS[3]])
    set_until(world, MEMBERS[5], "2024-06-30")
    registry = build_registry(world.root, date(2025, 1, 1), use_cache=False)
    assert [g.id for g in registry.groups_of("armor", MEMBERS[3], date(2025, 1, 1))] == ["broons", "lamballe"]
    assert [g.id for g in registry.groups_of("armor", MEMBERS[3], date(2024, 12, 31))] == ["lamballe"]
    assert registry.groups_of("armor", MEMBERS[5], date(2024, 7, 1)) == []
    assert [g.id for g in registry.groups_of("armor", ANIMATOR, date(2025, 1, 1), "animators")] == ["broons", "lamballe"]
    assert [(g.id, t.since) for g, t in registry.tenures("armor", "animators")[ANIMATOR]] == [
        ("broons", date(2025, 1, 1)), ("lamballe", date(2024, 1, 1))]
    assert set(registry.tenures("armor")) == set(MEMBERS) and registry.tenures("ailleurs") == {}
