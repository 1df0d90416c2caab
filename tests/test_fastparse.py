"""The fast reader gives exactly the reference reader's values, or steps aside.

Over a generated archive, the sample records, the hostile corpus and a list of tricky spellings:
`fast_data(text)` is either None (the reference path will read the file) or equal to
`parse_yaml(text).data`; wherever the reference refuses a file, the fast reader steps aside.
"""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gqrec import fastparse, sealing
from gqrec.demo import DEMO_KEY, generate
from gqrec.parse import ParseError, decode, parse_yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

TRICKY = [
    "a: 017\n", "a: 1_000\n", "a: +12\n", "a: 0x1F\n", "a: 0o17\n", "a: 0b101\n", "a: True\n", "a: TRUE\n",
    "a: NULL\n", "a: Null\n", "a: ~\n", "a:\n", "a: 1e3\n", "a: .5\n", "a: -.inf\n", ".nan: 1\n", "a: 2024-3-5\n",
    "a: 2024-03-12T10:00:00\n", "a: 12:30\n", "a: yes\n", "a: on\n", "a: y\n", "a: 'x'\n", 'a: "\\u00e9\\t"\n',
    'a: "\\u001b[31m"\n', "a: >-\n  x\n  y\n\n  z\nb: 1\n", "a: |\n  x\n   y\n", "a: x #c\n", "a: -1\n",
    "a: 00\n", "a: [1, 2, {b: c}]\n", "a: {b: 1, c: [x, y]}\n", "1: a\n", "null: a\n", "true: a\n",
    "a: 1\na: 2\n", "- a\n", "a: 1\n---\nb: 2\n", "---\na: 1\n...\n", "a: !!str 1\n", "a: &x 1\nb: *x\n",
    "? a\n: 1\n", "a: 'it''s'\n", "a: \"x\"\n", "a: b: c\n", "a: [1\n", "a:\n\tb: 1\n", "a: 10000000018\n",
    "a: '10000000018'\n", "a: 99999999999999999999999999999999999999999999\n", "a: 1.0\n", "a: -0\n", "a: +0\n",
    "a: _\n", "a: -_\n", "a: __\n", "a: _1\n", "a: 1_\n", "a_b: 1_2\n", "a: [1_0]\n", "duration_minutes: 1__0\n",
    "a: é_é\n", "a: x_\n", "_a: 1\n", "a: +_\n", "a: b_-1\n",
    # block scalars at the end of a file, where yaml-rs adds a line break the reference does not
    "name: |", "name: |\n", "name: >\n\n\n", "name: |2\n", "name: | # c\n", "l:\n- |\n", "name: |\n  x",
    "a: 1\nname: >-", "name: |+\n\n", "m:\n  a: |\n  b: 1\n", "a: 0b1011010\n", "a: 9_0\n", "a: 9e1\n",
]


def assert_equivalent(text: str) -> bool:
    """True when the fast path took the file; fails when it gave other values than the reference."""
    fast = fastparse.fast_data(text)
    try:
        reference = parse_yaml(text).data
    except ParseError:
        assert fast is None, f"fast reader accepted what the reference refuses: {text!r}"
        return False
    if fast is not None:
        assert fast == reference and _types(fast) == _types(reference), text
    return fast is not None


