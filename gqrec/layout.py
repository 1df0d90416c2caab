"""Where each kind of record lives, and what its file name must look like.

This is the only module that parses paths: everything else receives a `Place`. Listing the files of a
root is `walk`'s work; this module only judges the paths it lists.
"""

from __future__ import annotations

from typing import Mapping, NamedTuple
from dataclasses import dataclass, field
from functools import lru_cache

from . import ids
from .findings import ERROR, Finding
from .kinds import KINDS as KIND_TABLE

KINDS = tuple(KIND_TABLE)  # every kind of record, in the layout's order
# A walked regular file (`walk`): (relative path, size, mtime_ns, ctime_ns, inode), all that is known
# before opening it; the layout keeps each placed file's (`Survey.stats`).
FileStat = tuple[str, int, int, int, int]


def pattern_fr(kind: str) -> str:
    """A kind's path as the help and the README show it: regions/<région>/physicians/<rpps>.yaml."""
    entry = KIND_TABLE[kind]
    return entry.pattern.format(region="<région>", group="<groupe>", year="<AAAA>", id=entry.id_fr)


LAYOUT_FR = "\n".join(pattern_fr(kind) for kind in KIND_TABLE)  # the whole layout, one kind a line

# What each kind's file holds, as the README's « Disposition d'un dépôt de registres » says it beside its
# path (`layout_described_fr`; a test holds the README to it and every kind to an entry here).
ABOUT_FR: Mapping[str, str] = {
    "federation": "fédération : nom, charte nationale",
    "theme": "thème : titre, critères, dossier documentaire",
    "indicator": "définition d'un indicateur",
    "lock": "bibliothèque nationale tirée : source, commit, empreintes",
    "region": "association, partenaires, coordonnateur, COPIL, charte régionale",
    "territory": "territoire",
    "physician": "médecin",
    "group": "groupe : territoire, animateurs, membres",
    "meeting": "une réunion du groupe",
    "programme": "thèmes de l'année, validation du COPIL",
    "contract": "contrat annuel d'un médecin",
    "feedback": "indicateurs d'une période (S1, S2 ou T1..T4), chiffrés",
}


def layout_described_fr(width: int = 49) -> str:
    """The whole layout with what each file holds, its descriptions aligned at `width` (a longer path
    keeps three spaces before its own)."""
    lines = []
    for kind in KIND_TABLE:
        path = pattern_fr(kind)
        lines.append(f"{path.ljust(width) if len(path) < width - 2 else path + '   '}{ABOUT_FR[kind]}")
    return "\n".join(lines)


class Place(NamedTuple):
    """A file classified by the layout: its kind and the identifiers its path gives.

    A named tuple rather than a dataclass: a national archive makes 70,000 of them on every run.
    """

    path: str  # relative to the records root, '/'-separated
    kind: str
    region: str | None = None
    id: str | None = None  # the record's own id (slug, rpps, date, year or period)
    group: str | None = None  # for meetings
    year: int | None = None  # for programmes, contracts and feedback


@dataclass(frozen=True)
class Survey:
    """Every file under a root: the ones the layout places, and findings for the others."""

    places: tuple[Place, ...]
    findings: tuple[Finding, ...]
    stats: Mapping[str, FileStat] = field(default_factory=dict)  # of each placed file, from the walk


def layout_finding(path: str, message: str, rule: str = "GQ003") -> Finding:
    return Finding(path, 1, 1, rule, ERROR, message)


def _misplaced(path: str) -> Finding:
    return layout_finding(
        path,
        "Fichier à un emplacement que la disposition des registres ne prévoit pas. "
        "Déplacez-le à sa place (voir `gqrec check --help` ou le README), "
        "ou supprimez-le s'il n'a rien à faire ici.",
    )


def _name_form(path: str, expected: str) -> Finding:
    return layout_finding(path, f"Nom de fichier invalide : attendu {expected}.")


def _slug_ok(path: str, value: str, what: str) -> Finding | None:
    if ids.is_slug(value):
        return None
    return _name_form(
        path,
        f"un identifiant de {what} en minuscules, chiffres et tirets (par ex. « pays-de-la-loire »), "
        f"trouvé « {value} »",
    )


