"""The feedback key is one explicit value: loaded by the command (`commands.options.feedback_key`, through
`member_codes.load_key`), then passed to the library — the `Pipeline`, the reading stage and its workers,
the cache signature. No module keeps it in force, and the library never reads it from the environment."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest

import gqrec
from gqrec import sealing
from gqrec.check import check
from gqrec.pipeline import Pipeline
from world import AS_OF, FEEDBACK_KEY

PACKAGE = Path(gqrec.__file__).parent
KEY = FEEDBACK_KEY.encode()
# The module-level names a function may rebind, and why: the judge of a cold check, and the attestations
# whose PDFs are drawn, each handed to the worker processes that are forked for them (they inherit it;
# nothing is pickled) and reset as soon as they are done.
REBOUND = {("pipeline.py", "_FORKED"), ("ledger/attestation_pdf.py", "_JOB")}


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path.relative_to(PACKAGE).as_posix(), ast.parse(path.read_text(encoding="utf-8"))


def test_no_module_keeps_state_that_a_function_rebinds():
    """A `global` statement is how a module keeps a setting in force for the whole process (the key
    was one: `sealing.using`); none is allowed but the worker hand-off above."""
    rebound = {(name, target) for name, tree in _modules() for node in ast.walk(tree)
               if isinstance(node, ast.Global) for target in node.names}
    assert rebound == REBOUND


def _reads_the_key_variable(node: ast.AST) -> bool:
    """`environ[KEY_ENV]`, `environ.get(KEY_ENV)` and the like, with the name or the variable spelled out."""
    def names_key(arg):
        return (isinstance(arg, ast.Name) and arg.id == "KEY_ENV") or (
            isinstance(arg, ast.Attribute) and arg.attr == "KEY_ENV") or (
            isinstance(arg, ast.Constant) and arg.value == sealing.KEY_ENV)

    if isinstance(node, ast.Subscript):
        return names_key(node.slice)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("get", "getenv"):
        return any(names_key(arg) for arg in node.args[:1])
    return False


def test_the_key_is_read_from_the_environment_in_one_place():
    """`member_codes.load_key`, which refuses a short key or a key file the repository could commit, is the
    only reader of GQREC_FEEDBACK_KEY: no library function takes the key behind its caller's back."""
    readers = set()
    for name, tree in _modules():
        for function in ast.walk(tree):
            if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if any(_reads_the_key_variable(node) for node in ast.walk(function)):
                    readers.add((name, function.name))
    assert readers == {("member_codes.py", "load_key")}


def test_the_library_takes_the_key_it_is_given_and_no_other(world, monkeypatch):
    """The environment holds a key (as in every test); a library caller that gives none gets the sealed
    files closed (GQ120), one that gives it gets them opened, in the same process, in any order, and
    the cache never serves what one key read to the other."""
    monkeypatch.setenv(sealing.KEY_ENV, FEEDBACK_KEY)
    as_of = date.fromisoformat(AS_OF)
    keyed, keyless = Pipeline(world.root, key=KEY), Pipeline(world.root)
    assert keyed.signature != keyless.signature
    for _ in range(2):  # cold, then warm (each from its own cache)
        assert [f.opened for f in keyless.registry(as_of).feedback.values()] == [False, False]
        assert [f.opened for f in keyed.registry(as_of).feedback.values()] == [True, True]
        assert "GQ120" in {f.rule for f in check(world.root, as_of).findings}
        assert "GQ120" not in {f.rule for f in check(world.root, as_of, key=KEY).findings}


@pytest.mark.parametrize("key", [None, KEY])
def test_forked_workers_read_with_the_pipeline_s_key(world, monkeypatch, key):
    """The workers that read a large tree get the key with the pipeline they inherit by forking."""
    from gqrec import load

    monkeypatch.setattr(load, "PARALLEL_FROM", 1)
    found = Pipeline(world.root, key=key, use_cache=False, jobs=2).loaded().findings
    assert ("GQ120" in {f.rule for f in found}) == (key is None)


def test_every_command_takes_its_key_from_the_one_loader():
    """Each command with --key-file hands it to `options.feedback_key` (the one place it is loaded and
    checked), and no command loads a key any other way; the records commands all offer --key-file."""
    from gqrec.cli import cli

    offered = set()
    for path in [PACKAGE / "cli.py", *sorted((PACKAGE / "commands").glob("*.py"))]:
        for function in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(function, ast.FunctionDef) or not function.decorator_list or "key_file" not in {
                    a.arg for a in function.args.args}:  # a command's callback, with --key-file
                continue
            calls = [node.func.id for node in ast.walk(function)
                     if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)]
            assert "feedback_key" in calls and "load_key" not in calls, function.name
            offered.add(function.name.removesuffix("_cmd"))
    assert {"check", "report", "feedback", "export", "ledger", "attestation", "sheet", "demo", "seal",
            "unseal"} <= offered
    assert all(any(p.name == "key_file" for p in cli.commands[name].params) for name in offered)
