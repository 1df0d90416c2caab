"""Property-based fuzzing of the loader and the checker on mutated valid records.

Whatever the bytes, no exception escapes, every finding has a path, a rule, a line >= 1 and a
column >= 1, its message is printable, and the three output formats stay clean; the fast reader agrees
with the reference reader or steps aside; `fmt` refuses or writes a text that reads the same. Derandomized and
bounded in examples and time, so CI is reproducible and the whole file runs in well under 30 s.
"""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
from datetime import date, timedelta

import pytest
from world import AS_OF, build_world
from test_fastparse import assert_equivalent
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gqrec import parse, schemas
from gqrec.authoring import AuthoringError
from gqrec.authoring.fmt import format_text
from gqrec.check import check
from gqrec.layout import Place, classify
from gqrec.pipeline import Pipeline
from gqrec.render import Shown, github, json_, text
from gqrec.safe import printable

pytestmark = pytest.mark.slow  # thousands of mutated files

SETTINGS = {
    "derandomize": True,
    "database": None,
    "deadline": timedelta(seconds=5),  # a hang guard: a hostile record is refused in well under a second
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}
RULE = re.compile(r"GQ\d{3}")


@pytest.fixture(scope="module")
def seeds(tmp_path_factory) -> dict[str, bytes]:
    """Every file of the compliant world: the valid records that get mutated."""
    root = tmp_path_factory.mktemp("seeds") / "records"
    build_world(root)
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# -- mutations ----------------------------------------------------------------------------------

PUNCTUATION = [
    *":-[]{},&*!|>'\"#%@`?~=<\\", "\t", "\n", "\r", " ", "\r\n", "\x00", "\x1b[31m", "\u202e", "\ufeff", "\u2028",
    "\x9b", "---\n", "...\n", "- ", ": ", "? ", "&a ", "*a", "*a ", "!!python/object:os.system ", "!!binary ",
    "!custom ", "<<: *a\n", "%YAML 1.1\n", "%TAG ! tag:x\n", "\\e", "\\x00", "\\u202e", "\\ud800", "\\x85", "\"", "'", "|\n", ">-\n",
    "[[[[", "]]]]", "{{", "}}", ".nan", ".inf", "1e999", "0x", "0o", "_", "9" * 60, "é", "\xa0", ",,", ";",
]

# Values whose reading once differed between the fast and the reference reader, or broke fmt: date-shaped
# text that is no date, numbers the YAML 1.2 core schema reads as text, empty block scalars.
SPELLINGS = [
    "2024-13-45", "2024-02-30", "2024-3-5", "2024-03-12T25:00", "0b1011010", "9_0", "1__0", "9e1", "-0x1F", "+12",
    "|", ">-", "|+", "|2", "| # note", "|\n", "|\n  texte", "|\n\n", "", "~", "'2024-13-45'",
]


@st.composite
def mutated(draw, seeds: dict[str, bytes]) -> tuple[str, bytes]:
    csv = sorted(p for p in seeds if p.endswith(".csv"))
    path = draw(st.one_of(st.sampled_from(sorted(set(seeds) - set(csv))), st.sampled_from(csv)))
    data = seeds[path]
    for _ in range(draw(st.integers(1, 3))):
        data = draw(_mutation(data, seeds))
    return path, data


def _mutation(data: bytes, seeds: dict[str, bytes]):
    n = len(data)
    position = st.integers(0, n)
    return st.one_of(
        st.lists(st.tuples(position, st.sampled_from(PUNCTUATION)), min_size=1, max_size=8).map(
            lambda edits: _insert(data, edits)),  # YAML punctuation inserted here and there
        st.randoms(use_true_random=False).map(lambda rnd: _swap_key_value(data, rnd)),  # key and value swapped
        st.randoms(use_true_random=False).map(lambda rnd: _shuffle_lines(data, rnd)),  # lines moved or repeated
        st.tuples(st.randoms(use_true_random=False), st.sampled_from(SPELLINGS)).map(
            lambda pick: _replace_value(data, *pick)),  # a value (or a key) spelled as readers disagree on
        position.map(lambda k: data[: n - k]),  # truncated (mostly near the end)
        st.lists(st.tuples(position, st.one_of(st.integers(32, 126), st.integers(0, 255))), min_size=1,
                 max_size=8).map(lambda flips: _flip(data, flips)),  # bytes changed
        st.tuples(position, st.sampled_from(sorted(seeds))).map(
            lambda pick: data[:pick[0]] + seeds[pick[1]]),  # another record spliced in
        st.binary(min_size=1, max_size=400),  # random bytes instead of the record
    )


def _insert(data: bytes, edits) -> bytes:
    out = data
    for where, token in sorted(edits, reverse=True):
        out = out[:where] + token.encode("utf-8") + out[where:]
    return out


def _flip(data: bytes, flips) -> bytes:
    out = bytearray(data)
    for where, value in flips:
        if where < len(out):
            out[where] = value
    return bytes(out)


def _swap_key_value(data: bytes, rnd) -> bytes:
    lines = data.split(b"\n")
    candidates = [i for i, line in enumerate(lines) if b": " in line]
    if not candidates:
        return data
    i = rnd.choice(candidates)
    indent = lines[i][: len(lines[i]) - len(lines[i].lstrip())]
    key, _, value = lines[i].strip().partition(b": ")
    lines[i] = indent + value + b": " + key
    return b"\n".join(lines)


