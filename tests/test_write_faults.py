"""Every write path completes or leaves nothing (issue 13 item 5): a database error
in the middle of the register import's apply step, of its background job, and of the
status periods' rebuild job leaves every table as it was (each table's rows and
their checksum, giamngheo/backup.py), and the job says it failed in Vietnamese.

The fault is injected by making a function called mid-way raise what a lost
connection raises.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from io import BytesIO
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.db import IntegrityError, OperationalError

from giamngheo.backup import database_figures
from giamngheo.models import User
from households import actions, register_jobs, status_history
from households.models import Household, ImportLog
from households.rebuild_jobs import rebuild_status_periods
from households.register_file import RegisterFileError
from households.register_import import import_register
from jobs.models import Job, JobStatus
from jobs.running import UNFORESEEN, start
from tests.conftest import make_review
from tests.households.register_files import edited, export_of, set_cell

pytestmark = pytest.mark.django_db

LOST = OperationalError("server closed the connection unexpectedly")

# What a job records about itself is not the work's: it must say the work failed.
BOOKKEEPING = ("jobs_", "django_tasks", "django_session", "axes_")


def register_figures() -> dict[str, Any]:
    return {
        table: figure
        for table, figure in database_figures().items()
        if not table.startswith(BOOKKEEPING)
    }


def failing_on_call(
    number: int, real: Callable[..., Any], error: Exception = LOST
) -> Callable[..., Any]:
    """`real`, except that its `number`th call raises `error`."""
    calls = 0

    def call(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == number:
            raise error
        return real(*args, **kwargs)

    return call


@pytest.fixture
def changed_register(
    household_a1: Household, household_a2: Household, officer: User
) -> Iterator[bytes]:
    """The register's export with a new income on both households' review lines:
    importing it writes a new review for each, one after the other."""
    make_review(household_a1, income=1_200_000)
    make_review(household_a2, income=2_500_000)

    def incomes(workbook: Any) -> None:
        set_cell(workbook["Rà soát"], 3, "thu_nhap", "1.900.000")
        set_cell(workbook["Rà soát"], 4, "thu_nhap", "2.900.000")

    return edited(export_of(household_a1.commune), incomes)  # type: ignore[return-value]


def imported(data: bytes, household: Household, by: User) -> Any:
    return import_register(
        BytesIO(data),
        file_name="so-ho.xlsx",
        size=len(data),
        commune=household.commune,
        by=by,
        dry_run=False,
    )


def test_the_file_imports_as_planned_without_a_fault(
    changed_register: bytes, household_a1: Household, officer: User
) -> None:
    """The fault tests below stop a write that does happen."""
    result = imported(changed_register, household_a1, officer)
    assert result.new_reviews == 2
    assert ImportLog.objects.count() == 1


def test_a_fault_between_two_households_leaves_the_register_as_it_was(
    changed_register: bytes, household_a1: Household, officer: User
) -> None:
    """A lost connection stops the import: it is no problem of the file's line
    (the person would look for a mistake in it), and nothing is written."""
    before = register_figures()
    second_review_fails = failing_on_call(2, actions.record_review)

    with (
        mock.patch.object(actions, "record_review", second_review_fails),
        pytest.raises(OperationalError),
    ):
        imported(changed_register, household_a1, officer)

    assert register_figures() == before


def test_a_value_the_database_refuses_is_the_lines_problem_and_nothing_is_written(
    changed_register: bytes, household_a1: Household, officer: User
) -> None:
    before = register_figures()
    duplicate = IntegrityError("UNIQUE constraint failed")
    second_review_refused = failing_on_call(2, actions.record_review, duplicate)

    with (
        mock.patch.object(actions, "record_review", second_review_refused),
        pytest.raises(RegisterFileError) as refused,
    ):
        imported(changed_register, household_a1, officer)

    (problem,) = refused.value.problems
    assert "không ghi được vào sổ (UNIQUE constraint failed)" in str(problem)
    assert register_figures() == before


def test_a_fault_after_the_last_household_leaves_the_register_as_it_was(
    changed_register: bytes, household_a1: Household, officer: User
) -> None:
    before = register_figures()

    with (
        mock.patch.object(ImportLog.objects, "create", side_effect=LOST),
        pytest.raises(OperationalError),
    ):
        imported(changed_register, household_a1, officer)

    assert register_figures() == before


def test_the_import_job_fails_with_a_message_and_writes_nothing(
    changed_register: bytes,
    household_a1: Household,
    officer: User,
    settings: Any,
    tmp_path: Path,
) -> None:
    settings.MEDIA_ROOT = tmp_path
    staged = register_jobs.staged_path("t0k3n")
    staged.parent.mkdir(parents=True)
    staged.write_bytes(changed_register)
    before = register_figures()

    second_review_fails = failing_on_call(2, actions.record_review)
    with mock.patch.object(actions, "record_review", second_review_fails):
        job = start(
            register_jobs.apply_register,
            title="Nạp sổ hộ",
            by=officer,
            token="t0k3n",
            name="so-ho.xlsx",
            sha256=hashlib.sha256(changed_register).hexdigest(),
            commune_id=household_a1.commune_id,
        )

    assert (job.status, job.error) == (JobStatus.FAILED, UNFORESEEN)
    assert register_figures() == before
    assert not staged.exists()


def test_the_rebuild_job_fails_with_a_message_and_keeps_the_periods(
    household_a1: Household, household_a2: Household, admin: User
) -> None:
    make_review(household_a1, income=1_200_000)
    make_review(household_a2, income=3_000_000)
    before = register_figures()
    real = status_history.refresh_households

    def first_household_then_lost(ids: Any, **kwargs: Any) -> None:
        # The periods are already deleted and one household's rebuilt.
        real(list(ids)[:1], **kwargs)
        raise LOST

    with mock.patch.object(
        status_history, "refresh_households", first_household_then_lost
    ):
        job = start(rebuild_status_periods, title="Tính lại", by=admin)

    job = Job.objects.get(pk=job.pk)
    assert (job.status, job.error) == (JobStatus.FAILED, UNFORESEEN)
    assert register_figures() == before
