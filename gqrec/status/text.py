"""`gqrec status` as text for the terminal: one block per group, French, the warnings last."""

from __future__ import annotations

from .. import i18n
from ..french import counted
from .figures import RECENT, GroupStatus, Status

LISTED = 8  # people named per missing-contract line; the rest counted


def _ahead(status: GroupStatus) -> str:
    if not status.ahead:
        return "aucune"
    shown = []
    for a in status.ahead:
        text = i18n.day(a.day) + (f" à {a.start}" if a.start else "") + (f", {a.place}" if a.place else "")
        shown.append(text + (f" — {a.theme}" if a.theme else ""))
    return "\n    ".join(["", *shown])


def _people(people) -> str:
    named = [f"{p.name or 'sans fiche'} ({p.rpps})" for p in people[:LISTED]]
    more = len(people) - LISTED
    return ", ".join(named) + (f" et {more} autres" if more > 0 else "")


def block(s: GroupStatus) -> list[str]:
    expected = "—" if s.expected is None else str(s.expected)
    year_total = "" if s.expected_year is None else f" ({s.expected_year} sur l'année)"
    lines = [f"{s.name} ({s.region}/{s.group}) — {counted(s.active, 'membre actif', 'membres actifs')}",
             f"  Réunions {s.year} : {counted(s.held, 'tenue', 'tenues')}, {expected} attendue"
             f"{'s' if (s.expected or 0) > 1 else ''} à ce jour{year_total}"
             + (f", {counted(s.cancelled, 'annulée', 'annulées')}" if s.cancelled else ""),
             f"  Réunions prévues à venir : {_ahead(s)}"]
    if s.roll_calls:
        due = [f"{i18n.day(r.day)} ({r.days} j{', en retard : GQ123' if r.overdue else ''})" for r in s.roll_calls]
        lines.append(f"  Appels à enregistrer (gqrec roll-call) : {', '.join(due)}")
    for year, people in sorted(s.contracts_missing.items()):
        if len(people) == s.signers(year):  # nobody has signed yet: the command that writes them all
            lines.append(f"  Contrats {year} manquants : tous ({len(people)}) — gqrec new contract --region {s.region} "
                         f"--group {s.group} --all-members --year {year} --signed AAAA-MM-JJ")
        else:
            lines.append(f"  Contrats {year} manquants : {len(people)} — {_people(people)}")
    if s.feedback_pending:
        lines.append(f"  Retours d'information en attente : {', '.join(s.feedback_pending)}")
    shown = ", ".join(f"{a.present}/{a.active}" for a in s.trend.attendances) or "aucune réunion tenue"
    lines.append(f"  Présents aux dernières réunions tenues : {shown}")
    warnings = []
    if s.behind:
        warnings.append(f"{counted(s.behind, 'réunion', 'réunions')} de retard sur le prorata de "
                        f"meetings_per_year à ce jour (GQ102 à la fin de l'année).")
    if s.trend.falling:
        warnings.append(f"la participation baisse : {i18n.percent(s.trend.recent, digits=0)} de présents aux "
                        f"{RECENT} dernières réunions, contre {i18n.percent(s.trend.before, digits=0)} avant.")
    lines += [f"  Attention : {w}" for w in warnings]
    return lines


def render(status: Status, request=None) -> str:
    out = [f"État des groupes au {i18n.day(status.as_of)} (date de référence)", ""]
    for s in status.groups:
        out += [*block(s), ""]
    return "\n".join(out)
