"""Hostile and broken input: every file of tests/hostile/ (and a few generated big ones) is refused
with a French finding at its line, quickly and in bounded memory, nothing of it is executed, nothing
outside the records root is opened, and the check of the other files goes on.

See docs/hostile.md for the limits. test_structure.py has the ordinary malformed-input cases.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import textwrap
import tracemalloc
import unicodedata
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from world import AS_OF, MEMBERS, meeting_path, seal_at

from gqrec import parse
from gqrec.cli import cli
from gqrec.walk import survey
from gqrec.safe import printable

HOSTILE = Path(__file__).parent / "hostile"
PHYSICIAN = f"regions/armor/physicians/{MEMBERS[0]}.yaml"
FEEDBACK = "regions/armor/feedback/2024-S1.csv"
GROUP = "regions/armor/groups/lamballe/group.yaml"
MEETING = meeting_path("2024-03-12")
PLANTED = (MEETING, "GQ004")  # an unrelated fault elsewhere: it must still be found
MIB = 1 << 20


class Hang(Exception):
    pass


@contextmanager
def deadline(seconds: float):
    """Turn a hang into a test failure (a guard for CI, not a timing assertion)."""

    def ring(signum, frame):
        raise Hang(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass(frozen=True)
class Expect:
    rule: str
    line: int
    column: int
    words: str
    whole_file: bool = False  # a feedback file refused as a whole


# Each file of tests/hostile/, what it must give. YAML files take the place of a physician record,
# CSV files the place of the 2024-S1 feedback file of the compliant world.
CORPUS = {
    "alias-bomb.yaml": Expect("GQ001", 7, 1, "Trop de valeurs"),  # a4: the first field past the budget
    "recursive-alias.yaml": Expect("GQ001", 1, 7, "Alias récursif"),
    "undefined-alias.yaml": Expect("GQ001", 1, 7, "sans ancre"),
    "python-tag.yaml": Expect("GQ001", 1, 7, "python/object/apply"),
    "python-name-tag.yaml": Expect("GQ001", 2, 12, "python/name"),
    "python-tag-directive.yaml": Expect("GQ001", 3, 7, "python/object/new"),
    "include-tag.yaml": Expect("GQ001", 1, 7, "!include"),
    "binary-tag.yaml": Expect("GQ001", 1, 7, "binary"),
    "set-tag.yaml": Expect("GQ001", 2, 12, "set"),
    "int-tag-on-text.yaml": Expect("GQ001", 3, 19, "nombre entier"),
    "yaml11-directive.yaml": Expect("GQ001", 1, 1, "YAML 1.2"),
    "many-directives.yaml": Expect("GQ001", 5, 1, "directives"),
    "ansi-escapes.yaml": Expect("GQ001", 1, 11, "U+001B"),
    "ansi-escapes-quoted.yaml": Expect("GQ001", 1, 7, "U+001B"),
    "c1-csi.yaml": Expect("GQ001", 1, 10, "U+009B"),
    "bell.yaml": Expect("GQ001", 1, 10, "U+0007"),
    "bidi-override.yaml": Expect("GQ001", 1, 10, "U+202E"),
    "bidi-isolate-quoted.yaml": Expect("GQ001", 1, 7, "U+2067"),
    "line-separator.yaml": Expect("GQ001", 1, 11, "U+2028"),
    "null-bytes.yaml": Expect("GQ001", 1, 11, "octets nuls"),
    "null-escape-quoted.yaml": Expect("GQ001", 1, 7, "U+0000"),
    "utf16.yaml": Expect("GQ001", 1, 1, "UTF-16"),
    "utf16-no-bom.yaml": Expect("GQ001", 1, 1, "UTF-16"),
    "latin1.yaml": Expect("GQ001", 1, 13, "UTF-8"),
    "overlong-utf8.yaml": Expect("GQ001", 1, 10, "UTF-8"),
    "encoded-surrogate.yaml": Expect("GQ001", 1, 10, "UTF-8"),
    "tab-indent.yaml": Expect("GQ001", 3, 1, "Tabulation"),
    "huge-int.yaml": Expect("GQ001", 3, 19, "Nombre de 5001 caractères"),
    "float-nan.yaml": Expect("GQ001", 3, 19, "non fini"),
    "float-inf.yaml": Expect("GQ001", 3, 19, "non fini"),
    "weird-number.yaml": Expect("GQ002", 3, 19, "trouvé \"-_\""),  # text to the YAML 1.2 core schema
    "long-key.yaml": Expect("GQ001", 2, 1, "1024"),
    "long-explicit-key.yaml": Expect("GQ001", 2, 3, "Clé de 300 caractères"),
    "complex-key.yaml": Expect("GQ001", 2, 3, "Clé complexe"),
    "unclosed-quote.yaml": Expect("GQ001", 3, 1, "non refermé"),
    "semicolon.csv": Expect("GQ001", 1, 1, "Séparateur « ; »", whole_file=True),
    "tab-separated.csv": Expect("GQ001", 1, 1, "Séparateur tabulation", whole_file=True),
    "missing-column.csv": Expect("GQ001", 1, 1, "colonnes manquantes : denominator", whole_file=True),
    "extra-column.csv": Expect("GQ001", 1, 1, "colonnes inconnues : commentaire", whole_file=True),
    "utf16.csv": Expect("GQ001", 1, 1, "UTF-16", whole_file=True),
    "null-byte.csv": Expect("GQ001", 2, 36, "octets nuls", whole_file=True),
    "ansi-escape.csv": Expect("GQ001", 5, 10, "U+001B", whole_file=True),
    "bidi.csv": Expect("GQ001", 12, 34, "U+202E", whole_file=True),
    # one bad row among valid ones: the row is reported at its line, the others are kept
    "bom-crlf-non-integer.csv": Expect("GQ002", 7, 35, "quarante"),
    "empty-lines.csv": Expect("GQ002", 17, 39, "mille"),
    "non-integer.csv": Expect("GQ002", 12, 35, "12.5"),
    "embedded-newline.csv": Expect("GQ001", 6, 1, "plusieurs lignes"),
    "missing-cells.csv": Expect("GQ001", 8, 1, "4 valeurs au lieu de 5"),
    "extra-cells.csv": Expect("GQ001", 4, 1, "6 valeurs au lieu de 5"),
    "unclosed-quote.csv": Expect("GQ001", 12, 1, "jamais refermé"),
    "huge-number.csv": Expect("GQ001", 12, 35, "5001 caractères"),
}


def _deep_flow(depth: int) -> bytes:
    """A list nested `depth` deep, ten brackets a line (no line is long, not too many lines)."""
    return ("name:\n" + "  [[[[[[[[[[\n" * (depth // 10) + "  x\n" + "  ]]]]]]]]]]\n" * (depth // 10)
            + "territory: lamballe\n").encode()


def _many(item: str, count: int) -> str:
    """A flow list of `count` items, ten a line."""
    return "[\n" + f"  {', '.join([item] * 10)},\n" * (count // 10) + "]\n"


def _wide_alias_bomb(uses: int) -> bytes:
    """Few anchors, very many aliases: the composer's own budget refuses it, the builder never runs."""
    return ("name: &n Dr X\nterritory: lamballe\nnotes: " + _many("*n", uses)).encode()


