"""One fault gives one finding: a file that fails its schema still counts by its path and its valid
fields, and no rule reports a consequence of another finding (README, « Ce que compte encore un
registre non conforme »). The property test at the end mutates the sample records one fault at a time."""

from __future__ import annotations

import json
import random
import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from world import (
    ANIMATOR, FEEDBACK_KEY, G, MEETING_DAYS, MEMBERS, REGION, World, after, meeting_path, rpps, single,
)

from gqrec.check import check

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "records"
SAMPLE_AS_OF = date(2026, 1, 1)
CONTRACT = f"regions/armor/contracts/2024/{MEMBERS[0]}.yaml"
PROGRAMME = "regions/armor/programmes/2024.yaml"
TERRITORY = "regions/armor/territories/lamballe.yaml"


def only_in(run, path: str, rule: str) -> dict:
    """The run's single finding, of `rule`, in `path`."""
    finding = single(run, rule)
    assert finding["path"] == path, run.findings
    return finding


# -- the cases ------------------------------------------------------------------------------

@pytest.mark.parametrize("fault", ["duree: 120", 'duration_minutes: "deux heures"'])
def test_a_mutated_meeting_gives_one_finding_and_still_counts_for_gq102(world, fault):
    path = meeting_path(MEETING_DAYS[2])
    world.edit(path, "duration_minutes: 120", fault)
    finding = only_in(world.check(), path, "GQ002")
    if fault.startswith("duree"):  # the misspelt key and the missing one are the same fault
        assert "« duree »" in finding["message"] and "« duration_minutes »" in finding["message"]


def test_an_unreadable_meeting_still_counts_as_held(world):
    world.write(meeting_path(MEETING_DAYS[4]), "theme: [asthme-adulte\n")
    only_in(world.check(), meeting_path(MEETING_DAYS[4]), "GQ001")


def test_a_contract_with_a_bad_date_still_is_a_contract(world):
    world.edit(CONTRACT, "signed: 2024-01-05", "signed: 15/12/2023")
    only_in(world.check(), CONTRACT, "GQ002")  # not ten GQ107 « sans contrat »


def test_a_contract_signed_late_is_still_judged_when_only_another_field_is_wrong(world):
    world.edit(CONTRACT, "signed: 2024-01-05", "signed: 2024-03-01\nsigne_par: moi")
    run = world.check()
    assert sorted(run.rules()) == ["GQ002", "GQ107", "GQ107"], run.findings  # January and February meetings


def test_a_programme_with_a_bad_validation_date_still_lists_its_themes(world):
    world.edit(PROGRAMME, "validated: 2023-12-15", "validated: 20-11-2023")
    only_in(world.check(), PROGRAMME, "GQ002")  # not ten GQ108 « aucun programme validé »
    world.edit(PROGRAMME, "themes: [asthme-adulte]", "themes: [cystite-aigue-simple]")
    run = world.check()
    assert sorted(run.rules()) == ["GQ002", *["GQ108"] * 10], run.findings  # its themes still count


def test_a_member_whose_file_is_at_fault_may_be_local(world):
    """Coverage exactly at the threshold; a member's territory unreadable must not tip it into GQ105."""
    world.edit(TERRITORY, "general_practitioners: 16", "general_practitioners: 20")
    assert world.check().findings == []
    physician = f"regions/armor/physicians/{MEMBERS[3]}.yaml"
    world.edit(physician, "territory: lamballe", "territory: 12")
    only_in(world.check(), physician, "GQ002")
    world.edit(physician, "territory: 12", "territory: lamballe\nanimator_trained: hier")  # territory readable
    only_in(world.check(), physician, "GQ002")
    world.edit(physician, "territory: lamballe", "territory: ailleurs")
    assert sorted(world.check().rules()) == ["GQ002", "GQ105"]  # truly not local: 9 of 20
    world.edit(physician, "animator_trained: hier", "nom: Dr X")  # an unknown key only: judged as a whole
    assert sorted(world.check().rules()) == ["GQ002", "GQ004", "GQ105"]


def test_an_unreadable_restitution_meeting_leaves_gq113_silent(world):
    world.remove("regions/armor/feedback/2024-S1.csv")
    run = world.check()
    assert run.rules() == ["GQ113"], run.findings
    path = meeting_path("2024-07-02")
    world.write(path, "type: feedback\nperiod: 2024-S1\nduration_minutes: [\n")
    only_in(world.check(), path, "GQ001")


