"""`check --format summary` (or `--summary`): the findings counted per rule and per file, for outputs too long to read whole."""

from __future__ import annotations

from collections import Counter

from tabulate import tabulate

from ..findings import ERROR, SEVERITY_FR
from ..safe import printable

MAX_FILES = 20  # the files with most findings; the rest are counted on one line


def render(findings, shown=None) -> str:
    """Two tables: per rule (id, severity, title, findings), then per file (errors, warnings), most first."""
    from ..rules import titles as rule_titles

    if not findings:
        return ""
    titles = rule_titles()
    per_rule = Counter((f.rule, f.severity) for f in findings)
    rules = [(rule, SEVERITY_FR.get(severity, severity), titles.get(rule, ""), n)
             for (rule, severity), n in sorted(per_rule.items())]
    per_file: dict[str, list[int]] = {}
    for f in findings:
        counts = per_file.setdefault(f.path, [0, 0])
        counts[0 if f.severity == ERROR else 1] += 1
    ranked = sorted(per_file.items(), key=lambda item: (-sum(item[1]), item[0]))
    files = [(printable(path), errors, warnings) for path, (errors, warnings) in ranked[:MAX_FILES]]
    out = [
        "Constats par règle :",
        tabulate(rules, headers=["règle", "gravité", "intitulé", "constats"], tablefmt="simple",
                 colalign=("left", "left", "left", "right")),
        "",
        "Constats par fichier :",
        tabulate(files, headers=["fichier", "erreurs", "avertissements"], tablefmt="simple",
                 colalign=("left", "right", "right")),
    ]
    if len(ranked) > MAX_FILES:
        rest = ranked[MAX_FILES:]
        out.append(f"… et {len(rest)} autres fichiers ({sum(sum(c) for _, c in rest)} constats).")
    return "\n".join(out) + "\n\n"
