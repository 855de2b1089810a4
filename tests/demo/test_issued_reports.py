"""The demo's September submissions carry the report each unit issued that day: the
submitted figures, the attached files and a reprint agree, whatever the working date."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import openpyxl
import pytest
from django.db import transaction
from django.test import Client, override_settings

from demo import register
from demo import reports as demo_reports
from demo import targets as demo_targets
from demo import tasks as demo_tasks
from reports.models import IssuedReport
from tasks.models import Attachment, Submission

MD5 = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # as tests/conftest.py


@pytest.fixture(scope="module")
def seeded(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: Any
) -> Iterator[demo_reports.IssuedResult]:
    media = tmp_path_factory.mktemp("media")
    with override_settings(MEDIA_ROOT=media), django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        with override_settings(DEMO_MODE=True, PASSWORD_HASHERS=MD5):
            register.seed_demo()
            register.seed_review_round_2024()
            demo_targets.seed_targets_2024()
            demo_tasks.seed_tasks_2024()
            result = demo_reports.seed_issued_reports_2024()
        yield result
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.mark.django_db
def test_each_sent_report_is_issued_and_attached(
    seeded: demo_reports.IssuedResult, client: Client
) -> None:
    assert seeded.created and seeded.reports == 4  # the returned one attached none
    symbols = set(IssuedReport.objects.values_list("symbol", flat=True))
    assert symbols == {"BC-ĐCXD", "BC-VHTT", "BC-TYT", "BC-THCS"}
    for issued in IssuedReport.objects.select_related("task"):
        assert issued.task is not None
        submission = Submission.objects.get(
            task=issued.task, attachments__original_name=issued.filename(".pdf")
        )
        sent = {
            f.service_target.code: (f.reported_ok, f.reported_total)
            for f in submission.figures.select_related("service_target")
        }
        assert sent == issued.commune_figures()
        attached = {
            a.original_name: a.file.read()
            for a in Attachment.objects.filter(submission=submission)
        }
        assert attached[issued.filename(".pdf")] == issued.pdf.read()
        sheet = openpyxl.load_workbook(
            io.BytesIO(attached[issued.filename(".xlsx")])
        ).worksheets[0]
        totals = {
            r[0].value: (r[3].value, r[4].value)
            for r in sheet.iter_rows(min_row=6)
            if r[2].value == "Tổng cộng toàn xã"
        }
        assert totals == sent
    # Idempotent: a second run issues nothing.
    with override_settings(DEMO_MODE=True):
        assert demo_reports.seed_issued_reports_2024().created is False