def test_a_region_file_at_fault_keeps_its_valid_charter(world):
    world.edit(meeting_path(MEETING_DAYS[0]), "duration_minutes: 120", "duration_minutes: 60")
    world.edit(REGION, "group_size: {min: 10, max: 12}", "group_size: {min: 10, max: 12}\n  rules: {GQ111: 'off'}")
    assert world.check().findings == []
    world.edit(REGION, "coordinator: \"", "coordinator: \"x")
    only_in(world.check(), REGION, "GQ002")  # GQ111 stays off, no GQ110 either


def test_a_charter_value_at_fault_silences_the_rules_that_read_it(world):
    world.edit(meeting_path(MEETING_DAYS[0]), "duration_minutes: 120", "duration_minutes: 80")
    world.edit(REGION, "group_size: {min: 10, max: 12}", "group_size: {min: 10, max: 12}\n  meeting_minutes_min: \"deux heures\"")
    only_in(world.check(), REGION, "GQ002")  # not judged by the default 90 minutes, nor by another value
    world.edit(REGION, 'meeting_minutes_min: "deux heures"', "meeting_minutes_min: 110")
    assert single(world.check(), "GQ111")["path"] == meeting_path(MEETING_DAYS[0])


# -- partial charter overrides ------------------------------------------------------------------------

def add_members(world: World, count: int) -> None:
    """`count` more members of Lamballe from 2024-01-01, with their physician files."""
    extra = [rpps(50 + i) for i in range(count)]
    for who in extra:
        world.write(f"regions/armor/physicians/{who}.yaml", "name: Dr Nouveau\nterritory: lamballe\n")
    entries = "".join(f'  - physician: "{m}"\n    since: 2024-01-01\n' for m in extra)
    world.write(G, world.read(G) + entries)


def test_a_partial_group_size_override_inherits_the_other_bound(world):
    world.edit(REGION, "group_size: {min: 10, max: 12}", "group_size: {max: 11}")
    assert world.check().findings == []  # 10 members: min 10 from the federation, max 11 from the region
    add_members(world, 2)
    run = world.check()
    assert "GQ002" not in run.rules(), run.findings
    assert len(run.only("GQ101")) == 1  # 12 members for at most 11
    assert "10 à 11" in run.only("GQ101")[0]["message"]


def test_a_partial_override_inherits_the_default_without_federation_value(world):
    world.edit("federation.yaml", "  group_size: {min: 10, max: 15}\n", "")
    world.edit(REGION, "group_size: {min: 10, max: 12}", "group_size: {min: 11}")
    run = world.check()
    assert run.rules() == ["GQ101"], run.findings  # 10 members, at least 11 (max 15 by default)


def test_only_the_merged_value_is_judged(world):
    world.edit(REGION, "group_size: {min: 10, max: 12}", "group_size: {max: 9}")
    finding = only_in(world.check(), REGION, "GQ002")  # min 10 (national) above max 9: at the region's max
    assert (finding["line"], finding["column"]) == after(world, REGION, "max: ")
    assert "minimum 10 (valeur nationale)" in finding["message"]
    world.edit("federation.yaml", "group_size: {min: 10, max: 15}", "group_size: {min: 16}")
    world.edit(REGION, "group_size: {max: 9}", "group_size: {min: 10, max: 12}")
    finding = only_in(world.check(), "federation.yaml", "GQ002")  # 16 above the default 15: the nation's fault
    assert (finding["line"], finding["column"]) == after(world, "federation.yaml", "min: ")


# -- duplicates -------------------------------------------------------------------------------------

def test_a_member_listed_twice_is_reported_at_the_second_entry(world):
    text = world.read(G)
    entry = f'  - physician: "{MEMBERS[4]}"\n    since: 2024-01-01\n'
    world.write(G, text + entry)
    finding = only_in(world.check(), G, "GQ118")
    assert (finding["line"], finding["column"]) == after(world, G, "physician: ", nth=11)
    assert MEMBERS[4] in finding["message"] and "entrées 5 et 11" in finding["message"]
    world.write(G, text + f'  - physician: "{MEMBERS[4]}"\n    since: 2024-06-01\n')  # overlapping periods
    only_in(world.check(), G, "GQ118")
    world.write(G, text.replace(entry, entry + "    until: 2024-03-31\n")
                + f'  - physician: "{MEMBERS[4]}"\n    since: 2024-04-01\n')  # left and came back: fine
    assert world.check().findings == []


