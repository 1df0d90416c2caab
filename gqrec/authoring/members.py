"""`gqrec member join|leave|move`: a physician who joins or leaves a group on a day, written into the
group's `group.yaml` the way a coordinator would by hand (`edit`: comments kept, atomic write).

`join --date D` opens a member entry `since: D`; `leave --date D` closes the entry active that day with
`until: D` (D is the last day as a member, both ends included as RECORDS.md reads periods); `move --date
D` leaves the first group on the day before D and joins the second on D, so that the physician is never
an active member of two groups on one day (GQ106).

A held meeting is history: no change here touches it, and a date its roll call contradicts is refused
(a member gone yet listed, one arrived yet missing: GQ112), naming the meeting. A planned meeting holds no
roll call (RECORDS.md, « A meeting's life »): the roll call of each planned meeting after the date is
taken from the group on the day it is recorded (`gqrec roll-call`), so the change says which planned
meetings will count the physician or no longer will. Nothing is written when anything is refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..french import counted
from ..fsio import write_atomic
from ..layout import path_of
from ..records import HELD, PLANNED, Group, Meeting
from . import AuthoringError
from .edit import load, text_of
from .skeletons import COMMENT_COLUMN, _Records, _rpps

JOIN, LEAVE = "join", "leave"


class AlreadyMember(AuthoringError):
    """Nothing to do: the physician is already a member of the group from that day (an import passes on)."""


@dataclass
class Change:
    """What a member command wrote (the group files) and what it says: the lines of what changed, and
    the notes (a contract to sign, a group size the charter will not accept) for standard error."""

    paths: list[Path] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def join(root: Path, *, region: str, group: str, physician: str, day: date) -> Change:
    """Open `physician`'s member entry of `group` on `day` (see the module's docstring)."""
    return _one(root, JOIN, region, group, physician, day)


def leave(root: Path, *, region: str, group: str, physician: str, day: date) -> Change:
    """Close `physician`'s member entry of `group` active on `day`, `until: day` (see the module)."""
    return _one(root, LEAVE, region, group, physician, day)


def _one(root: Path, how: str, region: str, group: str, physician: str, day: date) -> Change:
    records = _Records(root)
    found, who = _group_and_physician(records, region, group, physician)
    plan = _plan_join if how == JOIN else _plan_leave
    change = Change()
    _write(root, found, plan(records, found, physician, day, who), change)
    change.lines.append(f"{who} rejoint le groupe « {group} » le {day} (members : since {day})." if how == JOIN else
                        f"{who} quitte le groupe « {group} » : dernier jour le {day} (members : until {day}).")
    _planned_lines(records, found, physician, day, how, change)
    if how == JOIN:
        change.notes += _contract_notes(records, found, physician, day)
    return change


def move(root: Path, *, region: str, physician: str, from_group: str, to_group: str, day: date) -> Change:
    """Leave `from_group` on the day before `day` and join `to_group` on `day`: both files are checked
    before either is written."""
    if from_group == to_group:
        raise AuthoringError(f"--from et --to désignent le même groupe « {from_group} » : rien à déplacer.")
    records = _Records(root)
    first, who = _group_and_physician(records, region, from_group, physician)
    second, _ = _group_and_physician(records, region, to_group, physician)
    last_day = day - timedelta(days=1)
    left = _plan_leave(records, first, physician, last_day, who)
    joined = _plan_join(records, second, physician, day, who, leaving=first)
    change = Change()
    _write(root, first, left, change)
    _write(root, second, joined, change)
    change.lines.append(f"{who} passe du groupe « {from_group} » (dernier jour le {last_day}) au groupe "
                        f"« {to_group} » (depuis le {day}).")
    _planned_lines(records, first, physician, last_day, LEAVE, change)
    _planned_lines(records, second, physician, day, JOIN, change)
    change.notes += _contract_notes(records, second, physician, day)
    return change


# -- what is checked before anything is written ---------------------------------------------------------

def _group_and_physician(records: _Records, region: str, group: str, physician: str) -> tuple[Group, str]:
    """The group (refused with the closest name when unknown) and « Dr X (RPPS) » for the physician, who
    must have a valid RPPS and a file in the region."""
    _rpps(physician, "Médecin")
    found = records.group(region, group)
    if not records.registry.exists("physician", region, physician):
        raise AuthoringError(f"Le médecin {physician} n'a pas de fiche dans la région « {region} » "
                             f"({path_of('physician', region, physician)}) : créez-la d'abord (gqrec new physician "
                             "ou gqrec import physicians).")
    name = records.name(region, physician)
    return found, f"{name} ({physician})" if name else physician


def _held(records: _Records, group: Group) -> list[Meeting]:
    return [m for m in records.registry.group_meetings(group) if m.status == HELD]


def _dates(meetings: list[Meeting]) -> str:
    return ", ".join(str(m.date) for m in meetings)


