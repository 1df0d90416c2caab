"""The public demo key (issue 24): records that do not say they are invented (`demo: true` in
federation.yaml) refuse it wherever it would seal, code or publish (exit 2, French), so that no real
row is sealed, and no member coded, under a key anyone knows; the sample and demo archives keep it."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from world import FEEDBACK_KEY, key_file
from gqrec.cli import cli
from gqrec.demo import DEMO_KEY, generate
from gqrec.sample import is_demo

S1 = "regions/armor/feedback/2024-S1.csv"
REFUSAL = "clé publique de démonstration"


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture
def real(world):
    """The test world without its « demo: true »: records as a real repository keeps them."""
    world.edit("federation.yaml", "demo: true\n", "")
    assert FEEDBACK_KEY == DEMO_KEY and not is_demo(world.root)
    return world


def commands(root, out):
    return {
        "seal": ["seal", root / S1],
        "feedback": ["feedback", root, "--period", "2024-S1", "--group", "lamballe"],
        "export --pseudonymise": ["export", root, "--pseudonymise", "--out", out / "export.db"],
        "report": ["report", root, "--year", "2024", "--as-of", "2025-01-01"],
        "impact": ["impact", root, "--year", "2024", "--as-of", "2025-01-01"],
    }


@pytest.mark.parametrize("command", ["seal", "feedback", "export --pseudonymise", "report", "impact"])
def test_the_demo_key_is_refused_on_records_that_are_not_invented(real, tmp_path_factory, command):
    out = tmp_path_factory.mktemp("sortie")
    before = (real.root / S1).read_bytes()
    result = invoke(*commands(real.root, out)[command])
    assert result.exit_code == 2, result.output
    assert REFUSAL in result.output and "demo: true" in result.output
    assert list(out.iterdir()) == [] and (real.root / S1).read_bytes() == before


@pytest.mark.parametrize("command", ["seal", "feedback", "export --pseudonymise", "report", "impact"])
def test_the_same_commands_take_it_on_invented_records(world, tmp_path_factory, command):
    result = invoke(*commands(world.root, tmp_path_factory.mktemp("sortie"))[command])
    assert result.exit_code == 0, result.output
    assert REFUSAL not in result.output


def test_rekey_moves_real_records_away_from_the_demo_key_and_never_to_it(real, tmp_path):
    demo = key_file(tmp_path, "demo", DEMO_KEY)
    secret = key_file(tmp_path, "secrete", "une-cle-secrete-de-la-region-assez-longue")
    away = invoke("rekey", real.root, "--from", demo, "--to", secret)
    assert away.exit_code == 0, away.output
    back = invoke("rekey", real.root, "--from", secret, "--to", demo)
    assert back.exit_code == 2 and REFUSAL in back.output


def test_check_and_unseal_still_read_with_it(real):
    assert real.check().exit_code == 0
    assert invoke("unseal", real.root / S1).exit_code == 0


def test_the_sample_and_generated_archives_say_they_are_invented_and_init_does_not(tmp_path, gqrec_source):
    from pathlib import Path

    assert is_demo(Path(__file__).resolve().parent.parent / "records")
    generate(tmp_path / "demo", regions=1, groups=2, years=1, first_year=2024)
    assert is_demo(tmp_path / "demo")
    from gqrec.authoring.init import init_repository

    created = init_repository(tmp_path / "depot", source=gqrec_source)
    assert not is_demo(created.root / "records")
