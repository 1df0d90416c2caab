"""The JSON array of RECORDS.md: a stable contract for other tools."""

from __future__ import annotations

import json


def render(findings, shown=None) -> str:
    return json.dumps([f.as_json() for f in findings], ensure_ascii=False, indent=2) + "\n"
