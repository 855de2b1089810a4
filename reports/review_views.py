"""The pages of the review tables of a year (DOMAIN.md §3.8): one summary, three
renderers.

What each report holds (its columns, their codes and the summary field under each) is
data in `reports.layouts`; the HTML table that the screen and the PDF share is
`reports.tables`, the Excel sheet `reports.excel`, all from the same columns. These
views only pick the report, read the scope and hand the summary to a renderer.

Household data is read through `Household.objects.visible_to(user)`: a village head's
report is their village's. `?village=<id>` narrows any report to one village of the
user's scope; `?format=pdf|xlsx` downloads it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from households import clock
from reports import excel
from reports.documents import OfficialDocument, recipients_for_report
from reports.downloads import XLSX, download, format_links
from reports.layouts.lists import (
    LISTS,
    ListLine,
    list_columns,
    list_lines,
    printed_list,
)
from reports.layouts.review import REPORTS
from reports.pdf import render_pdf
from reports.scope import Scope, report_scope
from reports.summaries import review
from reports.summaries.review import POOR
from reports.tables import html_table

if TYPE_CHECKING:
    from giamngheo.http import AuthenticatedRequest


def _document(scope: Scope, title: str) -> OfficialDocument:
    return OfficialDocument(
        commune=scope.commune,
        kind="Báo cáo",
        title=title,
        symbol="BC-UBND",
        date=clock.today(),
        recipients=recipients_for_report(
            scope.commune, on=clock.today(), to_district=True
        ),
    )


def _export_info(
    request: AuthenticatedRequest, scope: Scope, report: str
) -> excel.ExportInfo:
    filters = {"Năm": str(scope.year), "Phạm vi": request.user.scope_label}
    if scope.village is not None:
        filters["Thôn, làng"] = scope.village.name
    return excel.ExportInfo(
        report=report,
        commune=str(scope.commune),
        exported_by=request.user.get_full_name() or request.user.username,
        exported_at=timezone.localtime(),
        filters=filters,
    )


def _subtitle(scope: Scope) -> str:
    where = f"Xã {scope.commune.name}"
    if scope.village is not None or not scope.whole_commune:
        where += ", " + ", ".join(v.name for v in scope.villages)
    return f"{where} — số liệu rà soát đến ngày 31/12/{scope.year}"


def review_table(request: AuthenticatedRequest, year: int, number: int) -> HttpResponse:
    """Reports 1–11 of the year's review."""
    report = REPORTS.get(number)
    if report is None:
        raise Http404("Không có biểu này.")
    scope = report_scope(request, year)
    summary = report.summarise(scope)
    # Notes that depend on the data (report 10: the villages without a plan yet).
    report = replace(report, notes=(*report.notes, *getattr(summary, "notes", ())))
    columns = report.columns(summary)
    lines, totals = report.lines(summary)
    title = f"{report.title} năm {year}"
    filename = f"bieu-{report.code}-{report.filename}-{year}"
    output = request.GET.get("format", "html")
    if output == "xlsx":
        sheet = excel.Sheet(
            title=f"Biểu {report.code}",
            heading=title.upper(),
            subtitle=_subtitle(scope),
            columns=columns,
            rows=[*lines, *totals],
            notes=list(report.notes),
        )
        info = _export_info(request, scope, f"Biểu số {report.code} — {title}")
        content = excel.workbook_bytes([sheet], info)
        return download(content, XLSX, f"{filename}.xlsx")
    context = {
        "report": report,
        "summary": summary,
        "year": year,
        "scope": scope,
        "subtitle": _subtitle(scope),
        "table": html_table(
            columns,
            lines,
            totals,
            paired=report.paired,
            compact=report.compact,
        ),
        "document": _document(scope, title),
        "links": format_links(request),
    }
    if output == "pdf":
        content = render_pdf("reports/pdf/review_table.html", context)
        return download(content, "application/pdf", f"{filename}.pdf")
    return render(request, "reports/review_table.html", context)


def household_list(
    request: AuthenticatedRequest, year: int, number: int
) -> HttpResponse:
    """Reports 14 (near-poor) and 15 (poor): the detailed lists, one table a village."""
    status = LISTS.get(number)
    if status is None:
        raise Http404("Không có biểu này.")
    scope = report_scope(request, year)
    summary = review.household_list(
        scope.commune, year, scope.households, scope.villages, status=status
    )
    columns = list_columns(status)
    words = "hộ nghèo" if status == POOR else "hộ cận nghèo"
    title = f"Danh sách chi tiết {words} năm {year}"
    slug = "ho-ngheo" if status == POOR else "ho-can-ngheo"
    filename = f"bieu-{number}-danh-sach-{slug}-{year}"
    output = request.GET.get("format", "html")
    if output == "xlsx":
        rows: list[ListLine] = []
        for village in summary.villages:
            rows.append(ListLine(household_number=village.name, heading=True))
            rows.extend(list_lines(village))
        sheet = excel.Sheet(
            title=f"Biểu {number}",
            heading=title.upper(),
            subtitle=_subtitle(scope),
            columns=columns,
            rows=rows,
            notes=[
                f"Tổng số: {summary.households} hộ, {summary.persons} nhân khẩu.",
                *review.SUPPORT_NOTES,
            ],
        )
        info = _export_info(request, scope, f"Biểu số {number} — {title}")
        content = excel.workbook_bytes([sheet], info)
        return download(content, XLSX, f"{filename}.xlsx")
    context = {
        "summary": summary,
        "year": year,
        "number": number,
        "title": title,
        "scope": scope,
        "subtitle": _subtitle(scope),
        "document": _document(scope, title),
        "links": format_links(request),
        "notes": review.SUPPORT_NOTES,
    }
    if output == "pdf":
        context["printed"] = printed_list(columns, summary)
        content = render_pdf("reports/pdf/review_household_list.html", context)
        return download(content, "application/pdf", f"{filename}.pdf")
    context["tables"] = [
        (village, html_table(columns, list_lines(village), compact=True))
        for village in summary.villages
    ]
    return render(request, "reports/review_household_list.html", context)
