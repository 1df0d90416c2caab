"""French wording helpers for messages: a number and its noun agreeing (« 1 fichier lu », « 0 erreur »,
« 12 fichiers lus »), instead of « fichier(s) »."""

from __future__ import annotations


def counted(n: int, one: str, many: str) -> str:
    """« 1 fichier lu » / « 3 fichiers lus »: French puts 0 and 1 in the singular."""
    return f"{n} {one if n <= 1 else many}"
