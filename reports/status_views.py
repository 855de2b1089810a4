"""The plan and task status report: one summary, three renderers.

HTML on screen, PDF as a BÁO CÁO of UBND xã, Excel with two sheets (the villages'
plans, the units' tasks). The figures are `reports.summaries.status`, in the user's
scope: a village head's report is their village's plan and their units' tasks.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from households import clock
from households.views import commune_of
from reports import excel
from reports.documents import OfficialDocument, recipients_for_report
from reports.downloads import XLSX, download
from reports.pdf import render_pdf
from reports.summaries.status import StatusReport, filename, plan_and_task_status

if TYPE_CHECKING:
    from giamngheo.http import AuthenticatedRequest
    from giamngheo.models import User

Column = excel.Column
INT = excel.INTEGER
DATE = excel.DATE


# The notes under the plans' table, on the page, in the PDF and in the Excel file.
PLAN_NOTES = (
    "Số hộ dự kiến thoát nghèo: theo kế hoạch đã nộp (chờ duyệt hoặc đã duyệt); "
    "thôn chưa nộp kế hoạch (chưa lập, nháp hoặc bị trả lại) tính 0 hộ.",
    "Còn thiếu so với chỉ tiêu (4 = 3 − 2): bằng 0 khi dự kiến đạt hoặc vượt chỉ tiêu. "
    "Dòng tổng lấy tổng chỉ tiêu trừ tổng dự kiến, không cộng cột 4 của các thôn: "
    "thôn dự kiến vượt bù cho thôn còn thiếu.",
)


def document_for(report: StatusReport) -> OfficialDocument:
    return OfficialDocument(
        commune=report.commune,
        kind="Báo cáo",
        title=report.title,
        symbol="BC-UBND",
        date=clock.today(),
        recipients=recipients_for_report(report.commune, on=clock.today()),
    )


def subtitle(report: StatusReport, user: User) -> str:
    where = f"Xã {report.commune.name}"
    if not report.whole_commune:
        where += f", {user.scope_label}"
    return f"{where} — tình hình đến ngày {report.on:%d/%m/%Y}"


def _plan_columns() -> list[Column]:
    return [
        Column("STT", "A", lambda r: r.number, width=6),
        Column("Thôn, làng", "B", lambda r: r.name, width=24),
        Column("Tình trạng kế hoạch", "C", lambda r: r.status, width=16),
        Column("Ngày nộp", "D", lambda r: r.submitted_on, DATE),
        Column("Nộp muộn", "E", lambda r: r.late_text, width=10),
        Column("Ngày duyệt", "F", lambda r: r.approved_on, DATE),
        Column("Số hộ trong kế hoạch", "1", lambda r: r.households, INT),
        Column("Số hộ dự kiến thoát nghèo", "2", lambda r: r.expected, INT),
        Column("Chỉ tiêu giảm hộ nghèo", "3", lambda r: r.target, INT),
        Column("Còn thiếu so với chỉ tiêu", "4 = 3 − 2", lambda r: r.shortfall, INT),
    ]


def _plan_total(report: StatusReport) -> SimpleNamespace:
    t = report.plan_totals
    return SimpleNamespace(
        number="",
        name=t.name,
        status=t.status_text,
        submitted_on=None,
        late_text=t.counts.late,
        approved_on=None,
        households=t.households,
        expected=t.expected,
        target=t.target,
        shortfall=t.shortfall,
    )


def _unit_columns() -> list[Column]:
    return [
        Column("STT", "A", lambda r: r.number, width=6),
        Column("Đơn vị phụ trách", "B", lambda r: r.name, width=30),
        Column("Tổng số nhiệm vụ", "1", lambda r: r.total, INT),
        Column("Đã nộp, chờ duyệt", "2", lambda r: r.submitted, INT),
        Column("Đã duyệt", "3", lambda r: r.approved, INT),
        Column("Đã hoàn thành", "4 = 2 + 3", lambda r: r.done, INT),
        Column("Quá hạn", "5", lambda r: r.overdue, INT),
    ]


def workbook(report: StatusReport, user: User) -> bytes:
    heading = report.title.upper()
    sub = subtitle(report, user)
    plans = excel.Sheet(
        title="Kế hoạch các thôn",
        heading=heading,
        subtitle=sub,
        columns=_plan_columns(),
        rows=report.plans,
        total=_plan_total(report),
        notes=list(PLAN_NOTES),
    )
    tasks = excel.Sheet(
        title="Nhiệm vụ các đơn vị",
        heading=heading,
        subtitle=sub,
        columns=_unit_columns(),
        rows=report.units,
        total=report.unit_totals,
        notes=[f"Quá hạn: chưa nộp và đã qua hạn, đến ngày {report.on:%d/%m/%Y}."],
        landscape=False,
    )
    info = excel.ExportInfo(
        report=report.title,
        commune=str(report.commune),
        exported_by=user.get_full_name() or user.username,
        exported_at=timezone.localtime(),
        filters={"Năm": str(report.year), "Phạm vi": user.scope_label},
    )
    return excel.workbook_bytes([plans, tasks], info)


def _context(report: StatusReport, user: User) -> dict[str, Any]:
    return {
        "report": report,
        "year": report.year,
        "subtitle": subtitle(report, user),
        "document": document_for(report),
        "plan_notes": PLAN_NOTES,
    }


def pdf(report: StatusReport, user: User) -> bytes:
    return render_pdf("reports/pdf/status_report.html", _context(report, user))


def status_view(request: AuthenticatedRequest, year: int) -> HttpResponse:
    if not 2000 <= year <= 2100:
        raise Http404("Năm báo cáo không hợp lệ.")
    commune = commune_of(request)
    report = plan_and_task_status(request.user, commune, year, clock.today())
    name = filename(year)
    output = request.GET.get("format", "html")
    if output == "xlsx":
        return download(workbook(report, request.user), XLSX, f"{name}.xlsx")
    if output == "pdf":
        return download(pdf(report, request.user), "application/pdf", f"{name}.pdf")
    return render(request, "reports/status_report.html", _context(report, request.user))
