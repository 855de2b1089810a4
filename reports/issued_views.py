"""Issued September reports: issue one, read it, reprint its stored files, attach the
signed scan. Every read goes through `IssuedReport.objects.visible_to()`: out of
scope answers 404; a step the role may not take answers 403."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from households import clock
from households.submit_once import submit_once
from households.views import commune_of
from reports import actions
from reports.issuing import (
    may_issue,
    parse_day,
    report_deadline,
    unit_task,
)
from reports.models import IssuedReport
from reports.summaries.september import REPORTS
from targets.measurement import default_as_of

if TYPE_CHECKING:
    from giamngheo.http import AuthenticatedRequest


@require_POST
@submit_once
def september_issue(
    request: AuthenticatedRequest, year: int, slug: str
) -> HttpResponse:
    report = REPORTS.get(slug)
    if report is None or not 2000 <= year <= 2100:
        raise Http404("Không có báo cáo này.")
    commune = commune_of(request)
    task = unit_task(report, commune, year)
    if not may_issue(request.user, task, commune) or request.user.is_village_head:
        raise PermissionDenied("Bạn không thuộc đơn vị lập báo cáo này.")
    back = redirect("reports:september", year=year, slug=slug)
    as_of_text = request.POST.get("ngay", "").strip()
    if as_of_text:
        parsed = parse_day(as_of_text)
        if parsed is None:
            messages.error(
                request,
                f"Chưa ban hành: ngày số liệu “{as_of_text}” không đúng dạng "
                "ngày/tháng/năm (ví dụ 24/09/2024).",
            )
            return back
        as_of = parsed
    else:
        as_of = default_as_of(report_deadline(report, commune, year), year)
    number_text = request.POST.get("so", "").strip()
    if number_text and not number_text.isdigit():
        messages.error(
            request, f"Chưa ban hành: số văn bản “{number_text}” phải là số (ví dụ 05)."
        )
        return back
    try:
        issued = actions.issue_september(
            report,
            commune,
            year,
            by=request.user,
            as_of=as_of,
            number=int(number_text) if number_text else None,
            task=task,
        )
    except actions.IssueRefused as refused:
        messages.error(request, f"Chưa ban hành: {refused}")
        return back
    messages.success(
        request,
        f"Đã ban hành báo cáo số {issued.reference} ngày "
        f"{issued.issued_on:%d/%m/%Y}, số liệu đến ngày {issued.as_of:%d/%m/%Y}.",
    )
    return redirect(issued)


def _issued_for_reading(request: AuthenticatedRequest, pk: int) -> IssuedReport:
    return get_object_or_404(
        IssuedReport.objects.visible_to(request.user).select_related(
            "task__unit", "issued_by"
        ),
        pk=pk,
    )


def issued_report(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    issued = _issued_for_reading(request, pk)
    output = request.GET.get("format", "")
    files = {"pdf": 0, "xlsx": 1, "scan": 2}
    if output in files:
        stored = issued.files()
        if files[output] >= len(stored):
            raise Http404("Chưa có bản có chữ ký.")
        name, field, content_type = stored[files[output]]
        try:
            stream = field.open("rb")
        except FileNotFoundError:
            raise Http404("Tệp không còn trên máy chủ.") from None
        return FileResponse(
            stream, as_attachment=True, filename=name, content_type=content_type
        )
    attachments = (
        [] if issued.task is None else list(issued.task.submissions.order_by("-pk"))
    )
    return render(
        request,
        "reports/issued_report.html",
        {
            "issued": issued,
            "report": REPORTS.get(issued.kind),
            "may_sign": may_issue(request.user, issued.task, issued.commune)
            and not request.user.is_village_head,
            "submissions": attachments,
            "today": clock.today(),
        },
    )


@require_POST
def issued_scan(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    issued = _issued_for_reading(request, pk)
    upload = request.FILES.get("ban_ky")
    if upload is None:
        messages.error(request, "Chưa chọn tệp bản có chữ ký (PDF hoặc ảnh).")
        return redirect(issued)
    try:
        actions.attach_signed_scan(issued, upload, by=request.user)
    except (actions.IssueRefused, ValidationError) as refused:
        text = (
            "; ".join(refused.messages)
            if isinstance(refused, ValidationError)
            else str(refused)
        )
        messages.error(request, f"Chưa lưu bản có chữ ký: {text}")
        return redirect(issued)
    messages.success(request, "Đã lưu bản có chữ ký, đóng dấu.")
    return redirect(issued)
