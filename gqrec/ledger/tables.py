"""The ledger as titled tables (`document.table.Table`), so the table writers of the bilan (`document`)
serve it too: per physician, per group, per region, and the unpaid meetings with their reason. People
are listed as a treasurer looks them up — « LE GOFF Anne », by surname (`names`) — groups by their
name, each table closed by its totals (per region, then for all when there are several)."""

from __future__ import annotations

from decimal import Decimal
from typing import Callable, Sequence

from ..document.table import Hours, Table
from ..indemnities import Session
from ..names import sort_key, surname_first
from .figures import Ledger, PhysicianLine, RegionLedger

ROLE = {(True, False): "participant", (False, True): "animateur", (True, True): "participant et animateur"}
UNKNOWN = "(fiche introuvable)"
PRESENCE_HOURS = "Heures de présence"


def role(session: Session) -> str:
    return ROLE[session.attended, session.animated]


def name(line: PhysicianLine) -> str:
    """« LE GOFF Anne », or what the ledger says of an RPPS without a physician file."""
    return surname_first(line.name) if line.name else UNKNOWN


def by_name(lines: Sequence[PhysicianLine]) -> list[PhysicianLine]:
    return sorted(lines, key=lambda line: (line.name is None, sort_key(line.name), line.physician))


def _lead(ledger: Ledger, *headers: str) -> tuple[str, ...]:
    return (("Région",) if ledger.region is None else ()) + headers


def _classes(ledger: Ledger, *classes: str) -> tuple[str, ...]:
    return (("",) if ledger.region is None else ()) + classes


def _amount(amounts: Sequence[Decimal | None]) -> Decimal | None:
    """Amounts summed; None when none is set (no rate in any charter)."""
    known = [a for a in amounts if a is not None]
    return sum(known, Decimal(0)) if known else None


def _rows(ledger: Ledger, rows_of: Callable[[RegionLedger], list[tuple]],
          total_of: Callable[[Sequence[RegionLedger]], tuple] | None = None) -> tuple[tuple, ...]:
    """Each region's rows (led by its name when the ledger has every region) and its total row, then the
    total of all regions when there are several."""
    national = ledger.region is None
    rows = []
    for region in ledger.regions:
        rows += [((region.name,) if national else ()) + row for row in rows_of(region)]
        if total_of is not None:
            rows.append(((region.name,) if national else ()) + ("Total",) + total_of((region,)))
    if total_of is not None and national and len(ledger.regions) > 1:
        rows.append(("Total", "") + total_of(ledger.regions))
    return tuple(rows)


def physicians(ledger: Ledger) -> Table:
    def rows(r: RegionLedger) -> list[tuple]:
        return [(name(p), p.physician, ", ".join(r.group_name(g) for g in p.groups), p.attended, p.animated,
                 p.absent, Hours(p.minutes), p.unpaid, p.amount, p.attestation) for p in by_name(r.physicians)]

    def total(regions: Sequence[RegionLedger]) -> tuple:
        lines = [p for r in regions for p in r.physicians]
        return ("", "", sum(p.attended for p in lines), sum(p.animated for p in lines), sum(p.absent for p in lines),
                Hours(sum(p.minutes for p in lines)), sum(p.unpaid for p in lines),
                _amount([r.total.amount for r in regions]), sum(p.attestation for p in lines))

    return Table("medecins", "Par médecin",
                 _lead(ledger, "Nom", "RPPS", "Groupes", "Présences", "Animations", "Absences", PRESENCE_HOURS,
                       "Non payables", "Montant", "Attestation"),
                 _rows(ledger, rows, total),
                 "Présences : réunions où le médecin, membre actif, est inscrit présent ; heures de présence : la "
                 "durée de chaque réunion suivie ou animée par le médecin, comptée une fois (et non les heures de "
                 "réunion du bilan) ; montant : réunions payables aux tarifs de la charte ; total de la colonne "
                 "Attestation : les médecins qui en reçoivent une.",
                 "Aucune présence ni animation cette année.",
                 _classes(ledger, "name", "", "groups"))


def groups(ledger: Ledger) -> Table:
    def rows(r: RegionLedger) -> list[tuple]:
        return [(g.name, g.attended, g.animated, g.amount) for g in r.groups]

    def total(regions: Sequence[RegionLedger]) -> tuple:
        lines = [g for r in regions for g in r.groups]
        return (sum(g.attended for g in lines), sum(g.animated for g in lines), _amount([g.amount for g in lines]))

    return Table("groupes", "Par groupe", _lead(ledger, "Groupe", "Présences", "Animations", "Montant"),
                 _rows(ledger, rows, total), "", "Aucune réunion cette année.", _classes(ledger, "name"))


def regions(ledger: Ledger) -> Table:
    rows = tuple(
        (r.name, r.rates.participant, r.rates.animator, r.threshold, r.total.attended, r.total.animated,
         Hours(r.total.minutes), r.total.amount, r.total.attestations)
        for r in ledger.regions
    )
    if len(ledger.regions) > 1:
        rows += (("Total", None, None, None, sum(r.total.attended for r in ledger.regions),
                  sum(r.total.animated for r in ledger.regions), Hours(sum(r.total.minutes for r in ledger.regions)),
                  _amount([r.total.amount for r in ledger.regions]), sum(r.total.attestations for r in ledger.regions)),)
    return Table("regions", "Par région",
                 ("Région", "Tarif participant", "Tarif animateur", "Seuil d'attestation", "Présences",
                  "Animations", PRESENCE_HOURS, "Montant", "Attestations"),
                 rows, "« — » : la charte ne fixe pas de tarif ; les présences sont comptées sans montant."
                 if any(r.rates.participant is None or r.rates.animator is None for r in ledger.regions) else "")


def unpaid(ledger: Ledger) -> Table:
    def rows(r: RegionLedger) -> list[tuple]:
        found = sorted(r.unpaid, key=lambda ps: (ps[0].name is None, sort_key(ps[0].name), ps[0].physician,
                                                 ps[1].meeting.date))
        return [(name(p), p.physician, r.group_name(s.group), s.meeting.date, role(s), s.unpaid_reason)
                for p, s in found]

    return Table("non-payables", "Réunions non payables",
                 _lead(ledger, "Nom", "RPPS", "Groupe", "Date", "Rôle", "Motif"), _rows(ledger, rows),
                 "Réunions suivies ou animées sans contrat de l'année signé au plus tard le jour de la réunion "
                 "(règle GQ107) : comptées, non payées.",
                 "Toutes les réunions sont payables.", _classes(ledger, "name"))


def tables(ledger: Ledger) -> list[Table]:
    return [regions(ledger), groups(ledger), physicians(ledger), unpaid(ledger)]


def title(ledger: Ledger) -> str:
    scope = ledger.regions[0].name if ledger.region else "ensemble des régions"
    return f"Registre des présences et indemnités {ledger.year} — {scope}"


WARNING = ("Document nominatif (noms, RPPS, montants) destiné au trésorier de l'association : à ne pas publier, "
           "à ne pas verser dans le dépôt des registres.")
