"""Valorisation: the ledger, attestations and attendance sheet on small hand-made records whose truth is
known, run through the real command on real files; the charter's rates validated like the other keys.

The world (`build_ledger_world`), Armor 2024, national rates 95,50 € / 150 €, Armor's animator rate
190,25 € and attestation threshold 10 (regional overrides); Iroise keeps the national values:

- Lamballe holds 12 meetings of 120 minutes animated by ANIMATOR (not a member, also listed present
  on 12 March). MEMBERS[0] leaves after 12 November: present at the first 7, absent at the next 3.
  MEMBERS[1] signs the 2024 contract on 1 February: the 16 January meeting is unpaid. MEMBERS[3] is
  absent on both December meetings: 10 meetings, exactly the threshold. MEMBERS[9] is always absent.
- Dinan: DINAN[0] animates it and is also a member, listed present; ANIMATOR (Lamballe's animator) is
  a member there; two meetings, all ten present.
- Iroise (test_report.add_iroise): two meetings of 8 present, its animator has no contract issue.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from world import ANIMATOR, G, MEETING_DAYS, MEMBERS, REGION, World, build_world, meeting_path, rpps
from gqrec import i18n
from gqrec.cli import cli
from gqrec.indemnities import Rates, to_decimal
from test_report import IROISE, IROISE_ANIMATOR, add_iroise, tenures, write_meeting

DAYS = sorted(MEETING_DAYS + ["2024-07-09", "2024-12-17"])  # twelve Lamballe meetings
DINAN = [rpps(70 + i) for i in range(9)]
DINAN_DAYS = ["2024-03-20", "2024-05-22"]
PHYSICIAN_KEYS = ["physician", "name", "groups", "attended", "animated", "absent", "hours", "unpaid", "amount",
                  "attestation"]


def build_ledger_world(root: Path) -> World:
    w = build_world(root)
    w.edit("federation.yaml", "  meetings_per_year: 10\n",
           "  meetings_per_year: 10\n  indemnity_participant: 95.50\n  indemnity_animator: 150\n")
    w.edit(REGION, "  group_size: {min: 10, max: 12}\n",
           "  group_size: {min: 10, max: 12}\n  indemnity_animator: 190.25\n  attestation_min_meetings: 10\n")
    w.edit(G, f'  - physician: "{MEMBERS[0]}"\n    since: 2024-01-01\n',
           f'  - physician: "{MEMBERS[0]}"\n    since: 2024-01-01\n    until: 2024-11-12\n')
    w.edit(f"regions/armor/contracts/2024/{MEMBERS[1]}.yaml", "signed: 2024-01-05", "signed: 2024-02-01")
    for n, day in enumerate(DAYS):
        present, absent = list(MEMBERS[1:9]), [MEMBERS[9]]
        if n < 7:
            present.insert(0, MEMBERS[0])
        elif n < 10:
            absent.insert(0, MEMBERS[0])
        if n >= 10:
            present.remove(MEMBERS[3])
            absent.insert(0, MEMBERS[3])
        if day == "2024-03-12":
            present.append(ANIMATOR)
        write_meeting(w, meeting_path(day), present, absent)
    for who in DINAN:
        w.write(f"regions/armor/physicians/{who}.yaml", "name: Dr Dinan Membre\nterritory: lamballe\n"
                + ("animator_trained: 2023-01-01\n" if who == DINAN[0] else ""))
        w.write(f"regions/armor/contracts/2024/{who}.yaml", "signed: 2024-01-05\ngroup: dinan\n")
    w.write("regions/armor/groups/dinan/group.yaml",
            "name: Groupe Qualité de Dinan\nterritory: lamballe\nconstituted: 2024-01-01\n"
            f'animators:\n  - physician: "{DINAN[0]}"\n    since: 2024-01-01\nmembers:\n'
            + tenures([ANIMATOR, *DINAN], "2024-01-01"))
    for day in DINAN_DAYS:
        write_meeting(w, f"regions/armor/groups/dinan/meetings/{day}.yaml", [ANIMATOR, *DINAN], animator=DINAN[0])
    add_iroise(w)
    return w


@pytest.fixture
def ledger_world(tmp_path) -> World:
    return build_ledger_world(tmp_path / "records")


def invoke(*args: str):
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def ledger_json(world: World, *args: str) -> dict:
    result = invoke("ledger", str(world.root), "--year", "2024", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def lines(data: dict, region: str = "armor") -> dict[str, dict]:
    found = next(r for r in data["regions"] if r["region"] == region)
    return {p["physician"]: p for p in found["physicians"]}


# -- the figures ---------------------------------------------------------------------------------


def test_json_has_exactly_the_keys_of_the_spec(ledger_world):
    data = ledger_json(ledger_world)
    assert list(data) == ["year", "regions"] and data["year"] == 2024
    assert [r["region"] for r in data["regions"]] == ["armor", "iroise"]
    for region in data["regions"]:
        assert list(region) == ["region", "rates", "physicians", "groups", "total"]
        assert list(region["rates"]) == ["participant", "animator"]
        assert list(region["total"]) == ["attended", "animated", "hours", "amount", "attestations"]
        assert [p["physician"] for p in region["physicians"]] == sorted(p["physician"] for p in region["physicians"])
        for line in region["physicians"]:
            assert list(line) == PHYSICIAN_KEYS
        for group in region["groups"]:
            assert list(group) == ["group", "attended", "animated", "amount"]


def test_a_member_present_seven_times_and_absent_three(ledger_world):
    line = lines(ledger_json(ledger_world))[MEMBERS[0]]
    assert (line["attended"], line["absent"], line["animated"], line["unpaid"]) == (7, 3, 0, 0)
    assert line["hours"] == 14 and line["groups"] == ["lamballe"]
    assert line["amount"] == 7 * 95.5
    assert line["attestation"] is False  # 7 < Armor's 10
    assert line["name"] == "Dr Médecin 2"


def test_always_absent_member_has_no_line_and_who_is_listed(ledger_world):
    armor = lines(ledger_json(ledger_world))
    assert MEMBERS[9] not in armor
    assert set(armor) == {*MEMBERS[:9], ANIMATOR, *DINAN}


def test_an_animator_who_is_a_member_elsewhere(ledger_world):
    line = lines(ledger_json(ledger_world))[ANIMATOR]
    # animates Lamballe's 12 (listed present on 12 March, not a member: no attendance), attends Dinan's 2
    assert (line["attended"], line["animated"], line["absent"]) == (2, 12, 0)
    assert line["groups"] == ["dinan", "lamballe"]
    assert line["hours"] == 28  # 14 meetings of 2 hours, 12 March counted once
    assert line["amount"] == 2474.0  # 2 × 95,50 + 12 × 190,25 (Armor's rate)
    assert line["attestation"] is True


def test_a_meeting_counted_once_in_hours_when_its_animator_is_listed_present(ledger_world):
    line = lines(ledger_json(ledger_world))[DINAN[0]]
    assert (line["attended"], line["animated"]) == (2, 2)
    assert line["hours"] == 4  # two meetings, not four
    assert line["amount"] == 2 * 95.5 + 2 * 190.25  # REPORTS.md: attended and animated are each paid


def test_a_meeting_before_the_contract_is_unpaid(ledger_world):
    line = lines(ledger_json(ledger_world))[MEMBERS[1]]
    assert (line["attended"], line["unpaid"]) == (12, 1)
    assert line["amount"] == 11 * 95.5  # 1 050,50 €
    md = invoke("ledger", str(ledger_world.root), "--year", "2024").stdout
    unpaid = md.split("Réunions non payables")[1]
    assert MEMBERS[1] in unpaid and "16 janvier 2024" in unpaid
    assert "contrat 2024 signé le 1er février 2024, après la réunion" in unpaid
    assert MEMBERS[2] not in unpaid


def test_no_contract_at_all_is_unpaid_with_its_reason(ledger_world):
    ledger_world.remove(f"regions/armor/contracts/2024/{MEMBERS[2]}.yaml")
    line = lines(ledger_json(ledger_world))[MEMBERS[2]]
    assert (line["attended"], line["unpaid"], line["amount"]) == (12, 12, 0.0)
    md = invoke("ledger", str(ledger_world.root), "--year", "2024").stdout
    assert md.count("aucun contrat 2024 valide") == 12


def test_twelve_sessions_at_95_50_are_1146_00_exactly(ledger_world):
    line = lines(ledger_json(ledger_world))[MEMBERS[2]]
    assert (line["attended"], line["unpaid"], line["amount"]) == (12, 0, 1146.0)
    md = invoke("ledger", str(ledger_world.root), "--year", "2024", "--region", "armor").stdout
    row = next(r for r in md.splitlines() if MEMBERS[2] in r)
    assert "| 1 146,00 € |" in " ".join(row.split())  # Markdown cells keep plain spaces, as in the bilan
    html = invoke("ledger", str(ledger_world.root), "--year", "2024", "--format", "html").stdout
    assert "1\u202f146,00\xa0€" in html  # Babel's French: narrow no-break space, comma, no-break space, €
    assert Rates(to_decimal(95.50), None).amount(12, 0) == Decimal("1146.00")
    assert to_decimal(0.1) * 3 == Decimal("0.3")  # what a float sum would get wrong (0.30000000000000004)
    assert i18n.euros(Decimal("1146")) == "1\u202f146,00\xa0€"
    assert i18n.euros(Decimal("0.125")) == "0,13\xa0€" == i18n.euros(Decimal("0.1250"))  # half a cent up


def test_a_regional_rate_overrides_the_national_one(ledger_world):
    data = ledger_json(ledger_world)
    rates = {r["region"]: r["rates"] for r in data["regions"]}
    assert rates == {"armor": {"participant": 95.5, "animator": 190.25},
                     "iroise": {"participant": 95.5, "animator": 150.0}}
    assert lines(data, "iroise")[IROISE_ANIMATOR]["amount"] == 300.0  # 2 × the national 150


def test_the_attestation_threshold_exactly_and_under(ledger_world):
    armor = lines(ledger_json(ledger_world))
    assert (armor[MEMBERS[3]]["attended"], armor[MEMBERS[3]]["attestation"]) == (10, True)  # exactly 10
    assert armor[DINAN[1]]["attestation"] is False  # 2 meetings
    iroise = lines(ledger_json(ledger_world), "iroise")
    assert all(not line["attestation"] for line in iroise.values())  # national threshold 5, two meetings


def test_groups_and_totals(ledger_world):
    armor = next(r for r in ledger_json(ledger_world)["regions"] if r["region"] == "armor")
    # Lamballe: 7 × 9 + 3 × 8 + 2 × 7 = 101 attendances, one unpaid; Dinan: 2 × 10
    assert armor["groups"] == [
        {"group": "dinan", "attended": 20, "animated": 2, "amount": 20 * 95.5 + 2 * 190.25},
        {"group": "lamballe", "attended": 101, "animated": 12, "amount": 100 * 95.5 + 12 * 190.25},
    ]
    assert armor["total"] == {"attended": 121, "animated": 14, "hours": 266.0, "amount": 14123.5, "attestations": 9}


def test_no_rate_means_counts_only(world):
    data = ledger_json(world)
    region = data["regions"][0]
    assert region["rates"] == {"participant": None, "animator": None}
    assert region["total"]["amount"] is None and all(p["amount"] is None for p in region["physicians"])
    assert region["total"]["attended"] == 90 and region["total"]["attestations"] == 10  # default threshold 5
    note = "« — » : la charte ne fixe pas de tarif"
    assert note in invoke("ledger", str(world.root), "--year", "2024").stdout


def test_with_both_rates_no_note_about_missing_rates(ledger_world):
    assert "la charte ne fixe pas de tarif" not in invoke("ledger", str(ledger_world.root), "--year", "2024").stdout


@pytest.mark.parametrize("world_builder", ["hand-made", "sample"])
def test_attended_sums_to_the_bilans_attendances(ledger_world, world_builder):
    root = ledger_world.root if world_builder == "hand-made" else Path(__file__).resolve().parent.parent / "records"
    for year in (2024, 2025) if world_builder == "sample" else (2024,):
        assert_ledger_matches_bilan(root, year)


def assert_ledger_matches_bilan(root: Path, year: int, as_of: str = "2026-01-01") -> None:
    bilan = invoke("report", str(root), "--year", str(year), "--format", "json", "--as-of", as_of)
    ledger = invoke("ledger", str(root), "--year", str(year), "--format", "json")
    assert bilan.exit_code == 0 and ledger.exit_code == 0, bilan.output + ledger.output
    attendances = {r["region"]: r["attendances"] for r in json.loads(bilan.stdout)["regions"]}
    attended = {r["region"]: sum(p["attended"] for p in r["physicians"]) for r in json.loads(ledger.stdout)["regions"]}
    totals = {r["region"]: r["total"]["attended"] for r in json.loads(ledger.stdout)["regions"]}
    assert attended == attendances == totals
    assert sum(attendances.values()) > 0


def test_on_a_demo_archive_attended_sums_to_the_bilans_attendances(tmp_path):
    out = tmp_path / "demo"
    result = invoke("demo", str(out), "--regions", "2", "--groups", "5", "--years", "2", "--first-year", "2023")
    assert result.exit_code == 0, result.output
    for year in (2023, 2024):
        assert_ledger_matches_bilan(out, year, as_of="2030-01-01")


# -- formats -------------------------------------------------------------------------------------


def test_csv_opens_in_a_french_spreadsheet(ledger_world, tmp_path):
    ledger_world.edit(f"regions/armor/physicians/{MEMBERS[2]}.yaml", "name: Dr Médecin 4", 'name: "=HYPERLINK(1)"')
    out = tmp_path / "tresorier"
    result = invoke("ledger", str(ledger_world.root), "--year", "2024", "--format", "csv", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        f"valorisation-2024-{slug}.csv" for slug in ("groupes", "medecins", "non-payables", "regions")]
    raw = (out / "valorisation-2024-medecins.csv").read_bytes()
    assert raw.startswith("\ufeff".encode()) and b"\r\n" in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Région", "Nom", "RPPS", "Groupes", "Présences", "Animations", "Absences",
                       "Heures de présence", "Non payables", "Montant", "Attestation"]
    by_rpps = {row[2]: row for row in rows[1:]}
    assert by_rpps[MEMBERS[2]][1] == "'=HYPERLINK(1)"  # a formula is never run by the spreadsheet
    assert by_rpps[MEMBERS[2]][7:] == ["24", "0", "1146,00", "oui"]
    assert by_rpps[MEMBERS[0]][7] == "14" and by_rpps[MEMBERS[1]][9] == "1050,50"
    assert "csv" in invoke("ledger", str(ledger_world.root), "--year", "2024", "--format", "csv").output


def test_every_format_names_the_same_physicians(ledger_world, tmp_path):
    for fmt in ("md", "html", "json"):
        out = tmp_path / fmt
        result = invoke("ledger", str(ledger_world.root), "--year", "2024", "--region", "armor", "--format", fmt,
                        "--out", str(out))
        assert result.exit_code == 0, result.output
        text = (out / f"valorisation-2024-armor.{fmt}").read_text(encoding="utf-8")
        assert all(who in text for who in (*MEMBERS[:9], ANIMATOR, *DINAN))
        assert IROISE[0] not in text
    html = (tmp_path / "html" / "valorisation-2024-armor.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "@media print" in html and "<script" not in html


# -- refusals and bad input ----------------------------------------------------------------------


@pytest.mark.parametrize("command", ["ledger", "attestation"])
def test_refuses_to_write_under_reports_or_inside_the_records(ledger_world, tmp_path, command):
    extra = ["--all"] if command == "attestation" else []
    for out in (tmp_path / "reports", tmp_path / "depot" / "Reports" / "2024", ledger_world.root / "tresorier"):
        result = invoke(command, str(ledger_world.root), "--year", "2024", *extra, "--out", str(out))
        assert result.exit_code == 2, result.output
        assert "Refus d'écrire" in result.stderr
        assert not out.exists()
    assert invoke(command, str(ledger_world.root), "--year", "2024", *extra, "--out", str(tmp_path / "ok")).exit_code == 0


def test_sheet_is_refused_under_reports(ledger_world, tmp_path):
    result = invoke("sheet", str(ledger_world.root), "--region", "armor", "--group", "lamballe", "--date", "2025-01-14",
                    "--out", str(tmp_path / "reports"))
    assert result.exit_code == 2 and "Refus d'écrire une feuille d'émargement" in result.stderr


def test_a_year_without_meetings_is_a_clear_message(ledger_world):
    for command, extra in (("ledger", []), ("attestation", ["--all", "--out", "/tmp/nulle-part-gqrec"])):
        result = invoke(command, str(ledger_world.root), "--year", "2019", *extra)
        assert result.exit_code == 1, result.output
        assert "Aucune réunion en 2019 dans les registres" in result.stderr
        assert "Traceback" not in result.output


def test_an_unknown_region_is_a_usage_error(ledger_world):
    result = invoke("ledger", str(ledger_world.root), "--year", "2024", "--region", "corse")
    assert result.exit_code == 2 and "Région inconnue : corse" in result.stderr and "armor, iroise" in result.stderr


@pytest.mark.parametrize("value, where", [("-95.50", "-95.50"), ("beaucoup", "beaucoup"), ('"95,50"', '"95,50"')])
def test_a_negative_or_non_numeric_rate_is_gq002_on_its_line(ledger_world, value, where):
    ledger_world.edit("federation.yaml", "indemnity_participant: 95.50", f"indemnity_participant: {value}")
    run = ledger_world.check()
    found = [f for f in run.findings if f["path"] == "federation.yaml"]
    assert [f["rule"] for f in found] == ["GQ002"], run.findings
    assert (found[0]["line"], found[0]["column"]) == ledger_world.pos("federation.yaml", where)


def test_a_zero_attestation_threshold_is_gq002_in_the_region(ledger_world):
    ledger_world.edit(REGION, "attestation_min_meetings: 10", "attestation_min_meetings: 0")
    found = [f for f in ledger_world.check().findings if f["path"] == REGION]
    assert [f["rule"] for f in found] == ["GQ002"]
    assert found[0]["line"] == ledger_world.pos(REGION, "attestation_min_meetings")[0]


def test_the_valid_world_has_only_the_findings_it_is_built_with(ledger_world):
    """The hand-made world breaks only what it means to: the unpaid meeting (GQ107), the December meetings
    with nine active members (GQ101), and Iroise's two meetings (GQ102, GQ113 as in test_report)."""
    rules = sorted(set(ledger_world.check("--as-of", "2025-01-01").rules()))
    assert rules == ["GQ101", "GQ102", "GQ107", "GQ113"]


