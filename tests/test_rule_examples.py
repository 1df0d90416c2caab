"""Every rule's own example (`@rule(..., example=...)`, gqrec/rules/examples.py), planted in the small
world of tests/world.py: the fault gives that rule's findings (in the file it says, and no other rule's
when it is `alone`), and its compliant variant none. A rule added with its example is tested here
without a line written in this file."""

from __future__ import annotations

from datetime import date

import pytest

from gqrec import rules
from gqrec.rules.examples import plant
from world import FEEDBACK_KEY

CATALOGUE = rules.catalogue()


def planted(world, entry, fixed=False):
    """The example planted in the world; the paths it touched."""
    paths = plant(world.root, entry.example, fixed=fixed, key=FEEDBACK_KEY.encode())
    assert paths is not None, f"{entry.id} : l'exemple ne trouve pas où se planter dans le monde de test"
    if "git" in entry.needs:
        from test_git import commit_all, git

        git(world.root, "init", "-q")
        commit_all(world.root, when=date(2026, 1, 1))
    return paths


def test_every_rule_has_an_example_or_says_why_not():
    assert [entry.id for entry in CATALOGUE if entry.example is None and not entry.no_example] == []


@pytest.mark.parametrize("entry", [e for e in CATALOGUE if e.example], ids=lambda e: e.id)
def test_the_example_gives_the_rules_finding(world, entry):
    example = entry.example
    if example.keyless:
        every = world.findings_of(key=None)
        paths = []
    else:
        paths = planted(world, entry)
        every = world.findings_of()
    mine = [f for f in every if f["rule"] == entry.id]
    assert mine, f"{entry.id} : son exemple ({example.note}) ne le déclenche pas"
    if example.at is not None:
        assert {f["path"] for f in mine} == {paths[example.at]}, mine
    if example.alone:
        assert every == mine, every


@pytest.mark.parametrize("entry", [e for e in CATALOGUE if e.example and e.example.fixed], ids=lambda e: e.id)
def test_the_compliant_variant_gives_none(world, entry):
    planted(world, entry, fixed=True)
    assert world.findings_of(entry.id) == []


def test_the_readme_rule_table_is_the_catalogues():
    """README's « Les règles » table is `gqrec rule --format md`: regenerate it when a rule is added."""
    from pathlib import Path

    from gqrec.render.rules import Request, render_markdown

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    table = render_markdown(CATALOGUE, Request(fmt="md"))
    start = readme.index(table.split("\n", 1)[0])
    assert readme[start:readme.index("\n\n", start) + 1] == table, "gqrec rule --format md > table du README"


def test_the_demo_plants_examples_whose_finding_is_alone_where_they_say():
    from gqrec.demo import FAULT_RULES

    examples = {entry.id: entry.example for entry in CATALOGUE}
    assert [rule for rule in FAULT_RULES if not (examples[rule].alone and examples[rule].at is not None)] == []
