"""The layers of docs/architecture.md: each imports only the layers below it, no module of the
skill imports itself back through others (top-level or lazy imports alike), the core imports
no SDK and no web framework, and the longest import chain may only get shorter."""

from __future__ import annotations

import ast
import re
import sys
from functools import cache
from pathlib import Path

from tests.source import tree

ROOT = Path(__file__).resolve().parents[1]
#: Highest first; a module may import its own layer and the ones after it.
LAYERS = ("tools", "hosts", "alexa", "core", "store", "settings")
#: What the core must never load, even through the modules it imports: the ASK SDK and the web
#: framework belong to skill/alexa and skill/hosts.
NOT_IN_CORE = ("ask_sdk_core", "ask_sdk_model", "ask_sdk_runtime", "ask_sdk_webservice_support")
NOT_IN_CORE += ("flask", "werkzeug")
#: Modules in the longest chain of imports (A imports B imports C ... is len 3). It may only go
#: down: when a change shortens it, write the new figure here.
LONGEST_CHAIN = 15


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def parsed(path: Path) -> ast.Module:
    return tree(path)


def skill_imports(path: Path, runtime: bool = False) -> set[str]:
    """Every ``skill.*`` module this file imports, wherever the import stands (``runtime``:
    but those for type checkers only, which never load)."""
    found: set[str] = set()
    for node in runtime_nodes(parsed(path)) if runtime else ast.walk(parsed(path)):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("skill"))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "skill":
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                found.add(candidate if candidate in MODULES else str(node.module))
    return {name for name in found if name != "skill"}


def runtime_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node of ``tree`` but those under ``if TYPE_CHECKING:`` (never run)."""
    found: list[ast.AST] = []
    todo: list[ast.AST] = [tree]
    while todo:
        node = todo.pop()
        found.append(node)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            todo.extend(node.orelse)
            continue
        todo.extend(ast.iter_child_nodes(node))
    return found


@cache
def outside_imports(path: Path) -> frozenset[str]:
    """The top-level names of every module outside the skill this file imports when it runs
    (imports for type checkers only are left out). Once per file: the core check asks for
    each module many times over."""
    found: set[str] = set()
    for node in runtime_nodes(parsed(path)):
        if isinstance(node, ast.Import):
            found.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return frozenset(found - {"skill"})


def layer(module: str) -> str:
    parts = module.split(".")
    assert parts[0] == "skill" and len(parts) > 1 and parts[1] in LAYERS, module
    return parts[1]


MODULES = {module_name(p): p for p in (ROOT / "skill").rglob("*.py")}


def graph() -> dict[str, set[str]]:
    """Module -> the skill modules it imports (each file parsed once per session)."""
    return _graph()


@cache
def _graph() -> dict[str, set[str]]:
    return {name: skill_imports(path) for name, path in MODULES.items()}


@cache
def runtime_graph() -> dict[str, set[str]]:
    """Module -> the skill modules it loads when it runs (type-checking imports left out)."""
    return {name: skill_imports(path, runtime=True) for name, path in MODULES.items()}


def top_level_imports(path: Path) -> set[str]:
    """The ``skill.*`` modules a package's ``__init__`` imports when it runs (not those in
    its functions, such as a PEP 562 ``__getattr__``)."""
    found: set[str] = set()
    for node in parsed(path).body:
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("skill."))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("skill."):
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                found.add(candidate if candidate in MODULES else str(node.module))
    return found


def loaded_with(module: str) -> set[str]:
    """``module`` and every skill module importing it loads: what it imports (lazy imports
    too; imports for type checkers only never run), and the packages above each, by what
    their ``__init__`` runs (importing ``skill.store.values`` runs ``skill/store/__init__.py``
    first)."""
    seen: set[str] = set()
    todo = [module]
    while todo:
        name = todo.pop()
        if name in seen or name not in MODULES:
            continue
        seen.add(name)
        parts = name.split(".")
        packages = [".".join(parts[:i]) for i in range(2, len(parts))]
        todo.extend(packages)
        is_package = MODULES[name].name == "__init__.py"
        todo.extend(top_level_imports(MODULES[name]) if is_package else runtime_graph()[name])
    return seen


def longest_chain() -> list[str]:
    """The longest path of imports between skill modules (a package importing its own
    submodules is not counted: that is the package's own file list)."""
    edges = {
        name: [m for m in imports if m in MODULES and not m.startswith(name + ".")]
        for name, imports in graph().items()
    }

    @cache
    def from_(name: str) -> tuple[str, ...]:
        return max(((name, *from_(m)) for m in edges[name]), key=len, default=(name,))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10 * len(edges)))
    return list(max((from_(name) for name in sorted(edges)), key=len))


