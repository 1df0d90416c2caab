"""`gqrec feedback`: prescription profiles computed by hand on small CSVs, small-cell suppression in
every format, keyed member codes, the anonymity refusals, and bad feedback data left to `gqrec check`."""

from __future__ import annotations

import csv
import io
import json
import re
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from world import ANIMATOR, COORDINATOR, FEEDBACK_KEY, MEMBERS, OUTSIDER, rpps, seal_at
from gqrec import sealing
from gqrec.cli import cli
from gqrec.member_codes import codes
from gqrec.pipeline import Pipeline

KEY = FEEDBACK_KEY  # codes the members and opens the sealed rows
OTHER_KEY = "une-autre-cle-secrete-9876543210"
HEADER = "population,physician,indicator,numerator,denominator\n"
ASTHMA = "asthme-corticoide-inhale"  # better: higher
SABA = "asthme-beta2-seul"  # better: lower
DINAN = [rpps(50), rpps(51)]
FORMATS = ("md", "html", "csv", "json")
CODE = re.compile(r"M-[0-9A-HJKMNP-TV-Z]{5}")


def approx(expected):
    """Rates and deciles are published rounded to 3 decimals (0.1 point), percentile ranks to units."""
    return pytest.approx(expected, abs=5e-4)


def run(world, *args, key: str | None = KEY):
    """The real command; the key comes from the environment variable unless key is None."""
    result = CliRunner().invoke(cli, ["feedback", *args, str(world.root)], env={"GQREC_FEEDBACK_KEY": key})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def profile_json(world, *args, key: str | None = KEY) -> dict:
    result = run(world, "--format", "json", *args, key=key)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert len(data["profiles"]) == 1
    return data["profiles"][0]


def indicator(profile: dict, ident: str = ASTHMA) -> dict:
    return next(i for s in profile["themes"] for i in s["indicators"] if i["indicator"] == ident)


def write_csv(world, period: str, rows: list[tuple], control: dict[str, tuple[int, int]] | None = None) -> None:
    """rows: (physician, indicator, numerator, denominator); control: indicator -> (numerator, denominator)."""
    text = "".join(f"participant,{who},{ind},{num},{den}\n" for who, ind, num, den in rows)
    for ind, (num, den) in (control or {ASTHMA: (300, 1000)}).items():
        text += f"control,,{ind},{num},{den}\n"
    world.write(f"regions/armor/feedback/{period}.csv", HEADER + text)


def add_dinan(world) -> None:
    """A second group of the region, of two members, so the region's rate differs from the group's."""
    for number, who in enumerate(DINAN):
        world.write(f"regions/armor/physicians/{who}.yaml", f"name: Dr Dinannais {number}\nterritory: lamballe\n")
    members = "".join(f'  - physician: "{m}"\n    since: 2024-01-01\n' for m in DINAN)
    world.write("regions/armor/groups/dinan/group.yaml", (
        f"name: Groupe Qualité de Dinan\nterritory: lamballe\nconstituted: 2024-01-01\nanimators:\n"
        f'  - physician: "{ANIMATOR}"\n    since: 2024-01-01\nmembers:\n{members}'
    ))


def add_lower_indicator(world) -> None:
    world.write(f"indicators/{SABA}.yaml", """
        title: Bêta-2 mimétique seul chez l'asthmatique
        theme: asthme-adulte
        numerator: patients sous bêta-2 mimétique de courte durée sans traitement de fond
        denominator: patients asthmatiques
        better: lower
    """)
    world.edit("themes/asthme-adulte.yaml", "indicators: [asthme-corticoide-inhale]",
               f"indicators: [asthme-corticoide-inhale, {SABA}]")


def hand_world(world) -> None:
    """Lamballe's ten members at 1/20 … 10/20, Dinan's two at 30/40 and 2/10, one physician in no group."""
    add_dinan(world)
    rows = [(m, ASTHMA, i + 1, 20) for i, m in enumerate(MEMBERS)]
    rows += [(DINAN[0], ASTHMA, 30, 40), (DINAN[1], ASTHMA, 2, 10), (OUTSIDER, ASTHMA, 100, 100)]
    write_csv(world, "2024-S1", rows)
    world.remove("regions/armor/feedback/2024-S2.csv")


