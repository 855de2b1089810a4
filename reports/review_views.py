"""The pages of the review tables of a year (DOMAIN.md §3.8): one summary, three
renderers.

What each report holds (its columns, their codes and the summary field under each) is
data in `reports.layouts`; the HTML table that the screen and the PDF share is
`reports.tables`, the Excel sheet `reports.excel`, all from the same columns. These
views only pick the report, read the scope and hand the summary to a renderer.

Household data is read through `Household.objects.visible_to(user)`: a village head's
report is their village's. `?village=<id>` narrows any report to one village of the
user's scope; `?format=pdf|xlsx` downloads it — a long list's file through a
background job (`jobs.documents`), built by the same functions.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from jobs.documents import file_or_job, in_background
from reports import excel
from reports.downloads import PDF, XLSX, download, format_links
from reports.layouts.lists import list_lines
from reports.layouts.review import REPORTS
from reports.pdf import cached_pdf, render_pdf
from reports.review_documents import (
    LIST_PDF_TEMPLATE,
    build_household_list,
    export_info,
    household_list_of,
    list_context,
    list_pdf_context,
    list_xlsx,
    official_document,
    subtitle,
)
from reports.scope import report_scope
from reports.tables import html_table

if TYPE_CHECKING:
    from giamngheo.http import AuthenticatedRequest


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
            subtitle=subtitle(scope),
            columns=columns,
            rows=[*lines, *totals],
            notes=list(report.notes),
        )
        info = export_info(request.user, scope, f"Biểu số {report.code} — {title}")
        content = excel.workbook_bytes([sheet], info)
        return download(content, XLSX, f"{filename}.xlsx")
    context = {
        "report": report,
        "summary": summary,
        "year": year,
        "scope": scope,
        "subtitle": subtitle(scope),
        "table": html_table(
            columns,
            lines,
            totals,
            paired=report.paired,
            compact=report.compact,
        ),
        "document": official_document(scope, title),
        "links": format_links(request),
    }
    if output == "pdf":
        content = render_pdf("reports/pdf/review_table.html", context)
        return download(content, PDF, f"{filename}.pdf")
    return render(request, "reports/review_table.html", context)


def household_list(
    request: AuthenticatedRequest, year: int, number: int
) -> HttpResponse:
    """Reports 14 (near-poor) and 15 (poor): the detailed lists, one table a village.
    A long one's PDF or Excel file is made by a background job (`jobs.documents`),
    unless the PDF cache already holds it."""
    scope = report_scope(request, year)
    listed = household_list_of(scope, number)
    output = request.GET.get("format", "html")
    if output in ("pdf", "xlsx") and in_background(listed.lines):
        if output == "pdf":
            html = render_to_string(LIST_PDF_TEMPLATE, list_pdf_context(listed))
            cached = cached_pdf(html)
            if cached is not None:
                return download(cached, PDF, f"{listed.filename}.pdf")
        village = str(scope.village.pk) if scope.village else ""
        where = scope.village.name if scope.village else f"xã {scope.commune.name}"
        kind = "PDF" if output == "pdf" else "Excel"
        return file_or_job(
            request,
            build_household_list,
            title=f"Biểu số {number}: {listed.title} — {where} ({kind})",
            key=f"reports:household_list:{year}:{number}:{village}:{output}",
            back_url=request.path + (f"?village={village}" if village else ""),
            year=year,
            number=number,
            village=village,
            output=output,
        )
    if output == "xlsx":
        return download(
            list_xlsx(listed, request.user), XLSX, f"{listed.filename}.xlsx"
        )
    if output == "pdf":
        content = render_pdf(LIST_PDF_TEMPLATE, list_pdf_context(listed))
        return download(content, PDF, f"{listed.filename}.pdf")
    context = {
        **list_context(listed),
        "links": format_links(request),
        "in_background": in_background(listed.lines),
        "tables": [
            (village, html_table(listed.columns, list_lines(village), compact=True))
            for village in listed.summary.villages
        ],
    }
    return render(request, "reports/review_household_list.html", context)