def test_a_duplicate_in_present_points_at_the_duplicate_and_names_it(world):
    path = meeting_path(MEETING_DAYS[1])
    world.edit(path, f'  - "{MEMBERS[8]}"\n', f'  - "{MEMBERS[8]}"\n  - "{MEMBERS[2]}"\n')
    finding = only_in(world.check(), path, "GQ002")
    assert (finding["line"], finding["column"]) == after(world, path, "  - ", nth=9)
    assert MEMBERS[2] in finding["message"] and "éléments 3 et 10" in finding["message"]


# -- the bilan ---------------------------------------------------------------------------------------

def bilan(world: World) -> dict:
    run = world.invoke("report", str(world.root), "--year", "2024", "--format", "json", "--as-of", "2025-01-01")
    return json.loads(run.output)["regions"][0]


def test_bilan_json_figures_are_exact_fractions(world):
    world.edit(meeting_path(MEETING_DAYS[0]), "duration_minutes: 120", "duration_minutes: 95")
    path = meeting_path(MEETING_DAYS[1])
    world.edit(path, f'  - "{MEMBERS[8]}"\nabsent:\n', f"absent:\n  - \"{MEMBERS[8]}\"\n")
    region = bilan(world)
    assert region["hours"] == 1175 / 60  # 9 × 120 + 95 minutes, not 19.5833
    assert region["attendance_rate"] == 89 / 100 and region["coverage"] == 10 / 16
    world.edit(path, f'  - "{MEMBERS[7]}"\nabsent:\n', f"absent:\n  - \"{MEMBERS[7]}\"\n")
    assert bilan(world)["attendance_rate"] == 88 / 100


def test_bilan_counts_a_meeting_file_at_fault_by_its_date(world):
    world.edit(meeting_path(MEETING_DAYS[2]), "duration_minutes: 120", "duree: 120")
    region = bilan(world)
    assert region["meetings_held"] == 10
    assert region["hours"] == 18  # its duration is not known
    assert region["findings"] == {"errors": 1, "warnings": 0}


# -- one fault, one finding, over the sample records --------------------------------------------------

KINDS = ("federation.yaml", "themes/", "indicators/", "region.yaml", "/territories/", "/physicians/", "group.yaml",
         "/meetings/", "/programmes/", "/contracts/")


