"""The events of the calendar: one per meeting file of the groups asked for (a file at fault is left to
the check), from the Registry alone. Pure: a Registry in, frozen dataclasses out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..errors import RecordsError, UsageError
from ..records import Meeting
from ..registry import Registry
from ..suggest import did_you_mean

DEFAULT_MINUTES = 120  # a timed meeting without a duration yet (planned): « environ 2 heures »
MODALITIES = {"remote": "à distance", "hybrid": "hybride (sur place et à distance)"}


@dataclass(frozen=True)
class Event:
    uid: str  # region, group and date: the same meeting has the same UID on every run
    day: date
    start: str | None  # "HH:MM", None: an all-day event
    minutes: int
    summary: str  # the theme's title, then the group's name
    place: str | None
    status: str  # planned, held or cancelled
    description: str


@dataclass(frozen=True)
class Agenda:
    name: str  # the calendar's name (X-WR-CALNAME)
    as_of: date  # the reference date: the events' DTSTAMP, so that a re-run gives the same file
    events: tuple[Event, ...]


class UnknownScope(UsageError):
    pass


class NoMeetings(RecordsError):
    pass


STATUS_FR = {"planned": "Réunion prévue", "held": "Réunion tenue", "cancelled": "Réunion annulée"}


def subject(registry: Registry, meeting: Meeting) -> str:
    """What the meeting is about: the theme's title, or the period a feedback meeting restitutes."""
    if meeting.type == "feedback":
        return f"Restitution du retour d'information {meeting.period or ''}".rstrip()
    theme = registry.themes.get(meeting.theme or "")
    return theme.title if theme else (meeting.theme or "Réunion")


def event(registry: Registry, meeting: Meeting, group_name: str) -> Event:
    lines = [f"{STATUS_FR.get(meeting.status, 'Réunion')} — {group_name}."]
    if meeting.modality in MODALITIES:
        lines.append(f"Modalité : {MODALITIES[meeting.modality]}.")
    return Event(
        uid=f"{meeting.date.isoformat()}-{meeting.group}-{meeting.region}@gqrec",
        day=meeting.date, start=meeting.start, minutes=meeting.duration_minutes or DEFAULT_MINUTES,
        summary=f"{subject(registry, meeting)} — {group_name}", place=meeting.place, status=meeting.status,
        description="\n".join(lines),
    )


def build(registry: Registry, region: str | None = None, group: str | None = None) -> Agenda:
    refusal = registry.unknown_region(region)
    if refusal is not None:
        raise UnknownScope(refusal)
    groups = [g for (r, _), g in sorted(registry.groups.items()) if region in (None, r)]
    if group is not None:
        known = sorted({g.id for g in groups})
        groups = [g for g in groups if g.id == group]
        if not groups:
            raise UnknownScope(f"Groupe inconnu : {group}.{did_you_mean(group, known)} (groupes : "
                               f"{', '.join(known) or 'aucun'}).")
    events = tuple(event(registry, m, g.name) for g in groups for m in registry.group_meetings(g))
    if not events:
        raise NoMeetings("Aucune réunion à mettre au calendrier (ni prévue, ni tenue, ni annulée).")
    if len(groups) == 1:
        name = groups[0].name
    else:
        record = registry.regions.get(region) if region else None
        name = f"Groupes Qualité — {record.name if record else region}" if region else "Groupes Qualité"
    return Agenda(name, registry.as_of, tuple(sorted(events, key=lambda e: (e.day, e.uid))))
