"""What the review tables' pages and their files share: the official document's head,
the subtitle, the Excel export's record, and the detailed lists of reports 14 and 15
built once (`household_list_of`) for the screen, the PDF and the Excel file.

The lists are here rather than in review_views.py because a background job
(`build_household_list`, below; jobs.documents) builds the same files from the
same functions: the file a job leaves is the one the page would have sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.http import Http404
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone

from households import clock
from jobs.documents import refused_in_job
from jobs.models import Job
from jobs.running import Outcome, Progress, perform
from reports import excel
from reports.documents import OfficialDocument, recipients_for_report
from reports.downloads import PDF, XLSX
from reports.layouts.lists import (
    LISTS,
    ListLine,
    list_columns,
    list_lines,
    printed_list,
)
from reports.pdf import render_pdf_in_job
from reports.scope import scope_for
from reports.summaries import review
from reports.summaries.review import POOR

if TYPE_CHECKING:
    from collections.abc import Sequence

    from giamngheo.models import User
    from reports.scope import Scope

LIST_PDF_TEMPLATE = "reports/pdf/review_household_list.html"


def official_document(scope: Scope, title: str) -> OfficialDocument:
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


def export_info(user: User, scope: Scope, report: str) -> excel.ExportInfo:
    filters = {"Năm": str(scope.year), "Phạm vi": user.scope_label}
    if scope.village is not None:
        filters["Thôn, làng"] = scope.village.name
    return excel.ExportInfo(
        report=report,
        commune=str(scope.commune),
        exported_by=user.get_full_name() or user.username,
        exported_at=timezone.localtime(),
        filters=filters,
    )


def subtitle(scope: Scope) -> str:
    where = f"Xã {scope.commune.name}"
    if scope.village is not None or not scope.whole_commune:
        where += ", " + ", ".join(v.name for v in scope.villages)
    return f"{where} — số liệu rà soát đến ngày 31/12/{scope.year}"


@dataclass(frozen=True)
class HouseholdList:
    """Report 14 or 15 of a scope: its summary and what every format names it."""

    number: int
    scope: Scope
    summary: review.HouseholdList
    columns: Sequence[excel.Column]
    title: str
    filename: str  # without its extension

    @property
    def lines(self) -> int:
        """The lines of its table: one a member (the size that costs in a PDF)."""
        return sum(len(list_lines(village)) for village in self.summary.villages)

    @property
    def notes(self) -> tuple[str, ...]:
        return review.SUPPORT_NOTES


def household_list_of(scope: Scope, number: int) -> HouseholdList:
    status = LISTS.get(number)
    if status is None:
        raise Http404("Không có biểu này.")
    year = scope.year
    summary = review.household_list(
        scope.commune, year, scope.households, scope.villages, status=status
    )
    words = "hộ nghèo" if status == POOR else "hộ cận nghèo"
    slug = "ho-ngheo" if status == POOR else "ho-can-ngheo"
    return HouseholdList(
        number=number,
        scope=scope,
        summary=summary,
        columns=list_columns(status),
        title=f"Danh sách chi tiết {words} năm {year}",
        filename=f"bieu-{number}-danh-sach-{slug}-{year}",
    )


def list_context(listed: HouseholdList) -> dict[str, Any]:
    """What the page and the PDF both show."""
    scope = listed.scope
    return {
        "summary": listed.summary,
        "year": scope.year,
        "number": listed.number,
        "title": listed.title,
        "scope": scope,
        "subtitle": subtitle(scope),
        "document": official_document(scope, listed.title),
        "notes": listed.notes,
    }


def list_pdf_context(listed: HouseholdList) -> dict[str, Any]:
    return {
        **list_context(listed),
        "printed": printed_list(listed.columns, listed.summary),
    }


def list_sheet(
    listed: HouseholdList, user: User
) -> tuple[excel.Sheet, excel.ExportInfo]:
    rows: list[ListLine] = []
    for village in listed.summary.villages:
        rows.append(ListLine(household_number=village.name, heading=True))
        rows.extend(list_lines(village))
    sheet = excel.Sheet(
        title=f"Biểu {listed.number}",
        heading=listed.title.upper(),
        subtitle=subtitle(listed.scope),
        columns=listed.columns,
        rows=rows,
        notes=[
            f"Tổng số: {listed.summary.households} hộ, "
            f"{listed.summary.persons} nhân khẩu.",
            *listed.notes,
        ],
    )
    info = export_info(user, listed.scope, f"Biểu số {listed.number} — {listed.title}")
    return sheet, info


def list_xlsx(listed: HouseholdList, user: User) -> bytes:
    sheet, info = list_sheet(listed, user)
    return excel.workbook_bytes([sheet], info)


@task
def build_household_list(
    job_id: str, *, year: int, number: int, village: str, output: str
) -> None:
    """Report 14 or 15 as PDF or Excel, for the job's requester."""

    def work(job: Job, progress: Progress) -> Outcome:
        user = job.requested_by
        progress("Đang lập danh sách", 0)
        with refused_in_job(user):
            listed = household_list_of(scope_for(user, year, village), number)
        if output == "xlsx":
            progress(f"Đang ghi tệp Excel ({listed.lines} dòng)", 0)
            content, extension, kind = list_xlsx(listed, user), ".xlsx", XLSX
        else:
            progress(f"Đang dàn trang PDF ({listed.lines} dòng)", 0)
            html = render_to_string(LIST_PDF_TEMPLATE, list_pdf_context(listed))
            content, extension, kind = render_pdf_in_job(html), ".pdf", PDF
        name = listed.filename + extension
        summary = listed.summary
        return Outcome(
            message=(
                f"Đã lập tệp {name}: {summary.households} hộ, "
                f"{summary.persons} nhân khẩu."
            ),
            file_name=name,
            file_content=content,
            file_type=kind,
        )

    perform(job_id, work)
