"""Tests of gqrec.demo: deterministic, compliant archives, and faults that are where they are said to be.

The archives are read back with ruamel.yaml and judged by a small checker written here from
RECORDS.md, independent of the generator's own bookkeeping.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from gqrec import sealing
from gqrec.demo import DEMO_KEY, FAULT_RULES, generate, group_name, slugify
from gqrec.errors import UsageError

THEMES = {
    "cystite-aigue-simple": ["cystite-ecbu-traitement-court"],
    "asthme-adulte": ["asthme-corticoide-inhale"],
    "diabete-type-2": ["diabete-hba1c-trois-dosages", "diabete-fond-oeil"],
    "depression-adulte": ["depression-antidepresseur-six-mois"],
    "polymedication-sujet-age": ["sujet-age-dix-medicaments"],
    "douleur-antalgiques": ["antalgiques-opioide-fort-duree"],
    "angine-antibiotiques": ["angine-trod-avant-antibiotique"],
    "hypertension-arterielle": ["hta-bilan-biologique-annuel"],
    "lombalgie-commune": ["lombalgie-imagerie-precoce"],
    "insomnie-benzodiazepines": ["benzodiazepine-hypnotique-duree"],
}
HIGHER = {"asthme-corticoide-inhale", "angine-trod-avant-antibiotique", "diabete-hba1c-trois-dosages",
          "diabete-fond-oeil", "hta-bilan-biologique-annuel"}
SMALL = dict(regions=2, groups=7, years=3, first_year=2021)
TINY = dict(regions=2, groups=6, years=2, first_year=2021)
AS_OF = date(2100, 1, 1)


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> Path:
    """A stand-in national library: federation, ten themes, their indicators."""
    root = tmp_path_factory.mktemp("library")
    (root / "themes").mkdir()
    (root / "indicators").mkdir()
    (root / "federation.yaml").write_text("name: Fédération de test\n", encoding="utf-8")
    for theme, indicators in THEMES.items():
        (root / "themes" / f"{theme}.yaml").write_text(f"title: Thème {theme}\n", encoding="utf-8")
        for indicator in indicators:
            better = "higher" if indicator in HIGHER else "lower"
            (root / "indicators" / f"{indicator}.yaml").write_text(
                f"title: Indicateur {indicator}\ntheme: {theme}\nbetter: {better}\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def archive(tmp_path_factory, library):
    """A small compliant archive and its summary."""
    out = tmp_path_factory.mktemp("archive")
    return out, generate(out, library=library, seed=7, **SMALL)


@pytest.fixture(scope="module")
def records(archive):
    """The small archive's YAML records, read once."""
    return load(archive[0])


# ---------------------------------------------------------------------------------------------------
# A small checker, written from RECORDS.md
# ---------------------------------------------------------------------------------------------------


