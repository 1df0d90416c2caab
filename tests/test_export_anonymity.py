"""The pseudonymised export against someone who holds the records repository but not the key.

The attack of issue 24: export the repository nominatively (anyone holding it can), then, for each code
of the pseudonymised export, keep the physicians of whom everything the export says of that code is
true (attendance at each meeting, memberships and their dates, contracts and their dates, the meetings
a code animated, the region a code coordinates, the meetings attended per group and year). Before the
fix, attendance alone left one physician per code; now no code keeps fewer than five
(docs/export.md, « Modèle de menace »).
"""

from __future__ import annotations

import re
import sqlite3
from collections import defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner

from world import FEEDBACK_KEY
from gqrec.cli import cli
from gqrec.demo import generate

KEY = FEEDBACK_KEY
AS_OF = "2026-01-01"


def export(root: Path, out: Path, *args: str, key: str | None) -> sqlite3.Connection:
    result = CliRunner().invoke(cli, ["export", str(root), "--out", str(out), "--as-of", AS_OF, *args],
                                env={"GQREC_FEEDBACK_KEY": key or ""})
    assert result.exit_code == 0, result.output
    return sqlite3.connect(out)


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> tuple[sqlite3.Connection, sqlite3.Connection]:
    """A demo archive, its nominative export as the attacker makes it (no key) and the pseudonymised one."""
    top = tmp_path_factory.mktemp("attaque")
    root = top / "records"
    generate(root, regions=2, groups=6, years=2, first_year=2024, key=KEY.encode())
    out = tmp_path_factory.mktemp("exports")
    return export(root, out / "depot.db", key=None), export(root, out / "pseudo.db", "--pseudonymise", key=KEY)


