"""The command line as a new user tries it (issue #23): comma lists, --region optional with one region, a
French date answered with the ISO date to type, a 10-digit RPPS said so, the national themes listed,
« vouliez-vous dire » for shortened names, a meeting's theme refused with its programme's list."""

from __future__ import annotations

import json

from gqrec.suggest import closest
from world import World, meeting_path

THEMES = ["angine-antibiotiques", "asthme-adulte", "depression-adulte", "diabete-type-2", "douleur-antalgiques",
          "hypertension-arterielle", "lombalgie-commune"]


def new(world: World, kind: str, *args: str):
    return world.invoke("new", kind, "--root", str(world.root), *args)


def second_theme(world: World) -> None:
    text = world.read("themes/asthme-adulte.yaml").replace("title: Asthme de l'adulte", "title: Diabète de type 2")
    world.write("themes/diabete-type-2.yaml", text)


def test_a_comma_list_is_several_values(world):
    second_theme(world)
    run = new(world, "programme", "--year", "2025", "--validated", "2024-12-01", "--theme", "asthme-adulte,diabete-type-2")
    assert run.exit_code == 0, run.output
    text = world.read("regions/armor/programmes/2025.yaml")
    assert "  - asthme-adulte\n  - diabete-type-2\n" in text


def test_sheet_needs_no_region_when_the_repository_has_one(world):
    world.write("regions/armor/programmes/2025.yaml", "validated: 2024-12-01\nthemes: [asthme-adulte]\n")
    run = world.invoke("sheet", str(world.root), "--group", "lamballe", "--date", "2025-02-11",
                       "--theme", "asthme-adulte", "--as-of", "2025-01-01")
    assert run.exit_code == 0, run.output
    assert "Groupe Qualité de Lamballe" in run.output


def test_a_date_written_the_french_way_is_answered_with_the_iso_date(world):
    run = new(world, "meeting", "--group", "lamballe", "--date", "12/03/2026", "--theme", "asthme-adulte")
    assert run.exit_code == 2
    assert "reçu « 12/03/2026 » : tapez 2026-03-12" in run.output
    run = world.invoke("member", "leave", "--root", str(world.root), "--group", "lamballe", "--physician",
                       "10000000108", "--date", "3/9/2026")
    assert run.exit_code == 2 and "tapez 2026-09-03" in run.output


def test_a_ten_digit_rpps_is_said_so(world):
    run = new(world, "physician", "--rpps", "1008234512", "--name", "Dr Court", "--territory", "lamballe")
    assert run.exit_code == 2
    assert "RPPS « 1008234512 » : 10 chiffres ; un numéro RPPS en a 11." in run.output
    assert "fichier" not in run.output and "nom" not in run.output  # nothing about the file name's form


def test_library_list_shows_the_national_themes_with_their_titles(world):
    second_theme(world)
    run = world.invoke("library", "list", "--root", str(world.root), "--year", "2024")
    assert run.exit_code == 0, run.output
    assert "Bibliothèque nationale : 2 thèmes (themes/)." in run.output
    lines = run.output.splitlines()
    assert any(line.split() == ["asthme-adulte", "Asthme", "de", "l'adulte", "armor"] for line in lines), lines
    assert any(line.split() == ["diabete-type-2", "Diabète", "de", "type", "2", "—"] for line in lines), lines
    listed = json.loads(world.invoke("library", "list", "--root", str(world.root), "--year", "2024",
                                     "--format", "json").output)
    assert listed[0] == {"theme": "asthme-adulte", "title": "Asthme de l'adulte",
                         "indicators": ["asthme-corticoide-inhale"], "programmes": {"2024": ["armor"]}}


def test_did_you_mean_knows_shortened_names_and_abbreviations():
    assert closest("asthme", THEMES) == "asthme-adulte"
    assert closest("hyper-art", THEMES) == "hypertension-arterielle"
    assert closest("hta", THEMES) == "hypertension-arterielle"
    assert closest("dt2", THEMES) == "diabete-type-2"
    assert closest("asthme-adultes", THEMES) == "asthme-adulte"  # a near spelling, as before
    assert closest("da", THEMES) is None  # depression-adulte or douleur-antalgiques: nobody's
    assert closest("a", THEMES) is None


def test_a_shortened_theme_is_answered_with_the_programme_s_theme(world):
    run = new(world, "meeting", "--group", "lamballe", "--date", "2024-07-09", "--theme", "asthme")
    assert run.exit_code == 2
    assert "vouliez-vous dire asthme-adulte ? Thèmes du programme : asthme-adulte." in run.output
    assert not (world.root / meeting_path("2024-07-09")).exists()
