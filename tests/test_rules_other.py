"""Theme, region and feedback rules (GQ109, GQ110, GQ113, GQ117), and the charter: national values,
regional overrides, defaults, and per-rule severity overrides with their effect on the exit status.

Each rule test reads that rule's findings alone (`world.findings_of`); the exit-status tests at the end
run the whole command.
"""

import pytest
from world import (
    ANIMATOR,
    COORDINATOR,
    MEMBERS,
    REGION,
    G,
    after,
    meeting_path,
    one,
    where,
)

THEME = "themes/asthme-adulte.yaml"
FEDERATION = "federation.yaml"
TERRITORY = "regions/armor/territories/lamballe.yaml"
HEADER = "population,physician,indicator,numerator,denominator\n"


def feedback(period):
    return f"regions/armor/feedback/{period}.csv"


def write_feedback(world, period, members=MEMBERS):
    rows = "".join(f"participant,{m},asthme-corticoide-inhale,5,20\n" for m in members)
    world.write(feedback(period), HEADER + rows + "control,,asthme-corticoide-inhale,400,1000\n")


def write_feedback_meeting(world, day, period):
    present = "".join(f'  - "{m}"\n' for m in MEMBERS)
    world.write(meeting_path(day), (
        f'type: feedback\nperiod: {period}\nduration_minutes: 120\nanimator: "{ANIMATOR}"\npresent:\n{present}'
    ))


def national(world, line):
    world.edit(FEDERATION, "charter:\n", f"charter:\n  {line}\n")


def regional(world, line):
    world.edit(REGION, "charter:\n", f"charter:\n  {line}\n")


def fewer_gps(world):
    """10 members of 21 GPs: a coverage of 0.476."""
    world.edit(TERRITORY, "general_practitioners: 16", "general_practitioners: 21")


# -- GQ109 a theme in a programme has a complete dossier and meets the four criteria

DRAFT = """
    title: Cystite aiguë simple
    criteria: {daily_practice: true, evaluable: false, evidence_based: true, efficiency: true}
    dossier: {problem: "", key_messages: [], references: []}
"""


@pytest.mark.parametrize("old, new, at, words", [
    ("evaluable: true", "evaluable: false", "false", "« facilement évaluable » (evaluable)"),
    ("problem: L'asthme reste mal contrôlé chez beaucoup d'adultes.", 'problem: "  "', "problem:",
     "la problématique (problem) est vide"),
    ("key_messages:\n    - Un traitement de fond par corticoïde inhalé pour tout asthme persistant.\n",
     "key_messages: []\n", "key_messages:", "les messages essentiels (key_messages) est vide"),
    ("references:\n    - title: Guide du parcours de soins asthme\n      publisher: HAS\n      year: 2023\n",
     "references: []\n", "references:", "les références (references) est vide"),
    ("indicators: [asthme-corticoide-inhale]", "indicators: []", "indicators:", "aucun indicateur"),
], ids=["criterion", "problem", "key_messages", "references", "indicators"])
def test_gq109_incomplete_theme_in_the_programme(world, old, new, at, words):
    world.edit(THEME, old, new)
    f = one(world, "GQ109")
    assert where(f) == (THEME, *world.pos(THEME, at))
    assert f["severity"] == "error"
    assert words in f["message"]


def test_gq109_theme_without_indicators_key_is_reported_on_the_file(world):
    world.edit(THEME, "indicators: [asthme-corticoide-inhale]\n", "")
    f = one(world, "GQ109")
    assert where(f) == (THEME, 1, 1)
    assert "aucun indicateur" in f["message"]


def test_gq109_draft_theme_that_no_programme_lists_is_not_judged(world):
    world.write("themes/cystite-aigue.yaml", DRAFT)
    assert world.findings_of("GQ109") == []


def test_gq109_draft_theme_is_judged_once_any_programme_lists_it(world):
    world.write("themes/cystite-aigue.yaml", DRAFT)
    world.write("regions/armor/programmes/2025.yaml", "validated: 2024-12-15\nthemes: [cystite-aigue]\n")
    found = world.findings_of("GQ109")
    assert {f["path"] for f in found} == {"themes/cystite-aigue.yaml"}
    assert len(found) == 5, found  # one criterion, problem, key messages, references, indicators


# -- GQ110 the coordinator is a physician of the region

