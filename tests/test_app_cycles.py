"""No cycle between the project's apps: if app A imports app B (at any depth, even inside a
function), nothing B imports may lead back to A. Read from the source, so an import placed in a
function to dodge a circular import at load time is still seen."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

from django.conf import settings

import banchengshi

ROOT = Path(banchengshi.__file__).parent
# The composition root wires every app together; it is no app.
PROJECT_MODULES = {"settings", "urls", "wsgi", "manage"}


def _parts() -> list[str]:
    """Every top-level package and module of banchengshi: the apps and the shared modules
    (errors, ids, identifiers, textsearch), which may not close a cycle either."""
    names = [p.name for p in ROOT.iterdir() if (p / "__init__.py").exists()]
    names += [p.stem for p in ROOT.glob("*.py") if p.stem != "__init__"]
    return sorted(set(names) - PROJECT_MODULES)


def _imports(path: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def _edges() -> dict[str, dict[str, str]]:
    """part → {imported part: the first file of part importing it}."""
    edges: dict[str, dict[str, str]] = {}
    for part in _parts():
        base = ROOT / part
        files = sorted(base.rglob("*.py")) if base.is_dir() else [ROOT / f"{part}.py"]
        for path in files:
            if "migrations" in path.parts:
                continue  # history: they name other apps as dependencies, not as imports
            for module in _imports(path):
                pieces = module.split(".")
                if pieces[0] == "banchengshi" and len(pieces) > 1 and pieces[1] != part:
                    relative = str(path.relative_to(ROOT))
                    edges.setdefault(part, {}).setdefault(pieces[1], relative)
    return edges


def _path(edges: dict[str, dict[str, str]], start: str, goal: str) -> list[str] | None:
    """A chain of imports from start to goal, or None."""
    seen, stack = {start}, [[start]]
    while stack:
        chain = stack.pop()
        for nxt in sorted(edges.get(chain[-1], {})):
            if nxt == goal:
                return [*chain, nxt]
            if nxt not in seen:
                seen.add(nxt)
                stack.append([*chain, nxt])
    return None


def test_every_installed_app_is_examined() -> None:
    installed = {
        app.split(".")[1] for app in settings.INSTALLED_APPS if app.startswith("banchengshi.")
    }
    assert installed <= set(_parts())
    assert {"cases", "api", "intake", "tokens"} <= installed


def test_no_cycle_between_apps() -> None:
    edges = _edges()
    cycles = []
    for part, targets in sorted(edges.items()):
        for target in sorted(targets):
            back = _path(edges, target, part)
            if back is not None:
                links = [f"{a} → {b} ({edges[a][b]})" for a, b in pairwise([part, *back])]
                cycles.append("; ".join(links))
    assert cycles == []
