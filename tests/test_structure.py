"""GQ001–GQ006 on real files: unreadable, schema, layout, references, RPPS keys, dates in order.

Each test reads the findings of its rule alone (`world.findings_of`); a compliant edit (a BOM, a
dot-file) leaves no finding of any rule."""

import pytest

from world import ANIMATOR, G, MEMBERS, meeting_path, rpps

PHYSICIAN = f"regions/armor/physicians/{MEMBERS[0]}.yaml"
MEETING = meeting_path("2024-03-12")


def only_finding(world, rule):
    """The rule's only finding, an error, judged alone (`world.findings_of`)."""
    found = world.findings_of(rule)
    assert len(found) == 1 and found[0]["severity"] == "error", found
    return found[0]


def at(finding, path, line, column):
    assert (finding["path"], finding["line"], finding["column"]) == (path, line, column), finding


# -- GQ001: not readable --------------------------------------------------------------------------

MALFORMED = {
    "empty": (b"", 1, 1, "vide"),
    "only a comment": (b"# rien\n", 1, 1, "vide"),
    "binary garbage": (b"\x89PNG\r\n\x1a\n\x00\x00\x00", 1, 1, "UTF-8"),
    "invalid utf-8": (b"name: Dr Jos\xe9\nterritory: lamballe\n", 1, 13, "UTF-8"),
    "tab indentation": (b"name: Dr X\nterritory:\n\tlamballe\n", 3, 1, "Tabulation"),
    "unclosed flow": (b"name: [Dr X\nterritory: lamballe\n", 2, 10, "illisible"),
    "duplicate key": (b"name: Dr X\nterritory: lamballe\nname: Dr Y\n", 3, 1, "en double"),
    "python tag": (b"name: !!python/object/apply:os.system ['touch /tmp/gqrec-pwned']\nterritory: x\n", 1, 7, "tiquette"),
    "top-level list": (b"- name: Dr X\n", 1, 1, "dictionnaire"),
    "two documents": (b"name: Dr X\nterritory: lamballe\n---\nname: Dr Y\n", 3, 1, "Plusieurs documents"),
    "merge key": (b"base: &b {name: Dr X}\n<<: *b\n", 2, 1, "fusion"),
}


