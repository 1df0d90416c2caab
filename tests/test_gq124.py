"""GQ124: no patient identifier (NIR with a valid key, date of birth) in a meeting's free text; the finding
points at the identifier's first character and never repeats it."""

import pytest

from gqrec.ids import nir_ok, patient_identifiers
from world import MEETING_DAYS, MEMBERS, meeting_path, single, where

MARCH = meeting_path("2024-03-12")


def nir(body: str) -> str:
    """A NIR with the valid key of its 13 characters (2A counts as 19, 2B as 18)."""
    number = int(body.replace("2A", "19").replace("2B", "18"))
    return f"{body}{97 - number % 97:02d}"


VALID = nir("1850578006084")
CORSICAN_A, CORSICAN_B = nir("269072A123456"), nir("170112B045012")


def bad_key(text: str) -> str:
    return text[:13] + f"{(int(text[13:]) % 97) + 1:02d}"


def spaced(text: str) -> str:
    return " ".join((text[0], text[1:3], text[3:5], text[5:7], text[7:10], text[10:13], text[13:]))


def test_nir_key_is_checked_with_corsica():
    assert nir_ok(VALID) and nir_ok(CORSICAN_A) and nir_ok(CORSICAN_B)
    assert not nir_ok(bad_key(VALID)) and not nir_ok(bad_key(CORSICAN_A))
    assert not nir_ok(VALID.replace("78", "2C", 1))


@pytest.mark.parametrize("text, found", [
    (f"Patiente {VALID} revue", ["nir"]),
    (f"NIR {spaced(VALID)} cité", ["nir"]),
    (f"Patient corse {CORSICAN_A}", ["nir"]),
    (f"Patient corse {spaced(CORSICAN_B)}", ["nir"]),
    (f"numéro {bad_key(VALID)} faux", []),
    ("Cas d'un homme né le 12/03/1956", ["birth"]),
    ("Une patiente née le 1er mars 1950", ["birth"]),
    ("Patiente DDN : 1956-03-12", ["birth"]),
    ("DDN 3.4.48", ["birth"]),
    (f"Dr Le Gall, RPPS {MEMBERS[0]}, joignable au 06 12 34 56 78 ou +33 2 96 00 00 00", []),
    ("Réunion le 12/03/2024, prochaine le 2024-04-09 ; né le premier cas", []),
    ("Deux numéros 0612345678 0296000000 01 23", []),
])
def test_patient_identifiers_in_text(text, found):
    assert [what for _, _, what in patient_identifiers(text)] == found


def test_gq124_nir_in_notes_points_at_its_first_digit(world):
    world.edit(MARCH, "clinical_cases: 4", f"clinical_cases: 4\nnotes: Cas du patient {VALID} discuté")
    f = single(world.check(), "GQ124")
    assert where(f) == (MARCH, *world.pos(MARCH, VALID))
    assert f["severity"] == "error"
    assert "numéro de sécurité sociale" in f["message"]
    assert VALID not in f["message"] and VALID[:5] not in f["message"]


def test_gq124_in_actions_highlights_and_quoted_text(world):
    world.edit(MARCH, "clinical_cases: 4", "clinical_cases: 4\n"
               "actions:\n  - text: \"Revoir Mme X, née le 12/03/1956\"\n    indicator: asthme-corticoide-inhale\n"
               f"highlights:\n  - Un cas (NIR {spaced(VALID)}) très parlant\n")
    run = world.check()
    assert run.rules() == ["GQ124", "GQ124"]
    spots = sorted(where(f) for f in run.findings)
    assert spots == sorted([(MARCH, *world.pos(MARCH, "12/03/1956")), (MARCH, *world.pos(MARCH, spaced(VALID)))])
    assert all("12/03/1956" not in f["message"] and "1 85" not in f["message"] for f in run.findings)
    assert {f["message"].split("»")[0] for f in run.findings} == {"Le texte de « actions ", "Le texte de « highlights "}


def test_gq124_silent_on_invalid_key_phone_rpps_and_other_dates(world):
    world.edit(MARCH, "clinical_cases: 4", "clinical_cases: 4\n"
               f"notes: RPPS {MEMBERS[1]}, tél. 06 12 34 56 78, numéro {bad_key(VALID)}, réunion le 12/03/2024\n"
               "highlights:\n  - Né le doute, on prescrit\n")
    assert world.check().findings == []


def test_a_meeting_file_failing_its_schema_is_still_read_for_patient_identifiers(world):
    """Another fault in the file (a duration in words) must not hide a date of birth in its notes."""
    path = meeting_path(MEETING_DAYS[0])
    world.edit(path, "duration_minutes: 120", "duration_minutes: deux heures")
    world.write(path, world.read(path) + "notes: Cas d'une patiente née le 12/03/1956.\\n")
    [found] = world.findings_of("GQ124")
    assert found["path"] == path and "12/03/1956" not in found["message"]
