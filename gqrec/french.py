"""French wording helpers for messages: a number and its noun agreeing (« 1 fichier lu », « 0 erreur »,
« 12 fichiers lus »), instead of « fichier(s) »."""

from __future__ import annotations


def counted(n: int, one: str, many: str) -> str:
    """« 1 fichier lu » / « 3 fichiers lus »: French puts 0 and 1 in the singular."""
    return f"{n} {one if n <= 1 else many}"


def iso_date_meant(text: str) -> str | None:
    """The AAAA-MM-JJ date a date typed the French way (12/03/2026, day first) or without its zeros
    (2026-3-12) stands for, to answer « tapez 2026-03-12 »; None for anything else."""
    from .ids import french_date, loose_date

    meant = french_date(text) or loose_date(text)
    return meant.isoformat() if meant else None