# Sorted rates of the region's twelve participants (the outsider is in no group, so left aside):
# .05 .10 .15 .20 .20 .25 .30 .35 .40 .45 .50 .75
# Decile i (inclusive method) sits at position p = i × (12 - 1) / 10 of the sorted list, interpolated:
# D1 p=1.1 → .10 + .1 × .05 = .105; D2 p=2.2 → .15 + .2 × .05 = .16; D3 p=3.3 → .20; D4 p=4.4 → .20 + .4 × .05 = .22;
# D5 p=5.5 → .275; D6 p=6.6 → .30 + .6 × .05 = .33; D7 p=7.7 → .385; D8 p=8.8 → .44; D9 p=9.9 → .495.
DECILES = [0.105, 0.16, 0.20, 0.22, 0.275, 0.33, 0.385, 0.44, 0.495]


# -- hand-computed figures


def test_individual_profile_hand_computed(world):
    hand_world(world)
    profile = profile_json(world, "--period", "2024-S1", "--physician", MEMBERS[3])
    assert profile["kind"] == "physician"
    assert profile["physician"]["rpps"] == MEMBERS[3]
    assert profile["physician"]["name"] == "Dr Médecin 5"
    assert profile["group"] == "lamballe"
    assert profile["previous_period"] == "2023-S2"
    ind = indicator(profile)
    assert ind["better"] == "higher"
    assert ind["physician"]["current"] == {"rate": 0.2, "suppressed": False}
    assert ind["group"]["current"]["rate"] == approx(55 / 200)  # 1+…+10 / 10 × 20
    assert ind["region"]["current"]["rate"] == approx((55 + 32) / 250)  # both groups, not the outsider
    assert ind["control"]["current"]["rate"] == approx(0.3)
    # four rates at or below .20 among twelve: three below, two equal (itself and Dinan's 2/10)
    assert ind["physician"]["percentile_rank"] == round(100 * (3 + 2 / 2) / 12)
    assert ind["distribution"]["participants"] == 12
    assert ind["distribution"]["deciles"] == approx(DECILES)
    # no previous period file: nothing to compare
    assert ind["physician"]["previous"] is None
    assert ind["physician"]["moved_right_way"] is None


def test_group_profile_hand_computed(world):
    hand_world(world)
    profile = profile_json(world, "--period", "2024-S1", "--group", "lamballe")
    ind = indicator(profile)
    assert len(profile["members"]) == 10 == len(ind["members"])
    assert profile["members"] == sorted(profile["members"])
    assert all(CODE.fullmatch(code) for code in profile["members"])
    ranks = sorted(m["percentile_rank"] for m in ind["members"])
    # .05 → 0.5/12, .10 → 1.5/12, .15 → 2.5/12, .20 → 4/12 (tie with Dinan), then 5.5/12 … 10.5/12
    expected = [100 * r / 12 for r in (0.5, 1.5, 2.5, 4, 5.5, 6.5, 7.5, 8.5, 9.5, 10.5)]
    assert ranks == [round(r) for r in expected]
    rates = sorted(m["current"]["rate"] for m in ind["members"])
    assert rates == approx([(i + 1) / 20 for i in range(10)])
    assert ind["group"]["current"]["rate"] == approx(0.275)
    assert ind["region"]["current"]["rate"] == approx(0.348)


def test_rows_of_one_physician_are_pooled_and_themes_recall_key_messages(world):
    hand_world(world)
    add_lower_indicator(world)
    rows = [(m, ASTHMA, 5, 20) for m in MEMBERS] + [(MEMBERS[0], ASTHMA, 5, 10), (MEMBERS[0], SABA, 3, 12)]
    write_csv(world, "2024-S1", rows)
    profile = profile_json(world, "--period", "2024-S1", "--physician", MEMBERS[0])
    assert indicator(profile)["physician"]["current"]["rate"] == approx(10 / 30)
    assert indicator(profile)["group"]["current"]["rate"] == approx(55 / 210)
    [section] = profile["themes"]
    assert section["theme"] == "asthme-adulte"
    assert section["key_messages"] == ["Un traitement de fond par corticoïde inhalé pour tout asthme persistant."]
    assert [i["indicator"] for i in section["indicators"]] == [ASTHMA, SABA]
    saba = indicator(profile, SABA)
    assert saba["better"] == "lower"
    assert saba["physician"]["current"]["rate"] == approx(0.25)
    assert saba["control"]["current"] is None  # no control row for it
    assert saba["distribution"] == {"participants": 1, "deciles": None}  # too few for deciles and ranks
    assert saba["physician"]["percentile_rank"] is None
    md = run(world, "--period", "2024-S1", "--physician", MEMBERS[0]).stdout
    assert "## Thème : Asthme de l'adulte" in md
    assert "- Un traitement de fond par corticoïde inhalé pour tout asthme persistant." in md
    assert "Un taux plus bas est meilleur." in md and "Un taux plus haut est meilleur." in md