# -- the bilan's aggregate -----------------------------------------------------------------------


def test_the_bilan_gives_each_regions_total_indemnities_and_nothing_individual(ledger_world, tmp_path):
    bilan = invoke("report", str(ledger_world.root), "--year", "2024", "--format", "json", "--as-of", "2025-01-01")
    data = json.loads(bilan.stdout)
    assert {r["region"]: r["indemnities"] for r in data["regions"]} == {"armor": 14123.5, "iroise": 16 * 95.5 + 300}
    assert data["total"]["indemnities"] == 14123.5 + 1828
    md = invoke("report", str(ledger_world.root), "--year", "2024", "--as-of", "2025-01-01").stdout
    row = next(r for r in md.splitlines() if r.startswith("| Indemnités des séances (total)"))
    assert "14 123,50 €" in row and "1 828,00 €" in row and "15 951,50 €" in row
    assert "1 146,00" not in md and "2 474,00" not in md and MEMBERS[2] not in md
    plain = invoke("report", str(build_world(tmp_path / "plain").root), "--year", "2024", "--as-of", "2025-01-01").stdout
    assert "Indemnités" not in plain  # no rate in the charter: no row


# -- attestations --------------------------------------------------------------------------------

ELIGIBLE = sorted([*MEMBERS[1:9], ANIMATOR])  # Armor's threshold of 10: MEMBERS[0] (7) and Dinan's members out