def _rpps_ok(path: str, value: str) -> Finding | None:
    if not ids.rpps_form_ok(value):
        return _name_form(path, f"un numéro RPPS de 11 chiffres suivi de .yaml, trouvé « {value} »")
    if not ids.luhn_ok(value):
        return layout_finding(
            path,
            f"Le numéro RPPS « {value} » du nom de fichier a une clé de contrôle (Luhn) fausse : "
            "vérifiez le numéro sur l'annuaire santé.",
            rule="GQ005",
        )
    return None


def classify(path: str) -> Place | Finding:
    """The place of one relative path, or the layout finding that explains why it has none."""
    folder, _, name = path.rpartition("/")
    bulk = _bulk_folder(folder)
    if bulk is not None:
        place = _bulk_place(path, name, *bulk)
        if place is not None:
            return place
    return _classify(path)


@lru_cache(maxsize=4096)
def _bulk_folder(folder: str) -> tuple | None:
    """(kind, region, group, year) for the folders that hold nearly all files (meetings, contracts,
    physicians) when the folder itself is well named, else None: such a folder is judged once, and
    each file by its name alone. Anything unusual takes `_classify`, which explains it."""
    parts = folder.split("/")
    if len(parts) < 3 or parts[0] != REGIONS or not ids.is_slug(parts[1]):
        return None
    if len(parts) == 5 and parts[2] == "groups" and parts[4] == "meetings" and ids.is_slug(parts[3]):
        return "meeting", parts[1], parts[3], None
    if len(parts) == 4 and parts[2] == "contracts" and ids.YEAR.fullmatch(parts[3]):
        return "contract", parts[1], None, int(parts[3])
    if len(parts) == 3 and parts[2] == "physicians":
        return "physician", parts[1], None, None
    return None


def _bulk_place(path: str, name: str, kind: str, region: str, group: str | None, year: int | None) -> Place | None:
    """The place of a well-named file in a bulk folder, or None to let `_classify` explain."""
    stem, dot, ext = name.rpartition(".")
    if not dot or ext != "yaml":
        return None
    if kind == "meeting":
        if ids.parse_date(stem) is None:
            return None
        return Place(path, kind, region, stem, group, int(stem[:4]))
    if not (ids.rpps_form_ok(stem) and ids.luhn_ok(stem)):
        return None
    return Place(path, kind, region, stem, None, year)


def _classify(path: str) -> Place | Finding:
    """`classify` for any path, each part checked in turn."""
    parts = path.split("/")
    name = parts[-1]
    stem, _, ext = name.rpartition(".")
    if ext == "yml":
        return _name_form(path, "l'extension .yaml (et non .yml)")
    n = len(parts)
    if n == 1 and name == "federation.yaml":
        return Place(path, "federation")
    if n == 1 and name == LOCK:
        return Place(path, "lock")
    if n == 2 and parts[0] in ("themes", "indicators") and ext == "yaml":
        kind, what = ("theme", "thème") if parts[0] == "themes" else ("indicator", "indicateur")
        return _slug_ok(path, stem, what) or Place(path, kind, id=stem)
    if n < 3 or parts[0] != REGIONS:
        return _misplaced(path)
    region = parts[1]
    bad = _slug_ok(path, region, "région")
    if bad:
        return bad
    section = parts[2]
    if n == 3 and name == "region.yaml":
        return Place(path, "region", region, id=region)
    if n == 4 and section in ("territories", "physicians", "programmes", "feedback"):
        return _classify_regional_file(path, region, section, stem, ext)
    if section == "groups" and n >= 5:
        group = parts[3]
        bad = _slug_ok(path, group, "groupe")
        if bad:
            return bad
        if n == 5 and name == "group.yaml":
            return Place(path, "group", region, id=group)
        if n == 6 and parts[4] == "meetings" and ext == "yaml":
            if not ids.ISO_DATE.fullmatch(stem):
                return _name_form(path, f"la date de la réunion AAAA-MM-JJ.yaml, trouvé « {name} »")
            if ids.parse_date(stem) is None:
                return layout_finding(
                    path, f"« {stem} » n'est pas une date réelle du calendrier : corrigez le nom du fichier.", "GQ006"
                )
            return Place(path, "meeting", region, id=stem, group=group, year=int(stem[:4]))
    if section == "contracts" and n == 5 and ext == "yaml":
        if not ids.YEAR.fullmatch(parts[3]):
            return _name_form(path, f"un dossier d'année AAAA, trouvé « {parts[3]} »")
        return _rpps_ok(path, stem) or Place(path, "contract", region, id=stem, year=int(parts[3]))
    return _misplaced(path)


