"""`gqrec new`: a valid, commented record at the right place, filled from what the coordinator said.

A new file starts the way `fmt` would leave it (schema key order, RPPS quoted), each key commented with
its French title from the schema, so that the file explains itself to whoever opens it next. A new meeting
is planned (`status: planned`) and has no roll call: no one is marked present until the coordinator
names the roll call (`gqrec roll-call`, `authoring.rollcall`).
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any, Iterable

from ruamel.yaml.comments import CommentedMap

from .. import ids
from ..fsio import make_folder, write_atomic
from ..layout import REGIONS, Place, classify, path_of
from ..records import Group
from . import AuthoringError
from ..suggest import closest
from .fmt import normalise
from .schemaview import Shape
from .yamlio import append_lines, commented, dumps

DEFAULT_PARTNERS = (("URPS médecins libéraux", "urps"), ("Agence régionale de santé", "ars"),
                    ("Assurance Maladie", "assurance-maladie"))
REGION_HINTS = (
    f"{'# charter:':<32}# valeurs régionales qui remplacent la charte nationale, par ex. :\n"
    "#   group_size: {min: 10, max: 12}\n"
)
COMMENT_COLUMN = 32
ITEM_COMMENT_COLUMN = 20
HEADING_WIDTH = 100
DEFAULT_MEETING_MINUTES = 120
START = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")  # a meeting's start, as its schema has it


@dataclass(frozen=True)
class Draft:
    """A record about to be written: its path under the records root, its text, and remarks for the user."""

    kind: str
    path: str
    text: str
    notes: tuple[str, ...] = ()


def record_text(kind: str, data: dict, heading: str, remarks: dict[str, Any] | None = None,
                needed: tuple[str, ...] = ()) -> str:
    """The YAML text of a record: data in the schema's order, each key commented with its schema title,
    `heading` and the optional fields left out as a comment on top (except `needed` ones, which a rule
    asks for and the heading names). `remarks` adds to a key's comment (text), or puts a comment after
    list items ({index: text}), such as a physician's name after an RPPS."""
    return render(kind, build(kind, data, remarks), heading, needed)


def build(kind: str, data: dict, remarks: dict[str, Any] | None = None) -> CommentedMap:
    """The record as a round-trip document, in the schema's order, its keys commented (see record_text)."""
    shape = Shape.of(kind)
    document = normalise(commented(data), shape)
    remarks = remarks or {}
    _annotate(document, shape, {k: v for k, v in remarks.items() if isinstance(v, str)})
    for key, items in remarks.items():
        if isinstance(items, dict):
            for index, remark in items.items():
                item = document[key][index]
                if isinstance(item, CommentedMap):  # {physician: …, since: …}: the name after the RPPS
                    item.yaml_add_eol_comment(f"# {remark}", next(iter(item)), column=COMMENT_COLUMN)
                else:
                    document[key].yaml_add_eol_comment(f"# {remark}", index, column=ITEM_COMMENT_COLUMN)
    return document


def render(kind: str, document: CommentedMap, heading: str, needed: tuple[str, ...] = ()) -> str:
    """The text of a document, with the heading and the optional fields left out as a comment on top
    (not those `needed` by a rule, which the heading asks for)."""
    shape = Shape.of(kind)
    left_out = [f"{key} ({shape.child(key).title})" for key in shape.order if key not in document and key not in needed]
    lines = heading.splitlines() + ([f"Champs facultatifs : {', '.join(left_out)}."] if left_out else [])
    document.yaml_set_start_comment("\n".join(_wrap(line) for line in lines))
    return dumps(document)


def _wrap(line: str) -> str:
    """A comment line cut at HEADING_WIDTH, never between a French quote mark and its word."""
    glued = line.replace("« ", "«\u00a0").replace(" »", "\u00a0»")
    return textwrap.fill(glued, HEADING_WIDTH, break_long_words=False).replace("\u00a0", " ")


def _annotate(mapping: CommentedMap, shape: Shape, extra: dict[str, str] | None = None) -> None:
    for key in mapping:
        child = shape.child(key)
        if child is None:
            continue
        comment = " : ".join(part for part in (child.title, (extra or {}).get(key)) if part)
        if comment:
            mapping.yaml_add_eol_comment(f"# {comment}", key, column=COMMENT_COLUMN)
        if isinstance(mapping[key], CommentedMap) and not mapping[key].fa.flow_style():
            _annotate(mapping[key], child)


