"""The province's pages (`reports.province`): its communes side by side, and the
review tables with one row per commune. A province user reads them; so does the
superuser (the province of `?tinh=`, else of the first commune). A commune's user is
refused: its page is its commune's dashboard."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from households.models import Commune
from reports import excel
from reports.downloads import XLSX, download
from reports.layouts.review import REPORTS
from reports.province import (
    ROLLED_UP,
    province_communes,
    province_overview,
    province_years,
    rolled_up,
)
from reports.tables import html_table

if TYPE_CHECKING:
    from giamngheo.http import AuthenticatedRequest


def _province_of(request: AuthenticatedRequest) -> tuple[str, list[Commune]]:
    user = request.user
    if user.is_province:
        province = user.province
    elif user.is_superuser:
        first = Commune.objects.order_by("pk").first()
        province = request.GET.get("tinh") or (first.province if first else "")
    else:
        raise PermissionDenied("Trang của cán bộ tỉnh.")
    communes = province_communes(province)
    if not communes:
        raise Http404("Tỉnh này chưa có xã nào.")
    return province, communes


def _year(request: AuthenticatedRequest, years: list[int]) -> int:
    chosen = request.GET.get("nam", "")
    return int(chosen) if chosen.isdigit() and int(chosen) in years else years[0]


def province_page(request: AuthenticatedRequest) -> HttpResponse:
    """The province user's home: one line per commune, linking to its dashboard."""
    province, communes = _province_of(request)
    year = _year(request, province_years(communes))
    overview = province_overview(province, communes, year)
    tables = [
        (REPORTS[number], reverse("reports:province_review", args=[year, number]))
        for number in ROLLED_UP
    ]
    return render(
        request,
        "reports/province.html",
        {"o": overview, "year": year, "tables": tables},
    )


def province_review(
    request: AuthenticatedRequest, year: int, number: int
) -> HttpResponse:
    """Review table `number` of the year, one row per commune of the province."""
    if number not in ROLLED_UP:
        raise Http404("Biểu này không tổng hợp theo xã.")
    province, communes = _province_of(request)
    table = rolled_up(REPORTS[number], communes, year)
    report = table.report
    title = f"{report.title} năm {year}"
    subtitle = f"Tỉnh {province} — số liệu rà soát đến ngày 31/12/{year} của các xã"
    if request.GET.get("format") == "xlsx":
        sheet = excel.Sheet(
            title=f"Biểu {report.code}",
            heading=title.upper(),
            subtitle=subtitle,
            columns=table.columns,
            rows=[*table.lines, *table.totals],
            notes=list(report.notes),
        )
        info = excel.ExportInfo(
            report=f"Biểu số {report.code} — {title}",
            commune=f"Tỉnh {province}",
            exported_by=request.user.get_full_name() or request.user.username,
            exported_at=timezone.localtime(),
            filters={"Năm": str(year), "Phạm vi": f"Các xã của tỉnh {province}"},
        )
        content = excel.workbook_bytes([sheet], info)
        filename = f"tinh-bieu-{report.code}-{report.filename}-{year}.xlsx"
        return download(content, XLSX, filename)
    return render(
        request,
        "reports/province_review.html",
        {
            "report": report,
            "year": year,
            "title": title,
            "subtitle": subtitle,
            "province": province,
            "table": html_table(
                table.columns,
                table.lines,
                table.totals,
                paired=report.paired,
                compact=report.compact,
            ),
        },
    )