def luhn_ok(digits: str) -> bool:
    """Standard Luhn: double every second digit from the right."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def active(tenures: list[dict], day: date) -> list[str]:
    return sorted(t["physician"] for t in tenures if t["since"] <= day and ("until" not in t or day <= t["until"]))


def load(root: Path) -> dict[str, object]:
    """Every YAML record under ``root``, by relative path."""
    yaml = YAML(typ="safe")
    return {p.relative_to(root).as_posix(): yaml.load(p.read_text(encoding="utf-8"))
            for p in sorted(root.rglob("*.yaml"))}


LAYOUT = re.compile(
    r"regions/[a-z0-9-]+/(region\.yaml|territories/[a-z0-9-]+\.yaml|physicians/[0-9]{11}\.yaml"
    r"|groups/[a-z0-9-]+/(group\.yaml|meetings/[0-9]{4}-[0-9]{2}-[0-9]{2}\.yaml)|programmes/[0-9]{4}\.yaml"
    r"|contracts/[0-9]{4}/[0-9]{11}\.yaml|feedback/[0-9]{4}-S[12]\.csv)"
)


def violations(root: Path, records: dict | None = None, as_of: date = AS_OF) -> set[tuple[str, str]]:
    """(rule, path) of every breach of the rules the generator must respect."""
    records = load(root) if records is None else records
    found: set[tuple[str, str]] = set()
    themes = {p.stem for p in (root / "themes").glob("*.yaml")}
    for path in sorted(p.relative_to(root).as_posix() for p in (root / "regions").rglob("*") if p.is_file()):
        if not LAYOUT.fullmatch(path):
            found.add(("GQ003", path))
    regions = sorted({path.split("/")[1] for path in records if path.startswith("regions/")})
    for region in regions:
        found |= region_violations(root, region, records, themes, as_of)
    return found


def region_violations(root, region, records, themes, as_of) -> set[tuple[str, str]]:
    """The breaches in one region."""
    found = set()
    base = f"regions/{region}"
    info = records[f"{base}/region.yaml"]
    low, high = info.get("charter", {}).get("group_size", {"min": 10, "max": 15}).values()
    physicians = {p.split("/")[-1][:-5]: r for p, r in records.items() if p.startswith(f"{base}/physicians/")}
    territories = {p.split("/")[-1][:-5]: r for p, r in records.items() if p.startswith(f"{base}/territories/")}
    contracts = {(int(p.split("/")[-2]), p.split("/")[-1][:-5]): r
                 for p, r in records.items() if p.startswith(f"{base}/contracts/")}
    programmes = {int(p.split("/")[-1][:-5]): r for p, r in records.items() if p.startswith(f"{base}/programmes/")}
    if info["coordinator"] not in physicians:
        found.add(("GQ110", f"{base}/region.yaml"))
    groups = {p.split("/")[3]: r for p, r in records.items()
              if p.startswith(f"{base}/groups/") and p.endswith("/group.yaml")}
    membership = defaultdict(list)
    animating = defaultdict(list)
    for slug, group in sorted(groups.items()):
        gpath = f"{base}/groups/{slug}/group.yaml"
        for t in group["members"]:
            membership[t["physician"]].append((t["since"], t.get("until", date.max), slug))
        for t in group["animators"]:
            animating[t["physician"]].append((t["since"], t.get("until", date.max)))
            trained = physicians[t["physician"]].get("animator_trained")
            if trained is None or trained > t["since"]:
                found.add(("GQ104", gpath))
            if t["physician"] in {m["physician"] for m in group["members"]}:
                found.add(("animator-is-member", gpath))
        meetings = {p: r for p, r in records.items() if p.startswith(f"{base}/groups/{slug}/meetings/")}
        per_year = defaultdict(int)
        for mpath, meeting in sorted(meetings.items()):
            day = date.fromisoformat(mpath[-15:-5])
            per_year[day.year] += 1
            members = active(group["members"], day)
            listed = meeting["present"] + meeting.get("absent", [])
            if sorted(listed) != members:
                found.add(("GQ112", mpath))
            if not low <= len(members) <= high:
                found.add(("GQ101", gpath))
            if day < group["constituted"]:
                found.add(("GQ006", mpath))
            if meeting["animator"] not in active(group["animators"], day):
                found.add(("GQ103", mpath))
            if meeting["duration_minutes"] < 90:
                found.add(("GQ111", mpath))
            if any(not luhn_ok(rpps) for rpps in listed + [meeting["animator"]]):
                found.add(("GQ005", mpath))
            for rpps in meeting["present"] + [meeting["animator"]]:
                contract = contracts.get((day.year, rpps))
                if contract is None or contract["signed"] > day:
                    found.add(("GQ107", mpath))
            if meeting["type"] == "thematic":
                programme = programmes[day.year]
                if meeting["theme"] not in themes:
                    found.add(("GQ004", mpath))
                elif meeting["theme"] not in programme["themes"] or day <= programme["validated"]:
                    found.add(("GQ108", mpath))
        for year in range(group["constituted"].year + 1, as_of.year):
            if year in programmes and per_year[year] < 10:
                found.add(("GQ102", gpath))
        for year in range(group["constituted"].year, max(programmes) + 1):
            covered = len(active(group["members"], date(year, 12, 31)))
            if covered / territories[group["territory"]]["general_practitioners"] < 0.5:
                found.add(("GQ105", gpath))
    for spans in membership.values():
        spans.sort()
        for (_s1, u1, g1), (s2, _u2, g2) in zip(spans, spans[1:]):
            if s2 <= u1 and g1 != g2:
                found.add(("GQ106", f"{base}/groups/{g2}/group.yaml"))
    for rpps, spans in animating.items():
        for since, _until in spans:
            if sum(1 for s, u in spans if s <= since <= u) > 2:
                found.add(("too-many-groups", rpps))
    return found


# ---------------------------------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------------------------------


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_gives_byte_identical_trees(tmp_path, library):
    first, second = tmp_path / "a", tmp_path / "b"
    assert generate(first, library=library, seed=3, faults=4) == generate(second, library=library, seed=3, faults=4)
    assert tree(first) == tree(second)


def test_another_seed_gives_another_archive(tmp_path, library):
    generate(tmp_path / "a", library=library, seed=3)
    generate(tmp_path / "b", library=library, seed=4)
    assert tree(tmp_path / "a") != tree(tmp_path / "b")


def test_generated_archive_breaks_no_rule(archive, records):
    assert violations(archive[0], records) == set()


def test_every_rpps_passes_luhn_and_is_a_quoted_string(archive, records):
    out, _summary = archive
    names = [p.stem for p in out.glob("regions/*/physicians/*.yaml")]
    names += [p.stem for p in out.glob("regions/*/contracts/*/*.yaml")]
    assert names and all(re.fullmatch(r"10[0-9]{9}", n) and luhn_ok(n) for n in names)
    for path, record in records.items():
        if "/meetings/" in path:
            assert all(isinstance(rpps, str) for rpps in record["present"] + record.get("absent", []))
            assert isinstance(record["animator"], str)
    physician_files = list(out.glob("regions/*/physicians/*.yaml"))
    assert len({p.stem for p in physician_files}) == len(physician_files)


def test_roll_call_is_exactly_the_active_members(records):
    checked = 0
    for path, meeting in records.items():
        if "/meetings/" in path:
            group = records[path.split("/meetings/")[0] + "/group.yaml"]
            listed = meeting["present"] + meeting.get("absent", [])
            assert sorted(listed) == active(group["members"], date.fromisoformat(path[-15:-5])), path
            assert len(listed) == len(set(listed))
            checked += 1
    assert checked > 50


def test_ten_meetings_in_each_full_year_fewer_in_the_first(archive):
    out, _summary = archive
    years = range(SMALL["first_year"], SMALL["first_year"] + SMALL["years"])
    partial_seen = False
    for group_file in out.glob("regions/*/groups/*/group.yaml"):
        constituted = YAML(typ="safe").load(group_file.read_text(encoding="utf-8"))["constituted"]
        counts = defaultdict(int)
        for meeting in (group_file.parent / "meetings").glob("*.yaml"):
            counts[int(meeting.stem[:4])] += 1
        for year in years:
            if constituted < date(year, 1, 1):
                assert counts[year] == 10, (group_file, year)
            elif constituted.year == year:
                partial_seen = True
                assert 0 < counts[year] < 10
    assert partial_seen


def test_bretagne_keeps_its_charter_override(archive):
    out, _summary = archive
    def region(slug: str) -> dict:
        return YAML(typ="safe").load((out / f"regions/{slug}/region.yaml").read_text(encoding="utf-8"))

    assert region("bretagne")["charter"] == {"group_size": {"min": 10, "max": 12}}
    assert "charter" not in region("pays-de-la-loire")


def test_feedback_rows_are_well_formed(archive):
    out, summary = archive
    rows = 0
    for csv in sorted(out.glob("regions/*/feedback/*.csv")):
        raw = csv.read_bytes()
        assert sealing.is_sealed(raw) and b"participant" not in raw  # sealed, as a repository keeps them
        lines = sealing.unseal(raw, DEMO_KEY.encode(), 1 << 24).decode("utf-8").splitlines()
        assert lines[0] == "population,physician,indicator,numerator,denominator"
        assert lines[1:] == sorted(lines[1:])
        for line in lines[1:]:
            population, rpps, indicator, numerator, denominator = line.split(",")
            assert (population, rpps == "") in {("control", True), ("participant", False)}
            assert 0 <= int(numerator) <= int(denominator)
            assert indicator in {i for ids in THEMES.values() for i in ids}
        rows += len(lines) - 1
    assert rows == summary.feedback_rows
    assert len(list(out.glob("regions/*/feedback/*.csv"))) == 2 * SMALL["regions"] * SMALL["years"]


def test_summary_counts_match_the_files(archive):
    out, summary = archive
    assert summary.files == sum(1 for p in out.rglob("*") if p.is_file())
    assert summary.meetings == len(list(out.glob("regions/*/groups/*/meetings/*.yaml")))
    assert summary.contracts == len(list(out.glob("regions/*/contracts/*/*.yaml")))
    assert summary.physicians == len(list(out.glob("regions/*/physicians/*.yaml")))
    assert (summary.regions, summary.groups) == (SMALL["regions"], SMALL["groups"])


def test_library_is_copied_verbatim(archive, library):
    """Verbatim, but for the line that says the archive's data are invented (`gqrec.sample`)."""
    out, _summary = archive
    for path in [*sorted(library.glob("themes/*")), *sorted(library.glob("indicators/*"))]:
        assert (out / path.relative_to(library)).read_bytes() == path.read_bytes()
    federation = (library / "federation.yaml").read_text(encoding="utf-8")
    assert "demo:" not in federation
    assert (out / "federation.yaml").read_text(encoding="utf-8") == (
        federation.rstrip("\n") + "\n# Données inventées (gqrec demo).\ndemo: true\n")


