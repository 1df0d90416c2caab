"""Rules on the records' history in git (to be written: GQ116)."""