def write(root: Path, draft: Draft) -> Path:
    """Create the file of a draft; an existing file is never overwritten."""
    full = root / draft.path
    if full.exists():
        raise AuthoringError(f"{draft.path} existe déjà : gqrec new ne remplace pas un fichier (modifiez-le).")
    make_folder(full.parent)
    try:
        write_atomic(full, draft.text, overwrite=False)
    except FileExistsError:
        raise AuthoringError(f"{draft.path} existe déjà : gqrec new ne remplace pas un fichier.") from None
    return full


# -- checks of what the coordinator typed ---------------------------------------------------------------

def _place(kind: str, **fields: Any) -> Place:
    """The layout place of a new record; the layout's own message if an identifier has not its form."""
    found = classify(path_of(kind, **fields))
    if not isinstance(found, Place):
        raise AuthoringError(found.message)
    return found


def _slug(value: str, what: str) -> str:
    if not ids.is_slug(value):
        raise AuthoringError(
            f"{what} « {value} » : minuscules, chiffres et tirets attendus (par ex. pays-de-morlaix)."
        )
    return value


def rpps_fault(value: str) -> str | None:
    """What is wrong with an RPPS as typed (in French), or None: its number of digits, or its check digit."""
    if ids.rpps_form_ok(value):
        return None if ids.luhn_ok(value) else "clé de contrôle (Luhn) fausse ; vérifiez le numéro RPPS"
    if value.isascii() and value.isdigit():
        return f"{len(value)} chiffres ; un numéro RPPS en a 11"
    return "un numéro RPPS de 11 chiffres est attendu"


def _rpps(value: str, what: str) -> str:
    fault = rpps_fault(value)
    if fault:
        raise AuthoringError(f"{what} « {value} » : {fault}.")
    return value


class _Records:
    """The records already there, read once and only if a skeleton needs them."""

    def __init__(self, root: Path):
        self.root = root

    @cached_property
    def registry(self):
        from ..check import build_registry

        return build_registry(self.root, use_cache=False)  # `new` writes its one file and nothing else

    def group(self, region: str, group: str) -> Group:
        """The group a command works on; refused if it is not there (or not valid)."""
        found = self.registry.groups.get((region, group))
        if found is None:
            likely = closest(group, self.known("group", region))
            raise AuthoringError(
                f"Groupe « {group} » introuvable dans la région « {region} » ({path_of('group', region, group)} "
                + (f"absent) : vouliez-vous dire {likely} ?" if likely else "absent ou invalide : lancez gqrec check).")
            )
        return found

    def region_missing(self, region: str) -> list[str]:
        return self.missing("region", region, region, "La région")

    def missing(self, kind: str, region: str | None, ident: str, what: str) -> list[str]:
        """A note when a named record is not there yet; a refusal when it is most likely misspelled."""
        if self.registry.exists(kind, region, ident):
            return []
        likely = closest(ident, self.known(kind, region))
        if likely:
            raise AuthoringError(f"{what} « {ident} » n'existe pas ({path_of(kind, region, ident)}) : "
                                 f"vouliez-vous dire {likely} ?")
        return [f"{what} « {ident} » n'existe pas encore ({path_of(kind, region, ident)}) : créez-le aussi."]

    def known(self, kind: str, region: str | None) -> list[str]:
        """The identifiers of a kind's records (in a region for regional kinds)."""
        held = {"theme": self.registry.themes, "indicator": self.registry.indicators,
                "territory": self.registry.territories, "group": self.registry.groups,
                "region": self.registry.regions}.get(kind, {})
        return [key[1] if isinstance(key, tuple) else key for key in held
                if not isinstance(key, tuple) or key[0] == region]

    def name(self, region: str, rpps: str) -> str | None:
        physician = self.registry.physician(region, rpps)
        return physician.name if physician else None

    def names(self, region: str, people: Iterable[str]) -> dict[int, str]:
        return {index: name for index, rpps in enumerate(people) if (name := self.name(region, rpps))}


# -- one function per kind ------------------------------------------------------------------------------