def test_out_may_be_its_own_library(tmp_path, library):
    for path in [library / "federation.yaml", *library.glob("themes/*"), *library.glob("indicators/*")]:
        target = tmp_path / path.relative_to(library)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
    summary = generate(tmp_path, library=tmp_path, regions=1, groups=2, years=1)
    assert summary.files == sum(1 for p in (tmp_path / "regions").rglob("*") if p.is_file())


def test_refuses_an_out_that_has_regions(tmp_path, library):
    (tmp_path / "regions").mkdir()
    with pytest.raises(UsageError):
        generate(tmp_path, library=library)


def test_six_faults_are_returned_and_found(tmp_path, library):
    summary = generate(tmp_path, library=library, faults=6, seed=5, **TINY)
    assert len(summary.faults) == 6
    assert [rule for rule, _path in summary.faults] == list(FAULT_RULES[:6])
    assert {fault for fault in summary.faults} <= violations(tmp_path)


def test_the_summary_reads_as_gqrec_demo_prints_it(tmp_path, library):
    summary = generate(tmp_path, library=library, faults=1, seed=5, **TINY)
    lines = summary.lines()
    assert lines[0] == f"fichiers : {summary.files}" and f"réunions : {summary.meetings}" in lines
    assert lines[-1] == f"faute {summary.faults[0][0]} : {summary.faults[0][1]}"


