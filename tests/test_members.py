"""`gqrec member join|leave|move`: group.yaml edited in place (comments kept), held roll calls never
rewritten and never contradicted, refusals in French with exit 2, and a clean check afterwards."""

from __future__ import annotations

from world import AS_OF, ANIMATOR, G, MEMBERS, OUTSIDER, World, meeting_path, rpps

PLANNED = 'theme: asthme-adulte\nstatus: planned\nanimator: "{animator}"\n'
PLOUHA = "regions/armor/groups/plouha/group.yaml"


def planned(world: World, day: str) -> None:
    """A planned meeting of lamballe, its year's programme validated."""
    world.write(f"regions/armor/programmes/{day[:4]}.yaml", "validated: 2024-12-01\nthemes: [asthme-adulte]\n")
    world.write(meeting_path(day), PLANNED.format(animator=ANIMATOR))


def member(world: World, *args: str):
    return world.invoke("member", *args, "--root", str(world.root))


def commented(world: World) -> None:
    """Comments a coordinator wrote in group.yaml, which every member command must keep."""
    world.edit(G, "wave: 1\n", "wave: 1  # première vague\n")
    world.edit(G, "members:\n", "members:\n  # les fondateurs, validés en COPIL\n")


def test_join_opens_an_entry_and_keeps_the_comments(world):
    commented(world)
    planned(world, "2025-02-11")
    run = member(world, "join", "--group", "lamballe", "--physician", OUTSIDER, "--date", "2024-12-11")
    assert run.exit_code == 0, run.output
    assert f"Dr Médecin 1 ({OUTSIDER}) rejoint le groupe « lamballe » le 2024-12-11" in run.output
    assert "Réunions prévues concernées (1) : 2025-02-11" in run.output
    assert f"pas de contrat 2024 pour {OUTSIDER}" in run.output  # a note: no contract yet
    text = world.read(G)
    assert "wave: 1  # première vague\n" in text and "  # les fondateurs, validés en COPIL\n" in text
    assert text.endswith(f'  - physician: "{OUTSIDER}"    # Dr Médecin 1\n    since: 2024-12-11\n')
    assert world.check().findings == []


def test_leave_closes_the_entry_active_that_day(world):
    commented(world)
    run = member(world, "leave", "--group", "lamballe", "--physician", MEMBERS[9], "--date", "2024-12-10")
    assert run.exit_code == 0, run.output
    assert "dernier jour le 2024-12-10 (members : until 2024-12-10)" in run.output
    text = world.read(G)
    assert f'  - physician: "{MEMBERS[9]}"\n    since: 2024-01-01\n    until: 2024-12-10\n' in text
    assert "wave: 1  # première vague\n" in text and "  # les fondateurs, validés en COPIL\n" in text
    assert world.check().findings == []
    again = member(world, "leave", "--group", "lamballe", "--physician", MEMBERS[9], "--date", "2024-12-10")
    assert again.exit_code == 2 and "rien à faire" in again.output


def test_leave_refuses_a_date_a_held_roll_call_contradicts(world):
    before = world.read(G)
    run = member(world, "leave", "--group", "lamballe", "--physician", MEMBERS[0], "--date", "2024-06-30")
    assert run.exit_code == 2
    assert "2024-09-10, 2024-10-08, 2024-11-12, 2024-12-10" in run.output and "ne se réécrit pas" in run.output
    assert world.read(G) == before  # held meetings are history: nothing written, nothing rewritten
    assert "present:" in world.read(meeting_path("2024-09-10"))


def test_leave_warns_when_the_group_falls_below_the_charter(world):
    planned(world, "2025-02-11")
    run = member(world, "leave", "--group", "lamballe", "--physician", MEMBERS[0], "--date", "2025-01-31")
    assert run.exit_code == 0, run.output
    assert "ne le comptera plus" in run.output
    assert "le 2025-02-11, le groupe « lamballe » comptera 9 membres actifs, hors de la taille de la charte " \
           "(10 à 12, GQ101)" in run.output