def tables(db: sqlite3.Connection) -> set[str]:
    return {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def rows(db: sqlite3.Connection, sql: str) -> list[tuple]:
    return list(db.execute(sql))


def what_is_said(db: sqlite3.Connection, coded: bool) -> dict[str, set[tuple]]:
    """Everything an export says of each physician (or code), as comparable facts."""
    said: dict[str, set[tuple]] = defaultdict(set)
    tables(db)
    for region, group, date, who, status in rows(db, "SELECT region, group_id, date, rpps, status FROM attendance"):
        said[who].add(("appel", region, group, date, status))
    for region, group, role, who, since, until in rows(
            db, "SELECT region, group_id, role, rpps, since, until FROM memberships"):
        said[who].add(("membre", region, group, role, since, until))
    for region, year, who, signed, group, role in rows(
            db, "SELECT region, year, rpps, signed, group_id, role FROM contracts"):
        said[who].add(("contrat", region, year, signed, group, role))
    for region, group, date, who in rows(db, "SELECT region, group_id, date, animator FROM meetings"):
        if who is not None:
            said[who].add(("anime", region, group, date))
    for region, who in rows(db, "SELECT region, coordinator FROM regions"):
        if who is not None:
            said[who].add(("coordonne", region))
    for region, who, territory, specialty, trained in rows(
            db, "SELECT region, rpps, territory, specialty, animator_trained FROM physicians"):
        if coded and (territory, specialty, trained) != (None, None, None):
            said[who].add(("fiche", region, territory, specialty, trained))
    return said


def attended(db: sqlite3.Connection) -> dict[str, dict[tuple, int]]:
    """From the nominative export: per physician, the meetings of each group attended each year they
    were a member (as the attacker counts them)."""
    out: dict[str, dict[tuple, int]] = defaultdict(dict)
    years = {int(y) for (y,) in rows(db, "SELECT DISTINCT substr(date, 1, 4) FROM meetings")}
    for region, group, who, since, until in rows(
            db, "SELECT region, group_id, rpps, since, until FROM memberships WHERE role = 'member'"):
        for year in years:
            if since <= f"{year}-12-31" and (until is None or until >= f"{year}-01-01"):
                out[who].setdefault((region, group, year), 0)
    for region, group, date, who in rows(
            db, "SELECT region, group_id, date, rpps FROM attendance WHERE status = 'present'"):
        fact = (region, group, int(date[:4]))
        if fact in out.get(who, {}):
            out[who][fact] += 1
    return out


def candidates(nominative: sqlite3.Connection, pseudo: sqlite3.Connection) -> dict[str, int]:
    """For each code of the pseudonymised export, how many physicians of the repository fit it."""
    truth = what_is_said(nominative, coded=False)
    counts = attended(nominative)
    physicians = {who for (who,) in rows(nominative, "SELECT rpps FROM physicians")}
    coded = what_is_said(pseudo, coded=True)
    participation: dict[str, list[tuple]] = defaultdict(list)
    if "participation" in tables(pseudo):
        for row in rows(pseudo, "SELECT rpps, region, group_id, year, attended_min, attended_max FROM participation"):
            participation[row[0]].append(row[1:])
    codes = set(coded) | set(participation)
    codes |= {c for (c,) in rows(pseudo, "SELECT rpps FROM feedback WHERE rpps IS NOT NULL")}

    def fits(physician: str, code: str) -> bool:
        if not coded.get(code, set()) <= truth.get(physician, set()):
            return False
        if code in participation:
            mine = counts.get(physician, {})
            shown = participation[code]
            if {(r, y) for r, _, y, _, _ in shown} != {(r, y) for r, _, y in mine}:
                return False
            by_group = [(r, g, y) for r, g, y, _, _ in shown if g is not None]
            if by_group and set(by_group) != set(mine):
                return False
            for region, group, year, low, high in shown:
                if group is not None and low is not None:
                    if not low <= mine[(region, group, year)] <= (high if high is not None else 10 ** 6):
                        return False
        return True

    return {code: sum(fits(p, code) for p in physicians) for code in codes}


def test_no_code_is_narrowed_to_fewer_than_five_physicians(archive):
    nominative, pseudo = archive
    found = candidates(nominative, pseudo)
    assert len(found) >= 40  # the export still says something of most physicians
    assert min(found.values()) >= 5, sorted(found.values())[:10]


def test_the_attack_is_real_on_the_nominative_facts(archive):
    """The same attack with each code's facts as the repository has them ties every physician: the
    export must not carry them."""
    nominative, _ = archive
    truth = what_is_said(nominative, coded=False)
    unique = sum(1 for facts in truth.values() if sum(facts <= other for other in truth.values()) == 1)
    assert unique > len(truth) * 0.8


def test_pseudonymised_export_holds_no_dates_of_physicians_and_no_small_denominators(archive):
    _, pseudo = archive
    for table in ("attendance", "memberships", "contracts"):
        assert rows(pseudo, f'SELECT count(*) FROM "{table}"') == [(0,)], table
    assert rows(pseudo, "SELECT count(*) FROM meetings WHERE animator IS NOT NULL") == [(0,)]
    assert rows(pseudo, "SELECT count(*) FROM regions WHERE coordinator IS NOT NULL") == [(0,)]
    assert rows(pseudo, "SELECT count(*) FROM feedback WHERE denominator < 10") == [(0,)]
    assert rows(pseudo, "SELECT count(*) FROM feedback") != [(0,)]
    coded = {c for (c,) in rows(pseudo, "SELECT DISTINCT rpps FROM participation")}
    assert {c for (c,) in rows(pseudo, "SELECT DISTINCT rpps FROM feedback WHERE rpps IS NOT NULL")} <= coded


def test_pseudonymised_findings_carry_no_record_value(world, tmp_path_factory):
    """A name written as a list, 10- and 12-digit near-RPPS strings: the findings table of a pseudonymised
    export keeps the rule's title, not the record's words."""
    physician = next((world.root / "regions/armor/physicians").glob("*.yaml"))
    text = physician.read_text(encoding="utf-8")
    physician.write_text(re.sub(r"^name: .*$", 'name: [Dr X, "Secret"]', text, count=1, flags=re.M), encoding="utf-8")
    group = world.root / "regions/armor/groups/lamballe/group.yaml"
    group.write_text(group.read_text(encoding="utf-8").replace("name:", 'name: "1014204218 102007942030 102 875 209 76"\nx_name:', 1),
                     encoding="utf-8")
    out = tmp_path_factory.mktemp("pseudo") / "p.db"
    result = CliRunner().invoke(cli, ["export", str(world.root), "--out", str(out), "--as-of", "2025-01-01",
                                      "--pseudonymise"], env={"GQREC_FEEDBACK_KEY": KEY})
    assert result.exit_code == 0, result.output
    db = sqlite3.connect(out)
    texts = " ".join(str(value) for row in rows(db, "SELECT path, message, hint FROM findings") for value in row)
    assert rows(db, "SELECT count(*) FROM findings") != [(0,)]
    for secret in ("Secret", "Dr X", "1014204218", "102007942030", "102 875 209 76", physician.stem):
        assert secret not in texts, secret
