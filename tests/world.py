"""A small, fully compliant records world written as real files, a way to run the real CLI on it, and the
helpers the rule tests share (imported by the tests; `conftest` gives the `world` fixture)."""

from __future__ import annotations

import json
import re
import shutil
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from datetime import date

from click.testing import CliRunner

from gqrec import sealing
from gqrec.check import rule_findings
from gqrec.cli import cli
from gqrec.demo import DEMO_KEY
from gqrec.ids import luhn_digit

AS_OF = "2025-01-01"  # 2024 is judged, 2025 is not
# The feedback key of every test, as CI has it as a secret: the public demo key, which also opens the
# sample records (set for the session by conftest). A test that wants no key says so in its environment.
FEEDBACK_KEY = DEMO_KEY
FEEDBACK_FILE = re.compile(r"regions/([^/]+)/feedback/([^/]+)\.csv")


def key_file(folder: Path, name: str, key: str) -> Path:
    """A key file as its owner keeps it (0600), outside the records."""
    path = folder / name
    path.write_text(key + "\n", encoding="utf-8")
    path.chmod(0o600)
    return path


def seal_at(rel: str, text: str | bytes, key: str = FEEDBACK_KEY) -> bytes:
    """A feedback file's rows sealed as `gqrec seal` would at `rel` (bound to its region and period)."""
    match = FEEDBACK_FILE.fullmatch(rel)
    return sealing.seal(text, key.encode(), sealing.Place(match[1], match[2]))


def rpps(n: int) -> str:
    payload = f"10{n:08d}"
    return payload + luhn_digit(payload)


ANIMATOR = rpps(1)
COORDINATOR = rpps(2)
MEMBERS = [rpps(10 + i) for i in range(10)]
OUTSIDER = rpps(99)  # a physician of the region in no group
MEETING_DAYS = [f"2024-{month:02d}-{day:02d}" for month, day in
                [(1, 16), (2, 13), (3, 12), (4, 9), (5, 14), (6, 11), (9, 10), (10, 8), (11, 12), (12, 10)]]


@dataclass
class Run:
    exit_code: int
    output: str
    findings: list[dict] = field(default_factory=list)

    def rules(self) -> list[str]:
        return [f["rule"] for f in self.findings]

    def only(self, rule: str) -> list[dict]:
        return [f for f in self.findings if f["rule"] == rule]


class World:
    """A records root in a temporary folder, edited as a coordinator would, checked with the real CLI."""

    def __init__(self, root: Path):
        self.root = root

    def write(self, rel: str, text: str) -> Path:
        """Write a record; a feedback CSV is sealed with FEEDBACK_KEY, as the repository keeps it
        (`write_bytes` writes one in clear)."""
        return self._put(rel, textwrap.dedent(text).lstrip("\n"))

    def _put(self, rel: str, text: str) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if FEEDBACK_FILE.fullmatch(rel):
            path.write_bytes(seal_at(rel, text))
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def write_bytes(self, rel: str, data: bytes) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path

    def read(self, rel: str) -> str:
        """A record's text; a sealed feedback file's clear text."""
        raw = (self.root / rel).read_bytes()
        if sealing.is_sealed(raw):
            raw = sealing.unseal(raw, FEEDBACK_KEY.encode(), 1 << 30)
        return raw.decode("utf-8")

    def copy_region(self, region: str, to: str) -> None:
        """A copy of a region's folder under another slug, its feedback files sealed again for their new
        place (a sealed file is bound to its region and period)."""
        shutil.copytree(self.root / "regions" / region, self.root / "regions" / to)
        for path in sorted((self.root / "regions" / to / "feedback").glob("*.csv")):
            rel = path.relative_to(self.root).as_posix()
            self._put(rel, self.read(rel))

    def edit(self, rel: str, old: str, new: str, count: int = 1) -> None:
        text = self.read(rel)
        assert old in text, f"{old!r} not in {rel}"
        self._put(rel, text.replace(old, new, count))

    def remove(self, rel: str) -> None:
        (self.root / rel).unlink()

    def pos(self, rel: str, needle: str, nth: int = 0) -> tuple[int, int]:
        """1-based line and column of the nth occurrence of needle in the file."""
        text = self.read(rel)
        index = -1
        for _ in range(nth + 1):
            index = text.index(needle, index + 1)
        line = text.count("\n", 0, index) + 1
        return line, index - (text.rfind("\n", 0, index) + 1) + 1

    def check(self, *args: str, as_of: str = AS_OF) -> Run:
        result = CliRunner().invoke(cli, ["check", str(self.root), "--format", "json", "--as-of", as_of, *args])
        assert result.exception is None or isinstance(result.exception, SystemExit), result.output
        findings = json.loads(result.stdout) if result.stdout.strip().startswith("[") else []
        return Run(result.exit_code, result.output, findings)

    def findings_of(self, *rules: str, as_of: str = AS_OF, key: str | None = FEEDBACK_KEY) -> list[dict]:
        """The findings of these rules alone (as `check --format json` gives them), through the pipeline's
        whole-archive registry: what a rule's test asserts, untouched by any other rule. Without rules,
        every rule's."""
        found = rule_findings(self.root, date.fromisoformat(as_of), frozenset(rules) if rules else None,
                              key=key.encode() if key else None)
        return [f.as_json() for f in found]

    def invoke(self, *args: str) -> Run:
        result = CliRunner().invoke(cli, list(args))
        assert result.exception is None or isinstance(result.exception, SystemExit), result.output
        return Run(result.exit_code, result.output)