def attest(world: World, out: Path, *args: str):
    return invoke("attestation", str(world.root), "--year", "2024", "--out", str(out), "--issued", "2025-01-15", *args)


def test_all_attestations_one_page_each_and_the_others_named_with_the_reason(ledger_world, tmp_path):
    out = tmp_path / "attestations"
    result = attest(ledger_world, out, "--all", "--verbose")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"attestation-2024-{who}.html" for who in ELIGIBLE] + ["attestations-2024.html"])
    combined = (out / "attestations-2024.html").read_text(encoding="utf-8")
    assert combined.count('<section class="sheet">') == len(ELIGIBLE)
    for who in (MEMBERS[0], *DINAN, *IROISE[:8], IROISE_ANIMATOR):
        assert f"(RPPS {who})" in result.stderr
    assert ("pas d'attestation pour Dr Médecin 2 (RPPS " + MEMBERS[0] + ") : 7 réunions suivies ou animées en 2024, "
            "sous le seuil de 10 de la charte (attestation_min_meetings).") in result.stderr
    assert "sous le seuil de 5" in result.stderr  # Iroise: the national threshold


def test_one_attestation_says_what_the_spec_asks(ledger_world, tmp_path):
    result = attest(ledger_world, tmp_path / "a", "--physician", MEMBERS[3])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "a" / f"attestation-2024-{MEMBERS[3]}.html").read_text(encoding="utf-8")
    assert "APIMED Armor" in page and "Dr Médecin 5" in page and MEMBERS[3] in page
    assert "Groupe Qualité de Lamballe" in page and "Asthme de l&#x27;adulte" in page
    assert page.count('<td class="date">') == 10 and "16 janvier 2024" in page and "17 décembre 2024" not in page
    assert "<strong>20 h</strong>" in page and page.count("<td class=\"num\">2 h</td>") == 10
    assert "Fait le 15 janvier 2025" in page and "Dr Médecin 0" in page  # the coordinator signs
    assert "@media print" in page and "break-before: page" in page and "page 1/1" in page


