"""No import cycle among gqrec's modules: what a module imports at its top level (type-checking imports
included: they are what it depends on) never leads back to it. An import inside a function is a
deliberate late dependency (the rule families registered when the catalogue is first asked) and is not
counted."""

from __future__ import annotations

import ast
from pathlib import Path

import gqrec

PACKAGE = Path(gqrec.__file__).parent


def _name(path: Path) -> str:
    parts = ["gqrec", *path.relative_to(PACKAGE).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_name(path): path for path in PACKAGE.rglob("*.py")}


def _top_level_imports(body):
    for node in body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        elif isinstance(node, (ast.If, ast.Try)):
            for block in (node.body, node.orelse, getattr(node, "finalbody", []),
                          *(handler.body for handler in getattr(node, "handlers", []))):
                yield from _top_level_imports(block)


def _imported(module: str, node: ast.Import | ast.ImportFrom) -> set[str]:
    """The gqrec modules an import statement of `module` names (a package's submodule included)."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names} & MODULES.keys()
    base = module.split(".")
    if node.level:
        if MODULES[module].name != "__init__.py":
            base = base[:-1]
        base = base[:len(base) - node.level + 1]
        prefix = ".".join([*base, *([node.module] if node.module else [])])
    else:
        prefix = node.module or ""
    return ({prefix} | {f"{prefix}.{alias.name}" for alias in node.names}) & MODULES.keys()


def graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    out = {}
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        out[module] = {name for node in _top_level_imports(tree.body) for name in _imported(module, node)} - {module}
    return out


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_import_cycle_among_gqrec_modules():
    assert cycles(graph(MODULES)) == []


def test_a_cycle_is_seen(tmp_path):
    """The test above can fail: two modules importing each other (one only for type checking) are a cycle."""
    (tmp_path / "gqrec").mkdir()
    (tmp_path / "gqrec" / "a.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                                             "    from .b import B\n", encoding="utf-8")
    (tmp_path / "gqrec" / "b.py").write_text("from . import a\n\ndef late():\n    from . import c\n",
                                             encoding="utf-8")
    (tmp_path / "gqrec" / "c.py").write_text("from .b import late\n", encoding="utf-8")
    toy = {"gqrec.a": tmp_path / "gqrec" / "a.py", "gqrec.b": tmp_path / "gqrec" / "b.py",
           "gqrec.c": tmp_path / "gqrec" / "c.py"}
    saved = dict(MODULES)
    MODULES.clear()
    MODULES.update(toy)
    try:
        assert cycles(graph(toy)) == [["gqrec.a", "gqrec.b"]]  # b -> c is late: c -> b is no cycle
    finally:
        MODULES.clear()
        MODULES.update(saved)
