"""The library side of `gqrec calendar`: read the records, build the events, write the .ics atomically."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..errors import UsageError
from ..fsio import write_atomic
from ..french import counted
from ..pipeline import Pipeline
from ..product import Outcome
from . import events, ics


@dataclass(frozen=True)
class Request:
    root: Path
    out: Path
    region: str | None = None
    group: str | None = None
    as_of: date | None = None  # the reference date (today when None): the events' DTSTAMP
    key: bytes | None = None  # the feedback key: no feedback row is read, but the check's cache is shared


def produce(request: Request) -> Outcome:
    if Path(request.out).is_dir():
        raise UsageError(f"--out doit désigner un fichier .ics : {request.out} est un dossier.")
    regions = frozenset((request.region,)) if request.region is not None else None
    registry = Pipeline(request.root, key=request.key).registry(request.as_of or date.today(), regions=regions)
    agenda = events.build(registry, request.region, request.group)
    write_atomic(request.out, ics.render(agenda))
    cancelled = sum(e.status == "cancelled" for e in agenda.events)
    return Outcome(written=(Path(request.out),),
                   closing=f"{counted(len(agenda.events), 'réunion', 'réunions')} au calendrier"
                   + (f" (dont {counted(cancelled, 'annulée', 'annulées')})" if cancelled else "") + ".\n")
