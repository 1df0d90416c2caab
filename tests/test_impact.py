"""`gqrec impact`: the effect of the themes, on designed feedback whose true effect is known.

The world's group (lamballe, ten members) first meets on asthme-adulte on 2024-01-16: its period before is
2023-S2, after 2024-S2. Each test writes those two periods' rows and reads the JSON of the real command.
"""

import json
import math
import statistics

import pytest
from scipy.stats import t as student

from world import AS_OF, MEMBERS, rpps

INDICATOR = "asthme-corticoide-inhale"  # better: higher
BEFORE, AFTER = "regions/armor/feedback/2023-S2.csv", "regions/armor/feedback/2024-S2.csv"
HEADER = "population,physician,indicator,numerator,denominator\n"


def feed(world, path, people, control=(400, 1000), indicator=INDICATOR, extra=""):
    rows = "".join(f"participant,{who},{indicator},{n},{d}\n" for who, (n, d) in people.items())
    if control is not None:
        rows += f"control,,{indicator},{control[0]},{control[1]}\n"
    world.write(path, HEADER + rows + extra)


def impact(world, *args):
    run = world.invoke("impact", str(world.root), "--year", "2024", "--format", "json", "--as-of", AS_OF, *args)
    assert run.exit_code == 0, run.output
    return json.loads(run.output)


def row(report, indicator=INDICATOR):
    [region] = report["regions"]
    return next(i for t in region["themes"] for i in t["indicators"] if i["indicator"] == indicator)


def interval(values):
    mean, n = statistics.fmean(values), len(values)
    half = student.ppf(0.975, n - 1) * statistics.stdev(values) / math.sqrt(n)
    return [mean - half, mean + half]


def improving(world, control_after=(400, 1000)):
    feed(world, BEFORE, {m: (10, 40) for m in MEMBERS})
    feed(world, AFTER, {m: (20 + i, 40) for i, m in enumerate(MEMBERS)}, control=control_after)
    return [100 * ((20 + i) / 40 - 10 / 40) for i in range(10)]


def test_participants_improve_against_a_flat_control(world):
    changes = improving(world)
    r = row(impact(world))
    assert r["physicians"] == 10 and r["better"] == "higher"
    assert r["change"] == pytest.approx(statistics.fmean(changes))
    assert r["control_change"] == pytest.approx(0)
    assert r["effect"] == pytest.approx(statistics.fmean(changes))
    assert r["ci95"] == pytest.approx(interval(changes))
    assert r["right_way"] is True
    [group] = r["groups"]
    assert (group["group"], group["date"], group["before"], group["after"]) == ("lamballe", "2024-01-16", "2023-S2", "2024-S2")
    assert group["effect"] == pytest.approx(r["effect"])


def test_a_control_that_moves_too_is_taken_off(world):
    changes = improving(world, control_after=(500, 1000))
    r = row(impact(world))
    assert r["control_change"] == pytest.approx(10)
    effects = [c - 10 for c in changes]
    assert r["effect"] == pytest.approx(statistics.fmean(effects))
    assert r["ci95"] == pytest.approx(interval(effects))


def test_no_control_gives_no_effect_but_the_change(world):
    changes = improving(world)
    feed(world, AFTER, {m: (20 + i, 40) for i, m in enumerate(MEMBERS)}, control=(4, 9))  # under 10 patients
    r = row(impact(world))
    assert r["change"] == pytest.approx(statistics.fmean(changes))
    assert r["control_change"] is None and r["effect"] is None and r["ci95"] is None and r["right_way"] is None


def test_better_lower_and_the_wrong_way(world):
    world.write("indicators/asthme-exacerbations.yaml", """
        title: Exacerbations d'asthme
        theme: asthme-adulte
        numerator: patients avec une exacerbation
        denominator: patients asthmatiques
        better: lower
    """)
    lower = "asthme-exacerbations"
    feed(world, BEFORE, {m: (20, 40) for m in MEMBERS}, indicator=lower)
    feed(world, AFTER, {m: (10 - (i % 3), 40) for i, m in enumerate(MEMBERS)}, indicator=lower)
    r = row(impact(world), lower)
    assert r["better"] == "lower" and r["effect"] < 0 and r["ci95"][1] < 0 and r["right_way"] is True
    feed(world, AFTER, {m: (30 + (i % 3), 40) for i, m in enumerate(MEMBERS)}, indicator=lower)
    assert row(impact(world), lower)["right_way"] is False


