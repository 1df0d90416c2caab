"""Compiler-style text: `path:line:col: RULE sévérité message`, then the source line and a caret."""

from __future__ import annotations

from pathlib import Path

from ..findings import SEVERITY_FR, count_by_severity
from ..french import counted
from ..safe import printable
from . import Shown


def _source_line(root: Path | None, path: str, line: int, cache: dict) -> str | None:
    if root is None:
        return None
    if path not in cache:
        try:
            with open(root / path, "rb") as handle:
                raw = handle.read(1 << 20)
            cache[path] = raw.decode("utf-8", errors="replace").splitlines()
        except OSError:
            cache[path] = []
    lines = cache[path]
    return lines[line - 1] if 0 < line <= len(lines) else None


def headline(f, prefix: str = "") -> str:
    """The compiler-style line of a finding, `path:line:col: RULE sévérité message`, escaped for a terminal."""
    return f"{printable(prefix + f.path)}:{f.line}:{f.column}: {f.rule} {SEVERITY_FR.get(f.severity, f.severity)} {printable(f.message)}"


def render(findings, shown: Shown = Shown()) -> str:
    """Each finding's line, its path as seen from the current folder (`shown.here`), with its source line
    quoted from `shown.root` (unless not `shown.show_source`)."""
    root, show_source, here = shown.root, shown.show_source, shown.here
    out: list[str] = []
    cache: dict = {}
    for f in findings:
        out.append(headline(f, here))
        source = _source_line(root, f.path, f.line, cache) if show_source and (f.line, f.column) != (1, 1) else None
        if source is not None:
            shown = printable(source[:200])
            out.append(f"    {shown}")
            out.append("    " + " " * min(f.column - 1, len(shown)) + "^")
        if f.hint:
            out.append(f"    conseil : {printable(f.hint)}")
    return "".join(line + "\n" for line in out)


def summary(findings, files: int, selected: bool = False) -> str:
    """The closing line; `selected` when only the findings of the paths given were reported (the other
    files were judged, so nothing is said of them)."""
    counts = count_by_severity(findings)
    checked = counted(files, "fichier vérifié", "fichiers vérifiés")
    if not findings:
        if selected:
            return f"{checked} : aucun constat dans les chemins demandés.\n"
        return f"{checked} : registres conformes au cahier des charges.\n"
    return (
        f"{checked} : {counted(counts['errors'], 'erreur', 'erreurs')}, "
        f"{counted(counts['warnings'], 'avertissement', 'avertissements')}"
        + (" dans les chemins demandés." if selected else ".")
        + (" Registres conformes (avertissements seulement).\n" if counts["errors"] == 0 and not selected else "\n")
    )


def baseline_notes(path, filtered) -> str:
    """What a baseline did: how many known findings it hid, and which of its findings are gone."""
    lines = [f"Référence {path} : {counted(filtered.hidden, 'constat connu masqué', 'constats connus masqués')}."]
    if filtered.gone:
        gone = len(filtered.gone)
        lines.append(f"{counted(gone, 'constat', 'constats')} de la référence ne se "
                     f"{'retrouve' if gone <= 1 else 'retrouvent'} plus (corrigé{'' if gone <= 1 else 's'} ?) ; "
                     f"gqrec check --write-baseline {path} la réduit :")
        lines += [f"  disparu : {printable(where)}: {rule} {printable(message)}" for rule, where, message in filtered.gone]
    return "".join(line + "\n" for line in lines)
