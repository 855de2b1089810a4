"""The September reports on the service-access targets (plan §II.2.2, §III.2.2–2.7).

Each responsible unit reports on its targets: education (1), health (3), housing (4a,
4b) and information (6) to UBND xã before 25/9; water and latrines (2, 5) to UBND huyện
before 30/9. A report states each target as the plan writes it, its value now per
village and for the commune (`targets.measurement.service_progress`, the same figures
as the targets pages), whether it is met, the gap, and who is still concerned.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from households.models import Commune, HouseholdQuerySet, Village
from reports.summaries.review import total_name
from targets.measurement import (
    Concerned,
    ServiceProgress,
    measured_on,
    service_progress,
)
from targets.models import ServiceTarget
from targets.progress import Measurement


@dataclass(frozen=True)
class SeptemberReport:
    slug: str
    subject: str  # "giáo dục" → "Báo cáo kết quả thực hiện chỉ tiêu … về giáo dục"
    codes: tuple[str, ...]
    to_district: bool = False

    @property
    def recipient(self) -> str:
        return "UBND huyện" if self.to_district else "UBND xã"

    def title(self, year: int) -> str:
        return (
            "Kết quả thực hiện chỉ tiêu tiếp cận dịch vụ xã hội cơ bản về "
            f"{self.subject} năm {year}"
        )

    def filename(self, year: int) -> str:
        return f"bao-cao-{self.slug}-{year}"


REPORTS: dict[str, SeptemberReport] = {
    r.slug: r
    for r in (
        SeptemberReport("giao-duc", "giáo dục", ("1",)),
        SeptemberReport("y-te", "y tế", ("3",)),
        SeptemberReport("nha-o", "nhà ở", ("4a", "4b")),
        SeptemberReport("thong-tin", "thông tin", ("6",)),
        SeptemberReport(
            "nuoc-ve-sinh",
            "nước sinh hoạt và nhà tiêu hợp vệ sinh",
            ("2", "5"),
            to_district=True,
        ),
    )
}


def report_for_codes(codes: Iterable[str]) -> SeptemberReport | None:
    """The report a task's targets belong to: all of them within one report."""
    wanted = set(codes)
    if not wanted:
        return None
    for report in REPORTS.values():
        if wanted <= set(report.codes):
            return report
    return None


@dataclass(frozen=True)
class FigureRow:
    """One village (or the commune) against one target."""

    number: str
    name: str
    measurement: Measurement

    @property
    def ok(self) -> int:
        return self.measurement.ok

    @property
    def total(self) -> int:
        return self.measurement.total

    @property
    def percent(self) -> Decimal | None:
        return self.measurement.percent

    @property
    def met(self) -> bool:
        return self.measurement.met

    @property
    def met_text(self) -> str:
        if not self.total:
            return "Không có đối tượng"
        return "Đạt" if self.met else "Chưa đạt"

    @property
    def gap(self) -> int:
        return self.measurement.gap


@dataclass(frozen=True)
class TargetSection:
    target: ServiceTarget
    progress: ServiceProgress
    rows: tuple[FigureRow, ...]
    total: FigureRow
    show_total: bool

    @property
    def concerned(self) -> list[Concerned]:
        return self.progress.concerned

    @property
    def gap_sentence(self) -> str:
        return self.progress.gap_sentence


@dataclass(frozen=True)
class ConcernedLine:
    """A line of the list of those concerned (Excel): the target, then the person."""

    target_code: str
    number: int
    village_name: str
    household_code: str
    name: str


@dataclass(frozen=True)
class SeptemberSummary:
    commune: Commune
    year: int
    report: SeptemberReport
    on: date
    sections: tuple[TargetSection, ...]
    missing_codes: tuple[str, ...]  # codes of the report with no target in the plan

    @property
    def figure_rows(self) -> list[tuple[TargetSection, FigureRow]]:
        return [
            (section, row)
            for section in self.sections
            for row in (*section.rows, *([section.total] if section.show_total else []))
        ]

    @property
    def concerned_lines(self) -> list[ConcernedLine]:
        return [
            ConcernedLine(
                section.target.code,
                number,
                c.village_name,
                c.household_code,
                c.name,
            )
            for section in self.sections
            for number, c in enumerate(section.concerned, start=1)
        ]


def september_summary(
    report: SeptemberReport,
    commune: Commune,
    year: int,
    households: HouseholdQuerySet,
    villages: Sequence[Village],
    *,
    whole_commune: bool = True,
    on: date | None = None,
) -> SeptemberSummary:
    targets = list(
        ServiceTarget.objects.filter(
            commune=commune, year=year, code__in=report.codes
        ).order_by("position", "code")
    )
    day = on or measured_on(year)
    sections = []
    for target in targets:
        progress = service_progress(target, households, villages, on=day)
        rows = tuple(
            FigureRow(str(n), village.name, measurement)
            for n, (village, measurement) in enumerate(progress.villages, start=1)
        )
        sections.append(
            TargetSection(
                target=target,
                progress=progress,
                rows=rows,
                total=FigureRow("", total_name(whole_commune), progress.commune),
                show_total=len(rows) > 1,
            )
        )
    found = {t.code for t in targets}
    return SeptemberSummary(
        commune=commune,
        year=year,
        report=report,
        on=day,
        sections=tuple(sections),
        missing_codes=tuple(c for c in report.codes if c not in found),
    )
