"""Who may open a background job's pages: its requester and the superuser only
(everybody has his own list of jobs).

`JOB_POLICY` is the jobs' part of the project's policy table (the coverage test of
tests/households/test_scope.py counts it). The job is the officer's, finished, with
a message and a result file; anybody else gets 404 (the job does not exist for
them), as for a household out of scope. The pages are read-only: POST is 405 and no
request changes the job.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from giamngheo.models import User
from jobs.models import Job, JobStatus
from tests.households.test_scope import ROLES, with_province

pytestmark = pytest.mark.django_db

LOGIN = (302, "login")
READ = (200, "")
HIDDEN = (404, "")
NA = (405, "")


# fmt: off
def row(*cells: tuple[int, str]) -> dict[str, tuple[int, str]]:
    return dict(zip(ROLES, cells, strict=True))


JOB_POLICY: dict[str, dict[str, dict[str, tuple[int, str]]]] = {
    #                              anon   officer chairman sector  head_a1 outsider admin  # noqa: E501
    # Everybody's own list ("Việc chạy nền của tôi"): tests/jobs/test_my_jobs.py
    # shows that it holds nobody else's.
    "jobs:mine":     {"GET":  row(LOGIN, READ,   READ,    READ,   READ,   READ,    READ),  # noqa: E501
                      "POST": row(LOGIN, NA,     NA,      NA,     NA,     NA,      NA)},
    "jobs:detail":   {"GET":  row(LOGIN, READ,   HIDDEN,  HIDDEN, HIDDEN, HIDDEN,  READ),  # noqa: E501
                      "POST": row(LOGIN, NA,     NA,      NA,     NA,     NA,      NA)},
    # htmx: a finished job answers with HX-Redirect to its page (status 200).
    "jobs:progress": {"GET":  row(LOGIN, READ,   HIDDEN,  HIDDEN, HIDDEN, HIDDEN,  READ),  # noqa: E501
                      "POST": row(LOGIN, NA,     NA,      NA,     NA,     NA,      NA)},
    "jobs:download": {"GET":  row(LOGIN, READ,   HIDDEN,  HIDDEN, HIDDEN, HIDDEN,  READ),  # noqa: E501
                      "POST": row(LOGIN, NA,     NA,      NA,     NA,     NA,      NA)},
}
# fmt: on


def cases() -> list[Any]:
    return [
        pytest.param(name, method, role, expected, id=f"{name}-{method}-{role}")
        for name, methods in JOB_POLICY.items()
        for method, cells in methods.items()
        for role, expected in with_province(cells, name, method).items()
    ]


@pytest.fixture
def finished_job(officer: User) -> Job:
    job = Job.objects.create(
        title="Xuất sổ hộ toàn xã",
        requested_by=officer,
        status=JobStatus.DONE,
        message="Đã xuất 1.229 hộ.",
        result_url=reverse("households:list"),
    )
    job.result_file.save("so-ho.xlsx", ContentFile(b"PK\x03\x04"))
    return job


def state(job: Job) -> dict[str, Any]:
    return Job.objects.filter(pk=job.pk).values().get()


@pytest.mark.parametrize(("name", "method", "role", "expected"), cases())
def test_job_page_matrix(
    client: Client,
    request: pytest.FixtureRequest,
    finished_job: Job,
    name: str,
    method: str,
    role: str,
    expected: tuple[int, str],
) -> None:
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    path = reverse(name, args=[] if name == "jobs:mine" else [finished_job.pk])
    before = state(finished_job)

    response = client.get(path) if method == "GET" else client.post(path)

    status, effect = expected
    assert response.status_code == status
    if effect == "login":
        assert response.url.startswith(reverse("login"))
    if status == 404:
        assert "Không tìm thấy" in response.content.decode()
    assert state(finished_job) == before


def test_policy_rows_name_every_role() -> None:
    for name, methods in JOB_POLICY.items():
        for cells in methods.values():
            assert tuple(cells) == ROLES, name