def test_gq110_coordinator_without_a_physician_record(world):
    world.remove(f"regions/armor/physicians/{COORDINATOR}.yaml")
    f = one(world, "GQ110")
    assert where(f) == (REGION, *world.pos(REGION, f'"{COORDINATOR}"'))
    assert f["severity"] == "error"
    assert f"Le coordonnateur {COORDINATOR} n'a pas de fiche dans regions/armor/physicians/" in f["message"]


def test_gq110_coordinator_of_another_region_does_not_count(world):
    iroise = "regions/iroise/region.yaml"
    world.write(iroise, f"""
        name: Iroise
        association: {{name: APIMED Iroise}}
        partners:
          - {{name: URPS ML Iroise, role: urps}}
        coordinator: "{COORDINATOR}"
    """)
    f = one(world, "GQ110")
    assert where(f) == (iroise, *world.pos(iroise, f'"{COORDINATOR}"'))
    assert "regions/iroise/physicians/" in f["message"]


def test_gq110_coordinator_may_also_be_a_group_member(world):
    world.edit(REGION, f'coordinator: "{COORDINATOR}"', f'coordinator: "{MEMBERS[0]}"')
    assert world.findings_of("GQ110") == []


# -- GQ113 feedback every judged period (a warning)

def test_gq113_period_without_feedback_rows_or_meeting(world):
    world.remove(feedback("2024-S1"))
    f = one(world, "GQ113")
    assert where(f) == (G, *after(world, G, "constituted: "))
    assert f["severity"] == "warning"
    assert "période 2024-S1" in f["message"] and "feedback/2024-S1.csv" in f["message"]


def test_gq113_feedback_file_without_rows_for_the_members(world):
    world.write(feedback("2024-S2"), HEADER + "control,,asthme-corticoide-inhale,400,1000\n")
    f = one(world, "GQ113")
    assert "période 2024-S2" in f["message"]


def test_gq113_feedback_meeting_stands_in_for_missing_rows(world):
    world.remove(feedback("2024-S1"))
    write_feedback_meeting(world, "2024-06-25", "2024-S1")
    assert world.findings_of("GQ113") == []


def test_gq113_period_not_over_before_as_of_is_not_judged(world):
    world.remove(feedback("2024-S2"))
    assert world.findings_of("GQ113", as_of="2024-12-31") == []
    assert len(world.findings_of("GQ113", as_of="2025-01-01")) == 1


# -- GQ117 feedback periods follow the charter's rhythm

def test_gq117_trimester_file_in_a_semester_region(world):
    write_feedback(world, "2024-T1")
    f = one(world, "GQ117")
    assert where(f) == (feedback("2024-T1"), 1, 1)
    assert f["severity"] == "error"
    assert "Période 2024-T1 hors du rythme semestriel" in f["message"]


def test_gq117_feedback_meeting_of_the_wrong_rhythm(world):
    day = meeting_path("2024-06-25")
    write_feedback_meeting(world, "2024-06-25", "2024-T2")
    f = one(world, "GQ117")
    assert where(f) == (day, *after(world, day, "period: "))
    assert "Période 2024-T2 hors du rythme semestriel" in f["message"]


def test_gq117_trimester_region_with_trimester_files_is_clean(world):
    regional(world, "feedback_period: trimester")
    for period in ("2024-S1", "2024-S2"):
        world.remove(feedback(period))
    for part in ("T1", "T2", "T3", "T4"):
        write_feedback(world, f"2024-{part}")
    assert world.findings_of("GQ117", "GQ113") == []


def test_gq117_trimester_region_still_with_semester_files(world):
    regional(world, "feedback_period: trimester")
    found = world.findings_of("GQ117", "GQ113")  # the data is there under semester names: no GQ113
    assert [(f["rule"], f["path"]) for f in found] == [("GQ117", feedback("2024-S1")), ("GQ117", feedback("2024-S2"))]
    assert "rythme trimestriel" in found[0]["message"]
    world.remove(feedback("2024-S2"))
    assert sorted(f["message"].split(" : ")[0] for f in world.findings_of("GQ113")) == [
        f"Aucun retour d'information pour la période 2024-T{n}" for n in (3, 4)
    ]


# -- the charter: defaults, national values, regional overrides

def test_charter_regional_group_size_overrides_national(world):
    world.edit(REGION, "group_size: {min: 10, max: 12}", "group_size: {min: 11, max: 12}")
    f = one(world, "GQ101")
    assert "le cahier des charges de la région en demande 11 à 12" in f["message"]