# -- which way is better, and the indicators that need attention


def attention_world(world) -> None:
    """hand_world, plus the lower-is-better SABA indicator where MEMBERS[3] and MEMBERS[9] (1/20) do
    better than Lamballe (.41) and the region (.358), while on asthma (higher is better) MEMBERS[3] does
    worse (.20 against Lamballe's .275 and the region's .348) and MEMBERS[9] better (.50)."""
    hand_world(world)
    add_lower_indicator(world)
    rows = [(m, ASTHMA, i + 1, 20) for i, m in enumerate(MEMBERS)]
    rows += [(DINAN[0], ASTHMA, 30, 40), (DINAN[1], ASTHMA, 2, 10)]
    rows += [(m, SABA, 1 if m in (MEMBERS[3], MEMBERS[9]) else 10, 20) for m in MEMBERS]
    rows += [(who, SABA, 2, 20) for who in DINAN]
    write_csv(world, "2024-S1", rows, {ASTHMA: (300, 1000), SABA: (300, 1000)})


def test_each_indicator_says_in_a_sentence_which_way_is_better(world):
    attention_world(world)
    for fmt in ("md", "html"):
        page = run(world, "--period", "2024-S1", "--physician", MEMBERS[3], "--format", fmt).stdout
        asthma, saba = page.index("corticoïde inhalé"), page.index("Bêta-2 mimétique seul")
        higher, lower = page.index("Un taux plus haut est meilleur."), page.index("Un taux plus bas est meilleur.")
        assert asthma < higher < saba < lower  # each sentence under its own indicator
    english = run(world, "--period", "2024-S1", "--physician", MEMBERS[3], "--lang", "en").stdout
    assert "A higher rate is better." in english and "A lower rate is better." in english


def test_the_indicators_that_need_attention(world):
    """Worse than the region's groups (and, for one physician, than their own group), in the indicator's
    direction: MEMBERS[3] on asthma, and Lamballe on both (.275 < .348 higher-is-better; .41 > .358
    lower-is-better); not MEMBERS[3] on SABA, nor MEMBERS[9] on either."""
    attention_world(world)
    own = profile_json(world, "--period", "2024-S1", "--physician", MEMBERS[3])
    assert indicator(own)["attention"] == ["group", "region"] and indicator(own, SABA)["attention"] == []
    group = profile_json(world, "--period", "2024-S1", "--group", "lamballe")
    assert indicator(group)["attention"] == ["region"] and indicator(group, SABA)["attention"] == ["region"]
    best = profile_json(world, "--period", "2024-S1", "--physician", MEMBERS[9])
    assert indicator(best)["attention"] == [] == indicator(best, SABA)["attention"]

    only = profile_json(world, "--period", "2024-S1", "--physician", MEMBERS[3], "--attention")
    assert only["attention_only"] is True
    assert [i["indicator"] for s in only["themes"] for i in s["indicators"]] == [ASTHMA]
    md = run(world, "--period", "2024-S1", "--physician", MEMBERS[3], "--seulement-a-surveiller").stdout
    assert "Seuls les indicateurs à surveiller sont montrés" in md
    assert ("À surveiller : votre taux est moins bon que celui de votre groupe et celui des Groupes Qualité de "
            "la région.") in md
    assert "Bêta-2 mimétique seul" not in md and "corticoïde inhalé" in md
    html = run(world, "--period", "2024-S1", "--physician", MEMBERS[9], "--attention", "--format", "html").stdout
    assert "Aucun indicateur à surveiller pour cette période." in html and "<h3>" not in html
    assert "À surveiller" not in run(world, "--period", "2024-S1", "--physician", MEMBERS[9]).stdout


def test_pdf_needs_a_folder(world):
    result = run(world, "--period", "2024-S1", "--group", "lamballe", "--pdf")
    assert result.exit_code == 2 and "--pdf écrit des fichiers" in result.stderr


# -- previous period and the direction of improvement


