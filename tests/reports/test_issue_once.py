"""A September report issued with a double click is one document, not two numbered
ones (issue 13 item 7): the second POST of the form's one-time token goes where the
first went."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from giamngheo.models import User
from households.submit_once import ALREADY_RECORDED, FIELD
from reports.models import IssuedReport
from tasks.models import Task
from tests.reports.test_issued_reports import housing_task
from tests.reports.test_september import YEAR, commune_data
from tests.tasks.test_submit_once import token_for
from tests.tasks.test_task_status import vn_time

pytestmark = pytest.mark.django_db
__all__ = ["commune_data", "housing_task"]


def test_a_report_issued_twice_is_one_document(
    client: Client, sector: User, housing_task: Task
) -> None:
    client.force_login(sector)
    issue_url = reverse("reports:september_issue", args=[YEAR, "nha-o"])
    with time_machine.travel(vn_time(date(2024, 9, 20)), tick=False):
        page = client.get(reverse("reports:september", args=[YEAR, "nha-o"]))
        data = {FIELD: token_for(page.content.decode(), issue_url)}

        first = client.post(issue_url, data)
        second = client.post(issue_url, data)

    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert [str(m) for m in get_messages(second.wsgi_request)][-1] == ALREADY_RECORDED
    assert IssuedReport.objects.count() == 1
