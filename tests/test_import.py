"""`gqrec import physicians|members FILE`: real .xlsx workbooks written with openpyxl and French CSVs
(Windows-1252, `;`, RPPS typed as numbers or written back as 1,002003001E+10), refused rows listed with
their line and why, nothing written unless --skip-invalid, and the same import run twice changing nothing."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl

from world import ANIMATOR, G, MEMBERS, OUTSIDER, World, rpps

PHYSICIANS = "regions/armor/physicians"
SCIENTIFIC = "10020030010"  # a valid RPPS that a spreadsheet writes back as 1.002003001E+10 without loss


def run_import(world: World, what: str, source: Path, *args: str):
    return world.invoke("import", what, str(source), "--root", str(world.root), *args)


def files(world: World) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted((world.root / PHYSICIANS).iterdir())}


def plouha(world: World) -> None:
    world.write("regions/armor/territories/pays-de-plouha.yaml",
                "name: Pays de Plouha\nsetting: rural\ngeneral_practitioners: 8\n")


def workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_xlsx_physicians_with_rpps_typed_as_numbers(world, tmp_path):
    plouha(world)
    source = workbook(tmp_path / "médecins.xlsx", {
        "Notes": [["Liste tenue par le secrétariat"]],  # the sheet with an RPPS column is read, not the first
        "Médecins": [["NOM", "PRENOM", "N° RPPS", "territoire", "Téléphone"],
                     ["LE GALL", "Anne", int(rpps(201)), "Pays de Plouha", "02 96 00 00 00"],
                     ["Durand", "Paul", float(rpps(202)), "lamballe", None],
                     [None, None, None, None, None],
                     ["Martin", "Zoé", float(SCIENTIFIC), "LAMBALLE", None]],
    })
    run = run_import(world, "physicians", source)
    assert run.exit_code == 0, run.output
    assert "médecins.xlsx : 3 lignes lues (colonnes NOM, PRENOM, N° RPPS, territoire ; ignorées : Téléphone)." \
        in run.output
    assert "3 fiches de médecin créées, 0 déjà présente." in run.output
    made = files(world)
    assert "name: Dr Anne LE GALL" in made[f"{rpps(201)}.yaml"]
    assert "territory: pays-de-plouha" in made[f"{rpps(201)}.yaml"]  # the territory's name, read as its id
    assert "name: Dr Paul Durand" in made[f"{rpps(202)}.yaml"]
    assert "territory: lamballe" in made[f"{SCIENTIFIC}.yaml"]
    assert world.check().findings == []
    again = run_import(world, "physicians", source)
    assert again.exit_code == 0 and "Rien à faire : 3 médecins déjà présents." in again.output
    assert files(world) == made


def test_french_csv_cp1252_semicolons_refused_rows_then_skip_invalid(world, tmp_path):
    source = tmp_path / "export.csv"
    source.write_bytes((
        "N° RPPS;Nom;Prénom;Territoire;Spécialité\r\n"
        f"{rpps(201)};Hervé;Zoé;lamballe;Médecine générale\r\n"
        "1,002003001E+10;Lefèvre;Élodie;Lamballe;\r\n"
        f"{rpps(202)[:-1]}{(int(rpps(202)[-1]) + 1) % 10};Faux;Clé;lamballe;\r\n"
        "1008234512;Court;Numéro;lamballe;\r\n"
        f"{rpps(203)};Autre;Terre;lamballes;\r\n"
        f"{rpps(201)};Hervé;Zoé;lamballe;\r\n"
    ).encode("cp1252"))
    before = files(world)
    run = run_import(world, "physicians", source)
    assert run.exit_code == 1
    assert "export.csv : 6 lignes lues (colonnes N° RPPS, Nom, Prénom, Territoire, Spécialité)." in run.output
    assert "Lignes refusées (4) :" in run.output
    assert f"  ligne 4 : RPPS « {rpps(202)[:-1]}" in run.output and "clé de contrôle (Luhn) fausse" in run.output
    assert "  ligne 5 : RPPS « 1008234512 » : 10 chiffres ; un numéro RPPS en a 11." in run.output
    assert "  ligne 6 : territoire « lamballes » inconnu dans la région « armor » : vouliez-vous dire lamballe ?" \
        in run.output
    assert f"  ligne 7 : RPPS {rpps(201)} déjà à la ligne 2." in run.output
    assert "Rien n'a été écrit" in run.output and "--skip-invalid pour importer 2 autres lignes" in run.output
    assert files(world) == before
    run = run_import(world, "physicians", source, "--skip-invalid")
    assert run.exit_code == 0, run.output
    assert "2 fiches de médecin créées" in run.output
    made = files(world)
    assert "name: Dr Zoé Hervé" in made[f"{rpps(201)}.yaml"] and "specialty" not in made[f"{rpps(201)}.yaml"].split(
        "\n", 2)[2]  # « Médecine générale » is the default, not written
    assert "name: Dr Élodie Lefèvre" in made[f"{SCIENTIFIC}.yaml"]
    assert world.check().findings == []
    again = run_import(world, "physicians", source, "--skip-invalid")
    assert "Rien à faire : 2 médecins déjà présents." in again.output and files(world) == made


def test_utf8_csv_with_bom_commas_and_a_default_territory(world, tmp_path):
    source = tmp_path / "liste.csv"
    source.write_bytes("\ufeffrpps,nom complet\n".encode() + f'"{rpps(201)}","Dr Anne Le Gall"\n'.encode()
                       + b'1.002003001E+10,Docteur Paul Roux\n')
    run = run_import(world, "physicians", source)
    assert run.exit_code == 2 and "--territory" in run.output  # no territory column and none given
    run = run_import(world, "physicians", source, "--territory", "lamballe")
    assert run.exit_code == 0, run.output
    made = files(world)[f"{rpps(201)}.yaml"]
    assert "name: Dr Anne Le Gall " in made and "territory: lamballe " in made  # « Dr » not written twice
    assert "name: Docteur Paul Roux " in files(world)[f"{SCIENTIFIC}.yaml"]


def test_what_is_not_a_spreadsheet_of_physicians_is_refused(world, tmp_path):
    old = tmp_path / "liste.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    run = run_import(world, "physicians", old)
    assert run.exit_code == 2 and "enregistrez le classeur au format .xlsx" in run.output
    noid = tmp_path / "sans.csv"
    noid.write_text("Nom;Prénom\nLe Gall;Anne\n", encoding="utf-8")
    run = run_import(world, "physicians", noid, "--territory", "lamballe")
    assert run.exit_code == 2 and "aucune colonne « RPPS »" in run.output


def test_xlsx_members_into_group_yaml_kept_comments_and_idempotent(world, tmp_path):
    world.edit(G, "members:\n", "members:\n  # les fondateurs\n")
    world.write(f"{PHYSICIANS}/{rpps(201)}.yaml", "name: Dr Nouvelle Arrivée\nterritory: lamballe\n")
    source = workbook(tmp_path / "membres.xlsx", {"Membres": [
        ["RPPS", "Groupe", "Date d'entrée"],
        [int(OUTSIDER), "Groupe Qualité de Lamballe", datetime(2024, 12, 11)],  # the group by its name
        [int(rpps(201)), "lamballe", "11/12/2024"],
        [int(MEMBERS[0]), "lamballe", None],  # already a member since 2024-01-01: left as it is
        [int(rpps(77)), "lamballe", None],  # no physician file
        [int(ANIMATOR), "lambale", None],
    ]})
    before = world.read(G)
    run = run_import(world, "members", source)
    assert run.exit_code == 1
    assert f"  ligne 5 : {rpps(77)} n'a pas de fiche dans la région « armor »" in run.output
    assert "  ligne 6 : groupe « lambale » inconnu dans la région « armor » : vouliez-vous dire lamballe ?" \
        in run.output
    assert world.read(G) == before
    run = run_import(world, "members", source, "--skip-invalid")
    assert run.exit_code == 0, run.output
    assert "2 membres ajoutés, 1 déjà membre." in run.output
    text = world.read(G)
    assert "  # les fondateurs\n" in text
    assert text.endswith(f'  - physician: "{OUTSIDER}"    # Dr Médecin 1\n    since: 2024-12-11\n'
                         f'  - physician: "{rpps(201)}"    # Dr Nouvelle Arrivée\n    since: 2024-12-11\n')
    assert world.check().findings == []
    again = run_import(world, "members", source, "--skip-invalid")
    assert "Rien à faire : 3 déjà membres." in again.output and world.read(G) == text


def test_members_csv_refuses_an_arrival_a_held_roll_call_contradicts(world, tmp_path):
    source = tmp_path / "membres.csv"
    source.write_text(f"RPPS;Depuis\n{OUTSIDER};2024-06-01\n", encoding="utf-8")
    run = run_import(world, "members", source, "--group", "lamballe")
    assert run.exit_code == 1
    assert "ligne 2 : L'appel des réunions tenues du groupe « lamballe » depuis le 2024-06-01" in run.output
