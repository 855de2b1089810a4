"""The demo is a room of its own: the sample commune lives in `demo/`, which imports
the product's apps; no module of the product imports it back, so that `households`,
`targets`, `tasks`, `reports` and `giamngheo` hold only what a real install runs.
That no product module imports the demo is the top layer of the import contract
(pyproject.toml, `lint-imports`; tests/test_import_contracts.py shows it failing).
"""

from __future__ import annotations

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import get_commands

PRODUCT_APPS = ("giamngheo", "households", "targets", "tasks", "reports")


def product_modules() -> list[Path]:
    root = Path(settings.BASE_DIR)
    return sorted(path for app in PRODUCT_APPS for path in (root / app).rglob("*.py"))


def test_the_product_apps_hold_no_demo_module() -> None:
    assert [
        str(path.relative_to(settings.BASE_DIR))
        for path in product_modules()
        if "demo" in path.stem
    ] == []


def test_seed_demo_is_the_demo_apps_command() -> None:
    assert get_commands()["seed_demo"] == "demo"


def test_the_demo_app_has_no_models() -> None:
    # Sample data only: its rows are the product's own (history, scope and the
    # database checks of tests/households/test_scope.py cover them).
    assert list(apps.get_app_config("demo").get_models()) == []