def test_every_kind_of_fault_is_found_where_announced(tmp_path, library):
    summary = generate(tmp_path, library=library, faults=2 * len(FAULT_RULES), seed=11, **TINY)
    assert len(summary.faults) == 2 * len(FAULT_RULES)
    assert set(summary.faults) <= violations(tmp_path)


def test_names_and_slugs_read_as_french():
    assert slugify("Sablé-sur-Sarthe") == "sable-sur-sarthe"
    assert slugify("Morne-à-l'Eau") == "morne-a-l-eau"
    assert group_name("Lamballe") == "Groupe Qualité de Lamballe"
    assert group_name("Auray") == "Groupe Qualité d'Auray"
    assert group_name("Les Herbiers") == "Groupe Qualité des Herbiers"
    assert group_name("Le Blanc") == "Groupe Qualité du Blanc"


def test_many_regions_and_years_stay_compliant(tmp_path, library):
    generate(tmp_path, library=library, regions=11, groups=11, years=3, first_year=2015, seed=2)
    assert (tmp_path / "regions/region-11/region.yaml").is_file()
    assert violations(tmp_path) == set()


@pytest.mark.parametrize("seed", range(1, 9))
def test_faults_never_land_on_deleted_meetings(tmp_path, library, seed):
    summary = generate(tmp_path, library=library, faults=3 * len(FAULT_RULES), seed=seed,
                       regions=1, groups=3, years=2, first_year=2021)
    for rule, path in summary.faults:
        assert (tmp_path / path).is_file(), (rule, path)


def test_overseas_communes_run_out_without_hanging():
    from types import SimpleNamespace
    import random
    from gqrec.demo import _take_communes

    ctx, pools = SimpleNamespace(rng=random.Random(1)), {}
    taken = [code for _ in range(40) for code in _take_communes(ctx, "971", pools)]
    assert len(taken) == len(set(taken)) == 34 and all(re.fullmatch(r"971[0-3][0-9]", c) for c in taken)