G = "regions/armor/groups/lamballe/group.yaml"
REGION = "regions/armor/region.yaml"


def meeting_path(day: str) -> str:
    return f"regions/armor/groups/lamballe/meetings/{day}.yaml"


def build_world(root: Path) -> World:
    w = World(root)
    w.write("federation.yaml", """
        name: Fédération de test
        demo: true
        charter:
          group_size: {min: 10, max: 15}
          meetings_per_year: 10
    """)
    w.write("themes/asthme-adulte.yaml", """
        title: Asthme de l'adulte
        criteria: {daily_practice: true, evaluable: true, evidence_based: true, efficiency: true}
        dossier:
          problem: L'asthme reste mal contrôlé chez beaucoup d'adultes.
          key_messages:
            - Un traitement de fond par corticoïde inhalé pour tout asthme persistant.
          references:
            - title: Guide du parcours de soins asthme
              publisher: HAS
              year: 2023
        indicators: [asthme-corticoide-inhale]
    """)
    w.write("indicators/asthme-corticoide-inhale.yaml", """
        title: Corticoïde inhalé chez l'asthmatique
        theme: asthme-adulte
        numerator: patients avec au moins un corticoïde inhalé
        denominator: patients avec au moins trois bronchodilatateurs
        better: higher
    """)
    w.write(REGION, f"""
        name: Armor
        association: {{name: APIMED Armor}}
        partners:
          - {{name: URPS ML Armor, role: urps}}
        coordinator: "{COORDINATOR}"
        charter:
          group_size: {{min: 10, max: 12}}
    """)
    w.write("regions/armor/territories/lamballe.yaml", """
        name: Lamballe
        setting: rural
        general_practitioners: 16
    """)
    w.write(f"regions/armor/physicians/{ANIMATOR}.yaml", """
        name: Dr Anne Animatrice
        territory: lamballe
        animator_trained: 2023-06-01
    """)
    for number, who in enumerate([COORDINATOR, OUTSIDER, *MEMBERS]):
        w.write(f"regions/armor/physicians/{who}.yaml", f"""
            name: Dr Médecin {number}
            territory: lamballe
        """)
    members = "".join(f'  - physician: "{m}"\n    since: 2024-01-01\n' for m in MEMBERS)
    w.write(G, f"""
name: Groupe Qualité de Lamballe
territory: lamballe
constituted: 2024-01-01
wave: 1
animators:
  - physician: "{ANIMATOR}"
    since: 2024-01-01
members:
{members}""")
    w.write("regions/armor/programmes/2024.yaml", """
        validated: 2023-12-15
        themes: [asthme-adulte]
    """)
    for who in [ANIMATOR, *MEMBERS]:
        w.write(f"regions/armor/contracts/2024/{who}.yaml", f"""
            signed: 2024-01-05
            group: lamballe
            role: {"animator" if who == ANIMATOR else "participant"}
        """)
    for day in MEETING_DAYS:
        present = "".join(f'  - "{m}"\n' for m in MEMBERS[:9])
        w.write(meeting_path(day), f"""
theme: asthme-adulte
duration_minutes: 120
animator: "{ANIMATOR}"
present:
{present}absent:
  - "{MEMBERS[9]}"
clinical_cases: 4
""")
    for period in ("2024-S1", "2024-S2"):
        rows = "".join(f"participant,{m},asthme-corticoide-inhale,{5 + i},{20 + i}\n" for i, m in enumerate(MEMBERS))
        w.write(f"regions/armor/feedback/{period}.csv",
                "population,physician,indicator,numerator,denominator\n" + rows
                + "control,,asthme-corticoide-inhale,400,1000\n")
    return w


# -- helpers shared by the rule tests -------------------------------------------------------------

def after(world, path, prefix, nth=0):
    """Line and column of the value written right after `prefix` in the file."""
    line, column = world.pos(path, prefix, nth)
    return line, column + len(prefix)


def where(finding):
    return finding["path"], finding["line"], finding["column"]


def one(world, rule, as_of=AS_OF):
    """The only finding of `rule`, judged alone (`World.findings_of`): another rule's findings never enter."""
    found = world.findings_of(rule, as_of=as_of)
    assert len(found) == 1, found
    return found[0]


def single(run, rule):
    """The run's only finding, which must be of `rule`."""
    assert run.rules() == [rule], run.findings
    return run.findings[0]


def set_until(world, who, until):
    """Close the lamballe period (member or animator) of `who` on `until`."""
    entry = f'physician: "{who}"\n    since: 2024-01-01\n'
    world.edit(G, entry, f"{entry}    until: {until}\n")
