"""Commands of gqrec: authoring (to be written)."""

COMMANDS: list = []
