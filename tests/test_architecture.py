"""The import graph of src/newsgen: no cycle, and every arrow points down the stages."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "newsgen"

# Lowest first: a module may import only from its own layer or the layers below it. The model
# and the shared helpers import no stage; nothing below the command line imports it.
LAYERS = (
    {"version", "errors", "paths", "models", "workers", "atomicwrite", "progress", "frontmatter"}
    | {"confine", "opml", "clock", "collector", "records", "mapped", "heap", "ordering", "cores"},
    {"config", "plugins"},
    {"text"},
    {"readers"},
    {"stories"},
    {"site", "permalinks", "places"},
    {"output"},
    {"render"},
    {"search"},
    {
        "fingerprint",
        "guard",
        "pipeline",
        "buildreport",
        "build",
        "check",
        "parse_ahead",
        "newseed",
        "serve",
        "fetch",
        "starter",
    },
    {"__init__"},
    {"cli", "__main__"},
)


def _unit(module: str) -> str:
    """The layer unit of a dotted module name: its sub-package or top-level module."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _imports() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        parts = ("newsgen", *path.relative_to(PACKAGE).with_suffix("").parts)
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                if node.module.split(".")[0] == "newsgen":
                    # `from newsgen.cli import fetch` imports the module newsgen.cli.fetch
                    found.update(f"{node.module}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names if a.name.split(".")[0] == "newsgen")
        graph[name] = found
    return graph


def _layer(unit: str) -> int:
    for number, units in enumerate(LAYERS):
        if unit in units:
            return number
    raise AssertionError(f"newsgen.{unit} has no layer: add it to LAYERS in this test")


def test_no_arrow_points_up() -> None:
    upward = [
        f"{module} imports {target}"
        for module, targets in _imports().items()
        for target in targets
        if _layer(_unit(target)) > _layer(_unit(module))
    ]
    assert upward == []


def test_no_import_cycle() -> None:
    graph = _imports()
    modules = set(graph)

    def resolve(target: str) -> str:
        while target not in modules and "." in target:  # a name imported from a module
            target = target.rsplit(".", 1)[0]
        return target

    edges = {m: {resolve(t) for t in targets} - {m} for m, targets in graph.items()}
    done: set[str] = set()

    def visit(module: str, trail: list[str]) -> None:
        if module in trail:
            cycle = [*trail[trail.index(module) :], module]
            raise AssertionError("import cycle: " + " -> ".join(cycle))
        if module in done:
            return
        for target in sorted(edges.get(module, ())):
            visit(target, [*trail, module])
        done.add(module)

    for module in sorted(edges):
        visit(module, [])