def test_a_region_profile_reads_the_national_files_and_that_region_alone(world):
    """The control group's rows are in the region's own file: another region's files are neither listed
    nor read for it, and the profile is the one read from the whole archive."""
    hand_world(world)
    world.write("regions/savoie/region.yaml", "name: Savoie\n")
    whole = profile_json(world, "--period", "2024-S1", "--group", "lamballe")  # no region given: all are read
    assert profile_json(world, "--period", "2024-S1", "--group", "lamballe", "--region", "armor") == whole
    registry = Pipeline(world.root, key=KEY.encode()).registry(regions=frozenset({"armor"}))
    assert registry.region_ids == ("armor",)
    assert Pipeline(world.root, key=KEY.encode()).registry().region_ids == ("armor", "savoie")


def test_previous_period_and_moved_the_right_way_both_directions(world):
    add_lower_indicator(world)
    before = [(m, ASTHMA, 10, 20) for m in MEMBERS] + [(m, SABA, 10, 20) for m in MEMBERS]
    now = [(m, ASTHMA, 10, 20) for m in MEMBERS] + [(m, SABA, 10, 20) for m in MEMBERS]
    now[0] = (MEMBERS[0], ASTHMA, 14, 20)  # higher is better: up → right way
    now[1] = (MEMBERS[1], ASTHMA, 6, 20)  # down → wrong way
    now[10] = (MEMBERS[0], SABA, 6, 20)  # lower is better: down → right way
    now[11] = (MEMBERS[1], SABA, 14, 20)  # up → wrong way
    before[2] = (MEMBERS[2], ASTHMA, 5, 9)  # previous rate on 9 patients: not comparable
    write_csv(world, "2024-S1", before, {ASTHMA: (400, 1000), SABA: (300, 1000)})
    write_csv(world, "2024-S2", now, {ASTHMA: (450, 1000), SABA: (350, 1000)})

    def line(who, ident):
        return indicator(profile_json(world, "--period", "2024-S2", "--physician", who), ident)

    up = line(MEMBERS[0], ASTHMA)
    assert up["physician"]["previous"] == {"rate": 0.5, "suppressed": False}
    assert up["physician"]["current"]["rate"] == 0.7
    assert (up["physician"]["change"], up["physician"]["moved_right_way"]) == ("better", True)
    assert (up["control"]["change"], up["control"]["moved_right_way"]) == ("better", True)  # .40 → .45, higher
    down = line(MEMBERS[1], ASTHMA)
    assert (down["physician"]["change"], down["physician"]["moved_right_way"]) == ("worse", False)
    assert line(MEMBERS[2], ASTHMA)["physician"]["previous"] == {"rate": None, "suppressed": True}
    assert line(MEMBERS[2], ASTHMA)["physician"]["moved_right_way"] is None
    same = line(MEMBERS[3], ASTHMA)
    assert (same["physician"]["change"], same["physician"]["moved_right_way"]) == ("same", False)
    assert same["group"]["previous"]["rate"] == approx(95 / 189)
    assert same["group"]["current"]["rate"] == approx(0.5)

    lower = line(MEMBERS[0], SABA)
    assert (lower["physician"]["change"], lower["physician"]["moved_right_way"]) == ("better", True)
    assert (lower["control"]["change"], lower["control"]["moved_right_way"]) == ("worse", False)  # .30 → .35, lower
    higher = line(MEMBERS[1], SABA)
    assert (higher["physician"]["change"], higher["physician"]["moved_right_way"]) == ("worse", False)

    md = run(world, "--period", "2024-S2", "--physician", MEMBERS[0]).stdout
    assert "dans le bon sens" in md and "dans le mauvais sens" in md
    assert "1er semestre 2024" in md and "2e semestre 2024" in md


# -- small cells


def small_cells(world) -> None:
    """MEMBERS[0] on 9 patients (4/9 = 44.4 %, to hide), MEMBERS[1] on 10 (3/10 = 30 %, to show)."""
    rows = [(MEMBERS[0], ASTHMA, 4, 9), (MEMBERS[1], ASTHMA, 3, 10)]
    rows += [(m, ASTHMA, 5, 20) for m in MEMBERS[2:]]
    write_csv(world, "2024-S1", rows)
    world.remove("regions/armor/feedback/2024-S2.csv")


HIDDEN = ("44,4 %", "0.444", "4/9")  # (44.44 may be a percentile rank)


