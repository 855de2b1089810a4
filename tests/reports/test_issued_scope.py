"""Who may issue a September report, read an issued one and attach its signed scan.

`ISSUED_POLICY` is this part of the project's policy table (the coverage test of
tests/households/test_scope.py counts it). `sector` acts for the civil servant's unit
whose task the housing report answers (tests/reports/test_issued_reports.py); one
report is issued by it before each request. Reading follows
`IssuedReport.objects.visible_to`: out of scope is 404. Issuing and the scan belong to
the issuing unit: another role of the commune gets 403 and nothing changes. The
officer of commune B issues commune B's own report (no unit of B answers it, so UBND
xã B issues it) and changes nothing of commune A.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from giamngheo.models import User
from reports.models import IssuedReport
from tasks.models import Task
from tests.households.test_scope import ROLES, with_province
from tests.reports.test_issued_reports import YEAR, _issue, commune_data, housing_task
from tests.tasks.test_task_status import vn_time

__all__ = ["commune_data", "housing_task"]  # fixtures, imported for this module

pytestmark = pytest.mark.django_db

LOGIN = (302, "login")
READ = (200, "")
DENIED = (403, "")
HIDDEN = (404, "")
SAVED = (302, "saved")
NOT_ALLOWED = (405, "")


# fmt: off
def row(*cells: tuple[int, str]) -> dict[str, tuple[int, str]]:
    return dict(zip(ROLES, cells, strict=True))


NA = NOT_ALLOWED
ISSUED_POLICY: dict[str, dict[str, dict[str, tuple[int, str]]]] = {
    #                                anon   officer chairman sector head_a1 outsider admin  # noqa: E501
    "reports:issued":          {"GET":  row(LOGIN, READ,   READ,   READ,  HIDDEN, HIDDEN, READ)},  # noqa: E501
    "reports:issued_scan":     {"GET":  row(LOGIN, NA,     NA,     NA,    NA,     NA,     NA),  # noqa: E501
                                "POST": row(LOGIN, DENIED, DENIED, SAVED, HIDDEN, HIDDEN, SAVED)},  # noqa: E501
    "reports:september_issue": {"POST": row(LOGIN, DENIED, DENIED, SAVED, DENIED, SAVED,  SAVED)},  # noqa: E501
}
# fmt: on


def cases() -> list[Any]:
    return [
        pytest.param(name, method, role, expected, id=f"{name}-{method}-{role}")
        for name, methods in ISSUED_POLICY.items()
        for method, cells in methods.items()
        for role, expected in with_province(cells, name, method).items()
    ]


def state(issued: IssuedReport) -> tuple[Any, ...]:
    issued.refresh_from_db()
    commune_a = list(
        IssuedReport.objects.filter(commune=issued.commune).values_list("pk", flat=True)
    )
    return (commune_a, bool(issued.signed_scan), IssuedReport.objects.count())


@pytest.mark.parametrize(("name", "method", "role", "expected"), cases())
def test_issued_report_matrix(
    client: Client,
    request: pytest.FixtureRequest,
    sector: User,
    housing_task: Task,
    name: str,
    method: str,
    role: str,
    expected: tuple[int, str],
) -> None:
    with time_machine.travel(vn_time(date(2024, 9, 20)), tick=False):
        _issue(client, sector)
        issued = IssuedReport.objects.get()
        client.logout()
        user: User | None = None
        if role != "anonymous":
            user = request.getfixturevalue(role)
            client.force_login(user)
        args = [YEAR, "nha-o"] if name == "reports:september_issue" else [issued.pk]
        path = reverse(name, args=args)
        before = state(issued)
        scan = SimpleUploadedFile("ban-ky.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")

        response = (
            client.get(path) if method == "GET" else client.post(path, {"ban_ky": scan})
        )

    status, effect = expected
    assert response.status_code == status, response.content.decode()[:1000]
    if effect == "login":
        assert response.url.startswith(reverse("login"))
    after = state(issued)
    if effect != "saved":
        assert after == before
    elif name == "reports:issued_scan":
        assert after[1] is True  # the scan is attached, nothing else changes
    elif role == "outsider":
        assert after[0] == before[0] and after[2] == before[2] + 1  # commune B's own
    else:
        assert len(after[0]) == len(before[0]) + 1  # a fresh document of commune A


def test_policy_rows_name_every_role() -> None:
    for name, methods in ISSUED_POLICY.items():
        for cells in methods.values():
            assert tuple(cells) == ROLES, name