def test_join_refuses_what_would_be_wrong(world):
    before = world.read(G)
    cases = [
        (("--group", "lambale", "--physician", OUTSIDER, "--date", "2024-12-11"), "vouliez-vous dire lamballe ?"),
        (("--group", "lamballe", "--physician", rpps(77), "--date", "2024-12-11"), "n'a pas de fiche"),
        (("--group", "lamballe", "--physician", "1000000099", "--date", "2024-12-11"), "10 chiffres ; un numéro RPPS en a 11"),
        (("--group", "lamballe", "--physician", MEMBERS[0], "--date", "2024-12-11"), "est déjà membre"),
        (("--group", "lamballe", "--physician", OUTSIDER, "--date", "2024-11-01"), "2024-11-12, 2024-12-10"),
    ]
    for args, message in cases:
        run = member(world, "join", *args)
        assert run.exit_code == 2, (args, run.output)
        assert message in run.output, (args, run.output)
    assert world.read(G) == before


def test_leave_refuses_a_date_before_joining_and_a_stranger(world):
    set_since = f'physician: "{MEMBERS[0]}"\n    since: 2024-01-01\n'
    world.edit(G, set_since, set_since.replace("2024-01-01", "2024-01-10"))
    run = member(world, "leave", "--group", "lamballe", "--physician", MEMBERS[0], "--date", "2024-01-05")
    assert run.exit_code == 2 and "n'a rejoint le groupe « lamballe » que le 2024-01-10" in run.output
    run = member(world, "leave", "--group", "lamballe", "--physician", OUTSIDER, "--date", "2024-12-20")
    assert run.exit_code == 2 and "n'est pas membre du groupe" in run.output


def plouha(world: World) -> None:
    """A second group, in a territory of two GPs: the outsider and (once moved) the last member of lamballe."""
    world.write("regions/armor/territories/plouha.yaml", "name: Plouha\nsetting: rural\ngeneral_practitioners: 2\n")
    for who in (OUTSIDER, MEMBERS[9]):
        world.edit(f"regions/armor/physicians/{who}.yaml", "territory: lamballe", "territory: plouha")
    world.write(PLOUHA, f"""
        # Groupe de la deuxième vague
        name: Groupe de Plouha
        territory: plouha
        constituted: 2024-12-01
        animators:
          - physician: "{ANIMATOR}"
            since: 2024-12-01
        members:
          - physician: "{OUTSIDER}"
            since: 2024-12-01
    """)


def test_move_leaves_the_day_before_and_joins_on_the_day(world):
    plouha(world)
    commented(world)
    run = member(world, "move", "--physician", MEMBERS[9], "--from", "lamballe", "--to", "plouha",
                 "--date", "2024-12-11")
    assert run.exit_code == 0, run.output
    assert "passe du groupe « lamballe » (dernier jour le 2024-12-10) au groupe « plouha » (depuis le 2024-12-11)" \
        in run.output
    assert f'"{MEMBERS[9]}"\n    since: 2024-01-01\n    until: 2024-12-10\n' in world.read(G)
    assert world.read(PLOUHA).startswith("# Groupe de la deuxième vague\n")
    assert f'"{MEMBERS[9]}"    # Dr Médecin 11\n    since: 2024-12-11\n' in world.read(PLOUHA)
    assert "wave: 1  # première vague\n" in world.read(G)
    assert world.check(as_of=AS_OF).findings == []


def test_join_of_a_member_of_another_group_points_to_move(world):
    plouha(world)
    run = member(world, "join", "--group", "plouha", "--physician", MEMBERS[0], "--date", "2024-12-11")
    assert run.exit_code == 2
    assert "GQ106" in run.output
    assert f"gqrec member move --physician {MEMBERS[0]} --from lamballe --to plouha --date 2024-12-11" in run.output
