"""What a run allows itself: the size of a file it will read. A small module of its own, so that a run
with nothing to read imports no reader (the worker processes are `workers`'s)."""

from __future__ import annotations

MAX_YAML_BYTES = 1 << 20  # a record larger than this is refused (`check --max-file-size` changes it)
MAX_CSV_BYTES = 16 << 20  # a feedback export larger than this is refused