def _types(value):
    if isinstance(value, dict):
        return {k: _types(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_types(v) for v in value]
    return type(value).__name__


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_spellings(text):
    assert_equivalent(text)


BLOCK_PARTS = st.tuples(
    st.sampled_from(["", "a: 1\n", "l:\n", "m:\n  k: v\n"]),  # what comes before
    st.sampled_from(["name: ", "- ", "  - ", "  name: ", "- name: "]),  # where the block scalar sits
    st.sampled_from(["|", ">", "|-", ">-", "|+", ">+", "|2", ">1-", "| # note", "|-  "]),  # its header
    st.lists(st.sampled_from(["", "  ", "  x", "    y", " z", "x", "  # c", "   ", "\t"]), max_size=4),  # its lines
    st.sampled_from(["", "\n", "\n\n", "b: 2\n", "\nb: 2\n", "  b: 2\n", "- c\n"]),  # what follows
)


@settings(max_examples=400, derandomize=True, database=None, deadline=None)
@given(BLOCK_PARTS)
def test_block_scalar_spellings_read_alike_or_step_aside(parts):
    """A fuzzer over block scalars: empty, at the end of the file, with or without a final line break."""
    before, place, header, lines, after = parts
    text = before + place + header + "".join("\n" + line for line in lines) + ("\n" + after if after else "")
    assert_equivalent(text)
    assert_equivalent(text.rstrip("\n"))


def test_generated_archive_and_sample_records(tmp_path):
    archive = tmp_path / "archive"
    generate(archive, regions=2, groups=4, years=2, faults=6)
    files = sorted(archive.rglob("*.yaml")) + sorted((REPO / "records").rglob("*.yaml"))
    taken = sum(assert_equivalent(decode(path.read_bytes())) for path in files)
    assert taken >= 0.8 * len(files)  # the fast path serves the plain majority


def test_hostile_corpus():
    for path in sorted((HERE / "hostile").glob("*.yaml")):
        try:
            text = decode(path.read_bytes())
        except ParseError:
            continue
        assert_equivalent(text)


def test_without_the_accelerator_everything_takes_the_reference_path(monkeypatch, world):
    monkeypatch.setattr(fastparse, "yaml_rs", None)
    assert fastparse.fast_data("a: 1\n") is None
    assert world.check("--no-cache").findings == []


# -- feedback CSV ------------------------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from gqrec import load, records, schemas  # noqa: E402
from gqrec.parse import Document  # noqa: E402

HEADER = ",".join(records.FEEDBACK_COLUMNS)
VALID_ROW = st.tuples(
    st.sampled_from([("participant", "10001234565"), ("participant", "29999999998"), ("control", "")]),
    st.sampled_from(["cystite-ecbu", "a", "a1-b2-c3", "0"]),
    st.sampled_from(["0", "7", "07", "12588"]),
    st.sampled_from(["0", "9", "20335"]),
).map(lambda r: [*r[0], r[1], r[2], r[3]])
NEAR_MISS = st.one_of(
    st.sampled_from(["", "participant", "control", "Participant", "controle", "10001234565", "1000123456",
                     "100012345650", "1000123456a", "١0001234565", "cystite--ecbu", "-a", "a-", "A", "é", "-1", "+1",
                     "1.5", " 7", "7 ", "1e3", "٣", "a,b", "7\n"]),
    st.text(alphabet="abz09-_ +.;\"'é,", max_size=12),
)


@pytest.mark.slow
@settings(max_examples=1500, derandomize=True, deadline=None, database=None)
@given(VALID_ROW, st.one_of(st.none(), st.tuples(st.integers(0, 5), NEAR_MISS)))
def test_the_feedback_row_pattern_accepts_only_rows_the_schema_accepts(cells, change):
    if change is not None:  # one cell made odd, or one cell too many
        index, value = change
        cells = cells + [value] if index == 5 else cells[:index] + [value] + cells[index + 1:]
    line = ",".join(cells)
    fast = fastparse._FEEDBACK_ROW.fullmatch(line) is not None
    split = line.split(",")
    valid = len(split) == 5 and not list(
        schemas.violations("feedback", Document(dict(zip(records.FEEDBACK_COLUMNS, split)), {}, {}))
    )
    assert fast == valid, line  # the pattern is the schema, neither wider nor narrower


def feedback_via_the_reference(text, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(load, "fast_feedback", lambda text, columns: None)
        return load._feedback_outcome(text, sealed=True)  # as a sealed file's text: no GQ121


TRICKY_CSV = [
    "", HEADER, HEADER + "\n", HEADER + "\r\n" + "control,,a,1,2\r\n", HEADER + "\ncontrol,,a,1,2\n\n\ncontrol,,b,2,2",
    HEADER + "\ncontrol,,a,3,2\n", HEADER + "\nparticipant,10001234565,a,0,0\n", HEADER + "\nparticipant,,a,1,2\n",
    HEADER + "\ncontrol,10001234565,a,1,2\n", HEADER + '\ncontrol,,"a",1,2\n', HEADER + "\ncontrol,,a,1,2,\n",
    HEADER + "\ncontrol,,a,1\n", HEADER + "\ncontrol,,a,1,2\rcontrol,,b,1,2\n", "\ufeff" + HEADER + "\ncontrol,,a,1,2\n",
    HEADER.replace(",", ";") + "\ncontrol;;a;1;2\n", HEADER + "\ncontrol,,a," + "9" * 300 + ",1\n",
]


def test_feedback_fast_path_gives_the_reference_rows(tmp_path, monkeypatch):
    archive = tmp_path / "archive"
    generate(archive, regions=1, groups=3, years=2, faults=0)
    key = DEMO_KEY.encode()  # the demo archive's feedback is sealed
    texts = [decode(sealing.unseal(p.read_bytes(), key, 1 << 24)) for p in sorted(archive.rglob("*.csv"))]
    hostile = []
    for path in sorted((HERE / "hostile").glob("*.csv")):
        try:
            hostile.append(decode(path.read_bytes()))
        except ParseError:
            continue
    taken = 0
    for text in texts + hostile + TRICKY_CSV:
        fast = fastparse.fast_feedback(text, records.FEEDBACK_COLUMNS)
        if fast is not None:
            taken += text in texts
            reference, problems = feedback_via_the_reference(text, monkeypatch)
            physicians, indicators, blob = records.plain_feedback_data(fast)
            assert problems == () and (physicians, indicators) == reference[:2], text[:200]
            assert records.feedback_table(blob) == records.feedback_table(reference[2]), text[:200]
    assert texts and taken == len(texts)  # every plain export takes the fast path
