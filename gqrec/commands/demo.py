"""Commands of gqrec: demo (to be written)."""

COMMANDS: list = []