def physician(root: Path, *, region: str, rpps: str, name: str, territory: str, specialty: str | None = None,
              animator_trained: date | None = None) -> Draft:
    return physician_draft(_Records(root), region=region, rpps=rpps, name=name, territory=territory,
                           specialty=specialty, animator_trained=animator_trained)


def physician_draft(records: _Records, *, region: str, rpps: str, name: str, territory: str,
                    specialty: str | None = None, animator_trained: date | None = None) -> Draft:
    """A physician's file, the records read once for many (`gqrec import physicians`)."""
    place = _place("physician", region=region, id=_rpps(rpps, "RPPS"))
    data = {"name": name, "territory": _slug(territory, "Territoire"), "specialty": specialty,
            "animator_trained": animator_trained}
    text = record_text("physician", data, f"Médecin {name} (RPPS {rpps}), région {region}.")
    notes = records.region_missing(region) + records.missing("territory", region, territory, "Le territoire")
    return Draft("physician", place.path, text, tuple(notes))


def territory(root: Path, *, region: str, id: str, name: str, setting: str, general_practitioners: int,
              communes: Iterable[str] = ()) -> Draft:
    place = _place("territory", region=region, id=id)
    data = {"name": name, "setting": setting, "general_practitioners": general_practitioners,
            "communes": list(communes) or None}
    text = record_text("territory", data, f"Territoire {name}, région {region}.")
    return Draft("territory", place.path, text, tuple(_Records(root).region_missing(region)))


def group(root: Path, *, region: str, id: str, name: str, territory: str, constituted: date, wave: int | None = None,
          animators: Iterable[str] = (), members: Iterable[str] = (), since: date | None = None) -> Draft:
    place = _place("group", region=region, id=id)
    since = since or constituted
    animators = [_rpps(a, "Animateur") for a in animators]
    members = list(dict.fromkeys(_rpps(m, "Membre") for m in members))
    data = {
        "name": name, "territory": _slug(territory, "Territoire"), "constituted": constituted, "wave": wave,
        "animators": [{"physician": a, "since": since} for a in animators],
        "members": [{"physician": m, "since": since} for m in members],
    }
    heading = (f"Groupe « {name} », région {region}. Chaque animateur et chaque membre a sa période "
               "(since, until inclus) : ajoutez « until » le jour où quelqu'un quitte le groupe.")
    records = _Records(root)
    remarks = {"animators": records.names(region, animators), "members": records.names(region, members)}
    text = record_text("group", data, heading, {k: v for k, v in remarks.items() if v})
    notes = records.region_missing(region) + records.missing("territory", region, territory, "Le territoire")
    for rpps in dict.fromkeys(animators + members):
        notes += records.missing("physician", region, rpps, "Le médecin")
    return Draft("group", place.path, text, tuple(notes))


