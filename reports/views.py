"""Reports: one summary, three renderers (HTML, PDF, Excel).

Household data is read through `Household.objects.visible_to(user)`: a village head's
report is their village's."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from households import clock
from households.forms import villages_for
from households.models import Household, ReviewRound
from households.views import commune_of
from reports import excel
from reports.documents import OfficialDocument
from reports.downloads import XLSX, download
from reports.pdf import render_pdf
from reports.summaries.appendix import Appendix01, appendix_01
from targets.models import PovertyTarget

if TYPE_CHECKING:
    from giamngheo.http import AuthenticatedRequest


def report_index(request: AuthenticatedRequest) -> HttpResponse:
    """The reports of a year: `?nam=` or the latest year that has a poverty target."""
    commune = commune_of(request)
    years = sorted(
        set(
            PovertyTarget.objects.filter(commune=commune).values_list("year", flat=True)
        )
        | set(
            ReviewRound.objects.filter(commune=commune).values_list("year", flat=True)
        ),
        reverse=True,
    ) or [clock.today().year]
    chosen = request.GET.get("nam", "")
    year = int(chosen) if chosen.isdigit() and int(chosen) in years else years[0]
    return render(request, "reports/report_index.html", {"year": year, "years": years})


def _appendix_01_sheet(summary: Appendix01) -> excel.Sheet:
    c = excel.Column
    columns = [
        c("STT", "A", lambda r: r.number, width=6),
        c("Tên thôn, làng", "B", lambda r: r.name, width=24),
        c("Tổng số hộ đầu năm", "1", lambda r: r.households, excel.INTEGER),
        c("Số hộ nghèo", "2", lambda r: r.poor_start, excel.INTEGER, group="Đầu năm"),
        c(
            "Tỷ lệ (%)",
            "3 = 2/1×100",
            lambda r: r.rate_start,
            excel.PERCENT_2,
            group="Đầu năm",
        ),
        c(
            "Chỉ tiêu giảm hộ nghèo (hộ)",
            "4",
            lambda r: r.reduction,
            excel.INTEGER,
            width=14,
        ),
        c(
            "Số hộ nghèo",
            "5 = 2 − 4",
            lambda r: r.poor_target_end,
            excel.INTEGER,
            group="Cuối năm (chỉ tiêu)",
        ),
        c(
            "Tỷ lệ (%)",
            "6 = 5/1×100",
            lambda r: r.rate_target,
            excel.PERCENT_2,
            group="Cuối năm (chỉ tiêu)",
        ),
        c("Tỷ lệ giảm (%)", "7 = 3 − 6", lambda r: r.rate_reduction, excel.PERCENT_2),
    ]
    return excel.Sheet(
        title="Phụ lục 01",
        heading=f"GIAO CHỈ TIÊU GIẢM NGHÈO NĂM {summary.year}",
        subtitle=(
            f"Xã {summary.commune.name} — số hộ đầu năm theo kết quả rà soát đến "
            f"{summary.baseline_date:%d/%m/%Y}"
        ),
        columns=columns,
        rows=summary.rows,
        total=summary.total if len(summary.rows) > 1 else None,
    )


def appendix_01_view(request: AuthenticatedRequest, year: int) -> HttpResponse:
    commune = commune_of(request)
    villages = list(villages_for(request.user).filter(commune=commune))
    households = Household.objects.visible_to(request.user).filter(commune=commune)
    summary = appendix_01(
        commune,
        year,
        households,
        villages,
        whole_commune=not request.user.is_village_head,
    )
    output = request.GET.get("format", "html")
    filename = f"phu-luc-01-giao-chi-tieu-giam-ngheo-{year}"
    if output == "xlsx":
        info = excel.ExportInfo(
            report=f"Phụ lục 01 — Giao chỉ tiêu giảm nghèo năm {year}",
            commune=str(commune),
            exported_by=request.user.get_full_name() or request.user.username,
            exported_at=timezone.localtime(),
            filters={"Năm": str(year), "Phạm vi": request.user.scope_label},
        )
        content = excel.workbook_bytes([_appendix_01_sheet(summary)], info)
        return download(content, XLSX, f"{filename}.xlsx")
    context = {
        "summary": summary,
        "year": year,
        "document": OfficialDocument(
            commune=commune,
            kind="Phụ lục số 01",
            title=f"Giao chỉ tiêu giảm nghèo năm {year}",
            symbol="KH-UBND",
            date=clock.today(),
        ),
    }
    if output == "pdf":
        content = render_pdf("reports/pdf/appendix_01.html", context)
        return download(content, "application/pdf", f"{filename}.pdf")
    return render(request, "reports/appendix_01.html", context)
