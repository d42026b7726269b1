"""The package's modules import one another in one direction: no module reaches itself through its imports.

Every import counts, at module level or inside a function; the imports under `if TYPE_CHECKING:`
(annotations only, never run) are read apart, and must not close a loop either.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "pipeline"


def module_name(path: Path, package: Path = PACKAGE) -> str:
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_only(node: ast.AST) -> bool:
    test = node.test if isinstance(node, ast.If) else None
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST, type_checking: bool = False) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement in `tree`, leaving out the bodies of `if TYPE_CHECKING:` unless `type_checking`."""
    found: list[ast.Import | ast.ImportFrom] = []
    stack = [tree]
    while stack:
        node = stack.pop()
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                found.append(child)
            elif _type_checking_only(child) and not type_checking:
                stack.extend(child.orelse)
            else:
                stack.append(child)
    return found


def import_graph(package: Path = PACKAGE, type_checking: bool = False) -> dict[str, set[str]]:
    """Module -> the package modules it imports (a name imported from a package counts as its
    submodule when one exists, else as the package's __init__); with `type_checking`, the imports
    made for annotations only count too."""
    modules = {module_name(p, package): p for p in package.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        edges: set[str] = set()
        for node in _imports(ast.parse(path.read_text(encoding="utf-8")), type_checking):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                if node.level:
                    base = name.split(".")[: len(name.split(".")) - node.level + (1 if is_package else 0)]
                    base = ".".join(base + ([node.module] if node.module else []))
                else:
                    base = node.module or ""
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
            for target in targets:
                while target and target not in modules:  # `import a.b.c` of a module-less name: its package
                    target = target.rpartition(".")[0]
                if target and target != name:
                    edges.add(target)
        graph[name] = edges
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_package_has_no_import_cycles():
    graph = import_graph()
    assert "pipeline.search" in graph and "pipeline.query" in graph["pipeline.search"]
    assert cycles(graph) == []


def test_annotations_close_no_import_cycles_either():
    graph = import_graph(type_checking=True)
    assert "pipeline.stores" in graph["pipeline.ingest"]  # the writers name a Protocol, not the facade above them
    assert cycles(graph) == []


@pytest.mark.parametrize(
    "graph, expected",
    [
        ({"a": {"b"}, "b": {"a"}}, [["a", "b"]]),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
        ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
    ],
)
def test_cycles_finds_modules_that_reach_themselves(graph, expected):
    assert cycles(graph) == expected


def test_import_graph_reads_lazy_imports_and_skips_type_checking(tmp_path):
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("from .leaf import x\n")
    (pkg / "sub" / "leaf.py").write_text("def f():\n    from ..top import y\n")
    (pkg / "top.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .sub.leaf import x\nimport pkg.sub\n"
    )
    graph = import_graph(pkg)
    assert graph["pkg.sub.leaf"] == {"pkg.top"}
    assert graph["pkg.sub"] == {"pkg.sub.leaf"}
    assert graph["pkg.top"] == {"pkg.sub"}
    assert cycles(graph) == [["pkg.sub", "pkg.sub.leaf", "pkg.top"]]
    assert import_graph(pkg, type_checking=True)["pkg.top"] == {"pkg.sub", "pkg.sub.leaf"}


def test_a_loop_closed_only_by_annotations_is_found(tmp_path):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "records.py").write_text("def cite(self):\n    from .formatter import fmt\n")
    (pkg / "formatter.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .records import cite\ndef fmt(): ...\n"
    )
    assert cycles(import_graph(pkg)) == []
    assert cycles(import_graph(pkg, type_checking=True)) == [["pkg.formatter", "pkg.records"]]


def private_names_taken(package: Path = PACKAGE) -> list[str]:
    """`module: name` for every private name (one underscore) a module imports from another of the package."""
    found = []
    for path in sorted(package.rglob("*.py")):
        name = module_name(path, package)
        for node in _imports(ast.parse(path.read_text(encoding="utf-8")), type_checking=True):
            if not isinstance(node, ast.ImportFrom) or not (node.level or (node.module or "").startswith(package.name)):
                continue
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    found.append(f"{name}: {node.module or ''}.{alias.name}")
    return found


def test_no_module_takes_another_modules_private_names():
    assert private_names_taken() == []


def test_private_names_taken_finds_one(tmp_path):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "owner.py").write_text("def _helper(): ...\ndef helper(): ...\n")
    (pkg / "user.py").write_text("from .owner import _helper, helper\n")
    assert private_names_taken(pkg) == ["pkg.user: owner._helper"]


def test_chromadb_import_skips_the_iri_grammars():
    """scripts/setup.sh removes rfc3987-syntax: with it, every process that imports chromadb builds its
    parser grammars first (seconds of CPU per `govtext` command)."""
    import subprocess
    import sys

    code = "import sys, chromadb; print('rfc3987_syntax' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