LOGO = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                     "1f15c4890000000d49444154789c6360f8cf00000301010018dd8db00000000049454e44ae426082")


def with_letterhead(world: World) -> None:
    """Armor's letterhead (address, ODPC number, signatory, place, a logo) and its 2024 action number."""
    (world.root / ".assets").mkdir()
    (world.root / ".assets/logo.png").write_bytes(LOGO)
    text = world.read("regions/armor/region.yaml")
    world.write("regions/armor/region.yaml", text + (
        "letterhead:\n  address: 3 rue des Lices, 22400 Lamballe\n  phone: 02 96 00 00 00\n  odpc: \"9876\"\n"
        "  logo: .assets/logo.png\n  signatory: {name: Dr Anne Le Gall, title: la présidente}\n  place: Lamballe\n"))
    world.edit("regions/armor/programmes/2024.yaml", "themes:", 'dpc_action: "98762400017"\nthemes:')


def test_the_letterhead_is_on_the_attestation(ledger_world, tmp_path):
    with_letterhead(ledger_world)
    assert invoke("check", str(ledger_world.root), "--as-of", "2025-01-01").exit_code in (0, 1)
    result = attest(ledger_world, tmp_path / "a", "--physician", MEMBERS[3])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "a" / f"attestation-2024-{MEMBERS[3]}.html").read_text(encoding="utf-8")
    assert "n° 9876" in page and "Action de DPC n° <strong>98762400017</strong>" in page
    assert "Fait à Lamballe, le 15 janvier 2025" in page and "la présidente" in page and "Dr Anne Le Gall" in page
    assert "3 rue des Lices, 22400 Lamballe" in page and '<img src="data:image/png;base64,' in page


