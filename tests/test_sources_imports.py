"""The sources package has no import cycle: not at module level, and not dodged by an
import inside a function either. Each module also imports on its own in a fresh
interpreter."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import ropa.sources

PACKAGE = Path(ropa.sources.__file__).parent
MODULES = {
    ("ropa.sources" if p.stem == "__init__" else f"ropa.sources.{p.stem}"): p
    for p in sorted(PACKAGE.glob("*.py"))
}


def _imports(path: Path) -> set[str]:
    """The ropa.sources modules ``path`` imports anywhere (functions included), except
    under ``if TYPE_CHECKING:``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {
        id(node)
        for block in ast.walk(tree)
        if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
        for stmt in block.body
        for node in ast.walk(stmt)
    }
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name in MODULES}
        elif isinstance(node, ast.ImportFrom) and node.module in MODULES:
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.add(sub if sub in MODULES else node.module)
    return found


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1: on the path, 2: done
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        path.append(module)
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                return path[path.index(target) :] + [target]
            if target not in state and (found := visit(target)):
                return found
        path.pop()
        state[module] = 2
        return None

    for module in sorted(graph):
        if module not in state and (found := visit(module)):
            return found
    return None


def test_the_sources_modules_import_one_another_without_a_cycle() -> None:
    graph = {module: _imports(path) for module, path in MODULES.items()}
    assert graph["ropa.sources.stream"] >= {"ropa.sources.nested", "ropa.sources.readers"}
    assert _cycle(graph) is None, " -> ".join(_cycle(graph) or [])


def test_the_cycle_check_sees_an_import_inside_a_function() -> None:
    graph = {"a": {"b"}, "b": set(), "c": {"a"}}
    assert _cycle(graph) is None
    graph["b"] = {"c"}
    assert _cycle(graph) == ["a", "b", "c", "a"]


def test_every_sources_module_imports_alone_in_a_fresh_interpreter() -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    procs = {
        module: subprocess.Popen(
            [sys.executable, "-c", f"import {module}"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for module in MODULES
    }
    failed = {}
    for module, proc in procs.items():
        _, err = proc.communicate(timeout=120)
        if proc.returncode:
            failed[module] = err.strip().splitlines()[-1:]
    assert not failed, failed
