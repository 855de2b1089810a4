"""The apps depend one way (README, "Layout and dependency arrows"):
`households` ← `targets` ← `tasks` ← `reports`, with `giamngheo` (settings, urls,
the user) on top, and the poverty rule imports nothing of the project.

Read from the source, without importing it: an import under `if TYPE_CHECKING:` is a
type hint and no arrow.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT = {"giamngheo", "households", "targets", "tasks", "reports", "demo"}
# Each app, and the apps it must not import (those above it).
ABOVE = {
    "households": {"targets", "tasks", "reports", "giamngheo", "demo"},
    "targets": {"tasks", "reports", "giamngheo", "demo"},
    "tasks": {"reports", "giamngheo", "demo"},
}


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imported(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """(line, module) of every import run with the module, at any depth (a local
    import in a function is an arrow too), except type-checking ones."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _type_checking(node):
            yield from (item for n in node.orelse for item in imported(n))
            continue
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.lineno, node.module
        yield from imported(node)


def _modules(app: str) -> list[Path]:
    return sorted((ROOT / app).rglob("*.py"))


def _wrong_arrows(path: Path, forbidden: set[str]) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for line, module in imported(tree)
        if module.split(".")[0] in forbidden
    ]


@pytest.mark.parametrize("app", sorted(ABOVE))
def test_an_app_imports_no_app_above_it(app: str) -> None:
    wrong = [w for p in _modules(app) for w in _wrong_arrows(p, ABOVE[app])]

    assert wrong == []


def test_the_poverty_rule_imports_nothing_of_the_project() -> None:
    assert _wrong_arrows(ROOT / "households" / "poverty.py", PROJECT) == []


def test_the_check_sees_a_wrong_arrow_and_lets_type_hints_be() -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "import reports.models\n"
        "if TYPE_CHECKING:\n"
        "    from giamngheo.models import User\n"
        "def view():\n"
        "    from tasks.plan_forecast import expected_escapes\n"
    )

    assert [m for _, m in imported(ast.parse(source))] == [
        "typing",
        "reports.models",
        "tasks.plan_forecast",
    ]