@pytest.mark.parametrize("fmt", FORMATS)
def test_denominator_9_is_suppressed_and_10_is_shown_in_every_format(world, fmt):
    small_cells(world)
    hidden = run(world, "--period", "2024-S1", "--physician", MEMBERS[0], "--format", fmt)
    shown = run(world, "--period", "2024-S1", "--physician", MEMBERS[1], "--format", fmt)
    group = run(world, "--period", "2024-S1", "--group", "lamballe", "--format", fmt)
    for result in (hidden, shown, group):
        assert result.exit_code == 0, result.output
        for number in HIDDEN:
            assert number not in result.stdout, (fmt, number)
    if fmt == "json":
        own = indicator(json.loads(hidden.stdout)["profiles"][0])["physician"]
        assert own["current"] == {"rate": None, "suppressed": True}
        assert own["percentile_rank"] is None
        assert indicator(json.loads(shown.stdout)["profiles"][0])["physician"]["current"] == {"rate": 0.3, "suppressed": False}
        members = indicator(json.loads(group.stdout)["profiles"][0])["members"]
        assert sorted(m["current"]["suppressed"] for m in members) == [False] * 9 + [True]
        assert [m["current"]["rate"] for m in members if m["current"]["suppressed"]] == [None]
    elif fmt == "csv":  # the French spreadsheet's dialect: French headers and words, percentages
        def table(result):
            return list(csv.DictReader(io.StringIO(result.stdout.removeprefix("\ufeff")), delimiter=";"))

        row = next(r for r in table(hidden) if r["population"] == "médecin")
        assert (row["taux"], row["effectif insuffisant"], row["rang centile"]) == ("", "oui", "")
        row = next(r for r in table(shown) if r["population"] == "médecin")
        assert (row["taux"], row["effectif insuffisant"]) == ("30 %", "non")
        flags = [r["effectif insuffisant"] for r in table(group) if r["population"] == "médecin"]
        assert sorted(flags) == ["non"] * 9 + ["oui"]
    else:
        assert "effectif insuffisant" in hidden.stdout
        assert "30,0 %" in shown.stdout
        assert group.stdout.count("effectif insuffisant") >= 1
    if fmt == "html":
        # the physician's point (r=6) is drawn only for a shown rate; members' points (r=4) likewise
        assert 'r="6"' not in hidden.stdout
        assert shown.stdout.count('r="6"') == 1
        assert group.stdout.count('r="4"') == 9
        assert "<svg" in group.stdout and "<style>" in group.stdout


def test_a_small_pooled_rate_is_suppressed_too(world):
    write_csv(world, "2024-S1", [(MEMBERS[0], ASTHMA, 2, 4), (MEMBERS[1], ASTHMA, 1, 5)], {ASTHMA: (3, 9)})
    profile = profile_json(world, "--period", "2024-S1", "--group", "lamballe")
    ind = indicator(profile)
    for population in ("group", "region", "control"):
        assert ind[population]["current"] == {"rate": None, "suppressed": True}
    assert ind["distribution"] == {"participants": 0, "deciles": None}


# -- codes and keys


def reseal(world, old: str, new: str) -> None:
    """The feedback files sealed again under another key (what a change of key asks)."""
    for path in (world.root / "regions/armor/feedback").glob("*.csv"):
        rel = path.relative_to(world.root).as_posix()
        path.write_bytes(seal_at(rel, sealing.unseal(path.read_bytes(), old.encode(), 1 << 20).decode(), new))


def test_same_key_same_codes_other_key_other_codes(world, tmp_path):
    first = profile_json(world, "--period", "2024-S1", "--group", "lamballe")["members"]
    again = profile_json(world, "--period", "2024-S1", "--group", "lamballe")["members"]
    key_file = tmp_path / "cle.txt"
    key_file.write_text(OTHER_KEY + "\n")
    refused = run(world, "--period", "2024-S1", "--group", "lamballe", "--key-file", str(key_file), key=None)
    assert refused.exit_code == 2 and "autre clé" in refused.stderr  # the rows are sealed under the first key
    reseal(world, KEY, OTHER_KEY)
    other = profile_json(world, "--period", "2024-S1", "--group", "lamballe", "--key-file", str(key_file), key=None)
    assert first == again
    assert len(set(first)) == 10
    assert set(first).isdisjoint(other)
    reseal(world, OTHER_KEY, KEY)
    key_file.write_text(KEY + "\n")  # the same key from a file gives the same codes as from the variable
    assert profile_json(world, "--period", "2024-S1", "--group", "lamballe", "--key-file", str(key_file), key=None)["members"] == first