def test_every_module_sits_in_a_layer() -> None:
    stray = [m for m in MODULES if m != "skill" and m.split(".")[1] not in LAYERS]
    assert not stray, f"modules outside the layers of docs/architecture.md: {stray}"


def test_layers_import_downwards_only() -> None:
    upward = [
        f"{importer} -> {imported}"
        for importer, imports in graph().items()
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
        for nxt in sorted(graph().get(node, ())):
            if nxt.startswith(node + "."):  # a package importing its own submodule
                continue
            if state.get(nxt) == 1:
                cycles.append(path[path.index(nxt) :] + [nxt])
            elif nxt in graph() and nxt not in state:
                visit(nxt)
        path.pop()
        state[node] = 2

    for module in sorted(graph()):
        if module not in state:
            visit(module)
    assert not cycles, [" -> ".join(c) for c in cycles]


def test_the_check_sees_a_violation() -> None:
    """The graph is real: a known downward edge is present, so the checks are not vacuous."""
    assert "skill.core.turn" in graph()["skill.alexa.handlers.base"]
    assert "skill.hosts.lambda_handler" in graph()["skill.tools.commands.talk"]


def test_the_core_loads_no_sdk_and_no_web_framework() -> None:
    """docs/architecture.md: the core is plain Python. Checked over everything a core module
    loads, the lower layers and package ``__init__`` files included."""
    core = [m for m in MODULES if m.startswith("skill.core")]
    found = {
        f"{module} loads {name} (through {other})"
        for module in core
        for other in sorted(loaded_with(module))
        for name in outside_imports(MODULES[other])
        if name in NOT_IN_CORE
    }
    assert not found, sorted(found)


def test_the_core_check_sees_the_sdk_where_it_is() -> None:
    """Not vacuous: the handlers' base loads the SDK, and the web host Flask."""
    assert "ask_sdk_core" in outside_imports(MODULES["skill.alexa.handlers.base"])
    assert "flask" in set().union(
        *(outside_imports(MODULES[m]) for m in loaded_with("skill.hosts.web"))
    )


def test_the_longest_import_chain_only_gets_shorter() -> None:
    chain = longest_chain()
    assert len(chain) <= LONGEST_CHAIN, f"{len(chain)} modules: " + " -> ".join(chain)
    assert len(chain) == LONGEST_CHAIN, (
        f"shorter now ({len(chain)}): set LONGEST_CHAIN = {len(chain)} in this file"
    )


def test_the_architecture_doc_names_every_module_of_the_core() -> None:
    """docs/architecture.md matches the tree: each core module has a line in its table (a new
    module gets one; a removed one leaves it)."""
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    core = sorted(m.rsplit(".", 1)[1] for m in MODULES if m.startswith("skill.core."))
    unnamed = [name for name in core if f"`{name}`" not in doc and f"core/{name}.py" not in doc]
    assert unnamed == [], "name these in docs/architecture.md's table of the core's modules"
    table = doc.split("## The core, module by module")[1].split("\n## ")[0]
    named = set(re.findall(r"`(\w+)` \(", table))
    assert sorted(named - set(core)) == [], "gone from skill/core: drop them from the table"


def test_a_reply_is_plain_data_that_loads_no_audio_hold_or_routine_module() -> None:
    """How a hold sounds is chosen at the edge (skill.alexa.render.hold_renderer): the reply and
    its speech load only the SSML helpers."""
    for module in ("skill.core.reply", "skill.core.speech"):
        loaded = loaded_with(module) - {module, "skill", "skill.core"}
        assert loaded == {"skill.core.ssml"} | ({"skill.core.speech"} - {module}), loaded
