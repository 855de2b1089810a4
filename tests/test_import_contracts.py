"""The dependency arrows are checked: `lint-imports` (import-linter, run by `make
test`) passes on the project and fails when an import runs the wrong way.

Each case copies the project's packages into a temporary folder, adds one wrong
import and runs `lint-imports` there with the project's own contracts
(pyproject.toml), so the check is the one CI runs, not a second implementation.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PACKAGES = ("giamngheo", "households", "targets", "tasks", "reports", "demo", "jobs")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tree,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def copy_of_the_project(tmp_path: Path) -> Path:
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package,
            tmp_path / package,
            ignore=shutil.ignore_patterns("__pycache__", "migrations"),
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def add_import(tree: Path, module: str, line: str) -> None:
    path = tree / (module.replace(".", "/") + ".py")
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")


def test_the_project_keeps_its_contracts(copy_of_the_project: Path) -> None:
    result = lint_imports(copy_of_the_project)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


# (the module that gets the wrong import, what it imports, what lint-imports says)
WRONG_ARROWS = {
    "tasks->reports": ("tasks.views", "reports.models", "tasks", "reports"),
    "targets->tasks": ("targets.views", "tasks.plan_forecast", "targets", "tasks"),
    "households->targets": (
        "households.models",
        "targets.models",
        "households",
        "targets",
    ),
    "reports->demo": ("reports.views", "demo.register", "reports", "demo"),
    "jobs->households": ("jobs.running", "households.models", "jobs", "households"),
    "poverty->models": (
        "households.poverty",
        "households.models",
        "households.poverty",
        "households.models",
    ),
}


@pytest.mark.parametrize("arrow", list(WRONG_ARROWS))
def test_a_wrong_arrow_fails(copy_of_the_project: Path, arrow: str) -> None:
    module, imported, importer, importee = WRONG_ARROWS[arrow]
    add_import(copy_of_the_project, module, f"import {imported}")

    result = lint_imports(copy_of_the_project)

    assert result.returncode == 1
    said = " ".join(result.stdout.split())
    assert f"{importer} is not allowed to import {importee}" in said


def test_a_type_hint_is_no_arrow(copy_of_the_project: Path) -> None:
    hint = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import reports"
    add_import(copy_of_the_project, "households.models", hint)

    assert lint_imports(copy_of_the_project).returncode == 0
