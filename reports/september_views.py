"""The September reports on the service-access targets: one summary, three renderers.

HTML on screen, PDF as a BÁO CÁO of UBND xã (to UBND xã, or to UBND huyện for water
and latrines), Excel with the per-village figures and those still concerned. The same
`report_files` makes the PDF and Excel that a task's submission attaches
(tasks/views.py `task_submit`), so the attached files are the report of this page.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import render

from households import clock
from households.models import Commune
from reports import excel
from reports.documents import (
    Issuer,
    OfficialDocument,
    commune_issuer,
    recipients_for_report,
    reporting_body,
    symbol,
)
from reports.downloads import XLSX, download, format_links
from reports.issuing import (
    may_issue,
    next_number,
    parse_day,
    report_deadline,
    unit_task,
)
from reports.models import IssuedReport
from reports.pdf import render_pdf
from reports.scope import report_scope
from reports.summaries.september import (
    REPORTS,
    ConcernedLine,
    FigureRow,
    SeptemberReport,
    SeptemberSummary,
    TargetSection,
    september_summary,
)
from targets.measurement import clamp_as_of, default_as_of
from tasks.models import Unit, UnitKind

if TYPE_CHECKING:
    from giamngheo.http import AuthenticatedRequest
    from giamngheo.models import User

Column = excel.Column


def addressee(report: SeptemberReport, commune: Commune, on: date) -> str:
    """Kính gửi: the body the report goes to (§III.2 of the plan) on the day it is
    dated: the level above is UBND huyện until 30/06/2025, then the province's body
    (`documents.reporting_body`)."""
    if report.to_district:
        return reporting_body(commune, on)
    return f"UBND xã {commune.name}"


def issuing_unit(report: SeptemberReport, commune: Commune, year: int) -> Unit | None:
    """The unit whose task the report answers (the plan's responsible party)."""
    task = unit_task(report, commune, year)
    return task.unit if task else None


def unit_issuer(unit: Unit) -> Issuer:
    """The unit as issuer (Phụ lục I mục IV ô 2, 7): its own name under its managing
    body; its head signs in their own title, without "TM." (Điều 13 khoản 2)."""
    commune = unit.commune
    members = list(unit.members.all())
    signer = unit.signer_name or (members[0].get_full_name() if members else "")
    return Issuer(
        name_lines=((unit.issuer_name or unit.name).upper(),),
        managing_body=(unit.managing_body or f"UBND xã {commune.name}").upper(),
        abbreviation=unit.abbreviation,
        authority=((unit.signer_title or "Người báo cáo").upper(),),
        signer_name=signer,
    )


def issues_itself(report: SeptemberReport, unit: Unit | None) -> bool:
    """A report to UBND huyện is the commune's document, issued by UBND xã; a report
    to UBND xã is the document of the unit that sends it."""
    return unit is not None and not report.to_district


def document_for(
    summary: SeptemberSummary,
    unit: Unit | None,
    *,
    day: date | None = None,
    number: str = "",
) -> OfficialDocument:
    commune, report = summary.commune, summary.report
    if issues_itself(report, unit):
        assert unit is not None
        issuer = unit_issuer(unit)
        recipients: tuple[str, ...] = (
            "Như trên",
            f"Công chức Lao động - TB&XH xã {commune.name} (tổng hợp)",
            "Lưu: VT" if unit.kind == UnitKind.INSTITUTION else "Lưu",
        )
    else:
        issuer = commune_issuer(commune)
        recipients = recipients_for_report(
            commune, on=day or clock.today(), to_district=report.to_district
        )
        if report.to_district:
            # The body in "Kính gửi" is "Như trên" in Nơi nhận (Phụ lục I, ô 9b).
            recipients = ("Như trên", *recipients[1:])
        if unit is not None and unit.abbreviation:
            # Lưu: VT and the drafting unit (Phụ lục I mục IV ô 9b).
            recipients = (*recipients[:-1], f"Lưu: VT, {unit.abbreviation}")
    return OfficialDocument(
        commune=commune,
        kind="Báo cáo",
        title=report.title(summary.year),
        symbol=symbol("BC", issuer),
        date=day or clock.today(),
        recipients=recipients,
        number=number,
        issuer=issuer,
        # Never the issuer itself: the commune does not write "Kính gửi" to itself.
        addressee=(
            addressee(report, commune, day or clock.today())
            if report.to_district or issues_itself(report, unit)
            else ""
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
    # The workbook is exported, or issued, on the document's day.
    to = addressee(summary.report, summary.commune, info.exported_at.date())
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
    summary: SeptemberSummary,
    user: User,
    filters: dict[str, str],
    document: OfficialDocument | None = None,
    *,
    at: datetime | None = None,
) -> excel.ExportInfo:
    issued = (
        {
            "Văn bản": f"Số {document.number}/{document.symbol} "
            f"ngày {document.date:%d/%m/%Y}"
        }
        if document is not None and document.number
        else {}
    )
    return excel.ExportInfo(
        report=summary.report.title(summary.year),
        commune=str(summary.commune),
        exported_by=user.get_full_name() or user.username,
        exported_at=at or clock.now(),
        filters={
            "Năm": str(summary.year),
            "Phạm vi": user.scope_label,
            "Số liệu đến ngày": f"{summary.on:%d/%m/%Y}",
            **issued,
            **filters,
        },
    )


def subtitle_for(summary: SeptemberSummary, scope_name: str = "") -> str:
    where = scope_name or f"Xã {summary.commune.name}"
    return f"{where} — số liệu theo sổ hộ đến ngày {summary.on:%d/%m/%Y}"


def _context(
    summary: SeptemberSummary, subtitle: str, document: OfficialDocument
) -> dict[str, Any]:
    return {
        "summary": summary,
        "report": summary.report,
        "year": summary.year,
        "subtitle": subtitle,
        "addressee": document.addressee,
        "document": document,
    }


def pdf(
    summary: SeptemberSummary,
    subtitle: str,
    document: OfficialDocument,
    *,
    wait: float | None = None,
) -> bytes:
    return render_pdf(
        "reports/pdf/september_report.html",
        _context(summary, subtitle, document),
        wait=wait,
    )


def _as_of(request: AuthenticatedRequest, default: date, year: int) -> date:
    """?ngay=dd/mm/yyyy: the day the figures are read on (default: the deadline)."""
    text = request.GET.get("ngay", "").strip()
    if not text:
        return default
    day = parse_day(text)
    if day is None:
        messages.error(
            request,
            f"Ngày “{text}” không đúng dạng ngày/tháng/năm (ví dụ 24/09/2024): "
            "báo cáo lấy số liệu đến hạn báo cáo.",
        )
        return default
    return clamp_as_of(day, year, clock.today())


def september_report(
    request: AuthenticatedRequest, year: int, slug: str
) -> HttpResponse:
    report = REPORTS.get(slug)
    if report is None:
        raise Http404("Không có báo cáo này.")
    scope = report_scope(request, year)
    unit = issuing_unit(report, scope.commune, year)
    default = default_as_of(report_deadline(report, scope.commune, year), year)
    on = _as_of(request, default, year)
    summary = september_summary(
        report,
        scope.commune,
        year,
        scope.households,
        scope.villages,
        whole_commune=scope.whole_commune,
        on=on,
    )
    subtitle = subtitle_for(summary, scope.village.name if scope.village else "")
    document = document_for(summary, unit)
    name = report.filename(year)
    output = request.GET.get("format", "html")
    if output == "xlsx":
        filters = {"Thôn, làng": scope.village.name} if scope.village else {}
        content = workbook(summary, export_info(summary, request.user, filters))
        return download(content, XLSX, f"{name}.xlsx")
    if output == "pdf":
        content = pdf(summary, subtitle, document)
        return download(content, "application/pdf", f"{name}.pdf")
    links = format_links(request)
    if on != default:
        links = {k: f"{v}&ngay={on:%d/%m/%Y}" for k, v in links.items()}
    task = unit_task(report, scope.commune, year)
    context = {
        **_context(summary, subtitle, document),
        "scope": scope,
        "links": links,
        "notes": _notes(summary),
        "as_of": on,
        "default_as_of": default,
        "issued": IssuedReport.objects.visible_to(request.user)
        .filter(commune=scope.commune, kind=report.slug, year=year)
        .order_by("-issued_at", "-pk"),
        "may_issue": may_issue(request.user, task, scope.commune)
        and scope.whole_commune,
        "next_number": next_number(scope.commune, document.symbol, clock.today()),
    }
    return render(request, "reports/september_report.html", context)
