"""The shape of the code: formats are table entries, rules register once and read only what they declare,
errors become exit statuses in the command line alone, and no module imports from a layer above it."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from gqrec import errors
from gqrec.cli import cli
from gqrec.formats import Renderer

PACKAGE = Path(__file__).resolve().parent.parent / "gqrec"

# -- formats --------------------------------------------------------------------------------------------


def _tables():
    from gqrec.export import FORMATS as export
    from gqrec.feedback import FORMATS as profiles
    from gqrec.ledger import FORMATS as ledger
    from gqrec.render import FORMATS as findings, RULE_FORMATS as rule_catalogue
    from gqrec.report import FORMATS as bilan
    from gqrec.status import FORMATS as status

    return {"check": findings, "report": bilan, "feedback": profiles, "rule": rule_catalogue, "ledger": ledger,
            "export": export, "status": status}


@pytest.mark.parametrize("command", ["check", "report", "feedback", "rule", "ledger", "export", "status"])
def test_a_format_added_to_its_table_is_offered_in_help(command, monkeypatch):
    monkeypatch.setitem(_tables()[command], "toy", Renderer(lambda *args: "", "un format jouet"))
    shown = CliRunner().invoke(cli, [command, "--help"], terminal_width=200).output
    assert "toy" in shown and "un format jouet" in shown


def test_a_format_added_to_the_findings_table_renders_the_check(world, monkeypatch):
    from gqrec.render import FORMATS

    world.edit("regions/armor/groups/lamballe/group.yaml", "territory: lamballe", "territory: nulle-part")
    monkeypatch.setitem(FORMATS, "toy", Renderer(lambda findings, shown: f"{len(findings)} jouet(s) sur "
                                                 f"{shown.files} fichiers\n", "un format jouet"))
    result = CliRunner().invoke(cli, ["check", str(world.root), "--format", "toy", "--as-of", "2025-01-01"])
    assert result.exit_code == 1
    assert result.output.startswith("1 jouet(s) sur ")


def test_a_format_is_registered_once():
    from gqrec.render import FORMATS

    with pytest.raises(errors.InternalError):
        FORMATS.add("json", Renderer(lambda *args: "", "deux fois"))


# -- errors and exit statuses ---------------------------------------------------------------------------


@pytest.mark.parametrize("error, status", [
    (errors.UsageError("refusé"), 2), (errors.RecordsError("rien à montrer"), 1), (errors.InternalError("bogue"), 3),
])
def test_the_command_line_maps_each_kind_of_error_to_its_status(world, monkeypatch, error, status):
    from gqrec.render import FORMATS

    def fail(findings, shown):
        raise error

    monkeypatch.setitem(FORMATS, "toy", Renderer(fail, "un format qui échoue"))
    result = CliRunner().invoke(cli, ["check", str(world.root), "--format", "toy"])
    assert result.exit_code == status
    assert str(error) in result.output and "Traceback" not in result.output


def test_every_error_gqrec_raises_is_a_gqrec_error():
    from gqrec.authoring import AuthoringError
    from gqrec.member_codes import KeyRefusal
    from gqrec.feedback.produce import Refusal
    from gqrec.feedback.profiles import FeedbackError, ScopeError
    from gqrec.gitio import GitError
    from gqrec.parse import ParseError
    from gqrec.report.figures import UnknownRegion

    from gqrec.sealing import SealError

    usage = (AuthoringError, KeyRefusal, Refusal, ScopeError, GitError, UnknownRegion)
    assert all(issubclass(kind, errors.UsageError) for kind in usage)
    assert all(issubclass(kind, errors.RecordsError) for kind in (FeedbackError, ParseError, SealError))


def test_no_module_defines_an_error_outside_the_one_family():
    """Every exception class any gqrec module defines is a GqrecError: the command line maps it to its
    exit status, never to a traceback."""
    import importlib
    import inspect
    import pkgutil

    import gqrec

    defined = []
    for module in pkgutil.walk_packages(gqrec.__path__, "gqrec."):
        loaded = importlib.import_module(module.name)
        defined += [kind for _, kind in inspect.getmembers(loaded, inspect.isclass)
                    if kind.__module__ == module.name and issubclass(kind, BaseException)]
    assert len(defined) >= 10
    assert [kind.__qualname__ for kind in defined if not issubclass(kind, errors.GqrecError)] == []


# -- rules ----------------------------------------------------------------------------------------------


def test_a_duplicate_rule_id_fails_at_import(tmp_path, monkeypatch):
    from gqrec.rules import CATALOGUE, catalogue

    catalogue()
    before = dict(CATALOGUE)
    (tmp_path / "toy_rules.py").write_text(
        "from gqrec.findings import ERROR\nfrom gqrec.rules import rule\n\n"
        "@rule('GQ105', ERROR, 'Doublon', 'Une seconde règle GQ105.', 'Aucune.')\n"
        "def again(registry, conf):\n    return ()\n",
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(errors.InternalError, match="GQ105"):
        import toy_rules  # noqa: F401
    sys.modules.pop("toy_rules", None)
    assert CATALOGUE == before


def test_a_rule_reads_only_the_charter_parameters_it_declares(world):
    from gqrec.check import build_registry
    from gqrec.rules import Conf

    conf = Conf(build_registry(world.root), ("group_size",))
    assert conf("armor").group_max == 12  # tests/world.py: armor overrides the size
    with pytest.raises(KeyError):
        conf("armor")["meetings_per_year"]


def test_rules_declare_their_needs():
    from gqrec.rules import catalogue

    assert {entry.id for entry in catalogue() if "git" in entry.needs} == {"GQ116"}


# -- one pipeline ---------------------------------------------------------------------------------------

# What the pipeline alone does with what cache, load and registry define: open the caches and compute
# their signature, say whether the cache is ignored, read partitions, build the records, index them.
PIPELINE_WORK = {"FileCache", "FindingsMemo", "signature", "probe", "read_partitions", "records_of", "Loaded"}
PIPELINE_OWNERS = {"cache", "load", "registry"}


def _pipeline_work(path: Path) -> set[str]:
    """What of PIPELINE_WORK a file imports or reaches through the module, and `Registry` if it builds one."""
    found = set()
    registry_imported = False
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[-1] in PIPELINE_OWNERS:
            found |= {alias.name for alias in node.names} & PIPELINE_WORK
            registry_imported |= any(alias.name == "Registry" for alias in node.names)
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in PIPELINE_OWNERS:
            found |= {node.attr} & (PIPELINE_WORK | {"Registry"})
    if registry_imported:
        found |= {"Registry" for node in ast.walk(tree)
                  if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Registry"}
    return found


def test_records_are_read_and_the_cache_driven_by_the_pipeline_alone():
    bad = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if _top(path) in PIPELINE_OWNERS | {"pipeline"}:
            continue
        bad += [f"{path.relative_to(PACKAGE.parent)} uses {name}" for name in sorted(_pipeline_work(path))]
    assert bad == []


def test_the_pipeline_check_finds_work_done_beside_it(tmp_path):
    stray = tmp_path / "stray.py"
    stray.write_text("from .registry import Registry\nfrom . import cache\n\n"
                     "def read(loaded, as_of):\n    cache.FileCache.open(None, ())\n    return Registry(loaded, as_of)\n",
                     encoding="utf-8")
    assert _pipeline_work(stray) == {"FileCache", "Registry"}


# -- layers ---------------------------------------------------------------------------------------------

# Lowest first. A module imports only from its own layer or below; the products (render, report,
# feedback, ledger, export, authoring, demo) do not import one another, and only the command line
# imports `commands`.
LAYERS = (
    {"__init__", "errors", "safe", "csvsafe", "i18n", "ids", "budgets", "workers", "findings", "formats", "product",
     "charter", "roots",
     "fsio", "sealing", "french", "names", "suggest", "member_codes", "document", "baseline"},
    {"parse", "fastparse", "schemas", "records", "kinds", "layout", "walk", "gitio", "personal", "cache", "sample"},
    {"load", "registry", "indemnities", "effects", "effect_tables"},
    {"rules"},
    {"pipeline", "check"},
    {"render", "report", "feedback", "ledger", "export", "authoring", "demo", "impact", "status", "agenda"},
    {"cli", "commands", "clickfr", "__main__"},
)
PRODUCTS = LAYERS[5]


def _layer(top: str) -> int:
    return next(index for index, names in enumerate(LAYERS) if top in names)


def _imports(path: Path) -> set[str]:
    """The top-level gqrec modules a file imports (at module level or inside functions)."""
    package = path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1]  # the package the file is in
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = list(package[: len(package) - node.level + 1]) if node.level else []
            target = base + (node.module.split(".") if node.module else [])
            names = [target + [alias.name] for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name.split(".") for alias in node.names]
        else:
            continue
        for parts in names:
            if parts[0] == "gqrec":
                found.add(parts[1] if len(parts) > 1 else "__init__")
    return found


def _top(path: Path) -> str:
    rel = path.relative_to(PACKAGE).with_suffix("").parts
    return rel[0]


def test_no_module_imports_from_a_layer_above_it():
    bad = []
    for path in sorted(PACKAGE.rglob("*.py")):
        own = _top(path)
        for imported in _imports(path) - {own}:
            if imported not in {name for names in LAYERS for name in names}:
                continue  # a name imported from the package itself (`from .. import ids`): its own module
            across = own in PRODUCTS and imported in PRODUCTS
            if _layer(imported) > _layer(own) or across:
                bad.append(f"{path.relative_to(PACKAGE.parent)} imports gqrec.{imported}")
    assert bad == []


def test_every_module_has_a_layer():
    tops = {_top(path) for path in PACKAGE.rglob("*.py")}
    assert tops <= {name for names in LAYERS for name in names}


# The command line reads its options and prints; below the products it asks only for what its options
# and help need: error statuses, the records root, the feedback key, the layout's listing, French counts,
# the CSV dialects.
COMMAND_LINE_BELOW_PRODUCTS = {"errors", "roots", "member_codes", "sample", "sealing", "layout", "french", "document"}


def test_the_command_line_leaves_the_work_to_the_library():
    below = {name for names in LAYERS[:5] for name in names}
    for path in [PACKAGE / "cli.py", *sorted((PACKAGE / "commands").glob("*.py"))]:
        assert _imports(path) & below <= COMMAND_LINE_BELOW_PRODUCTS, path.name


# -- one product shape ----------------------------------------------------------------------------------

# Each command that makes a product, and the library module that makes it: `produce(Request) -> Outcome`.
PRODUCTS_OF_COMMANDS = {
    "check": "gqrec.render.produce", "rule": "gqrec.render.rules", "report": "gqrec.report.produce",
    "feedback": "gqrec.feedback.produce", "ledger": "gqrec.ledger.produce",
    "attestation": "gqrec.ledger.attestation_produce", "sheet": "gqrec.ledger.sheet_produce",
    "export": "gqrec.export.produce", "status": "gqrec.status.produce",
    "calendar": "gqrec.agenda.produce",
}


@pytest.mark.parametrize("command", sorted(PRODUCTS_OF_COMMANDS))
def test_every_product_is_produce_of_a_request_giving_an_outcome(command):
    import dataclasses
    import importlib
    import typing

    from gqrec.product import Outcome

    module = importlib.import_module(PRODUCTS_OF_COMMANDS[command])
    assert dataclasses.is_dataclass(module.Request) and module.Request.__dataclass_params__.frozen
    hints = typing.get_type_hints(module.produce)
    assert hints.pop("return") is Outcome
    assert list(hints.values()) == [module.Request]


def _callbacks():
    """Every command callback of the command line: (file, function node)."""
    for path in [PACKAGE / "cli.py", *sorted((PACKAGE / "commands").glob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and any(
                    isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute) and d.func.attr == "command"
                    for d in node.decorator_list):
                yield path, node


def _only_parses(function: ast.FunctionDef) -> bool:
    """A docstring, imports, and one `echo_outcome(produce(Request(...)))`: nothing decided here."""
    body = [s for s in function.body if not isinstance(s, ast.ImportFrom)
            and not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    if len(body) != 1 or not isinstance(body[0], ast.Expr):
        return False
    call = body[0].value
    names = []
    while isinstance(call, ast.Call) and isinstance(call.func, ast.Name):
        names.append(call.func.id)
        call = call.args[0] if len(call.args) == 1 and not call.keywords else None
    return names == ["echo_outcome", "produce", "Request"]


def test_the_product_commands_only_parse_and_print_the_outcome():
    """Refusals, reading, rendering, the closing line and the exit status are the library's: a product
    command's callback passes its options in a Request (the feedback key loaded by `options.feedback_key`,
    the one place every command takes it) and prints the Outcome."""
    seen = {}
    for _path, function in _callbacks():
        name = function.name.removesuffix("_cmd")
        if name in PRODUCTS_OF_COMMANDS:
            seen[name] = _only_parses(function)
    assert seen == dict.fromkeys(PRODUCTS_OF_COMMANDS, True)


def test_a_command_with_logic_is_seen(tmp_path):
    source = ("@click.command()\ndef ledger(root, fmt, out):\n    from x import Request, produce\n\n"
              "    if fmt == 'csv' and out is None:\n        raise click.UsageError('--out')\n"
              "    echo_outcome(produce(Request(root, fmt, out)))\n")
    function = next(n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.FunctionDef))
    assert not _only_parses(function)
    function.body = function.body[:1] + function.body[2:]
    assert _only_parses(function)


SHARED_OPTIONS = ("--key-file", "--as-of", "--format")


def test_shared_options_are_declared_once():
    """The key file, the as-of date and the format are declared in commands/options.py, used everywhere."""
    bad = []
    for path in [PACKAGE / "cli.py", *sorted((PACKAGE / "commands").glob("*.py"))]:
        if path.name == "options.py":
            continue
        literals = {node.value for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                    if isinstance(node, ast.Constant) and isinstance(node.value, str)}
        bad += [f"{path.name} declares {option}" for option in SHARED_OPTIONS if option in literals]
    assert bad == []


def test_a_multi_file_format_without_a_folder_is_refused_by_every_product_alike(world):
    """The library refuses it (exit 2), for the bilan and the ledger alike, with the same sentence."""
    said = set()
    for command in (["report", "--year", "2024"], ["ledger", "--year", "2024"]):
        result = CliRunner().invoke(cli, [*command, str(world.root), "--format", "csv"])
        assert result.exit_code == 2
        said.add(result.output.strip().partition(" : ")[2])
    assert len(said) == 1 and "--out" in said.pop()
