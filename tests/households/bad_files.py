"""A bad file, counted for `make audit`'s table: refused or not, and the rows it
wrote, from every table of the project before and after (tests/audit_tally.py)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.management import CommandError

from households.register_file import RegisterFileError
from tests.audit_tally import record_bad_file, rows_written
from tests.households.test_scope import database_state


@contextmanager
def counted_bad_file() -> Iterator[None]:
    """Wraps the import of one bad file. Only while the audit runs: the tests' own
    asserts already compare the tables in `make test`, which need not pay twice."""
    if not os.environ.get("AUDIT_FIGURES_DIR"):
        yield
        return
    name = os.environ.get("PYTEST_CURRENT_TEST", "?").split(" ")[0]
    before = database_state()
    rejected = False
    try:
        yield
    except (RegisterFileError, CommandError):
        rejected = True
        raise
    finally:
        record_bad_file(
            name, rejected=rejected, written_rows=rows_written(before, database_state())
        )
