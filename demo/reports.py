"""The demo's September reports as the units sent them: each submission of a
September report's task carries the report issued that day, as of its deadline or
the day handed in if earlier (number, figures, PDF and Excel), so the demo reprints
what was sent whatever its working date."""

from __future__ import annotations

import time as clock
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from demo.plan_2024 import YEAR
from demo.register import COMMUNE_CODE, DemoSeedError, require_demo_mode
from households.models import Commune
from households.uploads import check_upload
from reports.actions import issue_september
from reports.models import IssuedReport
from reports.summaries.september import report_for_codes
from targets.measurement import default_as_of
from tasks.models import Attachment, Submission


@dataclass(frozen=True)
class IssuedResult:
    created: bool
    reports: int = 0
    seconds: float = 0.0


def seed_issued_reports_2024() -> IssuedResult:
    """Does nothing (`created=False`) when the 2024 reports are already issued."""
    require_demo_mode()
    started = clock.perf_counter()
    commune = Commune.objects.filter(code=COMMUNE_CODE).first()
    if commune is None:
        return IssuedResult(created=False)
    if IssuedReport.objects.filter(commune=commune, year=YEAR).exists():
        return IssuedResult(created=False)
    submissions = (
        Submission.objects.filter(task__commune=commune, task__year=YEAR)
        .select_related("task__unit", "task__commune", "submitted_by")
        .prefetch_related("figures__service_target", "task__service_targets")
        .order_by("submitted_at", "pk")
    )
    count = 0
    with transaction.atomic():
        for submission in submissions:
            task = submission.task
            report = report_for_codes(t.code for t in task.service_targets.all())
            figures = list(submission.figures.all())
            # A submission that reported other figures, with a reason, attached no
            # report: its figures are not the register's.
            if report is None or any(f.differs for f in figures):
                continue
            handed = timezone.localdate(submission.submitted_at)
            issued = issue_september(
                report,
                commune,
                YEAR,
                by=submission.submitted_by,
                as_of=default_as_of(task.due_before, YEAR, handed),
                task=task,
                at=submission.submitted_at,
            )
            sent = {
                f.service_target.code: (f.reported_ok, f.reported_total)
                for f in figures
            }
            if sent != issued.commune_figures():
                raise DemoSeedError(
                    f"Số liệu nộp của “{task.title}” khác báo cáo số "
                    f"{issued.reference}: {sent} ≠ {issued.commune_figures()}."
                )
            for name, field, content_type in issued.files():
                with field.open("rb") as stream:
                    checked = check_upload(
                        SimpleUploadedFile(name, stream.read(), content_type)
                    )
                attachment = Attachment(
                    submission=submission,
                    original_name=checked.original_name,
                    content_type=checked.content_type,
                    size=checked.size,
                    sha256=checked.sha256,
                )
                attachment.file.save(checked.original_name, checked.upload, save=False)
                attachment.save()
            count += 1
    return IssuedResult(
        created=True, reports=count, seconds=clock.perf_counter() - started
    )
