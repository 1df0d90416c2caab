"""`gqrec import physicians|members FILE`: the spreadsheet an association already keeps (`table`), turned
into records: a physician's file for each row (as `gqrec new physician` writes it), or a member entry in
the group's `group.yaml` for each row (as `gqrec member join` writes it).

Every row is judged before anything is written: an RPPS of 11 digits with its Luhn key, a known
territory (by its id or its name) and a name for a physician; a physician with a file, a known group, an
arrival date that no held roll call contradicts for a member. The refused rows are listed with their line
number and why; then nothing is written, unless `skip_invalid` asks for the other rows. A row already in
the records (the same physician's file, the same member already active) is left as it is: importing the
same file twice changes nothing the second time (« rien à faire »).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ruamel.yaml.comments import CommentedMap

from ..french import counted
from ..ids import french_date, is_slug, parse_date
from ..layout import path_of
from ..suggest import closest
from . import AuthoringError
from .members import AlreadyMember, _plan_join, _write, Change
from .skeletons import _Records, physician_draft, rpps_fault, write
from .table import Table, _key, digits, read_table

PHYSICIANS, MEMBERS = "physicians", "members"
GENERAL_PRACTICE = "medecine generale"  # the default specialty, compared as `table._key` has it


class RowFault(AuthoringError):
    """Why a row is refused, in French (caught for each row, never out of an import)."""


@dataclass
class Imported:
    """What an import found and did: the rows read, those refused (line, why), the files written, the rows
    added and those already in the records, and remarks."""

    table: Table
    what: str
    refused: list[tuple[int, str]] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    added: int = 0
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)
    kept_back: bool = False  # rows refused, nothing written

    @property
    def status(self) -> int:
        """1 when refused rows kept everything back, else 0."""
        return 1 if self.kept_back else 0

    def lines(self) -> list[str]:
        """The French report the command prints."""
        table = self.table
        columns = ", ".join(table.columns.values())
        out = [f"{table.name} : {counted(len(table.rows), 'ligne lue', 'lignes lues')} (colonnes {columns}"
               + (f" ; ignorées : {', '.join(table.ignored)}" if table.ignored else "") + ")."]
        if self.refused:
            out.append(f"Lignes refusées ({len(self.refused)}) :")
            out += [f"  ligne {line} : {why}" for line, why in self.refused]
        if self.kept_back:
            others = len(table.rows) - len(self.refused)
            out.append("Rien n'a été écrit : corrigez ces lignes dans le fichier, ou relancez avec --skip-invalid "
                       f"pour importer {counted(others, 'autre ligne', 'autres lignes')}.")
            return out
        out += [f"{'Créé' if self.what == PHYSICIANS else 'Modifié'} : {path}" for path in self.written]
        if not self.added:
            already = (counted(self.unchanged, "médecin déjà présent", "médecins déjà présents") if self.what == PHYSICIANS
                       else counted(self.unchanged, "déjà membre", "déjà membres"))
            out.append(f"Rien à faire : {already}.")
        elif self.what == PHYSICIANS:
            out.append(f"{counted(self.added, 'fiche de médecin créée', 'fiches de médecin créées')}, "
                       f"{counted(self.unchanged, 'déjà présente', 'déjà présentes')}.")
        else:
            out.append(f"{counted(self.added, 'membre ajouté', 'membres ajoutés')}, "
                       f"{counted(self.unchanged, 'déjà membre', 'déjà membres')}.")
        return out


def import_rows(root: Path, what: str, source: Path, *, region: str, territory: str | None = None,
                group: str | None = None, since: date | None = None, skip_invalid: bool = False) -> Imported:
    """Import a spreadsheet's physicians or members (see the module's docstring)."""
    table = read_table(source)
    if "rpps" not in table.columns:
        raise AuthoringError(f"{table.name} : aucune colonne « RPPS » dans la première ligne "
                             f"({', '.join(table.ignored) or 'vide'}).")
    records = _Records(root)
    if region not in records.registry.region_ids:
        raise AuthoringError(f"Région « {region} » inconnue ({path_of('region', region, region)} absent).")
    done = Imported(table, what)
    (_physicians if what == PHYSICIANS else _members)(records, done, region, territory, group, since, skip_invalid)
    return done


def _rpps_of(row: dict[str, str], seen: dict[str, int], line: int) -> str:
    value = digits(row.get("rpps", ""))
    if not value:
        raise RowFault("RPPS manquant.")
    fault = rpps_fault(value)
    if fault:
        raise RowFault(f"RPPS « {value} » : {fault}.")
    if value in seen:
        raise RowFault(f"RPPS {value} déjà à la ligne {seen[value]}.")
    seen[value] = line
    return value


def _column_or_option(table: Table, column: str, given: str | None, header: str, what: str) -> None:
    """Refuse a file without the column when its option (--territory, --group) is not given either."""
    if given is None and column not in table.columns:
        raise AuthoringError(f"{table.name} : aucune colonne « {header} » ; ajoutez-la, ou donnez {what} avec "
                             f"--{column}.")


def _day(text: str, what: str) -> date | None:
    if not text:
        return None
    found = parse_date(text) or french_date(text)
    if found is None:
        raise RowFault(f"{what} « {text} » : date AAAA-MM-JJ ou JJ/MM/AAAA attendue.")
    return found


# -- physicians -------------------------------------------------------------------------------------------

def _physicians(records: _Records, done: Imported, region: str, territory: str | None, group, since,
                skip_invalid: bool) -> None:
    _column_or_option(done.table, "territory", territory, "Territoire", "le territoire de tous les médecins")
    territories = {t.id: t for (r, _), t in records.registry.territories.items() if r == region}
    seen: dict[str, int] = {}
    drafts = []
    for line, row in done.table.rows:
        try:
            rpps = _rpps_of(row, seen, line)
            name = _name(row)
            where = _known(row.get("territory") or territory or "", territories, "territoire", region)
            specialty = row.get("specialty") or None
            trained = _day(row.get("animator_trained", ""), "Formation d'animateur")
        except RowFault as fault:
            done.refused.append((line, str(fault)))
            continue
        known = records.registry.physician(region, rpps)
        if records.registry.exists("physician", region, rpps):
            done.unchanged += 1
            if known is not None and known.name != name:
                done.notes.append(f"ligne {line} : {rpps} a déjà une fiche (« {known.name} »), laissée telle quelle.")
            continue
        if specialty and _key(specialty) == GENERAL_PRACTICE:
            specialty = None
        drafts.append(physician_draft(records, region=region, rpps=rpps, name=name, territory=where,
                                      specialty=specialty, animator_trained=trained))
    if done.refused and not skip_invalid:
        done.kept_back = True
        return
    for draft in drafts:
        done.written.append(write(records.root, draft))
        done.notes += draft.notes
    done.added = len(drafts)


def _name(row: dict[str, str]) -> str:
    """The displayed name: the « Nom complet » column, or « Dr Prénom Nom »."""
    name = row.get("name") or " ".join(part for part in (row.get("first_name"), row.get("last_name")) if part)
    name = " ".join(name.split())
    if not name:
        raise RowFault("nom manquant.")
    return name if _key(name).split()[0] in ("dr", "docteur") else f"Dr {name}"


def _known(value: str, known: dict, what: str, region: str) -> str:
    """The id of a territory or a group (`known`: id -> record), from its id or its name as written in any
    case and accents; refused with the closest id, or the list of them."""
    if not value:
        raise RowFault(f"{what} manquant.")
    if value in known:
        return value
    wanted = _key(value)
    for ident, record in known.items():
        if wanted in (_key(ident), _key(record.name)):
            return ident
    likely = closest(value.lower(), known) if is_slug(value.lower()) else None
    raise RowFault(f"{what} « {value} » inconnu dans la région « {region} »"
                   + (f" : vouliez-vous dire {likely} ?" if likely else
                      f" ({what}s : {', '.join(sorted(known)) or 'aucun'})."))


# -- members ----------------------------------------------------------------------------------------------

def _members(records: _Records, done: Imported, region: str, territory, group: str | None, since: date | None,
             skip_invalid: bool) -> None:
    _column_or_option(done.table, "group", group, "Groupe", "le groupe de tous les membres")
    groups = {g.id: g for (r, _), g in records.registry.groups.items() if r == region}
    documents: dict[str, CommentedMap] = {}
    seen: dict[str, int] = {}
    for line, row in done.table.rows:
        try:
            rpps = _rpps_of(row, seen, line)
            found = groups[_known(row.get("group") or group or "", groups, "groupe", region)]
            day = _day(row.get("since", ""), "Date d'arrivée") or since or found.constituted
            if not records.registry.exists("physician", region, rpps):
                raise RowFault(f"{rpps} n'a pas de fiche dans la région « {region} » "
                               f"({path_of('physician', region, rpps)}) : importez d'abord les médecins "
                               "(gqrec import physicians).")
            name = records.name(region, rpps)
            who = f"{name} ({rpps})" if name else rpps
            document = documents.get(found.id)
            try:
                documents[found.id] = _plan_join(records, found, rpps, day, who, document=document)
            except AlreadyMember:
                done.unchanged += 1
                continue
            except AuthoringError as error:
                raise RowFault(str(error)) from None
            done.added += 1
        except RowFault as fault:
            done.refused.append((line, str(fault)))
    if done.refused and not skip_invalid:
        done.kept_back, done.added = True, 0
        return
    change = Change()
    for ident, document in documents.items():
        _write(records.root, groups[ident], document, change)
    done.written += change.paths
