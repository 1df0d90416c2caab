"""The library side of `gqrec status`: read the dated records around the reference date's year (the year
before for the trend, the next for contracts and planned meetings), build, render."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..pipeline import Pipeline
from ..product import Outcome
from . import FORMATS
from .figures import build


@dataclass(frozen=True)
class Request:
    root: Path
    region: str | None = None
    group: str | None = None
    as_of: date | None = None  # the reference date (today when None)
    fmt: str = "text"
    key: bytes | None = None  # the feedback key: it opens the sealed rows that settle a feedback period


def produce(request: Request) -> Outcome:
    as_of = request.as_of or date.today()
    regions = frozenset((request.region,)) if request.region is not None else None
    years = frozenset((as_of.year - 1, as_of.year, as_of.year + 1))
    registry = Pipeline(request.root, key=request.key).registry(as_of, years=years, regions=regions)
    status = build(registry, request.region, request.group)
    notices = ()
    if any(not data.opened for data in registry.feedback.values()):
        notices = ("sans la clé des retours (GQREC_FEEDBACK_KEY ou --key-file), les fichiers de retour chiffrés ne "
                   "sont pas lus : les périodes en attente ne sont pas vérifiées.",)
    return Outcome(FORMATS[request.fmt].render(status, request), notices=notices)
