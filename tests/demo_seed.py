"""Seed the demo commune once for a test module, on its working date.

The demo is built for `register.register.WORKING_DATE` (the pages of `make run` run on
it, through DEMO_WORKING_DATE): modules that test it seed and read it on that date.
Everything is rolled back when the module is done.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings

from demo import register

MD5 = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # as tests/conftest.py


@contextmanager
def demo_seeded(
    django_db_blocker: Any, *steps: Callable[[], Any]
) -> Iterator[list[Any]]:
    """Run the seeding steps in an outer transaction; yield their results."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        with override_settings(
            DEMO_MODE=True,
            PASSWORD_HASHERS=MD5,
            DEMO_WORKING_DATE=register.WORKING_DATE,
        ):
            results = [step() for step in steps]
    try:
        yield results
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def on_demo_working_date(settings: Any) -> None:
    """The module's tests read the demo as `make run` shows it."""
    settings.DEMO_WORKING_DATE = register.WORKING_DATE
