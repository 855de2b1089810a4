"""Writes on reports: issue a September report (number, date, frozen figures and
files, in one transaction) and attach its signed scan."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from households import clock
from households.forms import villages_for
from households.models import Commune, Household
from households.uploads import check_signed_scan
from reports import september_views as september
from reports.issuing import (
    frozen_figures,
    may_issue,
    next_number,
    unit_task,
)
from reports.models import IssuedReport
from reports.summaries.september import SeptemberReport, september_summary
from targets.measurement import clamp_as_of
from tasks.models import Task

if TYPE_CHECKING:
    from giamngheo.models import User


class IssueRefused(Exception):
    """The report cannot be issued as asked (message in Vietnamese)."""


def _saved(report: IssuedReport, stored: list[tuple[Storage, str]]) -> None:
    for field in (report.pdf, report.xlsx, report.signed_scan):
        if field:
            stored.append((field.storage, field.name))


@transaction.atomic
def issue_september(
    report: SeptemberReport,
    commune: Commune,
    year: int,
    *,
    by: User,
    as_of: date,
    number: int | None = None,
    task: Task | None = None,
    at: datetime | None = None,
) -> IssuedReport:
    """Give the report a number and today's date, compute its figures as of `as_of`
    and store them with the PDF and Excel made from them. Each call is a new
    document; nothing of an earlier one changes."""
    task = task or unit_task(report, commune, year)
    if not may_issue(by, task, commune) or by.is_village_head:
        raise PermissionDenied("Bạn không thuộc đơn vị lập báo cáo này.")
    at = at or clock.now()
    today = timezone.localdate(at)
    if as_of != clamp_as_of(as_of, year, today):
        raise IssueRefused(
            f"Ngày số liệu {as_of:%d/%m/%Y} phải trong năm {year} và không sau hôm "
            f"nay ({today:%d/%m/%Y})."
        )
    # One issuer's numbers are taken one at a time: lock the commune's row.
    Commune.objects.select_for_update().filter(pk=commune.pk).first()
    households = Household.objects.visible_to(by).filter(commune=commune)
    villages = list(villages_for(by).filter(commune=commune))
    summary = september_summary(
        report, commune, year, households, villages, whole_commune=True, on=as_of
    )
    unit = task.unit if task else None
    draft = september.document_for(summary, unit, day=today)
    free = next_number(commune, draft.symbol, today)
    number = number or free
    if number < 1:
        raise IssueRefused("Số văn bản phải từ 01 trở lên.")
    if IssuedReport.objects.filter(
        commune=commune, symbol=draft.symbol, register_year=today.year, number=number
    ).exists():
        raise IssueRefused(
            f"Số {number:02d}/{draft.symbol} năm {today.year} đã được dùng; số còn "
            f"trống tiếp theo là {free:02d}."
        )
    document = september.document_for(summary, unit, day=today, number=f"{number:02d}")
    subtitle = september.subtitle_for(summary)
    issued = IssuedReport(
        commune=commune,
        kind=report.slug,
        year=year,
        task=task,
        as_of=as_of,
        number=number,
        symbol=document.symbol,
        issued_on=today,
        register_year=today.year,
        issued_by=by,
        issued_at=at,
        title=document.title,
        issuer=" / ".join(
            line
            for line in (document.by.managing_body, *document.by.name_lines)
            if line
        ),
        signer=" / ".join([*document.by.authority, document.by.signer_name]),
        addressee=document.addressee,
        figures=frozen_figures(summary),
    )
    stored: list[tuple[Storage, str]] = []
    try:
        issued.pdf.save(
            issued.filename(".pdf"),
            # Made while saving a form: wait for a slot rather than lose the form.
            ContentFile(
                september.pdf(summary, subtitle, document, wait=settings.PDF_FORM_WAIT)
            ),
            save=False,
        )
        info = september.export_info(summary, by, {}, document, at=at)
        issued.xlsx.save(
            issued.filename(".xlsx"),
            ContentFile(september.workbook(summary, info)),
            save=False,
        )
        _saved(issued, stored)
        with transaction.atomic():
            issued.save()
    except IntegrityError:
        _delete(stored)
        raise IssueRefused(
            f"Số {number:02d}/{document.symbol} vừa được dùng cho văn bản khác: "
            "hãy ban hành lại."
        ) from None
    except BaseException:
        _delete(stored)
        raise
    return issued


def delete_files(issued: IssuedReport) -> None:
    """Remove an issued report's files (its row rolled back with a failed write)."""
    stored: list[tuple[Storage, str]] = []
    _saved(issued, stored)
    _delete(stored)


def _delete(stored: list[tuple[Storage, str]]) -> None:
    for storage, name in stored:
        storage.delete(name)


@transaction.atomic
def attach_signed_scan(
    issued: IssuedReport, upload: UploadedFile, *, by: User
) -> IssuedReport:
    """The signed and stamped paper, scanned: kept next to the issued files, which
    do not change."""
    if not may_issue(by, issued.task, issued.commune) or by.is_village_head:
        raise PermissionDenied("Bạn không thuộc đơn vị đã ban hành báo cáo này.")
    checked = check_signed_scan(upload)
    old = issued.signed_scan.name if issued.signed_scan else ""
    issued.signed_scan.save(checked.original_name, checked.upload, save=False)
    issued.signed_scan_name = checked.original_name
    issued.signed_scan_type = checked.content_type
    issued.save(update_fields=["signed_scan", "signed_scan_name", "signed_scan_type"])
    if old:
        storage = issued.signed_scan.storage
        transaction.on_commit(lambda: storage.delete(old))
    return issued
