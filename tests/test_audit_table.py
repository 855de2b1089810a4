"""`make audit`'s table (scripts/audit.py) and the counts the tests hand it
(tests/audit_tally.py): pure functions, so `make test` checks them without running
the audit."""

from __future__ import annotations

from typing import Any

import pytest

from scripts.audit import (
    NOT_MEASURED,
    SECTIONS,
    Row,
    all_met,
    deploy_figures,
    format_table,
    seconds,
    table_rows,
)
from tests.audit_tally import (
    MatrixCell,
    bad_file_figures,
    is_refusal,
    matrix_figures,
    rows_written,
)
from tests.households.test_scope import FORBIDDEN, OK, TO_DASHBOARD, TO_LOGIN

GOOD: dict[str, dict[str, Any]] = {
    "scope_matrix": {
        "cells": 2400,
        "refused_cells": 1300,
        "leaks": 0,
        "mismatches": 0,
        "roles": 8,
        "urls": 150,
        "scope_checks": 60,
    },
    "lost_updates": {"writers": 10, "winners": 1, "refused": 9, "losses": 0},
    "bad_files": {"files": 48, "rejected": 48, "written_rows": 0},
    "load_test": {
        "users": 50,
        "duration": "2m",
        "requests": 3000,
        "failures": 0,
        "pages": {"tổng quan": {"requests": 500, "failures": 0, "p50_ms": 110.0,
                                "p95_ms": 180.4}},
    },
    "backup_drill": {"tables": 60, "mismatches": 0, "attachment_ok": True},
    "deploy_check": {"warnings": 0, "errors": 0},
    "pdf_crawl": {"exit_code": 0},
}  # fmt: skip


def row(rows: list[Row], figure: str) -> Row:
    return next(r for r in rows if r.figure.endswith(figure))


def test_every_target_met_passes() -> None:
    rows = table_rows(GOOD)

    assert all_met(rows)
    assert row(rows, "rò rỉ (leaks)") == Row(
        "Ma trận vai trò × URL × đối tượng: rò rỉ (leaks)", "0", "0", True
    )
    assert row(rows, "tổng quan, p50 / p95").value == "110 / 180 ms (500 yêu cầu)"


@pytest.mark.parametrize(
    ("section", "figure", "value", "label"),
    [
        ("scope_matrix", "leaks", 1, "rò rỉ (leaks)"),
        ("scope_matrix", "mismatches", 2, "ô được phép nhưng sai"),
        ("lost_updates", "losses", 1, "cập nhật bị mất"),
        ("bad_files", "written_rows", 3, "dòng đã ghi"),
        ("bad_files", "rejected", 47, "bị từ chối"),
        ("load_test", "failures", 4, "lỗi"),
        ("load_test", "users", 10, "người dùng"),
        ("load_test", "duration", "30s", "thời gian"),
        ("backup_drill", "mismatches", 1, "khác biệt sau phục hồi"),
        ("backup_drill", "attachment_ok", False, "tệp đính kèm còn nguyên"),
        ("deploy_check", "warnings", 2, "cảnh báo"),
        ("pdf_crawl", "exit_code", 1, "mã thoát pytest"),
    ],
)
def test_a_missed_target_fails_its_row_and_the_audit(
    section: str, figure: str, value: object, label: str
) -> None:
    figures = {**GOOD, section: {**GOOD[section], figure: value}}

    rows = table_rows(figures)

    title = next(t for key, t, _ in SECTIONS if key == section)
    assert row(rows, f"{title}: {label}").ok is False
    assert not all_met(rows)


def test_a_section_no_test_wrote_reads_not_measured_and_fails() -> None:
    figures: dict[str, dict[str, Any] | None] = {**GOOD, "lost_updates": None}

    rows = table_rows(figures)

    missing = [r for r in rows if r.value == NOT_MEASURED]
    assert missing == [
        Row("Mất cập nhật (lost updates)", NOT_MEASURED, "có số liệu", False)
    ]
    assert not all_met(rows)


def test_a_figure_missing_from_its_section_fails() -> None:
    figures = {**GOOD, "backup_drill": {"tables": 60, "mismatches": 0}}

    rows = table_rows(figures)

    assert row(rows, "tệp đính kèm còn nguyên").value == NOT_MEASURED
    assert not all_met(rows)