def _plan_join(records: _Records, group: Group, physician: str, day: date, who: str,
               leaving: Group | None = None, document: CommentedMap | None = None) -> CommentedMap:
    """The group's document (or `document`, the same being changed) with the new member entry; refused
    when the physician is already a member then or later, a member of another group from that day (but
    `leaving`), or missing from a held roll call."""
    for tenure in group.members:
        if tenure.physician == physician and (tenure.until is None or tenure.until >= day):
            since = f"depuis le {tenure.since}" + (f" jusqu'au {tenure.until}" if tenure.until else "")
            raise AlreadyMember(f"{who} est déjà membre du groupe « {group.id} » {since} : rien à faire"
                                 + (" (pour avancer son arrivée, modifiez « since »)." if tenure.since > day else "."))
    for other, tenure in records.registry.tenures(group.region).get(physician, ()):
        if other.id == group.id or (leaving is not None and other.id == leaving.id):
            continue
        if tenure.until is None or tenure.until >= day:
            raise AuthoringError(
                f"{who} est membre du groupe « {other.id} » depuis le {tenure.since}"
                + (f" jusqu'au {tenure.until}" if tenure.until else "") + f" : un médecin n'est membre que d'un "
                f"groupe à la fois (GQ106). Pour un changement de groupe : gqrec member move --physician {physician} "
                f"--from {other.id} --to {group.id} --date {day}.")
    missing = [m for m in _held(records, group) if m.date >= day and physician not in m.present + m.absent]
    if missing:
        raise AuthoringError(
            f"L'appel des réunions tenues du groupe « {group.id} » depuis le {day} ({_dates(missing)}) ne compte "
            f"pas {who} : une arrivée le {day} le rendrait incomplet (GQ112), et une réunion tenue ne se réécrit "
            "pas. Choisissez une date après la dernière, ou corrigez d'abord son appel.")
    document = _document(records, group) if document is None else document
    entry = CommentedMap([("physician", physician), ("since", day.isoformat())])
    name = records.name(group.region, physician)
    if name:
        entry.yaml_add_eol_comment(f"# {name}", "physician", column=COMMENT_COLUMN)
    members = document.get("members")
    if not isinstance(members, CommentedSeq):
        members = document["members"] = CommentedSeq()
    members.append(entry)
    return document


def _plan_leave(records: _Records, group: Group, physician: str, day: date, who: str) -> CommentedMap:
    """The group's document with the entry active on `day` closed on it; refused when the physician is not
    a member that day, or a held meeting after it lists them."""
    entries = [t for t in group.members if t.physician == physician]
    if not entries:
        raise AuthoringError(f"{who} n'est pas membre du groupe « {group.id} » : rien à clore.")
    active = next((t for t in entries if t.active_on(day)), None)
    if active is None:
        first = min(t.since for t in entries)
        if day < first:
            raise AuthoringError(f"{who} n'a rejoint le groupe « {group.id} » que le {first} : un départ le {day} "
                                 "précède son arrivée.")
        closed = max((t for t in entries if t.until is not None and t.until < day), key=lambda t: t.until)
        raise AuthoringError(f"{who} a déjà quitté le groupe « {group.id} » le {closed.until} : rien à clore.")
    if active.until == day:
        raise AuthoringError(f"{who} quitte déjà le groupe « {group.id} » le {day} : rien à faire.")
    listed = [m for m in _held(records, group) if m.date > day and physician in m.present + m.absent]
    if listed:
        raise AuthoringError(
            f"L'appel des réunions tenues du groupe « {group.id} » après le {day} ({_dates(listed)}) compte {who} "
            "parmi les présents ou les absents : un départ le {day} le contredirait (GQ112), et une réunion tenue "
            "ne se réécrit pas. Donnez le dernier jour réel de sa présence dans le groupe, ou corrigez d'abord "
            "ces appels.".replace("{day}", str(day)))
    document = _document(records, group)
    members = document.get("members")
    entry = members[active.index] if isinstance(members, CommentedSeq) and len(members) > active.index else None
    if not isinstance(entry, CommentedMap) or str(entry.get("physician")) != physician:
        raise AuthoringError(f"{group.src.path} a changé pendant la lecture : relancez la commande.")
    entry["until"] = day.isoformat()
    return document


def _document(records: _Records, group: Group) -> CommentedMap:
    return load(records.root, group.src.path)


def _write(root: Path, group: Group, document: CommentedMap, change: Change) -> None:
    write_atomic(root / group.src.path, text_of("group", document))
    change.paths.append(root / group.src.path)


# -- what the change means for the meetings ahead -----------------------------------------------------------

def _planned_lines(records: _Records, group: Group, physician: str, day: date, how: str, change: Change) -> None:
    """The planned meetings the change concerns (after a departure's last day, from an arrival's first),
    and a note for each whose group size the charter will not accept."""
    ahead = [m for m in records.registry.group_meetings(group)
             if m.status == PLANNED and (m.date > day if how == LEAVE else m.date >= day)]
    if not ahead:
        return
    verb = "le comptera parmi les membres" if how == JOIN else "ne le comptera plus"
    change.lines.append(f"Réunions prévues concernées ({len(ahead)}) : {_dates(ahead)} ; leur appel (gqrec "
                        f"roll-call) {verb}.")
    charter = records.registry.charter(group.region)
    for meeting in ahead:
        size = len(group.active_members(meeting.date) | {physician}) if how == JOIN else \
            len(group.active_members(meeting.date) - {physician})
        if not charter.group_min <= size <= charter.group_max:
            change.notes.append(
                f"le {meeting.date}, le groupe « {group.id} » comptera {counted(size, 'membre actif', 'membres actifs')}, "
                f"hors de la taille de la charte ({charter.group_min} à {charter.group_max}, GQ101).")
            break


def _contract_notes(records: _Records, group: Group, physician: str, day: date) -> list[str]:
    """A note when the physician has no contract for the year of the arrival (GQ107 once marked present)."""
    if records.registry.contract(group.region, day.year, physician) is not None:
        return []
    return [f"pas de contrat {day.year} pour {physician} : signez-le avant sa première réunion (GQ107), puis "
            f"gqrec new contract --rpps {physician} --group {group.id} --signed AAAA-MM-JJ."]
