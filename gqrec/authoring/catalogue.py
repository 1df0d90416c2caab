"""`gqrec library list`: the national themes a coordinator can put in a programme, with their titles, their
indicators and the regions whose programme of the year offers them: what to type after `--theme`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..formats import Formats, Renderer
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


@dataclass(frozen=True)
class Catalogue:
    """The national themes of a records root, and the year whose programmes say which region offers them."""

    year: int
    themes: tuple[Theme, ...]


def catalogue(root: Path, year: int | None = None) -> Catalogue:
    year = year or date.today().year
    return Catalogue(year, tuple(themes(root, year)))


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


def as_json(catalogue: Catalogue, request=None) -> str:
    """Each theme with its title, indicators and the regions offering it in the year's programme."""
    return json.dumps([{"theme": t.id, "title": t.title, "indicators": list(t.indicators),
                        "programmes": {str(catalogue.year): list(t.offered)}} for t in catalogue.themes],
                      ensure_ascii=False, indent=2) + "\n"


def as_text(catalogue: Catalogue, request=None) -> str:
    """A table: id, title, the regions offering the theme in the year's programme."""
    from tabulate import tabulate

    if not catalogue.themes:
        return f"Aucun thème dans {folder_of('theme')}/ : la bibliothèque nationale est vide.\n"
    rows = [(t.id, printable(t.title) if t.title else "(fichier non conforme : gqrec check)",
             ", ".join(t.offered) or "—") for t in catalogue.themes]
    table = tabulate(rows, headers=["Thème", "Titre", f"Au programme {catalogue.year}"], tablefmt="simple")
    return (f"Bibliothèque nationale : {counted(len(catalogue.themes), 'thème', 'thèmes')} "
            f"({folder_of('theme')}/).\n\n{table}\n")


FORMATS = Formats()
FORMATS.add("text", Renderer(as_text, "identifiant, titre et régions qui le retiennent au programme de l'année"))
FORMATS.add("json", Renderer(as_json, "tableau JSON, avec les indicateurs de chaque thème"))
