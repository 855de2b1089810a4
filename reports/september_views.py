"""The September reports on the service-access targets: one summary, three renderers.

HTML on screen, PDF as a BÁO CÁO of UBND xã (to UBND xã, or to UBND huyện for water
and latrines), Excel with the per-village figures and those still concerned. The same
`report_files` makes the PDF and Excel that a task's submission attaches
(tasks/views.py `task_submit`), so the attached files are the report of this page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from giamngheo.http import AuthenticatedRequest
from giamngheo.models import User
from households import clock
from households.forms import villages_for
from households.models import Commune, Household
from reports import excel
from reports.documents import OfficialDocument, recipients_for_report
from reports.pdf import render_pdf
from reports.review_views import XLSX, _download, _queries, _scope, _subtitle
from reports.summaries.september import (
    REPORTS,
    ConcernedLine,
    FigureRow,
    SeptemberReport,
    SeptemberSummary,
    TargetSection,
    september_summary,
)

Column = excel.Column


def addressee(report: SeptemberReport, commune: Commune) -> str:
    """Kính gửi: the body the report goes to (§III.2 of the plan)."""
    if report.to_district:
        return f"UBND huyện {commune.district}"
    return f"UBND xã {commune.name}"


def document_for(summary: SeptemberSummary) -> OfficialDocument:
    return OfficialDocument(
        commune=summary.commune,
        kind="Báo cáo",
        title=summary.report.title(summary.year),
        symbol="BC-UBND",
        date=clock.today(),
        recipients=recipients_for_report(
            summary.commune, to_district=summary.report.to_district
        ),
    )


def _figure_columns() -> list[Column]:
    INT, PCT = excel.INTEGER, excel.PERCENT_2

    def row(item: tuple[TargetSection, FigureRow]) -> FigureRow:
        return item[1]

    return [
        Column("Chỉ tiêu", "A", lambda i: i[0].target.code, width=8),
        Column("STT", "B", lambda i: row(i).number, width=6),
        Column("Thôn, làng", "C", lambda i: row(i).name, width=24),
        Column("Số đạt", "1", lambda i: row(i).ok, INT),
        Column("Tổng số", "2", lambda i: row(i).total, INT),
        Column("Tỷ lệ (%)", "3 = 1/2×100", lambda i: row(i).percent, PCT),
        Column("Đạt chỉ tiêu", "4", lambda i: row(i).met_text, width=14),
        Column("Còn thiếu để đạt", "5", lambda i: row(i).gap, INT, width=14),
    ]


def _concerned_columns() -> list[Column]:
    return [
        Column("Chỉ tiêu", "A", lambda c: c.target_code, width=8),
        Column("STT", "B", lambda c: c.number, width=6),
        Column("Thôn, làng", "C", lambda c: c.village_name, width=24),
        Column("Mã hộ", "D", lambda c: c.household_code, width=14),
        Column(
            "Họ và tên (chủ hộ, hoặc người chưa đạt)", "E", lambda c: c.name, width=30
        ),
    ]


def _notes(summary: SeptemberSummary) -> list[str]:
    notes = [
        f"Chỉ tiêu {s.target.code}: {s.target.text} ({s.target.threshold_as_written})."
        f" {s.gap_sentence}"
        for s in summary.sections
    ]
    if summary.missing_codes:
        notes.append(
            "Kế hoạch chưa có chỉ tiêu số " + ", ".join(summary.missing_codes) + "."
        )
    notes.append(f"Số liệu theo sổ hộ đến ngày {summary.on:%d/%m/%Y}.")
    return notes


def workbook(summary: SeptemberSummary, info: excel.ExportInfo) -> bytes:
    heading = summary.report.title(summary.year).upper()
    to = addressee(summary.report, summary.commune)
    subtitle = f"Xã {summary.commune.name} — Kính gửi: {to}"
    figures = excel.Sheet(
        title="Số liệu theo thôn",
        heading=heading,
        subtitle=subtitle,
        columns=_figure_columns(),
        rows=summary.figure_rows,
        notes=_notes(summary),
        landscape=False,
    )
    concerned: list[ConcernedLine] = summary.concerned_lines
    people = excel.Sheet(
        title="Hộ, người chưa đạt",
        heading="DANH SÁCH HỘ, NGƯỜI CHƯA ĐẠT CHỈ TIÊU",
        subtitle=subtitle,
        columns=_concerned_columns(),
        rows=concerned,
        notes=[f"Tổng số: {len(concerned)}."],
        landscape=False,
    )
    return excel.workbook_bytes([figures, people], info)


def export_info(
    summary: SeptemberSummary, user: User, filters: dict[str, str]
) -> excel.ExportInfo:
    return excel.ExportInfo(
        report=summary.report.title(summary.year),
        commune=str(summary.commune),
        exported_by=user.get_full_name() or user.username,
        exported_at=timezone.localtime(),
        filters={"Năm": str(summary.year), "Phạm vi": user.scope_label, **filters},
    )


def _context(summary: SeptemberSummary, subtitle: str) -> dict[str, Any]:
    return {
        "summary": summary,
        "report": summary.report,
        "year": summary.year,
        "subtitle": subtitle,
        "addressee": addressee(summary.report, summary.commune),
        "document": document_for(summary),
    }


def pdf(summary: SeptemberSummary, subtitle: str) -> bytes:
    return render_pdf("reports/pdf/september_report.html", _context(summary, subtitle))


@dataclass(frozen=True)
class ReportFiles:
    pdf_name: str
    pdf: bytes
    xlsx_name: str
    xlsx: bytes


def report_files(
    report: SeptemberReport, commune: Commune, year: int, user: User
) -> ReportFiles:
    """The PDF and Excel of a report as `user` may read it (for a task's submission)."""
    villages = list(villages_for(user).filter(commune=commune))
    households = Household.objects.visible_to(user).filter(commune=commune)
    whole = not user.is_village_head
    summary = september_summary(
        report, commune, year, households, villages, whole_commune=whole
    )
    subtitle = f"Xã {commune.name} — số liệu theo sổ hộ đến ngày {summary.on:%d/%m/%Y}"
    name = report.filename(year)
    return ReportFiles(
        pdf_name=f"{name}.pdf",
        pdf=pdf(summary, subtitle),
        xlsx_name=f"{name}.xlsx",
        xlsx=workbook(summary, export_info(summary, user, {})),
    )


def september_report(
    request: AuthenticatedRequest, year: int, slug: str
) -> HttpResponse:
    report = REPORTS.get(slug)
    if report is None:
        raise Http404("Không có báo cáo này.")
    scope = _scope(request, year)
    summary = september_summary(
        report,
        scope.commune,
        year,
        scope.households,
        scope.villages,
        whole_commune=scope.whole_commune,
    )
    subtitle = _subtitle(scope).replace(
        f"số liệu rà soát đến ngày 31/12/{year}",
        f"số liệu theo sổ hộ đến ngày {summary.on:%d/%m/%Y}",
    )
    name = report.filename(year)
    output = request.GET.get("format", "html")
    if output == "xlsx":
        filters = {"Thôn, làng": scope.village.name} if scope.village else {}
        content = workbook(summary, export_info(summary, request.user, filters))
        return _download(content, XLSX, f"{name}.xlsx")
    if output == "pdf":
        return _download(pdf(summary, subtitle), "application/pdf", f"{name}.pdf")
    context = {
        **_context(summary, subtitle),
        "scope": scope,
        "links": _queries(request),
        "notes": _notes(summary),
    }
    return render(request, "reports/september_report.html", context)
