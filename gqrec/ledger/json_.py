"""The ledger as the JSON object of REPORTS.md: exactly its keys, in its order.

Amounts are exact decimals rounded to the cent, written as JSON numbers (1146.0 for 1 146,00 €): the
decimal is converted once, at the end, so no sum ever drifts.
"""

from __future__ import annotations

import json

from ..indemnities import money
from .figures import Ledger, PhysicianLine, RegionLedger


def physician(p: PhysicianLine) -> dict:
    return {
        "physician": p.physician,
        "name": p.name,
        "groups": list(p.groups),
        "attended": p.attended,
        "animated": p.animated,
        "absent": p.absent,
        "hours": p.hours,
        "unpaid": p.unpaid,
        "amount": money(p.amount),
        "attestation": p.attestation,
    }


def region(r: RegionLedger) -> dict:
    return {
        "region": r.region,
        "rates": {"participant": money(r.rates.participant), "animator": money(r.rates.animator)},
        "physicians": [physician(p) for p in r.physicians],
        "groups": [{"group": g.group, "attended": g.attended, "animated": g.animated, "amount": money(g.amount)}
                   for g in r.groups],
        "total": {"attended": r.total.attended, "animated": r.total.animated, "hours": r.total.hours,
                  "amount": money(r.total.amount), "attestations": r.total.attestations},
    }


def as_json(ledger: Ledger) -> dict:
    return {"year": ledger.year, "regions": [region(r) for r in ledger.regions]}


def render(ledger: Ledger, request=None) -> str:
    return json.dumps(as_json(ledger), ensure_ascii=False, indent=2) + "\n"