def test_a_letterhead_field_in_error_is_one_finding_and_the_region_is_still_judged(ledger_world):
    ledger_world.write("regions/armor/region.yaml", ledger_world.read("regions/armor/region.yaml")
                       + "letterhead:\n  odpc: 9876\n")  # a number, not text
    result = invoke("check", str(ledger_world.root), "--as-of", "2025-01-01", "--format", "json")
    import json as json_
    found = [f for f in json_.loads(result.stdout) if f["path"] == "regions/armor/region.yaml"]
    assert [f["rule"] for f in found] == ["GQ002"]


def test_many_physicians_without_an_attestation_are_counted_on_one_line(ledger_world, tmp_path):
    result = attest(ledger_world, tmp_path / "all", "--all")
    assert result.exit_code == 0, result.output
    assert "pas d'attestation pour" not in result.stderr
    named = attest(ledger_world, tmp_path / "named", "--all", "--verbose").stderr.count("pas d'attestation pour")
    assert named > 6
    assert [line for line in result.stderr.splitlines() if "sans attestation" in line] == [
        f"Attention : {named} médecins sans attestation (sous le seuil de la charte, attestation_min_meetings) : "
        "--verbose les nomme avec le motif."]


def test_one_physician_under_the_threshold_gets_the_reason_not_a_page(ledger_world, tmp_path):
    result = attest(ledger_world, tmp_path / "b", "--physician", MEMBERS[0])
    assert result.exit_code == 1
    assert "7 réunions suivies ou animées en 2024, sous le seuil de 10" in result.stderr
    assert not list((tmp_path / "b").glob("*.html"))
    absent = attest(ledger_world, tmp_path / "c", "--physician", MEMBERS[9])
    assert absent.exit_code == 1 and "aucune présence ni animation enregistrée en 2024" in absent.stderr


