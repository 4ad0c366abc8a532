"""DESIGN.md's directions of dependence, read from the source (every import, also the ones inside
functions): scrapers never import server; storage imports no judgement, evidence or HTTP; nothing
below api imports api; risk does not import disputes; and no two modules import each other in a
circle."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports (absolute names), wherever the import statement is."""
    name = _module(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            out.add(target)
            for alias in node.names:  # "from . import profiles" imports a module
                out.add(f"{target}.{alias.name}")
    return out


def _graph() -> dict[str, set[str]]:
    files = [p for top in ("server", "scrapers") for p in (ROOT / top).rglob("*.py")]
    modules = {_module(p): p for p in files}
    graph = {}
    for name, path in modules.items():
        graph[name] = {m for m in _imports(path) if m in modules and m != name}
    return graph


GRAPH = _graph()


def _importers(prefix: str) -> dict[str, set[str]]:
    return {m: deps for m, deps in GRAPH.items() if m == prefix or m.startswith(prefix + ".")}


@pytest.mark.parametrize(("layer", "never"), [
    ("scrapers", ("server",)),
    ("server.storage", ("server.risk", "server.disputes", "server.api", "server.evidence", "flask")),
    ("server.evidence", ("server.risk", "server.disputes", "server.api")),
    ("server.risk", ("server.disputes", "server.api")),
    ("server.disputes", ("server.api",)),
    ("server.rules", ("server.risk", "server.disputes", "server.api", "server.storage", "server.evidence")),
], ids=["scrapers", "storage", "evidence", "risk", "disputes", "rules"])
def test_directions_of_dependence(layer, never):
    found = []
    for module in _importers(layer):
        source = ROOT / (module.replace(".", "/") + ".py")
        if not source.exists():
            source = ROOT / module.replace(".", "/") / "__init__.py"
        for target in _imports(source):
            if any(target == n or target.startswith(n + ".") for n in never):
                found.append(f"{module} imports {target}")
    assert found == []


def test_no_import_cycles_in_the_server():
    """Tarjan's strongly connected components over the server's module imports: every component is
    one module (risk signals ↔ profiles ↔ score and storage ↔ evidence were circles)."""
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in GRAPH[node]:
            # A package's __init__ importing its own submodules is how packages are built, not a cycle.
            if nxt.startswith(node + ".") or not nxt.startswith("server"):
                continue
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(GRAPH):
        if node.startswith("server") and node not in index:
            visit(node)
    assert cycles == []
