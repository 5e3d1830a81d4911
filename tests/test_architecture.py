"""The layers of docs/architecture.md: each imports only the layers below it, and no module
of the skill imports itself back through others (top-level or lazy imports alike)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: Highest first; a module may import its own layer and the ones after it.
LAYERS = ("tools", "hosts", "alexa", "core", "store", "settings")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def skill_imports(path: Path) -> set[str]:
    """Every ``skill.*`` module this file imports, wherever the import stands."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("skill"))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "skill":
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                found.add(candidate if candidate in MODULES else str(node.module))
    return {name for name in found if name != "skill"}


def layer(module: str) -> str:
    parts = module.split(".")
    assert parts[0] == "skill" and len(parts) > 1 and parts[1] in LAYERS, module
    return parts[1]


MODULES = {module_name(p): p for p in (ROOT / "skill").rglob("*.py")}
GRAPH = {name: skill_imports(path) for name, path in MODULES.items()}


def test_every_module_sits_in_a_layer() -> None:
    stray = [m for m in MODULES if m != "skill" and m.split(".")[1] not in LAYERS]
    assert not stray, f"modules outside the layers of docs/architecture.md: {stray}"


def test_layers_import_downwards_only() -> None:
    upward = [
        f"{importer} -> {imported}"
        for importer, imports in GRAPH.items()
        if importer != "skill"
        for imported in imports
        if LAYERS.index(layer(imported)) < LAYERS.index(layer(importer))
    ]
    assert not upward, upward


def test_no_import_cycles() -> None:
    """Depth-first search for a back edge, reporting the cycle it closes."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(GRAPH.get(node, ())):
            if nxt.startswith(node + "."):  # a package importing its own submodule
                continue
            if state.get(nxt) == 1:
                cycles.append(path[path.index(nxt) :] + [nxt])
            elif nxt in GRAPH and nxt not in state:
                visit(nxt)
        path.pop()
        state[node] = 2

    for module in sorted(GRAPH):
        if module not in state:
            visit(module)
    assert not cycles, [" -> ".join(c) for c in cycles]


def test_the_check_sees_a_violation() -> None:
    """The graph is real: a known downward edge is present, so the checks are not vacuous."""
    assert "skill.core.turn" in GRAPH["skill.alexa.handlers.base"]
    assert "skill.hosts.lambda_handler" in GRAPH["skill.tools.cli"]