@pytest.mark.parametrize("who, message", [(rpps(98), "RPPS inconnu"), ("12345", "RPPS invalide"),
                                          ("10000000001", "RPPS invalide")])
def test_an_unknown_or_malformed_rpps_is_a_usage_error(ledger_world, tmp_path, who, message):
    result = attest(ledger_world, tmp_path / "d", "--physician", who)
    assert result.exit_code == 2 and message in result.stderr and "Traceback" not in result.output


def test_attestation_wants_physician_or_all(ledger_world, tmp_path):
    for args in ((), ("--all", "--physician", MEMBERS[1])):
        result = attest(ledger_world, tmp_path / "e", *args)
        assert result.exit_code == 2 and "--physician RPPS, soit --all" in result.output


# -- the attendance sheet ------------------------------------------------------------------------


def sheet(world: World, *args: str):
    return invoke("sheet", str(world.root), "--region", "armor", "--group", "lamballe", *args)


def test_the_sheet_lists_the_roster_on_that_date(ledger_world, tmp_path):
    result = sheet(ledger_world, "--date", "2024-12-17", "--theme", "asthme-adulte", "--out", str(tmp_path / "s"))
    assert result.exit_code == 0, result.output
    page = (tmp_path / "s" / "emargement-armor-lamballe-2024-12-17.html").read_text(encoding="utf-8")
    assert "Feuille d&#x27;émargement" in page and "17 décembre 2024" in page and "Asthme de l&#x27;adulte" in page
    # MEMBERS[1..9] (MEMBERS[0] left in November), the animator, and two spare rows for a replacement or a guest
    assert page.count('<td class="sign">') == 9 + 1 + 2 and page.count('<tr class="spare">') == 2
    assert MEMBERS[0] not in page and MEMBERS[9] in page and ANIMATOR in page
    before = sheet(ledger_world, "--date", "2024-11-12").stdout
    assert MEMBERS[0] in before and before.count('<td class="sign">') == 11 + 2  # and the spare rows


