"""What `make audit` counts while the reliability tests run (scripts/audit.py).

The policy tests check one cell each and the bad-file tests one file each; the audit's
table wants their totals. `tests/conftest.py`'s hooks add them up from the tests'
reports (so pytest-xdist's workers hand them on) and write them at the session's end
to `$AUDIT_FIGURES_DIR/<section>.json`, only when `make audit` set that folder. The
tests' own asserts are what fail them, in `make test` as in the audit.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Answers that refuse: the login page for an anonymous visitor, 403 (read-only in
# scope), 404 (out of scope), 405 (a method the page does not take).
REFUSING_STATUSES = {403, 404, 405}
REFUSING_LOCATIONS = {"login", "login?next"}


def write_figures(section: str, figures: dict[str, object]) -> None:
    """`<dir>/<section>.json`, when the audit set AUDIT_FIGURES_DIR."""
    folder = os.environ.get("AUDIT_FIGURES_DIR")
    if folder:
        path = Path(folder) / f"{section}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(figures, ensure_ascii=False, indent=2))


def is_refusal(expected: object) -> bool:
    """Whether a policy cell refuses, in each policy table's own notation: an
    `Outcome` (status, location), a bare status or "login" (procedures), a
    (status, effect) pair (issued reports, jobs)."""
    if isinstance(expected, tuple):
        status, effect = expected[0], expected[1]
        return status in REFUSING_STATUSES or effect in REFUSING_LOCATIONS
    if isinstance(expected, int):
        return expected in REFUSING_STATUSES
    if isinstance(expected, str):
        return expected in REFUSING_LOCATIONS
    status = getattr(expected, "status", None)
    location = getattr(expected, "location", None)
    return status in REFUSING_STATUSES or location in REFUSING_LOCATIONS


@dataclass
class MatrixCell:
    url: str
    method: str
    role: str
    refuses: bool
    passed: bool = True


@dataclass
class Tally:
    """The session's counts: the policy matrix's cells by test id, the scope checks
    beside the matrix (lists and searches that must not show another commune's
    rows), and the bad files."""

    cells: dict[str, MatrixCell] = field(default_factory=dict)
    scope_checks: dict[str, bool] = field(default_factory=dict)
    # Counted in this process, not yet handed on with the test's report.
    bad_files: list[dict[str, Any]] = field(default_factory=list)
    # Every report's, added up where the reports arrive.
    counted_files: list[dict[str, Any]] = field(default_factory=list)


TALLY = Tally()


def matrix_figures(
    cells: list[MatrixCell], scope_checks: dict[str, bool]
) -> dict[str, object]:
    """A leak is a cell the policy refuses that the test found answered otherwise
    (a page shown, a redirect elsewhere, a row written) or a scope check that found
    another commune's (or village's) rows; a failed cell the policy allows is a
    mismatch, not a leak, and is counted apart."""
    refused = [c for c in cells if c.refuses]
    return {
        "cells": len(cells),
        "refused_cells": len(refused),
        "leaks": sum(not c.passed for c in refused)
        + sum(not ok for ok in scope_checks.values()),
        "mismatches": sum(not c.passed for c in cells if not c.refuses),
        "roles": len({c.role for c in cells}),
        "urls": len({c.url for c in cells}),
        "scope_checks": len(scope_checks),
    }


Rows = dict[str, list[dict[str, Any]]]


def rows_written(before: Rows, after: Rows) -> int:
    """Rows added, changed or removed between two snapshots of the tables
    (`test_scope.database_state()`: each table's rows as dicts). Rows are compared
    whole, as multisets (history tables repeat a row's id): per table, the larger of
    the rows only after and the rows only before, so a changed row counts once."""
    written = 0
    for table in before.keys() | after.keys():
        old = Counter(repr(row) for row in before.get(table, []))
        new = Counter(repr(row) for row in after.get(table, []))
        written += max(sum((new - old).values()), sum((old - new).values()))
    return written


def record_bad_file(name: str, *, rejected: bool, written_rows: int) -> None:
    TALLY.bad_files.append(
        {"file": name, "rejected": rejected, "written_rows": written_rows}
    )


def bad_file_figures(files: list[dict[str, Any]]) -> dict[str, object]:
    return {
        "files": len(files),
        "rejected": sum(f["rejected"] for f in files),
        "written_rows": sum(f["written_rows"] for f in files),
    }