def test_table_columns_are_aligned_and_marked() -> None:
    rows = [
        Row("Bộ tệp xấu: tệp", "48", "≥ 20", True),
        Row("Tải thử: lỗi", "3", "0", False),
        Row("Tải thử: tổng quan", "110 / 180, 500", "—", None),
    ]

    lines = format_table(rows).splitlines()

    assert lines[0].startswith("Số liệu") and lines[0].endswith("Đạt")
    assert set(lines[1]) == {"-"}
    assert lines[2].endswith("✓") and lines[3].endswith("✗")
    assert not lines[4].endswith(("✓", "✗"))
    # The value column ends at the same place on every line.
    ends = {line.index(value) + len(value) for line, value in
            zip(lines[2:], ("48", "3", "110 / 180, 500"), strict=True)}  # fmt: skip
    assert len(ends) == 1


@pytest.mark.parametrize(
    ("duration", "expected"), [("2m", 120), ("120s", 120), ("1h30m", 5400), ("90", 90)]
)
def test_locust_durations_in_seconds(duration: str, expected: int) -> None:
    assert seconds(duration) == expected


def test_deploy_check_output_is_counted_by_kind() -> None:
    output = (
        "System check identified some issues:\n\nWARNINGS:\n"
        "?: (security.W004) You have not set a value for SECURE_HSTS_SECONDS.\n"
        "?: (axes.W003) You do not have ...\n"
        "ERRORS:\n?: (giamngheo.E001) DEMO_WORKING_DATE is set.\n"
    )

    assert deploy_figures(output) == {"warnings": 2, "errors": 1}
    assert deploy_figures("System check identified no issues (0 silenced).\n") == {
        "warnings": 0,
        "errors": 0,
    }


# --- What the tests count -------------------------------------------------------


@pytest.mark.parametrize(
    ("expected", "refuses"),
    [
        (OK, False),
        (TO_DASHBOARD, False),
        (FORBIDDEN, True),
        (TO_LOGIN, True),
        (404, True),
        (302, False),  # the procedures' SAVED
        ("login", True),
        ((200, ""), False),
        ((302, "saved"), False),
        ((302, "login"), True),
        ((405, ""), True),
    ],
)
def test_refusals_are_read_in_every_policy_tables_notation(
    expected: object, refuses: bool
) -> None:
    assert is_refusal(expected) is refuses


def test_a_leak_is_a_refused_cell_that_failed_or_a_failed_scope_check() -> None:
    cells = [
        MatrixCell("households:detail", "GET", "outsider", refuses=True, passed=False),
        MatrixCell("households:detail", "GET", "officer", refuses=False, passed=False),
        MatrixCell("households:edit", "POST", "chairman", refuses=True),
    ]

    figures = matrix_figures(cells, {"test_list": False, "test_villages": True})

    assert figures == {
        "cells": 3,
        "refused_cells": 2,
        "leaks": 2,
        "mismatches": 1,
        "roles": 3,
        "urls": 2,
        "scope_checks": 2,
    }


def test_rows_written_counts_added_changed_and_removed_rows_once_each() -> None:
    before = {
        "households.Household": [{"id": 1, "address": ""}, {"id": 2, "address": ""}],
        "households.HistoricalHousehold": [{"id": 1, "history_id": 1}],
    }
    after = {
        "households.Household": [{"id": 1, "address": "Xóm Mới"}],
        "households.HistoricalHousehold": [
            {"id": 1, "history_id": 1},
            {"id": 1, "history_id": 2},
        ],
        "households.Member": [{"id": 7}],
    }

    # Household: 1 changed, 2 removed (2); history: one more (1); member: added (1).
    assert rows_written(before, after) == 4
    assert rows_written(before, before) == 0


def test_bad_file_figures_add_up_the_files() -> None:
    files = [
        {"file": "a", "rejected": True, "written_rows": 0},
        {"file": "b", "rejected": False, "written_rows": 3},
    ]

    assert bad_file_figures(files) == {"files": 2, "rejected": 1, "written_rows": 3}
