"""The attendance sheet (feuille d'émargement) of REPORTS.md: printed before a meeting, from the group's
record — the group, the date, the theme when given, the active animators and every active member on that
date (by surname, « LE GOFF Anne »), with an empty column to sign — and, when the meeting is already
written down (`status: planned`), its time, place and theme. Pure: a Registry in, a `Sheet` out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Mapping

from ..errors import RecordsError, UsageError
from ..layout import path_of
from ..names import sort_key, surname_first
from ..registry import Registry


@dataclass(frozen=True)
class Person:
    rpps: str
    name: str | None  # None: no physician file for this RPPS in the region

    @property
    def listed(self) -> str:
        """« LE GOFF Anne », as the sheet lists people."""
        return surname_first(self.name) if self.name else "(fiche introuvable)"


@dataclass(frozen=True)
class Sheet:
    region: str
    association: str
    group: str
    name: str
    territory: str
    day: date
    theme: str | None  # the theme's title
    animators: tuple[Person, ...]
    members: tuple[Person, ...]
    notices: tuple[str, ...]  # what the coordinator should know before printing
    start: str | None = None  # "HH:MM", from the meeting's file when it is written down
    place: str | None = None
    region_id: str = ""
    letterhead: Mapping[str, Any] = field(default_factory=dict)  # region.yaml's letterhead
    logo: str | None = None  # the letterhead's logo as a data URI (set by `sheet_produce`)


class UnknownGroup(UsageError):
    pass


class NoMembers(RecordsError):
    pass


def _past(registry: Registry, group, day: date) -> str:
    """What a sheet for a day before the reference date should say: the meeting is over, and whether its
    roll call is already recorded."""
    meeting = next((m for m in registry.group_meetings(group) if m.date == day), None)
    when = f"la réunion du {day.isoformat()} est passée (date de référence {registry.as_of.isoformat()})"
    if meeting is not None and meeting.counts(registry.as_of):
        return f"{when} et son appel est déjà enregistré : cette feuille ne vaut pas émargement."
    return f"{when} : enregistrez son appel avec « gqrec roll-call » plutôt qu'une feuille vierge."


def build(registry: Registry, region: str, group_id: str, day: date, theme_id: str | None = None) -> Sheet:
    refusal = registry.unknown_region(region)
    if refusal is not None:
        raise UnknownGroup(refusal)
    group = registry.groups.get((region, group_id))
    if group is None:
        known = ", ".join(sorted(g for r, g in registry.groups if r == region)) or "aucun"
        raise UnknownGroup(f"Groupe inconnu dans la région {region} : {group_id} (groupes : {known}).")
    notices = []
    title = None
    meeting = next((m for m in registry.group_meetings(group) if m.date == day), None)
    if meeting is not None and meeting.status == "cancelled":
        notices.append(f"la réunion du {day.isoformat()} est annulée dans ses registres (status: cancelled).")
    if theme_id is None and meeting is not None:
        theme_id = meeting.theme
        if meeting.type == "feedback":
            title = f"Réunion de restitution du retour d'information ({meeting.period})"
    if theme_id is not None:
        theme = registry.themes.get(theme_id)
        if theme is None:
            raise UnknownGroup(f"Thème inconnu : {theme_id} (pas de fichier {path_of('theme', id=theme_id)}).")
        title = theme.title
        programme = registry.programme(region, day.year)
        if programme is None or theme_id not in programme.themes:
            notices.append(f"le thème {theme_id} n'est pas au programme {day.year} de la région (GQ108).")
    if day < registry.as_of:
        notices.append(_past(registry, group, day))
    if day < group.constituted:
        notices.append(f"le groupe n'est constitué que le {group.constituted.isoformat()} (GQ006).")

    def people(rpps_set) -> tuple[Person, ...]:
        found = [(registry.physician(region, rpps), rpps) for rpps in rpps_set]
        return tuple(sorted((Person(rpps, p.name if p else None) for p, rpps in found),
                            key=lambda person: (person.name is None, sort_key(person.name), person.rpps)))

    members = people(group.active_members(day))
    if not members:
        raise NoMembers(f"Le groupe {group_id} n'a aucun membre actif le {day.isoformat()} : pas de feuille "
                        "d'émargement à imprimer (voir members dans group.yaml).")
    animators = people(group.active_animators(day))
    if not animators:
        notices.append(f"aucun animateur actif du groupe le {day.isoformat()} (GQ103).")
    record = registry.regions.get(region)
    territory = registry.territories.get((region, group.territory))
    return Sheet(
        region=record.name if record else region, association=record.association["name"] if record else region,
        group=group.id, name=group.name, territory=territory.name if territory else group.territory, day=day,
        theme=title, animators=animators, members=members, notices=tuple(notices),
        start=meeting.start if meeting else None, place=meeting.place if meeting else None, region_id=region,
        letterhead=record.letterhead if record else {},
    )
