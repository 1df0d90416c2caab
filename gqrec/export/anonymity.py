"""What a pseudonymised export may say of each code, so that anyone holding the records repository (but
not the key) cannot narrow a code to fewer than `K` physicians (threat model: docs/export.md).

The repository tells everyone, for each physician, the groups they belonged to and when, every roll
call, every contract. A pseudonymised export therefore says nothing per code that the repository could
match, except one row per code, region, group and year: how many of the group's meetings of that year
the physician attended, and that only as precisely as keeps at least `K` physicians of the repository
given exactly the same rows. For each physician, the finest of these is chosen:

1. the exact count of meetings attended each year in each group;
2. that count in bands (0, 1–4, 5–9, 10 and more), then (0–4, 5 and more), then not at all;
3. the region and year only, without the group;
4. nothing: the code is left out of the export (its feedback rows too).

Everything this choice depends on is in the repository: whoever holds it can compute every
physician's rows, so a code's candidates are exactly the physicians given the same rows, and there are
always at least `K` of them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

K = 5  # no code narrowed to fewer physicians than this
BANDS: tuple[tuple[tuple[int, int | None], ...] | None, ...] = (
    (),  # exact
    ((0, 0), (1, 4), (5, 9), (10, None)),
    ((0, 4), (5, None)),
    None,  # no count
)

Fact = tuple[str, str, int]  # region, group, year


@dataclass(frozen=True)
class Participation:
    """One exported row of a code: region, group (None once coarsened to the region), year, and the
    meetings attended as a range (`low` == `high` when exact; both None when not said)."""

    region: str
    group: str | None
    year: int
    low: int | None
    high: int | None


def facts(registry, years: Iterable[int] | None = None, region: str | None = None) -> dict[str, dict[Fact, int]]:
    """For each physician, what the repository tells of them: the meetings of each group attended each
    year they were a member of it (tenure overlapping the year), the years of the meetings read."""
    seen_years = {m.date.year for meetings in registry.meetings.values() for m in meetings}
    wanted = sorted(seen_years if years is None else seen_years & set(years))
    out: dict[str, dict[Fact, int]] = defaultdict(dict)
    for (group_region, _), group in sorted(registry.groups.items()):
        if region is not None and group_region != region:
            continue
        for tenure in group.members:
            for year in wanted:
                first, last = f"{year}-01-01", f"{year}-12-31"
                since = tenure.since.isoformat() if tenure.since else first
                until = tenure.until.isoformat() if tenure.until else last
                if since <= last and until >= first:
                    out[tenure.physician].setdefault((group_region, group.id, year), 0)
        for meeting in registry.counted_meetings(group):  # held on or before the reference date
            fact = (group_region, group.id, meeting.date.year)
            for rpps in set(meeting.present):
                if fact in out.get(rpps, {}):
                    out[rpps][fact] += 1
    return dict(out)


def _band(count: int, bands) -> tuple[int | None, int | None]:
    if bands is None:
        return None, None
    if bands == ():
        return count, count
    return next((low, high) for low, high in bands if count >= low and (high is None or count <= high))


def _rows(fs: dict[Fact, int], level: int) -> tuple[Participation, ...]:
    """A physician's rows at a level: 0 to len(BANDS) - 1 by group with counts banded, then by region."""
    if level < len(BANDS):
        return tuple(Participation(r, g, y, *_band(fs[(r, g, y)], BANDS[level])) for r, g, y in sorted(fs))
    return tuple(Participation(r, None, y, None, None) for r, y in sorted({(r, y) for r, _, y in fs}))


def generalise(known: dict[str, dict[Fact, int]], k: int = K) -> dict[str, tuple[Participation, ...]]:
    """The rows each physician's code may have (absent: the code is left out of the export).

    Everything this depends on is in the repository, so whoever holds it can compute every
    physician's rows as well: the candidates of a code are the physicians given the same rows. Each
    physician starts at the finest level; while some rows are shared by fewer than k physicians, those
    physicians move one level coarser (levels only grow, so this ends); past the last level, left out.
    """
    level = {rpps: 0 for rpps, fs in known.items() if fs}
    last = len(BANDS)
    while True:
        classes: dict[tuple, list[str]] = defaultdict(list)
        for rpps, at in level.items():
            classes[(at, _rows(known[rpps], at))].append(rpps)
        small = [rpps for members in classes.values() if len(members) < k for rpps in members]
        if not small:
            return {rpps: _rows(known[rpps], at) for rpps, at in level.items()}
        for rpps in small:
            if level[rpps] == last:
                del level[rpps]
            else:
                level[rpps] += 1