def test_the_individual_profile_gives_the_physicians_own_code(world):
    group = profile_json(world, "--period", "2024-S1", "--group", "lamballe")
    own = profile_json(world, "--period", "2024-S1", "--physician", MEMBERS[4])
    assert own["physician"]["code"] in group["members"]
    rate = indicator(own)["physician"]["current"]["rate"]
    line = next(m for m in indicator(group)["members"] if m["code"] == own["physician"]["code"])
    assert line["current"]["rate"] == rate
    sealed = run(world, "--period", "2024-S1", "--physician", MEMBERS[4], key=None)  # no key opens no row
    assert sealed.exit_code == 2 and "chiffré" in sealed.stderr and "clé" in sealed.stderr


def test_colliding_codes_are_lengthened():
    many = [rpps(n) for n in range(100, 20100)]  # 20,000 physicians: a few five-character codes collide
    coded = codes(KEY.encode(), many)
    assert len(set(coded.values())) == len(many)
    assert any(len(code) > 7 for code in coded.values())
    assert all(re.fullmatch(r"M-[0-9A-HJKMNP-TV-Z]{5,}", code) for code in coded.values())


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_rpps_and_no_name_in_a_group_profile(world, tmp_path, fmt):
    add_dinan(world)
    out = tmp_path / "profils"
    result = run(world, "--period", "2024-S1", "--format", fmt, "--out", str(out))
    assert result.exit_code == 0, result.output
    files = sorted(out.iterdir())
    assert [f.name for f in files] == [f"profil-2024-S1-armor-lamballe.{fmt}"]  # Dinan: two members, no profile
    assert "dinan : 2 membres pendant la période, pas de profil de groupe sous 5" in result.stderr
    names = [line.split(":", 1)[1].strip().encode() for path in (world.root / "regions/armor/physicians").iterdir()
             for line in path.read_text().splitlines() if line.startswith("name:")]
    assert b"Dr Anne Animatrice" in names and len(names) == 15
    for path in files:
        data = path.read_bytes()
        assert re.search(rb"[0-9]{11}", data) is None, path
        for who in [ANIMATOR, COORDINATOR, OUTSIDER, *MEMBERS, *DINAN]:
            assert who.encode() not in data
        for name in names:
            assert name not in data
        assert b"Dr " not in data
        assert CODE.search(data.decode())
    assert "Écrit : " in result.stdout


# -- refusals


def test_refuses_an_individual_profile_under_reports(world, tmp_path):
    for out in (tmp_path / "reports", tmp_path / "depot" / "reports" / "2024", tmp_path / "Reports"):
        result = run(world, "--period", "2024-S1", "--physician", MEMBERS[0], "--out", str(out))
        assert result.exit_code == 2, result.output
        assert "Refus d'écrire un profil individuel" in result.stderr
        assert not out.exists()
    (tmp_path / "reports").mkdir()
    (tmp_path / "lien").symlink_to(tmp_path / "reports")  # resolved: a link to reports/ is reports/
    result = run(world, "--period", "2024-S1", "--physician", MEMBERS[0], "--out", str(tmp_path / "lien" / "x"))
    assert result.exit_code == 2
    assert list((tmp_path / "reports").iterdir()) == []
    fine = run(world, "--period", "2024-S1", "--physician", MEMBERS[0], "--out", str(tmp_path / "reports" / ".." / "perso"))
    assert fine.exit_code == 0, fine.output
    assert (tmp_path / "perso" / f"profil-2024-S1-armor-{MEMBERS[0]}.md").is_file()
    # group profiles are anonymous: they may go to reports/
    assert run(world, "--period", "2024-S1", "--group", "lamballe", "--out", str(tmp_path / "reports")).exit_code == 0


def test_refuses_an_individual_profile_inside_the_records(world):
    result = run(world, "--period", "2024-S1", "--physician", MEMBERS[0], "--out", str(world.root / "profils"))
    assert result.exit_code == 2
    assert "à l'intérieur des registres" in result.stderr
    assert not (world.root / "profils").exists()


def test_refuses_a_group_profile_without_key(world):
    for args in (("--group", "lamballe"), ()):
        result = run(world, "--period", "2024-S1", *args, key=None)
        assert result.exit_code == 2
        assert "Pas de clé de codage" in result.stderr
        assert "GQREC_FEEDBACK_KEY" in result.stderr
        assert result.stdout == ""


