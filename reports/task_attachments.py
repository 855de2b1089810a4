"""The September report, offered to the submission of the task that must send it.

Registered in `ReportsConfig.ready()` with `tasks.attachments` (the providing side
registers itself, so `tasks` never imports `reports`). The report attached is the
latest one issued for the task; with none issued yet, submitting issues one as of the
task's deadline, in the submission's transaction, so the figures submitted, the
frozen figures and the attached PDF and Excel are the same numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import SimpleUploadedFile

from reports.actions import IssueRefused, delete_files, issue_september
from reports.models import IssuedReport
from reports.summaries.september import SeptemberReport, report_for_codes
from tasks.attachments import AttachmentRefused
from tasks.models import Task

if TYPE_CHECKING:
    from giamngheo.models import User


@dataclass
class SeptemberAttachment:
    """The task's September report: `issued` if one is, else issued on submission."""

    task: Task
    report: SeptemberReport
    issued: IssuedReport | None
    as_of: date
    figures_template = "reports/_task_attachment.html#figures"
    choice_template = "reports/_task_attachment.html#choice"
    # The report issued by `files()`, whose stored files a failed submission removes.
    _new: IssuedReport | None = field(default=None, init=False)

    @property
    def name(self) -> str:
        if self.issued is not None:
            return f"Báo cáo số {self.issued.reference}"
        return "Báo cáo đính kèm"

    @property
    def frozen_figures(self) -> dict[str, tuple[int, int]] | None:
        return self.issued.commune_figures() if self.issued is not None else None

    def files(
        self, *, by: User, figures: Mapping[str, tuple[int, int]]
    ) -> list[SimpleUploadedFile]:
        issued = self.issued
        if issued is None:
            try:
                self._new = issued = issue_september(
                    self.report,
                    self.task.commune,
                    self.task.year,
                    by=by,
                    as_of=self.as_of,
                    task=self.task,
                )
            except IssueRefused as refused:
                raise AttachmentRefused(str(refused)) from refused
        frozen = issued.commune_figures()
        for code, figure in figures.items():
            if frozen.get(code) != figure:
                raise AttachmentRefused(
                    f"Chỉ tiêu {code}: số liệu nộp khác báo cáo số "
                    f"{issued.reference}. Nộp lại sau khi kiểm tra số liệu."
                )
        return _issued_files(issued)

    def discard(self) -> None:
        if self._new is not None:
            delete_files(self._new)


def _issued_files(issued: IssuedReport) -> list[SimpleUploadedFile]:
    """The issued report's stored files (PDF, Excel, and the signed scan if there is
    one), as uploads: the submission carries copies of exactly what was issued."""
    uploads = []
    for name, stored, content_type in issued.files():
        with stored.open("rb") as stream:
            uploads.append(SimpleUploadedFile(name, stream.read(), content_type))
    return uploads


def offer(task: Task, as_of: date) -> SeptemberAttachment | None:
    """The September report of the task's targets, if they belong to one."""
    report = report_for_codes(task.service_targets.values_list("code", flat=True))
    if report is None:
        return None
    latest = (
        IssuedReport.objects.filter(task=task).order_by("-issued_at", "-pk").first()
    )
    return SeptemberAttachment(task, report, latest, as_of)
