"""Commands of gqrec: feedback (to be written)."""

COMMANDS: list = []
