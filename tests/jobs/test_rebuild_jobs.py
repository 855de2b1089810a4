"""`rebuild_status_periods` as a background job started from the admin (issue 12,
item 6): the superuser asks, the worker rebuilds with the command's code, the job
tells what it did; nobody else may start it; the command stays."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from giamngheo.models import User
from households.models import Household, StatusPeriod
from households.rebuild_jobs import grouped
from jobs.models import Job, JobStatus
from tests.conftest import make_review
from tests.jobs.test_jobs import database_backend, worker  # noqa: F401 - fixtures

URL = reverse("admin:households_review_rebuild_periods")


def periods() -> list[tuple[Any, ...]]:
    return sorted(
        StatusPeriod.objects.values_list(
            "household_id", "review_id", "status", "valid_from", "valid_until"
        )
    )


@pytest.fixture
def lost_periods(household_a1: Household, household_a2: Household) -> list[Any]:
    """Two households' kept periods, then lost by a write that bypassed the
    signals (as a bulk load or an SQL fix would)."""
    make_review(household_a1, income=1_200_000)
    make_review(household_a2, income=3_000_000)
    kept = periods()
    assert len(kept) == 2
    StatusPeriod.objects.all().delete()
    return kept


@pytest.mark.django_db(transaction=True)
def test_the_superuser_rebuilds_the_periods_as_a_job(
    client: Client,
    admin: User,
    lost_periods: list[Any],
    database_backend: None,  # noqa: F811 - fixture
    worker: Any,  # noqa: F811 - fixture
) -> None:
    client.force_login(admin)
    changelist = client.get(reverse("admin:households_review_changelist"))
    assert URL in changelist.content.decode()
    assert "manage.py rebuild_status_periods" in client.get(URL).content.decode()

    response = client.post(URL)
    again = client.post(URL)

    job = Job.objects.get()  # asking twice leads to the same job
    assert response.url == again.url == job.get_absolute_url()
    assert periods() == []
    worker()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert (job.done, job.total) == (2, 2)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Đã tính lại: 2 thời kỳ phân loại của 2 hộ có phiếu rà soát." in page
    assert periods() == lost_periods


def test_nobody_else_may_start_it(
    client: Client, officer: User, lost_periods: list[Any]
) -> None:
    officer.is_staff = True  # even a staff account that is not the superuser
    officer.save()
    client.force_login(officer)

    assert client.get(URL).status_code == 403
    assert client.post(URL).status_code == 403
    assert not Job.objects.exists()


def test_the_figures_are_grouped_as_the_pages_write_them() -> None:
    assert grouped(1439) == "1.439"


def test_the_command_stays(lost_periods: list[Any]) -> None:
    out = StringIO()
    call_command("rebuild_status_periods", stdout=out)
    assert out.getvalue().strip() == "Đã tính lại: 2 thời kỳ phân loại."
    assert periods() == lost_periods