def meeting(root: Path, *, region: str, group: str, day: date, theme: str | None = None, period: str | None = None,
            duration_minutes: int = DEFAULT_MEETING_MINUTES, animator: str | None = None, start: str | None = None,
            place: str | None = None, actions: tuple[str, ...] = (), watch: tuple[str, ...] = (),
            review: tuple[str, ...] = (), highlights: tuple[str, ...] = ()) -> Draft:
    """A planned meeting (`status: planned`), without roll call: nobody is marked present before the
    coordinator names the roll call (`gqrec roll-call`); with the improvement actions given (each with
    the indicator to watch and the period to review it of the same rank) and the idées forces."""
    where = place
    place = _place("meeting", region=region, group=group, id=day.isoformat())
    if start is not None and not START.fullmatch(start):
        raise AuthoringError(f"Heure de début « {start} » : HH:MM attendu (24 h), par ex. 20:30.")
    if bool(theme) == bool(period):
        raise AuthoringError("Donnez soit --theme (réunion thématique), soit --period (réunion de restitution).")
    if period and not ids.PERIOD.fullmatch(period):
        raise AuthoringError(f"Période « {period} » : AAAA-S1, AAAA-S2 ou AAAA-T1 à AAAA-T4 attendu.")
    records = _Records(root)
    found = records.group(region, group)
    notes: list[str] = []
    if animator is None:
        active = sorted(found.active_animators(day))
        if not active:
            raise AuthoringError(f"Aucun animateur actif du groupe « {group} » le {day} : précisez --animator.")
        animator = active[0]
        if len(active) > 1:
            notes.append(
                f"Plusieurs animateurs actifs ce jour-là ({', '.join(active)}) : {animator} retenu, corrigez si besoin."
            )
    else:
        _rpps(animator, "Animateur")
    if theme:
        notes += records.missing("theme", None, _slug(theme, "Thème"), "Le thème")
    if len(watch) > len(actions) or len(review) > len(actions):
        raise AuthoringError("Chaque --watch et chaque --review accompagne l'--action de même rang : "
                             "donnez d'abord l'action.")
    for when in review:
        if not ids.PERIOD.fullmatch(when):
            raise AuthoringError(f"Période « {when} » : AAAA-S1, AAAA-S2 ou AAAA-T1 à AAAA-T4 attendu.")
    for indicator in watch:
        notes += records.missing("indicator", None, _slug(indicator, "Indicateur"), "L'indicateur")
    agreed = [{"text": text, "indicator": watch[i] if i < len(watch) else None,
               "review": review[i] if i < len(review) else None} for i, text in enumerate(actions)]
    data = {
        "type": "feedback" if period else None, "theme": theme, "period": period, "status": "planned",
        "duration_minutes": duration_minutes, "animator": animator, "start": start, "place": where,
        "actions": [{k: v for k, v in action.items() if v} for action in agreed] or None,
        "highlights": list(highlights) or None,
    }
    subject = f"thème {theme}" if theme else f"restitution {period}"
    heading = (f"Réunion prévue du groupe « {found.name} » le {day} ({subject}), sans appel.\n"
               f"Une fois tenue, enregistrez son appel : gqrec roll-call --group {group} --date {day} "
               "--absent RPPS… (ou --present RPPS…, ou --none-absent).")
    remarks = {"animator": records.name(region, animator)}
    text = record_text("meeting", data, heading, {k: v for k, v in remarks.items() if v})
    return Draft("meeting", place.path, text, tuple(notes))


def contract(root: Path, *, region: str, rpps: str, group: str, signed: date, year: int | None = None,
             role: str | None = None) -> Draft:
    return _contract(_Records(root), region, rpps, group, signed, year, role)


def _contract(records: _Records, region: str, rpps: str, group: str, signed: date, year: int | None,
              role: str | None) -> Draft:
    place = _place("contract", region=region, id=_rpps(rpps, "Médecin"), year=year or signed.year)
    data = {"signed": signed, "group": _slug(group, "Groupe"), "role": role if role == "animator" else None}
    name = records.name(region, rpps)
    heading = (f"Contrat {place.year} du médecin {rpps}{f' ({name})' if name else ''} avec l'association "
               f"de la région {region}.")
    notes = (records.region_missing(region) + records.missing("physician", region, rpps, "Le médecin")
             + records.missing("group", region, group, "Le groupe"))
    return Draft("contract", place.path, record_text("contract", data, heading), tuple(notes))


def contracts(root: Path, *, region: str, group: str, signed: date, rpps: str | None = None,
              all_members: bool = False, year: int | None = None, role: str | None = None) -> Draft | list[Draft]:
    """One physician's contract of the year, or with `all_members` the whole group's (`group_contracts`,
    where each one's role comes from the group)."""
    if all_members:
        return group_contracts(root, region=region, group=group, year=year or signed.year, signed=signed)
    return contract(root, region=region, rpps=rpps, group=group, signed=signed, year=year, role=role)


def group_contracts(root: Path, *, region: str, group: str, year: int, signed: date) -> list[Draft]:
    """The year's contracts of everyone in a group that year (members, and animators with the role
    « animator »), for the files not written yet: renewing a group's contracts in one command."""
    records = _Records(root)
    found = records.group(region, group)
    first, last = date(year, 1, 1), date(year, 12, 31)
    animators = {t.physician for t in found.animators if t.overlaps(first, last)}
    members = {t.physician for t in found.members if t.overlaps(first, last)}
    if not animators | members:
        raise AuthoringError(f"Le groupe « {group} » n'a ni membre ni animateur en {year} : aucun contrat à créer.")
    drafts = [_contract(records, region, rpps, group, signed, year, "animator" if rpps in animators else None)
              for rpps in sorted(animators | members)]
    return [d for d in drafts if not (root / d.path).exists()]


