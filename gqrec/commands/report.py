"""Commands of gqrec: report (to be written)."""

COMMANDS: list = []
