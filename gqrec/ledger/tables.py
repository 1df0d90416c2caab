"""The ledger as titled tables (`document.table.Table`), so the table writers of the bilan (`document`)
serve it too: per physician, per group, per region, and the unpaid meetings with their reason."""

from __future__ import annotations

from ..document.table import Hours, Table
from ..indemnities import Session
from .figures import Ledger, RegionLedger

ROLE = {(True, False): "participant", (False, True): "animateur", (True, True): "participant et animateur"}


def role(session: Session) -> str:
    return ROLE[session.attended, session.animated]


def _lead(ledger: Ledger, *headers: str) -> tuple[str, ...]:
    return (("Région",) if ledger.region is None else ()) + headers


def _rows(ledger: Ledger, rows_of) -> tuple[tuple, ...]:
    rows = []
    for region in ledger.regions:
        rows += [((region.name,) if ledger.region is None else ()) + row for row in rows_of(region)]
    return tuple(rows)


def physicians(ledger: Ledger) -> Table:
    def rows(r: RegionLedger) -> list[tuple]:
        return [(p.physician, p.name or "(fiche introuvable)", ", ".join(p.groups), p.attended, p.animated, p.absent,
                 Hours(p.minutes), p.unpaid, p.amount, p.attestation) for p in r.physicians]

    return Table("medecins", "Par médecin",
                 _lead(ledger, "RPPS", "Nom", "Groupes", "Présences", "Animations", "Absences", "Heures",
                       "Non payables", "Montant", "Attestation"),
                 _rows(ledger, rows),
                 "Présences : réunions où le médecin, membre actif, est inscrit présent ; heures : chaque réunion "
                 "suivie ou animée comptée une fois ; montant : réunions payables aux tarifs de la charte.",
                 "Aucune présence ni animation cette année.")


def groups(ledger: Ledger) -> Table:
    def rows(r: RegionLedger) -> list[tuple]:
        return [(g.group, g.name, g.attended, g.animated, g.amount) for g in r.groups]

    return Table("groupes", "Par groupe", _lead(ledger, "Groupe", "Nom", "Présences", "Animations", "Montant"),
                 _rows(ledger, rows), "", "Aucune réunion cette année.")


def regions(ledger: Ledger) -> Table:
    rows = tuple(
        (r.name, r.rates.participant, r.rates.animator, r.threshold, r.total.attended, r.total.animated,
         Hours(r.total.minutes), r.total.amount, r.total.attestations)
        for r in ledger.regions
    )
    return Table("regions", "Par région",
                 ("Région", "Tarif participant", "Tarif animateur", "Seuil d'attestation", "Présences",
                  "Animations", "Heures", "Montant", "Attestations"),
                 rows, "« — » : la charte ne fixe pas de tarif ; les présences sont comptées sans montant."
                 if any(r.rates.participant is None or r.rates.animator is None for r in ledger.regions) else "")


def unpaid(ledger: Ledger) -> Table:
    def rows(r: RegionLedger) -> list[tuple]:
        return [(p.physician, p.name or "(fiche introuvable)", s.group, s.meeting.date, role(s), s.unpaid_reason)
                for p, s in r.unpaid]

    return Table("non-payables", "Réunions non payables",
                 _lead(ledger, "RPPS", "Nom", "Groupe", "Date", "Rôle", "Motif"), _rows(ledger, rows),
                 "Réunions suivies ou animées sans contrat de l'année signé au plus tard le jour de la réunion "
                 "(règle GQ107) : comptées, non payées.",
                 "Toutes les réunions sont payables.")


def tables(ledger: Ledger) -> list[Table]:
    return [regions(ledger), groups(ledger), physicians(ledger), unpaid(ledger)]


def title(ledger: Ledger) -> str:
    scope = ledger.regions[0].name if ledger.region else "ensemble des régions"
    return f"Registre des présences et indemnités {ledger.year} — {scope}"


WARNING = ("Document nominatif (noms, RPPS, montants) destiné au trésorier de l'association : à ne pas publier, "
           "à ne pas verser dans le dépôt des registres.")
