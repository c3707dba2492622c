"""The project's own import graph, read from the source with ``ast`` (nothing is imported)."""

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
APPS = (
    "accounts",
    "branch_ops",
    "compliance",
    "core",
    "dashboard",
    "ledger_import",
    "loan_collections",
    "loans",
    "notifications",
    "post_loan",
    "screening",
)


@dataclass(frozen=True)
class Import:
    source: str  # importing module
    target: str  # imported module (the most specific one that exists)
    line: int
    local: bool  # inside a function or method


def application_files() -> dict[str, Path]:
    """Module name -> file, for the application code (not tests or migrations)."""
    modules = {}
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if "tests" in parts or "migrations" in parts:
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def imports_of(module: str, path: Path, modules: dict[str, Path]) -> list[Import]:
    tree = ast.parse(path.read_text(), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[Import] = []

    def visit(node: ast.AST, local: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = local or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.If) and _is_type_checking(child.test):
                continue
            if isinstance(child, ast.Import):
                for alias in child.names:
                    if target := _resolve(alias.name, modules):
                        found.extend(_with_packages(module, target, child.lineno, local, modules))
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    base = ".".join(
                        package.split(".")[: len(package.split(".")) - child.level + 1]
                        + ([base] if base else [])
                    )
                for alias in child.names:
                    target = _resolve(f"{base}.{alias.name}", modules) or _resolve(base, modules)
                    if target and target != module:
                        found.extend(_with_packages(module, target, child.lineno, local, modules))
            visit(child, inner)

    visit(tree, False)
    return found


def _with_packages(source: str, target: str, line: int, local: bool, modules) -> list[Import]:
    """Importing ``a.b.c`` runs ``a/__init__.py`` and ``a/b/__init__.py`` first, unless they are
    the importer's own packages (already running): those are edges too."""
    edges = [Import(source, target, line, local)]
    own = {source.rsplit(".", depth)[0] for depth in range(1, source.count(".") + 1)}
    parent = target.rpartition(".")[0]
    while parent:
        if parent in modules and parent not in own and parent != source:
            edges.append(Import(source, parent, line, local))
        parent = parent.rpartition(".")[0]
    return edges


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def all_imports() -> list[Import]:
    modules = application_files()
    return [imp for module, path in modules.items() for imp in imports_of(module, path, modules)]


def cycles(edges: list[Import]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), i.e. import cycles."""
    graph: dict[str, set[str]] = {}
    for edge in edges:
        graph.setdefault(edge.source, set()).add(edge.target)
        graph.setdefault(edge.target, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    counter = 0

    def strongconnect(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for successor in graph[node]:
            if successor not in index:
                strongconnect(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10000))
    for node in sorted(graph):
        if node not in index:
            strongconnect(node)
    return components