def test_refuses_a_key_file_inside_the_records_or_their_work_tree(world, tmp_path):
    inside = world.root / ".cle"
    inside.write_text(KEY)
    result = run(world, "--period", "2024-S1", "--group", "lamballe", "--key-file", str(inside), key=None)
    assert result.exit_code == 2
    assert "dans le dossier des registres" in result.stderr
    beside = tmp_path / "cle.txt"  # beside records/, in the git work tree that holds them
    beside.write_text(KEY)
    assert run(world, "--period", "2024-S1", "--group", "lamballe", "--key-file", str(beside), key=None).exit_code == 0
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    result = run(world, "--period", "2024-S1", "--group", "lamballe", "--key-file", str(beside), key=None)
    assert result.exit_code == 2
    assert "dépôt git des registres" in result.stderr


def test_refuses_a_short_or_missing_key(world, tmp_path):
    assert run(world, "--period", "2024-S1", "--group", "lamballe", key="court").exit_code == 2
    missing = run(world, "--period", "2024-S1", "--group", "lamballe", "--key-file", str(tmp_path / "nulle-part"), key=None)
    assert missing.exit_code == 2
    assert "Fichier de clé illisible" in missing.stderr


@pytest.mark.parametrize("kind", ["fifo", "zero", "big"])
def test_a_key_file_that_is_no_small_regular_file_is_refused_at_once(world, tmp_path, kind):
    """A FIFO used to hang, /dev/zero to fill the memory: regular files only, a few KiB at most."""
    path = tmp_path / "cle"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "zero":
        path.symlink_to("/dev/zero")
    else:
        path.write_text(KEY * 1000)
    done = subprocess.run([sys.executable, "-m", "gqrec.cli", "feedback", "--period", "2024-S1", "--group", "lamballe",
                           "--key-file", str(path), str(world.root)], capture_output=True, text=True, timeout=20)
    assert done.returncode == 2, done.stderr
    assert "Fichier de clé illisible" in done.stderr


# -- no data, unknown scope


def test_a_period_without_data_says_so_and_exits_1(world):
    result = run(world, "--period", "2023-S2", "--group", "lamballe")
    assert result.exit_code == 1
    assert "Aucune donnée de retour d'information pour la période 2023-S2" in result.stderr
    assert run(world, "--period", "2023-S2").exit_code == 1


def test_usage_problems_exit_2(world):
    assert run(world, "--period", "2024-S3", "--group", "lamballe").exit_code == 2
    assert run(world, "--period", "2024-S1", "--group", "inconnu").exit_code == 2
    assert run(world, "--period", "2024-S1", "--physician", rpps(77)).exit_code == 2
    assert run(world, "--period", "2024-S1", "--region", "nulle").exit_code == 2
    both = run(world, "--period", "2024-S1", "--group", "lamballe", "--physician", MEMBERS[0])
    assert both.exit_code == 2


def test_a_physician_in_no_group_has_no_profile(world):
    result = run(world, "--period", "2024-S1", "--physician", OUTSIDER)
    assert result.exit_code == 1
    assert "membre d'aucun groupe" in result.stderr


# -- bad feedback data: findings of check, never a crash of feedback