def test_charter_national_group_size_applies_without_regional_override(world):
    world.edit(REGION, "charter:\n  group_size: {min: 10, max: 12}\n", "")
    world.edit(FEDERATION, "group_size: {min: 10, max: 15}", "group_size: {min: 11, max: 15}")
    f = one(world, "GQ101")
    assert "le cahier des charges national en demande 11 à 15" in f["message"]


def test_charter_regional_value_wins_even_when_laxer_than_national(world):
    world.edit(FEDERATION, "group_size: {min: 10, max: 15}", "group_size: {min: 11, max: 15}")
    assert world.findings_of("GQ101") == []  # the region's 10–12 is in force


def test_charter_national_meetings_per_year(world):
    world.edit(FEDERATION, "meetings_per_year: 10", "meetings_per_year: 11")
    f = one(world, "GQ102")
    assert "10 réunions tenues en 2024 pour 11 attendues" in f["message"]
    regional(world, "meetings_per_year: 10")
    assert world.findings_of("GQ102") == []


def test_charter_default_applies_when_neither_sets_the_key(world):
    fewer_gps(world)  # 10 of 21; territory_coverage_min is set nowhere
    f = one(world, "GQ105")
    assert "10 des 21" in f["message"]
    assert "le cahier des charges (valeur par défaut) en demande au moins 50%" in f["message"]


@pytest.mark.parametrize("nat, reg, words", [
    ("0.7", None, "national en demande au moins 70%"),
    ("0.5", "0.65", "de la région en demande au moins 65%"),
    ("0.7", "0.6", None),
    (None, "0.625", None),  # 10 of 16 is exactly 0.625
])
def test_charter_coverage_threshold_layers(world, nat, reg, words):
    if nat:
        national(world, f"territory_coverage_min: {nat}")
    if reg:
        regional(world, f"territory_coverage_min: {reg}")
    if words is None:
        assert world.findings_of("GQ105") == []
    else:
        assert words in one(world, "GQ105")["message"]


# -- the charter: per-rule severity overrides, and the exit status (end to end: the exit status is the
#    whole check's, so these few tests read the command's, on a world with that one fault)

def short_meeting(world):
    world.edit(meeting_path("2024-03-12"), "duration_minutes: 120", "duration_minutes: 60")


def test_rules_off_in_region_silences_the_rule(world):
    short_meeting(world)
    assert len(world.findings_of("GQ111")) == 1
    regional(world, "rules: {GQ111: off}")
    assert world.findings_of("GQ111") == []
    run = world.check()
    assert run.findings == [] and run.exit_code == 0


def test_rules_off_in_federation_silences_the_rule(world):
    short_meeting(world)
    national(world, "rules: {GQ111: off}")
    assert world.findings_of("GQ111") == []


def test_rules_region_override_wins_over_national(world):
    short_meeting(world)
    national(world, "rules: {GQ111: off}")
    regional(world, "rules: {GQ111: error}")
    assert one(world, "GQ111")["severity"] == "error"
    assert world.check().exit_code == 1


def test_rules_error_demoted_to_warning_in_region_exits_0(world):
    fewer_gps(world)
    assert one(world, "GQ105")["severity"] == "error" and world.check().exit_code == 1
    regional(world, "rules: {GQ105: warning}")
    f = one(world, "GQ105")
    assert f["severity"] == "warning"
    assert where(f) == (G, *after(world, G, "territory: "))
    assert world.check().exit_code == 0


def test_rules_error_demoted_in_federation_exits_0(world):
    world.remove(meeting_path("2024-06-11"))
    national(world, "rules: {GQ102: warning}")
    assert one(world, "GQ102")["severity"] == "warning"
    assert world.check().exit_code == 0


def test_rules_national_and_regional_overrides_merge_rule_by_rule(world):
    fewer_gps(world)
    short_meeting(world)
    national(world, "rules: {GQ105: warning}")
    regional(world, "rules: {GQ111: off}")
    assert one(world, "GQ105")["severity"] == "warning"
    assert world.findings_of("GQ111") == []


def test_exit_0_when_only_warnings_remain(world):
    fewer_gps(world)
    short_meeting(world)
    assert world.check().exit_code == 1
    regional(world, "rules: {GQ105: warning}")
    run = world.check()
    assert sorted(run.rules()) == ["GQ105", "GQ111"]
    assert {f["severity"] for f in run.findings} == {"warning"}
    assert run.exit_code == 0