def path_of(
    kind: str, region: str | None = None, id: str | None = None, group: str | None = None, year: int | str | None = None
) -> str:
    """The relative path of a record, the inverse of `classify` (same fields as `Place`).

    Nothing is checked here: `classify` the result to know whether the identifiers have their form.
    Given "*" for each identifier it yields the layout's glob of that kind (for editors' schema maps).
    """
    if kind not in KIND_TABLE:
        raise ValueError(f"unknown record kind: {kind}")
    year = id if year is None else year  # a programme's id is its year
    return KIND_TABLE[kind].pattern.format(region=region, id=id, group=group, year=year)


def _classify_regional_file(path: str, region: str, section: str, stem: str, ext: str) -> Place | Finding:
    if section == "feedback":
        match = ids.PERIOD.fullmatch(stem)
        if ext != "csv" or not match:
            return _name_form(path, "AAAA-S1.csv, AAAA-S2.csv ou AAAA-T1.csv à AAAA-T4.csv")
        return Place(path, "feedback", region, id=stem, year=int(match["year"]))
    if ext != "yaml":
        return _misplaced(path)
    if section == "territories":
        return _slug_ok(path, stem, "territoire") or Place(path, "territory", region, id=stem)
    if section == "physicians":
        return _rpps_ok(path, stem) or Place(path, "physician", region, id=stem)
    if not ids.YEAR.fullmatch(stem):
        return _name_form(path, f"l'année du programme AAAA.yaml, trouvé « {stem}.{ext} »")
    return Place(path, "programme", region, id=stem, year=int(stem))


def may_be_of(path: str, years: frozenset[int]) -> bool:
    """False for a file of a bulk folder that is surely of another year (a meeting named by its date,
    a contract in its year's folder): 60,000 of a national archive's files need no classifying."""
    folder, _, name = path.rpartition("/")
    bulk = _bulk_folder(folder)
    if bulk is None or bulk[0] == "physician":
        return True
    if bulk[0] == "contract":
        return bulk[3] in years
    return not (name[:4].isdigit() and name[:4].isascii()) or int(name[:4]) in years


def place_files(files, findings=()) -> Survey:
    """Classify walked files: their places, and layout findings for those the layout has no place for."""
    places: list[Place] = []
    problems: list[Finding] = list(findings)
    stats: dict[str, FileStat] = {}
    for info in files:
        result = classify(info[0])
        if isinstance(result, Place):
            places.append(result)
            stats[info[0]] = info
        else:
            problems.append(result)
    return Survey(tuple(places), tuple(problems), stats)


REGIONS = "regions"  # the folder that holds one folder per region
LOCK = KIND_TABLE["lock"].pattern  # library.lock, beside the national library it records
_IN_REGIONS = REGIONS + "/"


def region_folder(region: str) -> str:
    """The folder of a region's files, relative to the records root."""
    return f"{REGIONS}/{region}"


def region_of_folder(path: str) -> str | None:
    """The region a folder right under regions/ is named for, or None (another path, or no slug)."""
    head, _, name = path.partition("/")
    return name if head == REGIONS and ids.is_slug(name) else None


def folder_of(
    kind: str, region: str | None = None, id: str = "*", group: str | None = None, year: int | str | None = None
) -> str:
    """The folder that holds a kind's file (same fields as `path_of`; those the folder does not depend on
    may be left out), relative to the records root."""
    return path_of(kind, region, id, group, year).rpartition("/")[0]


def partition_of(path: str) -> str | None:
    """The region whose folder holds a path, or None for the national files (and misplaced ones).

    The unit of incremental checking: every rule judges a region's files against that region's records
    and the national ones only, so a region's findings change only when its files or the national ones do.
    """
    if path.startswith(_IN_REGIONS):
        region, sep, _ = path[len(_IN_REGIONS):].partition("/")
        if sep and ids.is_slug(region):
            return region
    return None


def year_about(finding: Finding) -> int | None:
    """The year a finding is about: its own (a period, a judged year, a day), else its file's (the registry
    may hold only some years' records), else None. The bilan and the export count a year's findings by it."""
    if finding.year:
        return finding.year
    place = classify(finding.path)
    return place.year if isinstance(place, Place) else None