def test_bad_feedback_data_is_found_by_check_and_feedback_does_not_crash(world):
    unknown = rpps(88)  # a valid RPPS without a physician file
    rows = [(m, ASTHMA, 5, 20) for m in MEMBERS[1:]]
    rows += [(MEMBERS[0], "indicateur-inconnu", 1, 20), (unknown, ASTHMA, 1, 20), (MEMBERS[0], ASTHMA, 30, 20)]
    write_csv(world, "2024-S1", rows)
    world.write("regions/armor/feedback/2024-T1.csv",
                HEADER + "".join(f"participant,{m},{ASTHMA},5,20\n" for m in MEMBERS))
    found = world.check()
    assert found.exit_code == 1
    by_rule = {rule: [f for f in found.findings if f["rule"] == rule] for rule in ("GQ002", "GQ004", "GQ117")}
    assert sorted(f["message"].split(" ")[0] for f in by_rule["GQ004"]) == ["L'indicateur", "Le"]
    assert any("indicateur-inconnu" in f["message"] for f in by_rule["GQ004"])
    assert any(unknown in f["message"] for f in by_rule["GQ004"])
    # a sealed file's findings quote no numerator nor denominator
    assert [f["message"] for f in by_rule["GQ002"]] == ["Ligne 13 : numérateur supérieur au dénominateur."]
    assert [f["path"] for f in by_rule["GQ117"]] == ["regions/armor/feedback/2024-T1.csv"]

    result = run(world, "--period", "2024-S1", "--group", "lamballe", "--format", "json")
    assert result.exit_code == 0, result.output
    assert "lignes invalides ignorées" in result.stderr
    assert "2 lignes écartées" in result.stderr
    ind = indicator(json.loads(result.stdout)["profiles"][0])
    assert ind["group"]["current"]["rate"] == approx(0.25)  # only the nine valid rows
    assert [i["indicator"] for s in json.loads(result.stdout)["profiles"][0]["themes"] for i in s["indicators"]] == [ASTHMA]
    own = profile_json(world, "--period", "2024-S1", "--physician", MEMBERS[0])
    assert indicator(own)["physician"]["current"] is None  # all of their rows were bad
    trimester = run(world, "--period", "2024-T1", "--group", "lamballe")
    assert trimester.exit_code == 0, trimester.output
    assert "GQ117" in trimester.stderr


def test_a_file_of_only_bad_rows_is_no_data(world):
    write_csv(world, "2024-S1", [(MEMBERS[0], "indicateur-inconnu", 1, 20)], {"indicateur-inconnu": (1, 20)})
    result = run(world, "--period", "2024-S1", "--group", "lamballe")
    assert result.exit_code == 1
    assert "Aucune ligne utilisable" in result.stderr


# -- formats and languages


def test_every_group_of_the_region_and_the_formats(world):
    add_dinan(world)
    # three Lamballe members in Dinan too: five members, enough for a group profile
    world.edit("regions/armor/groups/dinan/group.yaml", "members:\n", "members:\n" + "".join(
        f'  - physician: "{m}"\n    since: 2024-01-01\n' for m in MEMBERS[:3]))
    html = run(world, "--period", "2024-S1", "--format", "html")
    assert html.exit_code == 0, html.output
    assert html.stdout.startswith("<!DOCTYPE html>") and html.stdout.count("<article>") == 2
    assert "Groupe Qualité de Dinan" in html.stdout and "Groupe Qualité de Lamballe" in html.stdout
    table = list(csv.DictReader(io.StringIO(run(world, "--period", "2024-S1", "--format", "csv",
                                                "--csv-dialect", "data").stdout)))
    assert {r["group"] for r in table} == {"dinan", "lamballe"}
    region = next(r for r in table if r["population"] == "region")
    assert region["participants"] == "10" and region["d9"]  # Dinan's own two members have no rows
    data = json.loads(run(world, "--period", "2024-S1", "--format", "json").stdout)
    assert [p["group"] for p in data["profiles"]] == ["dinan", "lamballe"]
    # the same records and key give the same bytes
    assert run(world, "--period", "2024-S1", "--format", "html").stdout == html.stdout


def test_english(world):
    small_cells(world)
    result = run(world, "--period", "2024-S1", "--physician", MEMBERS[0], "--lang", "en")
    assert result.exit_code == 0
    assert "too few patients" in result.stdout
    assert "Control group" in result.stdout
    assert "effectif insuffisant" not in result.stdout


def test_help_lists_the_command():
    result = CliRunner().invoke(cli, ["feedback", "--help"])
    assert result.exit_code == 0
    assert "--period" in result.output and "--key-file" in result.output


def test_profiles_read_two_years_and_say_what_the_whole_archive_says(tmp_path, monkeypatch):
    """A period's profiles read only the dated records of its year and the year before."""
    from gqrec.demo import generate
    from gqrec.feedback import produce

    root = tmp_path / "archive"
    generate(root, regions=2, groups=4, years=4, first_year=2021, faults=10)

    def profiles(period):
        result = CliRunner().invoke(cli, ["feedback", "--period", period, "--format", "json", str(root)],
                                    env={"GQREC_FEEDBACK_KEY": KEY})
        assert result.exit_code == 0, result.output
        return result.output

    read = {period: profiles(period) for period in ("2023-S1", "2024-S2")}
    monkeypatch.setattr(produce, "_years_read", lambda period: None)  # the whole archive
    assert read == {period: profiles(period) for period in read}
    assert '"previous_period": "2022-S2"' in read["2023-S1"]
