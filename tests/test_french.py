"""Every text a coordinator can meet is French: Click's own (Usage, Error, Missing option…), the rule
catalogue, the loader's and the schemas' messages, with no raw regular expression in any of them."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from gqrec.cli import cli
from gqrec.rules import catalogue

ENGLISH = re.compile(
    r"\b(Usage:|Error:|Options:|Commands:|Show this message|Show the version|Missing option|Missing argument|"
    r"No such option|No such command|Invalid value|is not one of|is not a valid|does not exist|for help|"
    r"required\]|default:|Try '|\bTEXT\b|\bINTEGER\b|\bRANGE\b|\bDIRECTORY\b|\bFILE\b|\bPATH\b|\bBOOLEAN\b|\bCOMMAND\b|\bKIND\b|\[ARGS\])"
)
REGEX = re.compile(r"\^|\$\)|\[0-9\]|\{[0-9]+\}|\\d|\(\?|\[a-z")


def commands(group=cli, path=()):
    yield path
    for name, command in getattr(group, "commands", {}).items():
        yield from commands(command, path + (name,))


@pytest.mark.parametrize("path", list(commands()), ids=lambda p: " ".join(p) or "gqrec")
def test_every_help_is_french(path):
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert not ENGLISH.search(result.output), result.output
    assert "Usage :" in result.output and "Affiche cette aide et quitte." in result.output


@pytest.mark.parametrize("args", [
    ["new", "territory"],                                   # missing option
    ["check", "--formt", "json"],                           # unknown option, with a suggestion
    ["check", "--format", "xml"],                           # not one of the choices
    ["report", "--year", "deux-mille"],                     # not a number
    ["report", "--year", "12345"],                          # out of range
    ["nouveau"],                                            # unknown command
    ["rule", "GQ101", "GQ102"],                             # extra argument
    ["fmt", "/nulle/part"],                                 # path that does not exist
])
def test_usage_errors_are_french(args):
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, result.output
    assert not ENGLISH.search(result.output), result.output
    assert "Erreur : " in result.output


def test_the_rule_catalogue_is_french_and_has_no_regex():
    for entry in catalogue():
        for text in (entry.title, entry.explanation, entry.fix):
            assert not REGEX.search(text), (entry.id, text)
            assert not re.search(r"(?<![-\w])(the|must|should|missing|invalid|not)\b", text), (entry.id, text)


def test_schema_patterns_all_have_french_words():
    """No schema message can show a raw pattern: each pattern of the schemas has its French wording."""
    import json

    from gqrec.schemas import PATTERN_FR, schema_files

    patterns = {json.loads(f'"{m}"')  # the pattern as the schema means it (a JSON string: `\\.` is `\.`)
                for p in schema_files() for m in re.findall(r'"pattern": "([^"]+)"', p.read_text("utf-8"))}
    assert patterns and patterns <= set(PATTERN_FR)
    assert not any(REGEX.search(words) for words in PATTERN_FR.values())


BROKEN_YAML = [
    "a:\n  b: 1\n c: 2\n",        # inconsistent indentation
    "a: [1,\n",                    # unclosed flow list
    "a: b: c\n",                   # colon inside a value
    "a: 'x\n",                     # unclosed quote
    "- a\nb: 1\n",                 # list then mapping
    "a: *nowhere\n",               # undefined alias
    "a: 1\n---\nb: 2\n",           # two documents
    "a:\tb\n",                     # tab after a colon
    "a: @b\n",                     # reserved character
    "a: !!python/object x\n",      # tag
    "a: 1\na: 2\n",                # duplicate key
]


@pytest.mark.parametrize("text", BROKEN_YAML)
def test_loader_messages_are_french_without_the_yaml_readers_english(text):
    from gqrec.parse import ParseError, parse_yaml

    with pytest.raises(ParseError) as caught:
        parse_yaml(text)
    message = caught.value.message
    assert not re.search(r"\b(while|expected|found|but|mapping|scanning|parsing|block|token)\b", message), message
    assert not REGEX.search(message), message
