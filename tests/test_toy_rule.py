"""Adding a rule is its function, its registration with its example, and its own tests: this file
registers a toy rule (for the length of each test, the catalogue restored after it) and shows that
the harness, the generic example test, the command and `gqrec rule` take it with no other test file
touched — and that the other rules' tests do not see it."""

from __future__ import annotations

import pytest
import test_rule_examples
from world import MEETING_DAYS, after, meeting_path, one, where

from gqrec.findings import WARNING
from gqrec.rules import CATALOGUE, catalogue, hit, rule
from gqrec.rules.examples import Edit, Example, plant

TOY = "GQ199"


@pytest.fixture
def toy():
    """A toy rule, « réunion de plus de quatre heures », registered with its example, then removed."""
    catalogue()
    before = dict(CATALOGUE)

    @rule(TOY, WARNING, "Réunion trop longue", "Une séance de plus de quatre heures lasse les participants.",
          "Partagez le thème sur deux séances.",
          example=Example("Une réunion de cinq heures.",
                          (Edit("meeting", "duration_minutes: {n}\n", "duration_minutes: 300\n"),),
                          fixed=(Edit("meeting", "duration_minutes: {n}\n", "duration_minutes: 240\n"),)))
    def too_long(registry, conf):
        for meetings in registry.meetings.values():
            for meeting in meetings:
                if meeting.duration_minutes > 240:
                    yield hit(meeting.src, ("duration_minutes",), f"Réunion de {meeting.duration_minutes} minutes.")

    try:
        yield CATALOGUE[TOY]
    finally:
        CATALOGUE.clear()
        CATALOGUE.update(before)


def test_the_toy_rule_is_tested_alone_through_the_harness(world, toy):
    path = meeting_path(MEETING_DAYS[2])
    world.edit(path, "duration_minutes: 120", "duration_minutes: 241")
    f = one(world, TOY)
    assert where(f) == (path, *after(world, path, "duration_minutes: "))
    assert f["severity"] == "warning" and f["message"] == "Réunion de 241 minutes."
    world.edit(path, "duration_minutes: 241", "duration_minutes: 240")
    assert world.findings_of(TOY) == []


def test_the_generic_example_test_takes_the_toy_rule(world, toy):
    test_rule_examples.test_the_example_gives_the_rules_finding(world, toy)


def test_the_toy_rules_compliant_variant_is_silent(world, toy):
    assert plant(world.root, toy.example, fixed=True) is not None
    assert world.findings_of(TOY) == []


def test_the_command_and_the_catalogue_show_the_toy_rule(world, toy):
    plant(world.root, toy.example)
    run = world.check("--no-cache")
    assert run.rules() == [TOY] and run.exit_code == 0  # a warning, found region by region as on the whole tree
    shown = world.invoke("rule", TOY).output
    assert "Réunion trop longue" in shown and "duration_minutes: 300" in shown


def test_another_rules_test_does_not_see_the_toy_rule(world, toy):
    """GQ111's own assertions, on the field the toy rule also reads, are untouched by it."""
    path = meeting_path(MEETING_DAYS[2])
    world.edit(path, "duration_minutes: 120", "duration_minutes: 60")
    assert one(world, "GQ111")["path"] == path
    world.edit(path, "duration_minutes: 60", "duration_minutes: 300")
    assert world.findings_of("GQ111") == [] and len(world.findings_of(TOY)) == 1


def test_the_catalogue_is_restored_after_each_toy_test():
    assert TOY not in CATALOGUE and TOY not in {entry.id for entry in catalogue()}