@pytest.mark.parametrize("content,line,column,words", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_yaml_is_gq001_at_its_line(world, content, line, column, words):
    world.write_bytes(PHYSICIAN, content)
    finding = only_finding(world, "GQ001")
    at(finding, PHYSICIAN, line, column)
    assert words in finding["message"]


def test_python_tag_never_runs(world, tmp_path):
    marker = tmp_path / "pwned"
    world.write_bytes(PHYSICIAN, f"name: !!python/object/apply:os.system ['touch {marker}']\n".encode())
    world.check()
    assert not marker.exists()


def test_bom_and_crlf_are_accepted(world):
    text = world.read(PHYSICIAN).replace("\n", "\r\n")
    world.write_bytes(PHYSICIAN, b"\xef\xbb\xbf" + text.encode())
    assert world.findings_of() == []


def test_broken_file_does_not_stop_the_others(world):
    world.write_bytes(PHYSICIAN, b"name: [\n")
    world.write_bytes(meeting_path("2024-05-14"), b"- not a mapping\n")
    assert {f["path"] for f in world.findings_of("GQ001")} == {PHYSICIAN, meeting_path("2024-05-14")}
    # the invalid physician still exists as a file: no cascade of GQ004 on the references to it
    assert world.findings_of("GQ004") == []


# -- GQ002: schema -----------------------------------------------------------------------------

def test_unknown_field_at_its_key_with_suggestion(world):
    world.edit(PHYSICIAN, "territory:", "territoire:")
    unknown = [f for f in world.findings_of("GQ002") if "inconnu" in f["message"]]
    at(unknown[0], PHYSICIAN, *world.pos(PHYSICIAN, "territoire"))
    assert "territory" in unknown[0]["message"]


def test_a_line_break_at_the_end_of_an_identifier_is_refused_as_json_schema_reads_patterns(world):
    meeting = meeting_path("2024-03-12")
    world.edit(meeting, "theme: asthme-adulte", 'theme: "asthme-adulte\\n"')
    finding = only_finding(world, "GQ002")
    at(finding, meeting, *world.pos(meeting, '"asthme-adulte'))
    assert "« theme »" in finding["message"] and "retour à la ligne" in finding["message"]


def test_missing_required_field(world):
    world.edit(G, "territory: lamballe\n", "")
    finding = only_finding(world, "GQ002")
    assert finding["path"] == G and "territory" in finding["message"]


def test_wrong_type_at_the_value(world):
    world.edit(MEETING, "duration_minutes: 120", "duration_minutes: deux heures")
    finding = only_finding(world, "GQ002")
    at(finding, MEETING, *world.pos(MEETING, "deux heures"))
    assert "entier" in finding["message"]


def test_impossible_date_in_a_field(world):
    world.edit(G, "constituted: 2024-01-01", "constituted: 2024-13-45")
    finding = only_finding(world, "GQ002")
    at(finding, G, *world.pos(G, "2024-13-45"))
    assert "date réelle" in finding["message"]


def test_datetime_where_a_date_is_expected(world):
    world.edit(G, "constituted: 2024-01-01", "constituted: 2024-01-01T09:30:00")
    finding = only_finding(world, "GQ002")
    at(finding, G, *world.pos(G, "2024-01-01T09:30:00"))
    assert "sans heure" in finding["message"]


def test_unquoted_rpps_tells_to_quote_it(world):
    world.edit(MEETING, f'animator: "{ANIMATOR}"', f"animator: {ANIMATOR}")
    finding = only_finding(world, "GQ002")
    at(finding, MEETING, *world.pos(MEETING, ANIMATOR))
    assert "guillemets" in finding["message"]


def test_thematic_meeting_needs_a_theme(world):
    world.edit(MEETING, "theme: asthme-adulte\n", "")
    finding = only_finding(world, "GQ002")
    assert finding["path"] == MEETING and "theme" in finding["message"]


def test_feedback_meeting_needs_no_theme_but_a_period(world):
    world.edit(MEETING, "theme: asthme-adulte\n", "type: feedback\nperiod: 2023-S2\n")
    assert world.findings_of() == []
    world.edit(MEETING, "period: 2023-S2\n", "")
    assert "period" in only_finding(world, "GQ002")["message"]


CSV = "regions/armor/feedback/2024-S1.csv"


def test_csv_missing_column(world):
    world.write(CSV, "population,physician,indicator,numerator\nparticipant,,x,1\n")
    finding = only_finding(world, "GQ001")
    at(finding, CSV, 1, 1)
    assert "denominator" in finding["message"]


def test_csv_non_integer_count_at_its_row(world):
    text = world.read(CSV).splitlines()
    text[3] = text[3].rsplit(",", 1)[0] + ",vingt"
    world.write(CSV, "\n".join(text) + "\n")
    finding = only_finding(world, "GQ002")
    assert (finding["path"], finding["line"]) == (CSV, 4)
    assert "entier" in finding["message"]


def test_csv_numerator_above_denominator(world):
    world.edit(CSV, "control,,asthme-corticoide-inhale,400,1000", "control,,asthme-corticoide-inhale,1400,1000")
    finding = only_finding(world, "GQ002")
    assert finding["line"] == 12 and "supérieur" in finding["message"]


def test_csv_semicolon_export_is_explained(world):
    world.write(CSV, "population;physician;indicator;numerator;denominator\n")
    assert "Séparateur" in only_finding(world, "GQ001")["message"]


# -- GQ003: layout -----------------------------------------------------------------------------

@pytest.mark.parametrize("rel", [
    "notes.txt",
    "regions/armor/groups/lamballe/compte-rendu.yaml",
    "regions/armor/physicians/dupont.yaml",
    "regions/Armor/region.yaml",
    "themes/Asthme.yaml",
    "regions/armor/programmes/24.yaml",
    "regions/armor/groups/lamballe/meetings/12-03-2024.yaml",
    "regions/armor/feedback/2024-semestre1.csv",
    "regions/armor/territories/lamballe.yml",
])
def test_file_outside_the_layout(world, rel):
    world.write(rel, "name: x\n")
    finding = only_finding(world, "GQ003")
    at(finding, rel, 1, 1)


def test_dot_files_and_readmes_are_ignored(world):
    world.write(".editorconfig", "root = true\n")
    world.write("regions/armor/README.md", "# Armor\n")
    world.write(".github/workflows/check.yml", "on: push\n")
    assert world.findings_of() == []


def test_symlink_out_of_the_root_is_not_read(world, tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text("name: secret\n")
    (world.root / "themes" / "lien.yaml").symlink_to(secret)
    finding = only_finding(world, "GQ003")
    assert finding["path"] == "themes/lien.yaml" and "secret" not in finding["message"]


# -- GQ004: references ---------------------------------------------------------------------------

def test_unknown_member(world):
    ghost = rpps(500)
    world.edit(G, MEMBERS[3], ghost)
    found = [f for f in world.findings_of("GQ004") if f["path"] == G]
    assert len(found) == 1
    at(found[0], G, *world.pos(G, f'"{ghost}"'))


def test_unknown_theme_in_meeting(world):
    world.edit(MEETING, "theme: asthme-adulte", "theme: asthme-enfant")
    finding = only_finding(world, "GQ004")
    at(finding, MEETING, *world.pos(MEETING, "asthme-enfant"))


def test_unknown_territory_of_a_physician(world):
    world.edit(PHYSICIAN, "territory: lamballe", "territory: dinan")
    finding = only_finding(world, "GQ004")
    at(finding, PHYSICIAN, *world.pos(PHYSICIAN, "dinan"))


def test_reference_resolves_inside_its_region_only(world):
    other = "regions/argoat/territories/lamballe.yaml"
    world.write(other, "name: Lamballe\nsetting: rural\ngeneral_practitioners: 3\n")
    world.remove("regions/armor/territories/lamballe.yaml")
    assert {f["path"] for f in world.findings_of("GQ004")} >= {G, PHYSICIAN}


def test_unknown_indicator_in_feedback(world):
    world.edit(CSV, "control,,asthme-corticoide-inhale", "control,,asthme-inconnu")
    finding = only_finding(world, "GQ004")
    assert (finding["path"], finding["line"]) == (CSV, 12)


def test_contract_for_unknown_group(world):
    path = f"regions/armor/contracts/2024/{MEMBERS[0]}.yaml"
    world.edit(path, "group: lamballe", "group: dinan")
    finding = only_finding(world, "GQ004")
    at(finding, path, *world.pos(path, "dinan"))


# -- GQ005: RPPS check digit -----------------------------------------------------------------------

def test_bad_luhn_in_a_file_name(world):
    good = f"regions/armor/physicians/{MEMBERS[0]}.yaml"
    bad_rpps = MEMBERS[0][:-1] + str((int(MEMBERS[0][-1]) + 1) % 10)
    bad = f"regions/armor/physicians/{bad_rpps}.yaml"
    world.write(bad, world.read(good))
    finding = only_finding(world, "GQ005")
    at(finding, bad, 1, 1)


def test_bad_luhn_in_a_field(world):
    bad_rpps = MEMBERS[2][:-1] + str((int(MEMBERS[2][-1]) + 1) % 10)
    world.edit(MEETING, MEMBERS[2], bad_rpps)
    finding = only_finding(world, "GQ005")
    at(finding, MEETING, *world.pos(MEETING, f'"{bad_rpps}"'))
    assert world.findings_of("GQ004") == []  # one finding for one typo


# -- GQ006: dates out of order ---------------------------------------------------------------------

def test_until_before_since(world):
    world.edit(G, f'"{MEMBERS[4]}"\n    since: 2024-01-01', f'"{MEMBERS[4]}"\n    since: 2024-01-01\n    until: 2023-12-31')
    finding = only_finding(world, "GQ006")
    at(finding, G, *world.pos(G, "2023-12-31"))


def test_meeting_before_constitution(world):
    world.edit(G, "constituted: 2024-01-01", "constituted: 2024-01-20")
    found = world.findings_of("GQ006")
    assert [f["path"] for f in found] == [meeting_path("2024-01-16")]


def test_meeting_file_name_not_a_real_date(world):
    bad = meeting_path("2024-02-30")
    world.write(bad, world.read(MEETING))
    finding = only_finding(world, "GQ006")
    at(finding, bad, 1, 1)


# -- one pass, sorted ---------------------------------------------------------------------------

def test_all_findings_in_one_pass_sorted(world):
    world.edit(PHYSICIAN, "territory:", "territoire:")
    world.write("notes.txt", "x")
    world.edit(MEETING, "theme: asthme-adulte", "theme: inconnu")
    run = world.check()
    keys = [(f["path"], f["line"], f["column"]) for f in run.findings]
    assert keys == sorted(keys) and len(keys) >= 3


def test_csv_with_many_bad_rows_is_summarised(world):
    rows = "".join(f"participant,{rpps(10 + i % 10)},asthme-corticoide-inhale,x,20\n" for i in range(60))
    world.write(CSV, "population,physician,indicator,numerator,denominator\n" + rows)
    found = world.findings_of("GQ002")
    assert len(found) == 21
    assert found[0]["line"] == 1 and "60 lignes non conformes" in found[0]["message"]
