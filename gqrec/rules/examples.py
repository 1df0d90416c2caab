"""Each rule's fault example, written beside the rule (`@rule(..., example=Example(...))`): the faulty
fragment, its compliant form, and a way to plant it in any records tree of the usual shapes (the test
world of tests/world.py, the sample records, an archive `gqrec demo` generates).

One example drives the rule's generic test (tests/test_rule_examples.py: the fault gives the rule's
finding, the compliant form does not), the region-by-region test (tests/test_incremental.py plants every
example), the demo's `--faults` (the examples that are `alone` and say on which file their finding is)
and `gqrec rule GQxxx` (which shows the fault and its fix).

An example is a few steps, each on one file of a kind, the first in path order that the step fits and
that no earlier step (or earlier example, for the demo) touched; the steps after the first stay in the
first one's region. A fragment is literal text with placeholders for what varies from one tree to
another, `{rpps}`, `{date}`, `{n}`, `{id}`, `{period}` (a digit after the name makes another one:
`{rpps2}`); a placeholder met again, or used by a later step or the fault, stands for what it captured;
`{rpps|mistyped}` is that RPPS with a wrong Luhn key. A step's `id` (a template) picks the file of that
id; a bare placeholder there captures the file's id (`id="{group}"`).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from .. import sealing
from ..ids import luhn_digit
from ..kinds import LIBRARY_KINDS
from ..layout import LOCK, Place, classify, pattern_fr, region_folder
from ..load import file_digest

_CLASSES = {"rpps": r"\d{11}", "date": r"\d{4}-\d{2}-\d{2}", "n": r"\d+", "id": r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?",
            "period": r"\d{4}-[ST][1-4]", "group": r"[a-z0-9-]+"}
# what `gqrec rule` shows for each placeholder (the first of its name, the second…)
_SHOWN = {"rpps": ("10004021175", "10142042182"), "date": ("2024-01-01", "2024-03-12"), "n": ("120", "16"),
          "id": ("lamballe", "asthme-adulte"), "period": ("2024-S1",), "group": ("lamballe",)}
_PLACEHOLDER = re.compile(r"\{([a-z]+)(\d*)(?:\|([a-z]+))?\}")
_FILTERS = {"mistyped": lambda rpps: rpps[:-1] + str((int(rpps[-1]) + 1) % 10)}
STRANGER = "1099999999" + luhn_digit("1099999999")  # a well-formed RPPS no sample record names


@dataclass(frozen=True)
class Edit:
    """In a file of `kind` that has the compliant fragment `fix`, `fix` becomes `fault`."""

    kind: str
    fix: str
    fault: str
    id: str = ""


@dataclass(frozen=True)
class Find:
    """Capture from a file of `kind` what later steps use (all of `fix`'s fragments must be in it); the file
    counts as touched."""

    kind: str
    fix: str | tuple[str, ...]
    id: str = ""


@dataclass(frozen=True)
class Remove:
    """A file of `kind` (having `fix`, when given) removed; `every`: all those of the region (none is fine)."""

    kind: str
    fix: str = ""
    id: str = ""
    every: bool = False


@dataclass(frozen=True)
class Create:
    """A new file at `path` (a template) in the region's folder, with `text`; `numbered`: when the file
    is there already, the next free name (`notes-2.txt`) rather than no room."""

    path: str
    text: str
    numbered: bool = False


@dataclass(frozen=True)
class Set:
    """Keys of a YAML record set (dotted paths, round trip: comments kept); None removes the key."""

    kind: str
    values: tuple[tuple[str, object], ...]
    id: str = ""


@dataclass(frozen=True)
class Unseal:
    """A sealed feedback file written back in clear."""

    kind: str = "feedback"
    id: str = ""


@dataclass(frozen=True)
class Lock:
    """library.lock written as `gqrec library pull` leaves it: the tree's national library files as they
    are at this step (earlier examples' edits included), each with its digest."""

    kind: str = "lock"


Step = Edit | Find | Remove | Create | Set | Unseal | Lock


@dataclass(frozen=True)
class Example:
    """A fault that makes a rule fire, and its compliant form.

    `note` says the fault in French (`gqrec rule`, the demo's summary). `alone`: the fault gives this
    rule's findings and no other rule's. `at`: the step whose file holds the finding (None: other files).
    `fixed`: steps of a compliant variant, at the edge of the rule (the rule must stay silent).
    `keyless`: the fault is the check run without the feedback key.
    """

    note: str
    steps: tuple[Step, ...] = ()
    alone: bool = True
    at: int | None = 0
    fixed: tuple[Step, ...] = ()
    keyless: bool = False


# -- planting ----------------------------------------------------------------------------------------------

class _Tree:
    """The placed files of a records root, and the changes an example makes, written only once all fit."""

    def __init__(self, root: Path, key: bytes | None):
        self.root, self.key = root, key
        self.places: list[Place] = []
        for path in sorted(root.rglob("*")):
            rel = path.relative_to(root).as_posix()
            if path.is_file() and not any(part.startswith(".") for part in rel.split("/")):
                place = classify(rel)
                if isinstance(place, Place):
                    self.places.append(place)
        self.changes: dict[str, str | bytes | None] = {}

    def text(self, rel: str) -> str:
        raw = self.changes[rel] if rel in self.changes else (self.root / rel).read_bytes()
        if raw is None or isinstance(raw, str):
            return raw or ""
        if sealing.is_sealed(raw):
            raw = sealing.unseal(raw, self.key, 1 << 30)
        return raw.decode("utf-8")

    def write(self) -> None:
        for rel, text in self.changes.items():
            path = self.root / rel
            if text is None:
                path.unlink()
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                path.write_bytes(text)
            elif rel.endswith(".csv") and self.key is not None:
                place = classify(rel)
                path.write_bytes(sealing.seal(text, self.key, sealing.Place(place.region, place.id)))
            else:
                path.write_text(text, encoding="utf-8")


def _pattern(fragment: str, bound: dict[str, str]) -> re.Pattern:
    """The fragment as a pattern: literal text, its placeholders captured (or matched as already bound)."""
    out, seen, last = [], set(), 0
    for match in _PLACEHOLDER.finditer(fragment):
        out.append(re.escape(fragment[last:match.start()]))
        name = match[1] + match[2]
        if name in bound:
            out.append(re.escape(_fill(match[0], bound)))
        elif name in seen:
            out.append(f"(?P={name})")
        else:
            seen.add(name)
            out.append(f"(?P<{name}>{_CLASSES[match[1]]})")
        last = match.end()
    out.append(re.escape(fragment[last:]))
    return re.compile("".join(out), re.M)


def _fill(template: str, bound: dict[str, str]) -> str:
    def value(match: re.Match) -> str:
        got = bound[match[1] + match[2]]
        return _FILTERS[match[3]](got) if match[3] else got

    return _PLACEHOLDER.sub(value, template)


def plant(root: Path, example: Example, *, region: str | None = None, touched: set[str] | None = None,
          fixed: bool = False, key: bytes | None = None, chooser=None) -> list[str] | None:
    """Plant the example's fault (or, with `fixed`, its compliant variant) in the records under `root`,
    in `region` when given; the paths each step touched, in step order, or None when the tree has no
    room for it (nothing is then written). `touched` (updated) lists the files earlier plants changed
    (a file only read by `Find`, or whose keys `Set` set, is not touched: other examples may use it).
    Feedback files are opened and sealed again with `key`. With `chooser` (a `random.Random`), the files
    are tried in its order rather than in path order (the demo spreads its faults so)."""
    tree = _Tree(Path(root), key)
    if chooser is not None:
        chooser.shuffle(tree.places)
    touched = touched if touched is not None else set()
    bound: dict[str, str] = {}
    used: list[str] = []
    changed: set[str] = set()  # the files a step changed; those it only read (Find) or set keys in (Set) stay free
    for step in (example.fixed if fixed else example.steps):
        got = _step(tree, step, bound, region, touched | changed)
        if got is None:
            return None
        paths, region = got
        used += paths
        if not isinstance(step, Find | Set):
            changed.update(paths)
    tree.write()
    touched.update(changed)
    return used


def _step(tree: _Tree, step: Step, bound: dict[str, str], region: str | None, avoid: set[str]):
    if isinstance(step, Lock):
        if LOCK in avoid:
            return None
        tree.changes[LOCK] = _lock_text(tree)
        return [LOCK], region
    if isinstance(step, Create):
        region = region or next((p.region for p in tree.places if p.region), None)
        if region is None:
            return None
        rel = first = f"{region_folder(region)}/{_fill(step.path, bound)}"
        stem, dot, ext = first.rpartition(".")
        number = 1
        while step.numbered and ((tree.root / rel).exists() or rel in tree.changes):
            number += 1
            rel = f"{stem}-{number}{dot}{ext}"
        if (tree.root / rel).exists() or rel in tree.changes:
            return None
        tree.changes[rel] = _fill(step.text, bound)
        return [rel], region
    chosen = []
    for place in tree.places:
        if place.kind != step.kind or (region and place.region and place.region != region):
            continue
        if place.path in avoid and not isinstance(step, Find | Set):  # reading, or setting keys, collides with nothing
            continue
        mine = dict(bound)
        if step.id:
            wanted = _PLACEHOLDER.fullmatch(step.id)
            if wanted and (wanted[1] + wanted[2]) not in mine:
                mine[wanted[1] + wanted[2]] = place.id
            elif place.id != _fill(step.id, mine):
                continue
        fix = getattr(step, "fix", "")
        fragments = fix if isinstance(fix, tuple) else (fix,) if fix else ()
        text = tree.text(place.path) if fragments else ""
        match = None
        for fragment in fragments:
            match = _pattern(fragment, mine).search(text)
            if match is None:
                break
            mine.update({name: value for name, value in match.groupdict().items() if value is not None})
        if fragments and match is None:
            continue
        if not isinstance(step, Find):
            tree.changes[place.path] = _changed(tree, step, place, text, match, mine)
        bound.update(mine)
        chosen.append(place.path)
        region = region or place.region
        if not getattr(step, "every", False):
            break
    if not chosen and not getattr(step, "every", False):
        return None
    return chosen, region


def _lock_text(tree: _Tree) -> str:
    """A library.lock of the tree's library files as they are now (with the changes planted so far)."""
    lines = ["source: https://exemple.invalid/federation.git", f'revision: "{"0" * 40}"', "pulled: 2026-01-01",
             "files:"]
    for place in tree.places:
        if place.kind in LIBRARY_KINDS:
            raw = tree.changes.get(place.path, (tree.root / place.path).read_bytes())
            lines.append(f"  {place.path}: {file_digest(raw.encode('utf-8') if isinstance(raw, str) else raw)}")
    return "\n".join(lines) + "\n"


def _changed(tree: _Tree, step: Step, place: Place, text: str, match: re.Match | None, bound: dict[str, str]):
    if isinstance(step, Edit):
        return text[:match.start()] + _fill(step.fault, bound) + text[match.end():]
    if isinstance(step, Remove):
        return None
    if isinstance(step, Unseal):
        return tree.text(place.path).encode("utf-8")
    return _set(tree.text(place.path), step.values)


def _set(text: str, values) -> str:
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.preserve_quotes, yaml.width = True, 4096  # the text stays as written but for the keys set
    data = yaml.load(text)
    for dotted, value in values:
        *parents, last = dotted.split(".")
        node = data
        for key in parents:
            if node.get(key) is None:
                node[key] = {}
            node = node[key]
        if value is None:
            node.pop(last, None)
        else:
            node[last] = value
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


# -- showing -----------------------------------------------------------------------------------------------

def shown(template: str) -> str:
    """A fragment with each placeholder given a plausible value, for `gqrec rule`."""
    names: dict[str, str] = {}

    def value(match: re.Match) -> str:
        name = match[1] + match[2]
        if name not in names:
            taken = sum(1 for other in names if other.rstrip("0123456789") == match[1])
            choices = _SHOWN.get(match[1], ("x",))
            names[name] = choices[min(taken, len(choices) - 1)]
        return _FILTERS[match[3]](names[name]) if match[3] else names[name]

    return _PLACEHOLDER.sub(value, template)


def describe(example: Example) -> list[tuple[str, str, str]]:
    """(where, the compliant form, the faulty form) of each step that changes a file, in French."""
    out = []
    for step in example.steps:
        where = pattern_fr(step.kind) if hasattr(step, "kind") else f"regions/<région>/{shown(step.path)}"
        if isinstance(step, Edit):
            out.append((where, shown(step.fix), shown(step.fault)))
        elif isinstance(step, Remove):
            out.append((where, "(le fichier)", "(fichier supprimé)" + (" : " + shown(step.fix).strip() if step.fix else "")))
        elif isinstance(step, Create):
            out.append((where, "(pas de fichier)", shown(step.text)))
        elif isinstance(step, Set):
            out.append((where, "", "".join(_set_shown(key, value) for key, value in step.values)))
        elif isinstance(step, Unseal):
            out.append((where, "(fichier chiffré : gqrec seal)", "(fichier en clair)"))
    return out


def _set_shown(dotted: str, value) -> str:
    *parents, last = dotted.split(".")
    indent = "".join(f"{'  ' * depth}{key}:\n" for depth, key in enumerate(parents))
    pad = "  " * len(parents)
    if value is None:
        return f"{indent}{pad}({last} retiré)\n"
    if isinstance(value, dict):
        value = "{" + ", ".join(f"{k}: {v}" for k, v in value.items()) + "}"
    return f"{indent}{pad}{last}: {value}\n"
