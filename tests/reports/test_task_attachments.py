"""The September report is offered to a task's submission by `reports` itself
(registered in `ReportsConfig.ready()` with `tasks.attachments`), so `tasks` never
imports `reports`; the pages of the submission are tested in test_issued_reports.py."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import time_machine

from giamngheo.models import User
from households.models import Village
from reports.models import IssuedReport
from reports.task_attachments import SeptemberAttachment
from targets.models import ServiceTarget
from tasks import attachments
from tasks.attachments import AttachmentRefused
from tasks.models import Task
from tests.reports.test_issued_reports import _issue, housing_task
from tests.reports.test_september import YEAR, commune_data
from tests.tasks.test_task_status import make_task, vn_time

pytestmark = pytest.mark.django_db
__all__ = ["commune_data", "housing_task"]  # fixtures, imported for this module

AS_OF = date(2024, 9, 24)


def test_the_task_of_the_housing_targets_is_offered_the_housing_report(
    housing_task: Task,
) -> None:
    offer = attachments.offer_for(housing_task, as_of=AS_OF)

    assert isinstance(offer, SeptemberAttachment)
    assert offer.report.slug == "nha-o" and offer.as_of == AS_OF
    # None issued yet: the report is issued on submission, from the register.
    assert offer.issued is None and offer.frozen_figures is None
    assert offer.name == "Báo cáo đính kèm"


def test_a_task_whose_targets_span_two_reports_is_offered_none(
    housing_task: Task, commune_data: dict[str, Village]
) -> None:
    task = make_task(housing_task.unit, "Hai báo cáo", due=date(2024, 9, 25))
    task.service_targets.add(
        *ServiceTarget.objects.filter(code__in=["2", "4a"], year=YEAR)
    )
    bare = make_task(housing_task.unit, "Không chỉ tiêu", due=date(2024, 9, 25))

    assert attachments.offer_for(task, as_of=AS_OF) is None
    assert attachments.offer_for(bare, as_of=AS_OF) is None


def test_the_latest_issued_report_is_the_one_offered_with_its_figures(
    client: Any, sector: User, housing_task: Task, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(vn_time(date(2024, 9, 20)), tick=False):
        _issue(client, sector, ngay="10/09/2024")
        _issue(client, sector, ngay="18/09/2024")
    latest = IssuedReport.objects.get(number=2)

    offer = attachments.offer_for(housing_task, as_of=AS_OF)

    assert offer is not None and offer.name == f"Báo cáo số {latest.reference}"
    assert offer.frozen_figures == latest.commune_figures()
    with pytest.raises(AttachmentRefused, match="số liệu nộp khác báo cáo số"):
        offer.files(by=sector, figures={"4a": (-1, -1)})
    files = offer.files(by=sector, figures=latest.commune_figures())
    assert [f.name for f in files] == [name for name, _, _ in latest.files()]