def test_denominators_under_ten_leave_the_panel(world):
    improving(world)
    feed(world, BEFORE, {**{m: (10, 40) for m in MEMBERS}, MEMBERS[3]: (2, 9)})
    r = row(impact(world))
    assert r["physicians"] == 9


SMALL = [rpps(60 + i) for i in range(3)]


def second_group(world):
    """pledran, three new physicians and MEMBERS[0] (also in lamballe, whose meeting is earlier)."""
    for who in SMALL:
        world.write(f"regions/armor/physicians/{who}.yaml", "name: Dr Autre\nterritory: lamballe\n")
    members = "".join(f'  - physician: "{m}"\n    since: 2024-01-01\n' for m in [MEMBERS[0], *SMALL])
    world.write("regions/armor/groups/pledran/group.yaml", f"""
name: Groupe Qualité de Plédran
territory: lamballe
constituted: 2024-01-01
animators:
  - physician: "{rpps(1)}"
    since: 2024-01-01
members:
{members}""")
    present = "".join(f'  - "{m}"\n' for m in [MEMBERS[0], *SMALL])
    world.write("regions/armor/groups/pledran/meetings/2024-03-14.yaml", f"""
theme: asthme-adulte
duration_minutes: 120
animator: "{rpps(1)}"
present:
{present}actions:
  - text: Traitement de fond pour tout asthme persistant
    indicator: {INDICATOR}
    review: 2024-S2
  - text: Une action sans indicateur
""")


def test_a_small_group_is_suppressed_in_a_region_that_is_not_and_a_physician_counts_once(world):
    second_group(world)
    feed(world, BEFORE, {m: (10, 40) for m in [*MEMBERS, *SMALL]})
    feed(world, AFTER, {m: (20 + i, 40) for i, m in enumerate([*MEMBERS, *SMALL])})
    r = row(impact(world))
    assert r["physicians"] == 13  # MEMBERS[0] once, in lamballe (the earlier meeting)
    small = next(g for g in r["groups"] if g["group"] == "pledran")
    assert small["physicians"] == 3
    assert [small[k] for k in ("change", "control_change", "effect", "ci95", "right_way")] == [None] * 5
    assert small["actions"] == [{"group": "pledran", "date": "2024-03-14", "review": "2024-S2",
                                 "text": "Traitement de fond pour tout asthme persistant"}]
    assert r["actions"] == small["actions"]
    text = world.invoke("impact", str(world.root), "--year", "2024", "--as-of", AS_OF).output
    assert "effectif insuffisant" in text and "Traitement de fond pour tout asthme persistant" in text


def test_nothing_individual_is_published(world):
    second_group(world)
    improving(world)
    out = world.root.parent / "out"
    for fmt in ("md", "html", "csv", "json"):
        run = world.invoke("impact", str(world.root), "--year", "2024", "--format", fmt, "--out", str(out), "--as-of", AS_OF)
        assert run.exit_code == 0, run.output
    for path in out.iterdir():
        text = path.read_text(encoding="utf-8")
        assert not any(who in text for who in [*MEMBERS, *SMALL]), path
        assert "Dr " not in text, path
    html = (out / "impact-2024.html").read_text(encoding="utf-8")
    assert html.count("<svg") == 1 and "Témoin" in html


def test_a_group_without_the_period_after_has_no_row(world):
    improving(world)
    world.remove(AFTER)
    report = impact(world)
    assert report["regions"][0]["themes"] == []


def test_unknown_region_and_csv_without_out_are_refused(world):
    assert world.invoke("impact", str(world.root), "--year", "2024", "--region", "nulle-part").exit_code == 2
    assert world.invoke("impact", str(world.root), "--year", "2024", "--format", "csv").exit_code == 2


def test_the_bilan_carries_the_region_rows(world):
    improving(world)
    run = world.invoke("report", str(world.root), "--year", "2024", "--format", "json", "--as-of", AS_OF)
    [region] = json.loads(run.output)["regions"]
    [theme] = region["impact"]
    assert theme["theme"] == "asthme-adulte" and "groups" not in theme["indicators"][0]
    assert theme["indicators"][0]["effect"] == pytest.approx(row(impact(world))["effect"])
    md = world.invoke("report", str(world.root), "--year", "2024", "--as-of", AS_OF).output
    assert "Effet des thèmes" in md and "Idées forces" in md