def _mutations(text: str) -> dict[str, str]:
    """Each single fault a coordinator could make in this file (those that apply to it)."""
    out = {"unknown field": text.rstrip("\n") + "\nchamp_en_trop: 1\n",
           "syntax": ": [\n" + text}
    keys = re.findall(r"^([a-z_]+):", text, re.M)
    if keys:
        key = keys[len(keys) // 2]
        out["misspelt key"] = re.sub(rf"^{key}:", f"{key}e:", text, count=1, flags=re.M)
    if m := re.search(r"(?<![\w/-])(\d{4})-(\d{2})-(\d{2})\b", text):
        out["french date"] = text[:m.start()] + f"{m[3]}/{m[2]}/{m[1]}" + text[m.end():]
    if m := re.search(r"^(\s*[a-z_]+): (\d+)\s*(#.*)?$", text, re.M):
        out["number in words"] = text[:m.start(2)] + '"beaucoup"' + text[m.end(2):]
    if m := re.search(r'"(\d{11})"', text):
        out["unquoted rpps"] = text[:m.start()] + m[1] + text[m.end():]
    if m := re.search(r'^  - "\d{11}"\n', text, re.M):
        out["duplicate item"] = text[:m.end()] + m[0] + text[m.end():]
    if m := re.search(r"^(\s+)since: .*\n(?!\1until:)", text, re.M):
        out["reversed period"] = text[:m.end()] + f"{m[1]}until: 2001-01-01\n" + text[m.end():]
    return out


def _files(root: Path) -> list[str]:
    """A few files of each kind, drawn the same way on every run."""
    chooser = random.Random(20241215)
    every = sorted(str(p.relative_to(root)) for p in root.rglob("*.yaml"))
    chosen = []
    for kind in KINDS:
        of_kind = [p for p in every if kind in "/" + p]
        chosen += chooser.sample(of_kind, min(2, len(of_kind)))
    return chosen


@pytest.mark.skipif(not (SAMPLE / "regions").is_dir(), reason="records/regions not generated yet")
def test_every_single_fault_in_the_sample_gives_one_finding_in_its_file(tmp_path):
    """Each fault judged by the check in-process, through its cache: only the mutated file is read again
    (the file cache vouches for the others by their content) and only its region judged again (a
    national file's fault judges them all); the first and the last check read everything, uncached."""
    root = tmp_path / "records"
    shutil.copytree(SAMPLE, root)
    world = World(root)

    def judged(use_cache=True):
        return [f.as_json() for f in check(root, SAMPLE_AS_OF, key=FEEDBACK_KEY.encode(), use_cache=use_cache).findings]

    assert judged(use_cache=False) == []
    assert judged() == []  # the cache written
    tried = 0
    for rel in _files(root):
        original = world.read(rel)
        for name, mutated in _mutations(original).items():
            (root / rel).write_text(mutated, encoding="utf-8")
            found = judged()
            (root / rel).write_text(original, encoding="utf-8")
            assert len(found) == 1 and found[0]["path"] == rel, (rel, name, found)
            assert found[0]["rule"] in ("GQ001", "GQ002", "GQ006"), (rel, name, found)
            tried += 1
    assert judged() == []  # every file restored, and the cache none the worse for it
    feedback = sorted(root.glob("regions/*/feedback/*.csv"))[0].relative_to(root).as_posix()
    rows = world.read(feedback).splitlines(keepends=True)  # opened, then sealed again by world.write
    world.write(feedback, "".join([rows[0], re.sub(r",\d+,(\d+)$", r",beaucoup,\1", rows[1])] + rows[2:]))
    assert [f["rule"] for f in judged(use_cache=False)] == ["GQ002"]
    assert tried >= 80


def test_a_mistyped_rpps_in_a_roll_call_is_one_finding(world):
    path = meeting_path(MEETING_DAYS[5])
    wrong = MEMBERS[3][:-1] + str((int(MEMBERS[3][-1]) + 1) % 10)
    world.edit(path, f'"{MEMBERS[3]}"', f'"{wrong}"')
    only_in(world.check(), path, "GQ005")  # not GQ107 (no contract), nor GQ112 twice (not a member, one missing)
    world.edit(path, f'  - "{MEMBERS[4]}"\n', "")
    assert sorted(world.check().rules()) == ["GQ005", "GQ112"]  # two members missing, one mistyped: a true GQ112
    world.edit(path, f'animator: "{ANIMATOR}"', f'animator: "{ANIMATOR[:-1]}{(int(ANIMATOR[-1]) + 1) % 10}"')
    assert sorted(world.check().rules()) == ["GQ005", "GQ005", "GQ112"]  # no GQ103 for the mistyped animator


@pytest.mark.parametrize("seed", [11, 5])
def test_every_fault_demo_plants_is_found_once_where_announced(tmp_path, seed):
    """`gqrec demo --faults`: each planted fault gives one finding, in the file announced; a removed
    contract gives one GQ107 at each meeting its physician attended that year (RECORDS.md: per meeting)."""
    from collections import Counter

    from gqrec.demo import FAULT_RULES, generate

    summary = generate(tmp_path / "demo", library=SAMPLE, regions=2, groups=6, years=2, first_year=2021, seed=seed,
                       faults=2 * len(FAULT_RULES))
    run = World(tmp_path / "demo").check("--no-cache", as_of="2023-01-01")
    found = Counter((f["rule"], f["path"]) for f in run.findings)
    planted = set(summary.faults)
    contract_groups = {(path.rsplit("/", 2)[0], path.rsplit("/", 1)[1][:4]) for rule, path in planted if rule == "GQ107"}
    for (rule, path), count in found.items():
        if rule == "GQ107":
            assert (path.rsplit("/", 2)[0], path.rsplit("/", 1)[1][:4]) in contract_groups, (rule, path)
        else:
            assert (rule, path) in planted and count == 1, (rule, path, count, run.findings)
    assert planted <= set(found)


def test_a_file_at_fault_only_in_an_unknown_key_or_a_descriptive_field_is_judged_whole(world):
    path = meeting_path(MEETING_DAYS[2])
    world.edit(path, "duration_minutes: 120", "duration_minutes: 60\nnotes: [ordre du jour]")
    assert sorted(world.check().rules()) == ["GQ002", "GQ111"]  # the short meeting is still judged
    world.edit(G, "name: Groupe Qualité de Lamballe", "name: 12")
    world.edit(G, "wave: 1", "wave: premiere")
    assert sorted(world.check().rules()) == ["GQ002", "GQ002", "GQ002", "GQ111"]  # and its group too
    assert bilan(world)["groups"] == 1 and bilan(world)["participants"] == 10


def test_a_partial_outcome_is_plain_data_the_cache_and_workers_can_keep(world):
    import marshal

    from gqrec.layout import classify
    from gqrec.load import outcome_of

    path = meeting_path(MEETING_DAYS[2])
    world.edit(path, "duration_minutes: 120", "duree: 120")
    world.edit(REGION, "group_size: {min: 10, max: 12}", "group_size: {min: dix, max: 12}")
    for rel in (path, REGION):
        outcome = outcome_of(classify(rel), (world.root / rel).read_bytes())
        assert marshal.loads(marshal.dumps(outcome)) == outcome
    fields, faulty = outcome_of(classify(REGION), (world.root / REGION).read_bytes())[0]
    assert fields["charter"] == {"group_size": {"max": 12}} and "charter.group_size" in faulty
    first = world.check()  # with the cache, written then read
    assert sorted(first.rules()) == ["GQ002", "GQ002"] and world.check().findings == first.findings


def test_a_meeting_before_the_constitution_is_gq006_alone(world):
    path = meeting_path("2023-12-12")
    world.write(path, world.read(meeting_path(MEETING_DAYS[0])))
    only_in(world.check(), path, "GQ006")  # not GQ101 (0 members), GQ103, GQ107, GQ108, GQ112 for that day


def test_a_reversed_period_is_gq006_alone(world):
    from world import set_until

    set_until(world, MEMBERS[2], "2023-12-31")  # the member's period ends before it begins: which date is wrong?
    only_in(world.check(), G, "GQ006")  # not GQ101 (9 members) nor GQ112 at each meeting
    world.edit(G, f'physician: "{ANIMATOR}"\n    since: 2024-01-01\n',
               f'physician: "{ANIMATOR}"\n    since: 2024-01-01\n    until: 2023-01-01\n')
    assert world.check().rules() == ["GQ006", "GQ006"]  # no GQ103 at each meeting


def test_feedback_under_another_rhythm_is_gq117_alone(world):
    old, new = "regions/armor/feedback/2024-S1.csv", "regions/armor/feedback/2024-T1.csv"
    world.write(new, world.read(old))
    world.remove(old)
    only_in(world.check(), new, "GQ117")  # not also GQ113 « no feedback for 2024-S1 »
    world.remove(new)
    path = meeting_path("2024-07-02")
    world.write(path, world.read(meeting_path(MEETING_DAYS[0])).replace("theme: asthme-adulte", "type: feedback\nperiod: 2024-T2"))
    only_in(world.check(), path, "GQ117")


def test_a_faulty_severity_override_silences_that_rule(world):
    world.edit(meeting_path(MEETING_DAYS[0]), "duration_minutes: 120", "duration_minutes: 60")
    world.edit(REGION, "group_size: {min: 10, max: 12}", "group_size: {min: 10, max: 12}\n  rules: {GQ111: of}")
    only_in(world.check(), REGION, "GQ002")  # « of » for « off »: the warning is not shown as if nothing was asked
    world.edit(REGION, "GQ111: of", "GQ111: warning")
    assert single(world.check(), "GQ111")["severity"] == "warning"


def test_ledger_json_hours_are_exact(tmp_path):
    from test_ledger import build_ledger_world, ledger_json, lines

    world = build_ledger_world(tmp_path / "records")
    before = lines(ledger_json(world))[MEMBERS[0]]["hours"]
    world.edit(meeting_path(MEETING_DAYS[0]), "duration_minutes: 120", "duration_minutes: 95")
    assert lines(ledger_json(world))[MEMBERS[0]]["hours"] == before - 25 / 60  # 13.583333…, not 13.5833


def test_a_misspelt_rule_id_keeps_the_other_severity_overrides(world):
    world.edit(meeting_path(MEETING_DAYS[0]), "duration_minutes: 120", "duration_minutes: 60")
    world.edit(REGION, "group_size: {min: 10, max: 12}", "group_size: {min: 10, max: 12}\n  rules: {GQ111: 'off', GQ1: 'off'}")
    only_in(world.check(), REGION, "GQ002")  # GQ111 stays off