def test_sheet_bad_input(ledger_world):
    cases = [
        (("--date", "2024-02-30"), 2, "date AAAA-MM-JJ attendue"),
        (("--date", "2023-06-01"), 1, "aucun membre actif le 2023-06-01"),
        (("--date", "2024-06-01", "--theme", "inconnu"), 2, "Thème inconnu : inconnu"),
    ]
    for args, status, message in cases:
        result = sheet(ledger_world, *args)
        assert result.exit_code == status and message in result.output, result.output
    other = invoke("sheet", str(ledger_world.root), "--region", "armor", "--group", "brest", "--date", "2024-06-01")
    assert other.exit_code == 2 and "Groupe inconnu dans la région armor : brest" in other.stderr
    off = sheet(ledger_world, "--date", "2025-02-11", "--theme", "asthme-adulte")
    assert off.exit_code == 0 and "pas au programme 2025" in off.stderr


def test_an_invalid_rate_computes_no_euro(ledger_world, tmp_path):
    """A rate the check rejects is not taken as « no rate »: the ledger and attestations refuse, the bilan
    gives no total for the regions it applies to."""
    ledger_world.edit("federation.yaml", "indemnity_participant: 95.50", "indemnity_participant: -95.50")
    for command, extra in (("ledger", []), ("attestation", ["--all", "--out", str(tmp_path / "a")])):
        result = invoke(command, str(ledger_world.root), "--year", "2024", *extra)
        assert result.exit_code == 1, result.output
        assert "indemnity_participant est écrit de façon invalide (voir gqrec check, GQ002)" in result.stderr
    assert not (tmp_path / "a").exists()
    bilan = json.loads(invoke("report", str(ledger_world.root), "--year", "2024", "--format", "json",
                              "--as-of", "2025-01-01").stdout)
    assert [r["indemnities"] for r in bilan["regions"]] == [None, None] and bilan["total"]["indemnities"] is None
    ledger_world.edit("federation.yaml", "  indemnity_participant: -95.50\n", "")
    ledger_world.edit(REGION, "indemnity_animator: 190.25", "indemnity_animator: beaucoup")
    result = invoke("ledger", str(ledger_world.root), "--year", "2024", "--region", "iroise")
    assert result.exit_code == 0  # Armor's fault does not stop Iroise's ledger
    assert invoke("ledger", str(ledger_world.root), "--year", "2024").exit_code == 1


