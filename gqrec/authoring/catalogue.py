"""`gqrec library list`: the national themes a coordinator can put in a programme, with their titles, their
indicators and the regions whose programme of the year offers them: what to type after `--theme`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from tabulate import tabulate

from ..french import counted
from ..layout import folder_of
from ..safe import printable


@dataclass(frozen=True)
class Theme:
    """One theme of the national library: id, title (None when its file fails its schema), indicators, and
    the regions whose programme of the year lists it."""

    id: str
    title: str | None
    indicators: tuple[str, ...]
    offered: tuple[str, ...]


def themes(root: Path, year: int | None = None) -> list[Theme]:
    """The national themes of a records root, by id, with the regions offering each in `year`'s programme."""
    from ..check import build_registry

    year = year or date.today().year
    registry = build_registry(root, years=frozenset({year}))
    ids = sorted(set(registry.themes) | {p.id for p in registry.places if p.kind == "theme"})
    offered: dict[str, list[str]] = {}
    for region in registry.region_ids:
        programme = registry.programme(region, year)
        for theme in programme.themes if programme else ():
            offered.setdefault(theme, []).append(region)
    out = []
    for ident in ids:
        found = registry.themes.get(ident)
        out.append(Theme(ident, found.title if found else None, tuple(found.indicators) if found else (),
                         tuple(offered.get(ident, ()))))
    return out


def render(listed: list[Theme], year: int, fmt: str) -> str:
    """The list as a table (text: id, title, regions) or as JSON (with the indicators too)."""
    if fmt == "json":
        return json.dumps([{"theme": t.id, "title": t.title, "indicators": list(t.indicators),
                            "programmes": {str(year): list(t.offered)}} for t in listed],
                          ensure_ascii=False, indent=2) + "\n"
    if not listed:
        return f"Aucun thème dans {folder_of('theme')}/ : la bibliothèque nationale est vide.\n"
    rows = [(t.id, printable(t.title) if t.title else "(fichier non conforme : gqrec check)",
             ", ".join(t.offered) or "—") for t in listed]
    table = tabulate(rows, headers=["Thème", "Titre", f"Au programme {year}"], tablefmt="simple")
    return (f"Bibliothèque nationale : {counted(len(listed), 'thème', 'thèmes')} ({folder_of('theme')}/).\n\n"
            f"{table}\n")
