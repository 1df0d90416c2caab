"""The rule catalogue for `gqrec rule`, in the formats of its table (`render.RULE_FORMATS`)."""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass, replace

from tabulate import tabulate

from ..charter import DEFAULTS
from ..findings import SEVERITY_FR
from ..product import Outcome


@dataclass(frozen=True)
class Request:
    rule_id: str | None = None  # one rule explained, else the catalogue
    fmt: str = "text"


def produce(request: Request) -> Outcome:
    """`gqrec rule`: the catalogue, or the rule of that id explained, in a format of `render.RULE_FORMATS`."""
    from ..rules import catalogue, find
    from . import RULE_FORMATS

    entries = [find(request.rule_id)] if request.rule_id else catalogue()
    return Outcome(RULE_FORMATS[request.fmt].render(entries, request))


def render_text(entries, request: Request) -> str:
    """One rule explained, or the catalogue as a table."""
    return render_rule(entries[0]) if request.rule_id else render_catalogue(entries)


def render_json(entries, request: Request | None = None) -> str:
    """The rules as a JSON array (`gqrec rule --format json`)."""
    return json.dumps([
        {"id": e.id, "severity": e.severity, "family": e.family, "title": e.title, "explanation": e.explanation,
         "fix": e.fix, "parameters": list(e.parameters), **_example_json(e)}
        for e in entries
    ], ensure_ascii=False, indent=2) + "\n"


def _example_json(entry) -> dict:
    from ..rules.examples import describe

    if entry.example is None:
        return {"no_example": entry.no_example}
    return {"example": {"note": entry.example.note, "steps": [
        {"path": where, "compliant": fix, "faulty": fault} for where, fix, fault in describe(entry.example)]}}


def render_markdown(entries, request: Request | None = None) -> str:
    """The rule table of the README, one line per rule (what it finds, the charter keys it reads)."""
    lines = ["| règle | gravité | ce qu'elle trouve | paramètre de charte |", "|---|---|---|---|"]
    lines += [f"| {e.id} | {SEVERITY_FR[e.severity]} | {e.summary} | "
              f"{', '.join(f'`{key}`' for key in e.parameters) or '—'} |" for e in entries]
    return "\n".join(lines) + "\n"


def render_catalogue(entries) -> str:
    rows = [(e.id, SEVERITY_FR[e.severity], e.title) for e in entries]
    return tabulate(rows, headers=["règle", "gravité", "ce qu'elle trouve"], tablefmt="simple") + "\n"


def render_rule(entry) -> str:
    wrap = lambda text: textwrap.fill(text, 100)  # noqa: E731
    parts = [
        f"{entry.id} — {entry.title} ({SEVERITY_FR[entry.severity]} par défaut)",
        "",
        wrap(entry.explanation),
        "",
        "Pour corriger : " + entry.fix,
    ]
    if entry.parameters:
        parts += ["", "Paramètres de la charte (federation.yaml, region.yaml) :"]
        parts += [f"  {key} (défaut : {_show(DEFAULTS.get(key))})" for key in entry.parameters]
    parts += _example(entry)
    parts += [
        "",
        f"Gravité modifiable par région : charter: {{rules: {{{entry.id}: warning}}}} (ou off).",
    ]
    return "\n".join(parts) + "\n"


def _example(entry) -> list[str]:
    """The rule's fault example: each file it changes, the faulty form and the compliant one."""
    from ..rules.examples import describe

    example = entry.example
    if example is None:
        return ["", f"Pas d'exemple : {entry.no_example}"] if entry.no_example else []
    parts = ["", f"Exemple de faute : {example.note}"]
    edge = {where: fault for where, _, fault in describe(replace(example, steps=example.fixed))}
    for where, fix, fault in describe(example):
        parts += [f"  {where}", "    fautif :", *_block(fault)]
        if fix:
            parts += ["    conforme :", *_block(fix)]
        if where in edge:
            parts += ["    conforme aussi (à la limite) :", *_block(edge[where])]
    return parts


def _block(text: str) -> list[str]:
    return [f"      {line}" for line in text.rstrip("\n").split("\n")]


def _show(value) -> str:
    if value is None:
        return "aucun"
    if hasattr(value, "items"):
        return "{" + ", ".join(f"{k}: {v}" for k, v in value.items()) + "}"
    return str(value)


def rule_ids(start: str = "") -> list[str]:
    """The catalogue's rule ids that begin with `start` (any case), for the shell's completion."""
    from ..rules import catalogue

    return [entry.id for entry in catalogue() if entry.id.startswith(start.upper())]