def test_init_shows_the_valorisation_keys(tmp_path, gqrec_source):
    assert invoke("init", str(tmp_path / "depot"), "--source", gqrec_source).exit_code == 0
    federation = (tmp_path / "depot" / "records" / "federation.yaml").read_text(encoding="utf-8")
    assert "  attestation_min_meetings: 5 " in federation and "attestation EPP/DPC" in federation
    assert "  # indemnity_participant: 95.50 " in federation and "  # indemnity_animator: " in federation


def test_the_ledger_reads_one_year_and_says_what_the_whole_archive_says(tmp_path):
    """As `report --year`: only the year's dated records are read (here, of a four-year archive with
    faults), and the ledger is the one the whole archive gives."""
    from gqrec.check import build_registry
    from gqrec.demo import DEMO_KEY, generate
    from gqrec.ledger import figures, json_
    from gqrec.ledger.produce import year_registry as _registry

    root = tmp_path / "archive"
    generate(root, regions=2, groups=4, years=4, first_year=2021, faults=10)
    key = DEMO_KEY.encode()  # the generated archive's feedback is sealed with it
    whole = build_registry(root, key=key)
    for year in (2022, 2024):
        read = _registry(root, year, key)
        assert {m.date.year for ms in read.meetings.values() for m in ms} == {year}
        assert {year_ for (_, year_, _) in read.contracts} == {year}
        assert json_.render(figures.build(read, year)) == json_.render(figures.build(whole, year))