def programme(root: Path, *, region: str, year: int, validated: date, themes: Iterable[str] = ()) -> Draft:
    place = _place("programme", region=region, year=year)
    themes = list(dict.fromkeys(_slug(t, "Thème") for t in themes))
    heading = f"Programme {year} de la région {region} : thèmes validés par le COPIL."
    records = _Records(root)
    notes = records.region_missing(region)
    notes += [note for t in themes for note in records.missing("theme", None, t, "Le thème")]
    text = record_text("programme", {"validated": validated, "themes": themes}, heading)
    return Draft("programme", place.path, text, tuple(notes))


def theme(root: Path, *, id: str, title: str, indicators: Iterable[str] = ()) -> Draft:
    """A theme being drafted: criteria unticked and dossier empty until the author fills them (GQ109)."""
    place = _place("theme", id=id)
    indicators = list(dict.fromkeys(_slug(i, "Indicateur") for i in indicators))
    data = {
        "title": title,
        "criteria": {"daily_practice": False, "evaluable": False, "evidence_based": False, "efficiency": False},
        "dossier": {"problem": "", "key_messages": [], "references": []},
        "indicators": indicators or None,
    }
    heading = (f"Thème {title}, en cours de rédaction. Passez chaque critère à true une fois vérifié, remplissez "
               "le dossier documentaire et donnez au moins un indicateur de suivi (indicators) avant de "
               "l'inscrire à un programme (règle GQ109).")
    records = _Records(root)
    notes = [note for i in indicators for note in records.missing("indicator", None, i, "L'indicateur")]
    text = record_text("theme", data, heading, needed=("indicators",))
    return Draft("theme", place.path, text, tuple(notes))


def indicator(root: Path, *, id: str, title: str, theme: str, numerator: str, denominator: str, better: str,
              source: str | None = None) -> Draft:
    """An indicator of the national library: what its numerator and denominator count, and its aim."""
    place = _place("indicator", id=id)
    data = {"title": title, "theme": _slug(theme, "Thème"), "numerator": numerator, "denominator": denominator,
            "better": better, "source": source}
    aim = "une baisse" if better == "lower" else "une hausse"
    heading = f"Indicateur {title}, du thème « {theme} ». Objectif : {aim} de l'indicateur."
    notes = _Records(root).missing("theme", None, theme, "Le thème")
    return Draft("indicator", place.path, record_text("indicator", data, heading), tuple(notes))


def region(root: Path, *, id: str, name: str, association: str, coordinator: str,
           partners: Iterable[tuple[str, str]] = DEFAULT_PARTNERS) -> Draft:
    """A region: its association, partners and coordinating physician, with the charter hint."""
    place = _place("region", region=id, id=id)
    document = region_document(name, association, _rpps(coordinator, "Coordonnateur"), partners)
    heading = (f"Région {name}. Le coordonnateur est un médecin de la région (physicians/<rpps>.yaml) ; "
               "les partenaires sont à compléter.")
    notes = _Records(root).missing("physician", id, coordinator, "Le médecin coordonnateur")
    return Draft("region", place.path, render("region", document, heading), tuple(notes))


def region_document(name: str, association: str, coordinator: str,
                    partners: Iterable[tuple[str, str]] = DEFAULT_PARTNERS) -> CommentedMap:
    """A region.yaml document, with the regional charter shown as a commented-out hint."""
    document = build("region", {
        "name": name,
        "association": {"name": association, "legal_form": "association loi 1901"},
        "partners": [{"name": n, "role": r} for n, r in partners],
        "coordinator": coordinator,
    })
    append_lines(document, "coordinator", REGION_HINTS)
    return document


def sole_region(root: Path) -> str:
    """The repository's only region, for commands whose --region may then be left out."""
    folder = root / REGIONS
    found = sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")) if folder.is_dir() else []
    if len(found) == 1:
        return found[0]
    if not found:
        raise AuthoringError(f"Aucune région dans {folder} : créez-en une (gqrec new region) ou précisez --region.")
    raise AuthoringError(f"Plusieurs régions ({', '.join(found)}) : précisez laquelle avec --region.")