def _replace_value(data: bytes, rnd, spelling: str) -> bytes:
    """A value replaced by a tricky spelling (or, one time in four, the key removed: `: value`); the file
    sometimes cut right after it."""
    lines = data.split(b"\n")
    candidates = [i for i, line in enumerate(lines) if b": " in line]
    if not candidates:
        return data
    i = rnd.choice(candidates)
    key, _, _ = lines[i].partition(b": ")
    if rnd.random() < 0.25:
        key = key[: len(key) - len(key.lstrip())]
    lines[i] = key + b": " + spelling.encode("utf-8")
    if rnd.random() < 0.3:
        lines = lines[: i + 1]
    return b"\n".join(lines)


def _shuffle_lines(data: bytes, rnd) -> bytes:
    lines = data.split(b"\n")
    if len(lines) < 2:
        return data
    i, j = rnd.randrange(len(lines)), rnd.randrange(len(lines))
    if rnd.random() < 0.5:
        lines.insert(j, lines[i])
    else:
        lines[i], lines[j] = lines[j], lines[i]
    return b"\n".join(lines)


# -- properties ------------------------------------------------------------------------------------

def _well_formed(findings, known_paths: set[str]) -> None:
    for f in findings:
        assert f.path and not f.path.startswith("/"), f
        assert f.path in known_paths or f.rule == "GQ003", f
        assert RULE.fullmatch(f.rule), f
        assert f.severity in ("error", "warning"), f
        assert isinstance(f.line, int) and f.line >= 1, f
        assert isinstance(f.column, int) and f.column >= 1, f
        assert f.message and not _unsafe(f.message), f


def _unsafe(message: str) -> list[str]:
    """What must never be in a message: controls (a terminal acts on them), bidi controls and invisible
    spaces (they disguise text), separators and lone surrogates (they break lines and encoders)."""
    return [c for c in message if unicodedata.category(c) in ("Cc", "Cs", "Zl", "Zp") or parse._FORBIDDEN.match(c)]


def _clean(output: str) -> bool:
    return not [c for c in output if c != "\n" and unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp")]


def test_the_parsers_only_ever_raise_parse_error(seeds):
    @settings(max_examples=200, **SETTINGS)
    @given(mutated(seeds))
    def parse_any(case):
        path, data = case
        try:
            text = parse.decode(data)
            if path.endswith(".csv"):
                table = parse.parse_csv(text, ("population", "physician", "indicator", "numerator", "denominator"),
                                        keep_going=True)
                for problem in table.problems:
                    assert problem.line >= 1 and problem.column >= 1
                return
            doc = parse.parse_yaml(text)
        except parse.ParseError as error:
            assert error.line >= 1 and error.column >= 1
            assert error.message and not _unsafe(error.message) and printable(error.message) == error.message
            return
        assert isinstance(doc.data, dict)
        for line, column in [*doc.values.values(), *doc.keys.values()]:
            assert line >= 1 and column >= 1

    parse_any()


def test_the_loader_reports_every_mutated_file_well(seeds, tmp_path_factory):
    root = tmp_path_factory.mktemp("loader") / "records"

    @settings(max_examples=120, **SETTINGS)
    @given(mutated(seeds))
    def load_any(case):
        path, data = case
        if root.exists():
            shutil.rmtree(root)
        (root / path).parent.mkdir(parents=True)
        (root / path).write_bytes(data)
        loaded = Pipeline(root, use_cache=False).loaded()
        _well_formed(loaded.findings, {path})

    load_any()


def test_the_checker_survives_a_mutated_file_in_a_compliant_world(seeds, tmp_path_factory):
    root = tmp_path_factory.mktemp("checker") / "records"
    build_world(root)
    as_of = date.fromisoformat(AS_OF)

    @settings(max_examples=80, **SETTINGS)
    @given(mutated(seeds))
    def check_any(case):
        path, data = case
        try:
            (root / path).write_bytes(data)
            result = check(root, as_of)
            _well_formed(result.findings, set(seeds))
            for output in (text.render(result.findings, Shown(root)), json_.render(result.findings),
                           github.render(result.findings)):
                assert _clean(output), output
            json.loads(json_.render(result.findings))
        finally:
            (root / path).write_bytes(seeds[path])

    check_any()


def _yaml_text(path: str, data: bytes) -> str | None:
    """The text of a mutated YAML record, or None for a CSV or bytes the decoder refuses."""
    if path.endswith(".csv"):
        return None
    try:
        return parse.decode(data)
    except parse.ParseError:
        return None


def test_fast_and_reference_readers_agree_on_mutated_records(seeds):
    """The fast reader gives the reference reader's values on every mutated record, or steps aside."""

    @settings(max_examples=300, **SETTINGS)
    @given(mutated(seeds))
    def read_alike(case):
        text = _yaml_text(*case)
        if text is not None:
            assert_equivalent(text)

    read_alike()


def test_fmt_on_mutated_records_refuses_or_keeps_the_reading(seeds):
    """fmt on any mutated record: a refusal (GQ001) or a text that reads the same, is stable and stays valid."""

    @settings(max_examples=150, **SETTINGS)
    @given(mutated(seeds))
    def format_any(case):
        path, data = case
        text = _yaml_text(path, data)
        place = classify(path)
        if text is None or not isinstance(place, Place):
            return
        try:
            formatted = format_text(place.kind, text)
        except (parse.ParseError, AuthoringError):
            return
        assert format_text(place.kind, formatted) == formatted
        if schemas.is_valid(place.kind, parse.parse_yaml(text).data):
            assert schemas.is_valid(place.kind, parse.parse_yaml(formatted).data), formatted

    format_any()