# Big hostile files, generated rather than committed: name, bytes, expectation.
GENERATED: dict[str, tuple[Callable[[], bytes], Expect]] = {
    "deep-nesting.yaml": (lambda: _deep_flow(20_000), Expect("GQ001", 2 + parse.MAX_DEPTH // 10, 3 + parse.MAX_DEPTH % 10, "Imbrication")),
    "deep-nesting-one-line.yaml": (
        lambda: ("name: " + "[" * 20_000 + "]" * 20_000 + "\n").encode(), Expect("GQ001", 1, 10_001, "Ligne de 40006")
    ),
    "deep-block-nesting.yaml": (
        lambda: ("name:\n  " + "- " * 4_000 + "x\nterritory: lamballe\n").encode(), Expect("GQ001", 2, 131, "Imbrication")
    ),
    "long-line.yaml": (
        lambda: ("name: " + "x" * 20_000 + "\nterritory: lamballe\n").encode(), Expect("GQ001", 1, 10_001, "Ligne de 20006")
    ),
    "many-lines.yaml": (
        lambda: ("name: Dr X\nterritory: lamballe\n" + "\n" * 500_000).encode(), Expect("GQ001", 20_001, 1, "lignes")
    ),
    "many-values.yaml": (
        lambda: ("name: Dr X\nterritory: lamballe\nnotes: " + _many("x", 50_000)).encode(),
        Expect("GQ001", 1003, 12, "Trop de valeurs"),  # value 9 994 of the list: the 10 001st node
    ),
    "wide-alias-bomb.yaml": (lambda: _wide_alias_bomb(50_000), Expect("GQ001", 1003, 15, "Trop de valeurs")),
    "huge-int-key.yaml": (
        lambda: ("name: Dr X\n? " + "9" * 5_000 + "\n: 1\nterritory: lamballe\n").encode(), Expect("GQ001", 2, 3, "Clé de 5000")
    ),
    "too-big.yaml": (lambda: b"name: Dr X\n#" + b"x" * MIB, Expect("GQ001", 1, 1, "trop gros")),
    "too-big.csv": (
        lambda: b"population,physician,indicator,numerator,denominator\n" + b"control,,x,1,1\n" * (17 * MIB // 15),
        Expect("GQ001", 1, 1, "trop gros", whole_file=True),
    ),
}


def test_the_table_names_every_file_of_the_corpus():
    assert sorted(p.name for p in HOSTILE.iterdir()) == sorted(CORPUS)
    assert not set(CORPUS) & set(GENERATED)


def _content(name: str) -> tuple[bytes, Expect]:
    if name in CORPUS:
        return (HOSTILE / name).read_bytes(), CORPUS[name]
    make, expect = GENERATED[name]
    return make(), expect


@pytest.mark.parametrize("name", [*CORPUS, *GENERATED])
def test_hostile_file_is_refused_where_it_is_and_the_rest_is_checked(world, name):
    content, expect = _content(name)
    target = FEEDBACK if name.endswith(".csv") else PHYSICIAN
    world.edit(MEETING, "theme: asthme-adulte", "theme: asthme-enfant")  # the unrelated fault
    # a feedback export is sealed as the repository keeps it: the hostile bytes reach the parser all the same
    world.write_bytes(target, seal_at(FEEDBACK, content) if target == FEEDBACK else content)
    with deadline(60):
        run = world.check()
    assert run.exit_code == 1, run.output
    mine = [f for f in run.findings if f["path"] == target]
    assert len(mine) == 1, mine
    found = mine[0]
    assert (found["rule"], found["line"], found["column"]) == (expect.rule, expect.line, expect.column), found
    assert expect.words in found["message"], found["message"]
    assert printable(found["message"]) == found["message"]
    # the other files were read and judged: the planted fault is there, and nothing else
    others = {(f["path"], f["rule"]) for f in run.findings if f["path"] != target}
    assert PLANTED in others
    assert others == {PLANTED}, run.findings  # no GQ113 cascade when a period's file is unreadable


@pytest.mark.slow
@pytest.mark.parametrize("name", [*CORPUS, *GENERATED])
def test_hostile_file_is_read_in_bounded_memory(name):
    """Parsing (the loader's work on the bytes) stays small: the file's size plus a few MiB."""
    content, _ = _content(name)
    if len(content) > MIB:
        return  # refused by its size, unread
    tracemalloc.start()
    try:
        with deadline(60):
            try:
                text = parse.decode(content[: MIB + 1])
                if name.endswith(".csv"):
                    parse.parse_csv(text, ("population", "physician", "indicator", "numerator", "denominator"))
                else:
                    parse.parse_yaml(text)
            except parse.ParseError:
                pass
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 16 * MIB, f"{name}: {peak / MIB:.1f} MiB"


# -- the requirement: big, deep and a bomb together, in time and memory -------------------

DRIVER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run([sys.executable, "-m", "gqrec.cli", "check", sys.argv[1], "--format", "json",
                       "--as-of", "2025-01-01"], capture_output=True, text=True)
wall = time.perf_counter() - start
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
print(json.dumps({"wall": wall, "rss_kib": rss, "status": done.returncode, "stdout": done.stdout,
                  "stderr": done.stderr[-2000:]}))
"""


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss is in KiB on Linux")
def test_a_30_mib_file_a_20000_deep_list_and_an_alias_bomb_in_under_5_s_and_500_mib(tmp_path):
    root = tmp_path / "records"
    (root / "themes").mkdir(parents=True)
    (root / "federation.yaml").write_text("name: Fédération\n", encoding="utf-8")
    with open(root / "themes" / "enorme.yaml", "wb") as handle:  # 30 MiB, one line after another
        line = b"# " + b"x" * 1021 + b"\n"
        handle.write(b"title: Enorme\n" + line * (30 * 1024))
    (root / "themes" / "profonde.yaml").write_bytes(_deep_flow(20_000))
    (root / "themes" / "bombe.yaml").write_bytes((HOSTILE / "alias-bomb.yaml").read_bytes())
    assert (root / "themes" / "enorme.yaml").stat().st_size > 30 * MIB

    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    done = subprocess.run([sys.executable, "-c", DRIVER, str(root)], capture_output=True, text=True, env=env,
                          timeout=120, check=True)
    measured = json.loads(done.stdout)
    assert measured["status"] == 1, measured["stderr"]
    findings = json.loads(measured["stdout"])
    assert {(f["path"], f["rule"]) for f in findings} >= {
        ("themes/enorme.yaml", "GQ001"), ("themes/profonde.yaml", "GQ001"), ("themes/bombe.yaml", "GQ001"),
    }
    # interpreter start-up included; a quiet machine needs about a second and 80 MiB
    print(f"wall {measured['wall']:.2f} s, max RSS {measured['rss_kib'] / 1024:.0f} MiB")
    assert measured["wall"] < 5.0, measured
    assert measured["rss_kib"] < 500 * 1024, measured


# -- the limits themselves, at their edges ---------------------------------------------------------

def _parses(text: str) -> bool:
    try:
        parse.parse_yaml(text)
        return True
    except parse.ParseError:
        return False


def test_line_length_limit_is_exact():
    prefix = "name: "
    assert _parses(prefix + "x" * (parse.MAX_LINE_CHARS - len(prefix)) + "\n")
    assert not _parses(prefix + "x" * (parse.MAX_LINE_CHARS - len(prefix) + 1) + "\n")
    assert _parses(prefix + "x" * (parse.MAX_LINE_CHARS - len(prefix)) + "\r\n")  # CR is not counted


@pytest.mark.parametrize("flow", [True, False])
def test_depth_limit_is_exact(flow):
    def nested(levels: int) -> str:  # the top mapping's value nested `levels` lists deep
        if flow:
            return "a: " + "[" * levels + "x" + "]" * levels + "\n"
        return "a:\n" + "".join("  " * (i + 1) + "-\n" for i in range(levels - 1)) + "  " * levels + "- x\n"

    assert _parses(nested(parse.MAX_DEPTH - 1))
    with pytest.raises(parse.ParseError, match="Imbrication"):
        parse.parse_yaml(nested(parse.MAX_DEPTH + 1))


def test_alias_budget_counts_each_use():
    fits = "a: &a [" + ", ".join(["x"] * 99) + "]\nb: [" + ", ".join(["*a"] * 90) + "]\n"
    assert len(parse.parse_yaml(fits).data["b"]) == 90
    too_many = "a: &a [" + ", ".join(["x"] * 99) + "]\nb: [" + ", ".join(["*a"] * 101) + "]\n"
    with pytest.raises(parse.ParseError, match="Trop de valeurs") as refused:
        parse.parse_yaml(too_many)
    assert refused.value.line == 2  # at the field that multiplied the anchor, not at the anchor


def test_the_composer_does_not_expand_aliases():
    """The classic bomb composes to ~100 nodes; only our builder would expand it, and it stops early."""
    text = (HOSTILE / "alias-bomb.yaml").read_text("utf-8")
    tracemalloc.start()
    try:
        node = parse._compose(text)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2 * MIB
    seen: set[int] = set()

    def count(n) -> int:
        if id(n) in seen:
            return 0
        seen.add(id(n))
        children = [c for pair in n.value for c in pair] if isinstance(n.value, list) and n.value and isinstance(
            n.value[0], tuple) else (n.value if isinstance(n.value, list) else [])
        return 1 + sum(count(c) for c in children)

    assert count(node) < 200


def test_the_composer_budget_stops_before_building():
    with pytest.raises(parse.ParseError, match="Trop de valeurs"):
        parse._compose(_wide_alias_bomb(50_000).decode())


def test_huge_numbers_never_reach_int_conversion_limits():
    assert parse.parse_yaml("a: " + "9" * parse.MAX_NUMBER_CHARS + "\n").data["a"] == int("9" * parse.MAX_NUMBER_CHARS)
    for text in ("a: " + "9" * 5000, "a: !!int " + "9" * 5000, "a: 0x" + "f" * 5000, "a: 1" + "0" * 400 + ".5"):
        with pytest.raises(parse.ParseError, match="trop long"):
            parse.parse_yaml(text + "\n")


# -- no tag constructs anything ----------------------------------------------------------------------

PLAIN_TYPES = (str, int, float, bool, type(None), list, dict)


def _only_plain(value) -> bool:
    if isinstance(value, dict):
        return all(type(k) is str and _only_plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_only_plain(v) for v in value)
    return type(value) in PLAIN_TYPES


@pytest.mark.parametrize("text", [
    "a: !!python/object:collections.OrderedDict {}\n",
    "a: !!python/object/apply:subprocess.check_output [[id]]\n",
    "a: !!python/tuple [1, 2]\n",
    "a: !!omap [{b: 1}]\n",
    "a: !!pairs [{b: 1}]\n",
    "a: !!timestamp 2024-01-01T10:00:00\n",
    "a: !custom {b: 1}\n",
    "!!python/name:os.system a: 1\n",
    "a: !<tag:yaml.org,2002:python/object/apply:os.system> [true]\n",
    "%TAG !x! tag:yaml.org,2002:python/\n---\na: !x!object/apply:os.system [true]\n",
    "a: !!str 12\nb: !!int '12'\nc: !!float '1.5'\nd: !!bool 'true'\ne: !!null ''\nf: !!map {g: !!seq [h]}\n",
    "a: 0o17\nb: 0x1F\nc: 1_000\nd: +3\ne: -.5\nf: True\ng: ~\nh: 2024-01-01\ni: =\n",
])
def test_no_tag_constructs_a_python_object(text):
    try:
        data = parse.parse_yaml(text).data
    except parse.ParseError as error:
        assert "tiquette" in error.message or "lisible" in error.message, error.message
        return
    assert _only_plain(data), data


def test_standard_tags_and_yaml_12_values():
    """The YAML 1.2 core schema exactly: 0b…, 1_000 and 1__0 are text (ruamel.yaml reads them as integers,
    as YAML 1.1 did), 9e1 is the number 90.0, -0x1F is text (only a decimal integer takes a sign)."""
    data = parse.parse_yaml(
        "a: !!str 12\nb: !!int '12'\nc: 0o17\nd: 0x1F\ne: 1_000\nf: True\ng: ~\nh: 2024-01-01\ni: =\nj: 017\n"
        "k: 0b1011010\nl: 9_0\nm: 1__0\nn: 9e1\no: -0x1F\np: +12\nq: 1_000.5\n"
    ).data
    assert data == {"a": "12", "b": 12, "c": 15, "d": 31, "e": "1_000", "f": True, "g": None, "h": "2024-01-01",
                    "i": "=", "j": 17, "k": "0b1011010", "l": "9_0", "m": "1__0", "n": 90.0, "o": "-0x1F", "p": 12,
                    "q": "1_000.5"}
    assert [type(data[k]) for k in "nop"] == [float, str, int]


# -- symbolic links, special files, odd names: reported, never opened, never hanging ----------------

_opened: list[str] | None = None


def _audit(event: str, args) -> None:
    if _opened is not None and event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        _opened.append(os.fsdecode(args[0]))


sys.addaudithook(_audit)


@contextmanager
def watching_opens():
    global _opened
    _opened = []
    try:
        yield _opened
    finally:
        _opened = None


def test_links_and_special_files_are_reported_and_never_opened(world, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text("name: secret\n")
    os.mkfifo(outside / "fifo.yaml")
    placed = {
        "themes/secret.yaml": outside / "secret.yaml",  # a file outside
        "themes/fifo.yaml": outside / "fifo.yaml",  # a FIFO outside: opening it would hang
        "themes/zero.yaml": Path("/dev/zero"),  # a device outside: reading it would never end
        "regions/armor/territories/boucle.yaml": "boucle.yaml",  # a loop onto itself
        "regions/armor/territories/casse.yaml": outside / "absent.yaml",  # broken
        f"regions/armor/physicians/{MEMBERS[1]}-copie.yaml": world.root / PHYSICIAN.replace(MEMBERS[0], MEMBERS[1]),
        "regions/armor/miroir": world.root / "regions/armor",  # a folder inside: would read everything twice
        "regions/armor/groups/ailleurs": outside,  # a folder outside, at a group's place
    }
    for rel, target in placed.items():
        (world.root / rel).symlink_to(target)
    os.mkfifo(world.root / f"regions/armor/physicians/{MEMBERS[2]}.yaml.fifo")
    fifo_at_a_record_place = world.root / "themes/tube.yaml"
    os.mkfifo(fifo_at_a_record_place)
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(world.root / "themes/prise.yaml"))
    except OSError:  # pragma: no cover - some sandboxes refuse unix sockets
        pass
    try:
        with watching_opens() as opened, deadline(60):
            run = world.check()
    finally:
        sock.close()
    reported = {f["path"]: f for f in run.findings if f["rule"] == "GQ003"}
    expected = {*placed, f"regions/armor/physicians/{MEMBERS[2]}.yaml.fifo", "themes/tube.yaml"}
    if (world.root / "themes/prise.yaml").exists():
        expected.add("themes/prise.yaml")
    assert set(reported) == expected, run.findings
    assert "hors des registres" in reported["themes/secret.yaml"]["message"]
    assert "boucle" in reported["regions/armor/territories/boucle.yaml"]["message"]
    assert "ordinaire" in reported["themes/tube.yaml"]["message"]
    assert not [p for p in opened if p.startswith((str(outside), "/dev/zero"))], opened
    assert not [p for p in opened if "fifo" in p or "tube" in p or "miroir" in p or "prise" in p], opened
    assert {f["rule"] for f in run.findings} == {"GQ003"}


def test_a_regions_folder_that_is_a_link_is_reported_and_never_entered(world, tmp_path):
    """Nor by the forked walker of half the regions, nor by the workers that walk their own region."""
    outside = tmp_path / "ailleurs"
    shutil.move(world.root / "regions", outside)
    for name in ("bro-erec", "kernev", "leon"):  # four regions: the case where a second process walks half
        shutil.copytree(outside / "armor", outside / name)
    (world.root / "regions").symlink_to(outside)
    from gqrec.check import check

    national = sum(len(files) for _, _, files in os.walk(world.root))
    for use_cache in (False, True, True):  # without cache, writing it, reading it
        with watching_opens() as opened, deadline(60):
            result = check(world.root, date.fromisoformat(AS_OF), use_cache=use_cache)
        assert [(f.path, f.rule) for f in result.findings] == [("regions", "GQ003")]
        assert result.files == national  # not one file of the regions behind the link
        assert not [p for p in opened if p.startswith(str(outside))], opened


def test_a_device_file_in_the_tree_is_not_opened(world):
    try:
        os.mknod(world.root / "themes/disque.yaml", 0o600 | stat.S_IFCHR, os.makedev(1, 5))  # /dev/zero
    except (PermissionError, OSError):
        pytest.skip("no permission to create a device node here")
    with watching_opens() as opened, deadline(60):
        run = world.check()
    assert [(f["path"], f["rule"]) for f in run.findings] == [("themes/disque.yaml", "GQ003")]
    assert not [p for p in opened if p.endswith("disque.yaml")]


@pytest.mark.slow
def test_a_very_deep_folder_tree_is_walked_without_recursion():
    # Outside pytest's tmp folders: their clean-up (shutil.rmtree) recurses and would choke on it.
    top = Path(tempfile.mkdtemp(prefix="gqrec-deep-"))
    deep, rel = top, ""
    try:
        for _ in range(1_100):  # os.walk (recursive in 3.11) would exceed the recursion limit
            deep, rel = deep / "d", rel + "d/"
            deep.mkdir()
        (deep / "x.yaml").write_text("name: x\n")
        with deadline(60):
            found = survey(top)
        assert found.places == ()
        assert [(f.path, f.rule) for f in found.findings] == [(rel + "x.yaml", "GQ003")]
    finally:
        (deep / "x.yaml").unlink(missing_ok=True)
        while deep != top:
            deep.rmdir()
            deep = deep.parent
        top.rmdir()


def test_an_unreadable_folder_is_reported(world):
    if os.geteuid() == 0:
        pytest.skip("root reads every folder")
    locked = world.root / "regions/armor/contracts/2024"
    locked.chmod(0)
    try:
        run = world.check()
    finally:
        locked.chmod(0o755)
    assert ("regions/armor/contracts/2024", "GQ001") in {(f["path"], f["rule"]) for f in run.findings}


# -- control characters never reach a terminal or a CI log raw -------------------------------------

def _raw_controls(text: str) -> list[str]:
    return [c for c in text if c not in "\n" and unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp")]


def test_control_characters_are_escaped_in_text_json_and_github(world):
    world.write_bytes(PHYSICIAN, (HOSTILE / "ansi-escapes-quoted.yaml").read_bytes())
    world.write_bytes(f"regions/armor/physicians/{MEMBERS[1]}.yaml", (HOSTILE / "bidi-isolate-quoted.yaml").read_bytes())
    world.write_bytes(FEEDBACK, (HOSTILE / "ansi-escape.csv").read_bytes())
    world.write("themes/\x1b[31mrouge\u202e.yaml", "title: x\n")  # the name itself is hostile
    raw_name = os.fsencode(world.root / "themes") + b"/caf\xe9.yaml"  # not UTF-8: a surrogate in Python
    with open(raw_name, "wb") as handle:
        handle.write(b"title: x\n")
    outputs = {}
    for fmt in ("text", "json", "github"):
        result = CliRunner().invoke(cli, ["check", str(world.root), "--format", fmt, "--as-of", AS_OF])
        assert result.exit_code == 1, result.output
        outputs[fmt] = result.output
        assert _raw_controls(result.output) == [], (fmt, _raw_controls(result.output))
    findings = json.loads(CliRunner().invoke(cli, ["check", str(world.root), "--format", "json", "--as-of", AS_OF]).stdout)
    paths = {f["path"] for f in findings}
    assert "themes/\\x1b[31mrouge\\u202e.yaml" in paths
    assert "themes/caf\\udce9.yaml" in paths
    assert sum(line.startswith("::") for line in outputs["github"].splitlines()) == len(findings)
    assert "\\x1b[2J" in outputs["text"]


def test_printable_escapes_and_is_idempotent():
    text = "a\x1bb\u202ec\td\u2028e\x9bf\udce9g\ue000h é ü"
    once = printable(text)
    assert once == "a\\x1bb\\u202ec\\td\\u2028e\\x9bf\\udce9g\\ue000h é ü"
    assert printable(once) == once
    assert printable("Dr José Ñuñez") == "Dr José Ñuñez"


# -- the size limit and its option -------------------------------------------------------------------

def test_default_size_limit_is_1_mib_and_the_option_changes_it(world):
    padded = b"name: Dr X\nterritory: lamballe\n#" + b"x" * (MIB - 40)
    assert len(padded) <= MIB
    world.write_bytes(PHYSICIAN, padded)
    with deadline(60):
        run = world.check()  # at the default limit: read, then refused for its long line
    assert [(f["rule"], f["line"]) for f in run.findings] == [("GQ001", 3)]
    assert "Ligne de" in run.findings[0]["message"]
    world.write_bytes(PHYSICIAN, padded + b"x" * 100)  # one byte over 1 MiB is refused unread
    run = world.check()
    assert [(f["rule"], f["line"], f["column"]) for f in run.findings] == [("GQ001", 1, 1)]
    assert "trop gros" in run.findings[0]["message"] and "1024 Kio" in run.findings[0]["message"]
    run = world.check("--max-file-size", "2048")
    assert "Ligne de" in run.findings[0]["message"]
    world.write_bytes(PHYSICIAN, b"name: Dr X\nterritory: lamballe\n# " + b"x" * 3000 + b"\n")
    run = world.check("--max-file-size", "2")
    assert [(f["path"], f["rule"]) for f in run.findings] == [(PHYSICIAN, "GQ001")]
    assert "plus de 2 Kio" in run.findings[0]["message"]
    assert world.check("--max-file-size", "4").findings == []


def test_max_file_size_must_be_positive(world):
    run = world.invoke("check", str(world.root), "--max-file-size", "0")
    assert run.exit_code == 2


# -- CSV rows: findings at the row's line, the other rows kept ---------------------------------------

COLUMNS = ("population", "physician", "indicator", "numerator", "denominator")


def test_csv_row_problems_are_collected_with_their_lines():
    text = textwrap.dedent("""\
        population,physician,indicator,numerator,denominator
        control,,a,1,2

        participant,10000000108,a,1
        control,,"a
        b",1,2
        control,,a,3,4
        control,,a,1,2,3
        """)
    table = parse.parse_csv(text, COLUMNS, keep_going=True)
    assert [line for line, _ in table.rows] == [2, 7]
    assert [(p.line, p.column) for p in table.problems] == [(4, 1), (5, 1), (8, 1)]
    with pytest.raises(parse.ParseError) as first:
        parse.parse_csv(text, COLUMNS)  # without keep_going, the first bad row refuses the file
    assert first.value.line == 4


def test_csv_bom_and_crlf_keep_line_numbers():
    text = parse.decode(b"\xef\xbb\xbfpopulation,physician,indicator,numerator,denominator\r\n\r\ncontrol,,a,1,2\r\n")
    assert [line for line, _ in parse.parse_csv(text, COLUMNS).rows] == [3]


def test_a_csv_of_garbage_stops_after_a_few_bad_rows():
    text = "population,physician,indicator,numerator,denominator\ncontrol,,a,1,2\n" + "n'importe quoi\n" * 100_000
    table = parse.parse_csv(text, COLUMNS, keep_going=True)
    assert [line for line, _ in table.rows] == [2]
    assert len(table.problems) == parse.MAX_CSV_BAD_ROWS + 1
    assert "la suite du fichier n'est pas lue" in table.problems[-1].message


def test_a_bad_byte_after_a_bom_is_placed_right():
    with pytest.raises(parse.ParseError) as refused:
        parse.decode(b"\xef\xbb\xbfa: 1\nname: Jos\xe9\n")
    assert (refused.value.line, refused.value.column) == (2, 10)
    assert "0xe9" in refused.value.message
