"""`manage.py seed_demo`: load the demo commune Cao Ngọc and its year 2024.

Four parts, each loaded only when missing, in one transaction: the register at the
end of 2023 (demo.register.seed_demo), the end-2024 review round
(demo.register.seed_review_round_2024) with the farm households and their medium
living standard (demo.farm_households.seed_farm_households_2024) and the regular
reviews asked for after it (demo.regular_reviews), the 2024 targets
(demo.targets.seed_targets_2024) and the units, 2024 tasks and village plans
(demo.tasks.seed_tasks_2024) with the review's reporting calendar
(demo.tasks.seed_reporting_calendar_2024), then the September reports the units issued
(demo.reports.seed_issued_reports_2024).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo import farm_households as demo_farm
from demo import register
from demo import regular_reviews as demo_regular
from demo import reports as demo_reports
from demo import surveys as demo_surveys
from demo import targets as demo_targets
from demo import tasks as demo_tasks
from households import clock
from households.models import Commune, Household
from households.transitions import NEAR_POOR_COLUMNS, POOR_COLUMNS, end_of
from households.vietnamese_numbers import format_grouped
from targets.dynamics import DynamicsRow, dynamics
from targets.measurement import poverty_progress
from targets.models import PovertyTarget
from tasks.models import PlanStatus, Task, TaskStatus


class Command(BaseCommand):
    help = (
        "Nạp dữ liệu mẫu xã Cao Ngọc (huyện Ngọc Lặc, tỉnh Thanh Hóa): 11 thôn, làng, "
        "1.229 hộ với nhân khẩu và phiếu rà soát cuối năm 2023, các tài khoản mẫu; "
        "đợt rà soát định kỳ cuối năm 2024 và chỉ tiêu giảm nghèo, tiếp cận dịch vụ "
        "xã hội cơ bản năm 2024; các đơn vị phụ trách, nhiệm vụ năm 2024 và kế hoạch "
        "giảm nghèo của các thôn. Chỉ chạy khi DEMO_MODE=True; chạy lại không thay "
        "đổi gì."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with transaction.atomic():
                result = register.seed_demo()
                round_result = register.seed_review_round_2024()
                surveys_result = demo_surveys.seed_surveys_2024()
                farm_result = demo_farm.seed_farm_households_2024()
                regular_result = demo_regular.seed_regular_reviews_2024()
                targets_result = demo_targets.seed_targets_2024()
                tasks_result = demo_tasks.seed_tasks_2024()
                # The review's reporting calendar (QĐ 24/2021 Điều 7), with the tasks.
                calendar_tasks = (
                    demo_tasks.seed_reporting_calendar_2024()
                    if tasks_result.created
                    else 0
                )
                # The reports its units sent, with the tasks that sent them.
                issued_result = (
                    demo_reports.seed_issued_reports_2024()
                    if tasks_result.created
                    else demo_reports.IssuedResult(created=False)
                )
        except register.DemoSeedError as exc:
            raise CommandError(str(exc)) from exc

        self._report_2023(result)
        self._report_2024(round_result)
        if surveys_result.table_loaded or surveys_result.screens:
            self.stdout.write(
                f"  Bảng điểm Phiếu B1 mẫu (chưa đối chiếu văn bản gốc); "
                f"{surveys_result.screens} Phiếu A dừng rà soát trong đợt 2024."
            )
        self._report_farm(farm_result)
        if regular_result.created:
            self.stdout.write(
                f"  Rà soát thường xuyên sau đợt 2024: {regular_result.awaiting} phiếu "
                "chờ Chủ tịch UBND xã quyết định công nhận, "
                f"{regular_result.unanswered} giấy đề nghị chưa rà soát."
            )
        self._report_targets(targets_result)
        self._report_tasks(tasks_result)
        if calendar_tasks:
            self.stdout.write(
                "  Lịch báo cáo rà soát năm 2024 (Điều 7 QĐ 24/2021): "
                f"{calendar_tasks} nhiệm vụ của công chức LĐ-TB&XH."
            )
        if issued_result.created:
            seconds = f"{issued_result.seconds:.1f}".replace(".", ",")
            self.stdout.write(
                f"  Báo cáo tháng 9 đã ban hành, đính kèm các lần nộp: "
                f"{issued_result.reports} ({seconds} giây)."
            )

        self.stdout.write(
            f"Tài khoản mẫu (mật khẩu chung: {settings.DEMO_PASSWORD}; chỉ đăng nhập "
            "được khi DEMO_MODE=True):"
        )
        for line in register.login_lines():
            self.stdout.write(f"  {line}")
        if clock.working_date() != register.WORKING_DATE:
            self.stdout.write(
                self.style.WARNING(
                    "Dữ liệu mẫu được dựng cho ngày làm việc "
                    f"{register.WORKING_DATE:%d/%m/%Y}: đặt DEMO_WORKING_DATE="
                    f"{register.WORKING_DATE:%d/%m/%Y} trong .env để các trang tính "
                    "hạn, quá hạn theo ngày đó (xem .env.example)."
                )
            )

    def _report_2023(self, result: register.SeedResult) -> None:
        if not result.created:
            self.stdout.write(
                f"Dữ liệu mẫu xã {register.COMMUNE_NAME} đã được nạp từ trước "
                f"(mã xã {register.COMMUNE_CODE}): không thay đổi gì."
            )
            return
        seconds = f"{result.seconds:.1f}".replace(".", ",")
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nạp dữ liệu mẫu xã {register.COMMUNE_NAME} ({seconds} giây)."
            )
        )
        self.stdout.write(
            f"  {len(result.villages)} thôn, làng; {format_grouped(result.households)} "
            f"hộ; {format_grouped(result.members)} nhân khẩu; "
            f"{format_grouped(result.households)} phiếu rà soát định kỳ cuối năm 2023; "
            f"{result.users} tài khoản mẫu."
        )
        self.stdout.write(
            f"  Kết quả rà soát: {result.poor} hộ nghèo, {result.near_poor} hộ cận "
            f"nghèo, {result.medium} hộ có mức sống trung bình, "
            f"{format_grouped(result.not_poor)} hộ không nghèo."
        )
        for village in result.villages:
            self.stdout.write(
                f"    {village.position:>2}. {village.name:<17} "
                f"{village.households:>4} hộ, {village.poor:>2} nghèo, "
                f"{village.near_poor:>2} cận nghèo"
            )

    def _report_2024(self, result: register.RoundResult) -> None:
        if not result.created:
            self.stdout.write(
                f"Đợt rà soát định kỳ năm {register.YEAR_2024} của xã "
                f"{register.COMMUNE_NAME} đã được nạp từ trước: không thay đổi gì."
            )
            return
        seconds = f"{result.seconds:.1f}".replace(".", ",")
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nạp đợt rà soát định kỳ năm {register.YEAR_2024} "
                f"({register.ROUND_OPENED_ON:%d/%m}–"
                f"{register.ROUND_CLOSED_ON:%d/%m/%Y}, {seconds} giây)."
            )
        )
        self.stdout.write(
            f"  {result.reviews} phiếu rà soát năm {register.YEAR_2024}; "
            f"{result.earlier_reviews} phiếu rà soát năm 2022 của hộ tái nghèo, tái "
            f"cận nghèo; {result.moved_in} hộ chuyển đến, {result.moved_away} hộ "
            "chuyển đi trong năm."
        )
        commune = Commune.objects.get(code=register.COMMUNE_CODE)
        villages = list(commune.villages.order_by("position"))
        table = dynamics(
            Household.objects.filter(commune=commune), villages, register.YEAR_2024
        )
        self.stdout.write(
            "  Diễn biến hộ nghèo: " + _movements(table.poor_total, POOR_COLUMNS)
        )
        self.stdout.write(
            "  Diễn biến hộ cận nghèo: "
            + _movements(table.near_poor_total, NEAR_POOR_COLUMNS)
        )

    def _report_farm(self, result: demo_farm.FarmResult) -> None:
        if not result.created:
            return
        self.stdout.write(
            f"  Hộ làm nông, lâm nghiệp: {format_grouped(result.farming)} hộ; xác định "
            f"mức sống trung bình năm {demo_farm.YEAR}: {result.recognised} hộ được "
            f"công nhận, {result.refused} hộ không đạt, {result.pending} hộ chờ "
            "công nhận."
        )

    def _report_targets(self, result: demo_targets.TargetsResult) -> None:
        if not result.created:
            self.stdout.write(
                f"Chỉ tiêu năm {demo_targets.YEAR} của xã {register.COMMUNE_NAME} đã "
                "được nạp từ trước: không thay đổi gì."
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nạp chỉ tiêu năm {demo_targets.YEAR}: giảm từ {result.poor_start} "
                f"xuống còn {result.poor_target_end} hộ nghèo (giảm "
                f"{result.poor_start - result.poor_target_end} hộ), giao cho "
                f"{len(result.allocations)} thôn, làng; {result.service_targets} chỉ "
                "tiêu tiếp cận dịch vụ xã hội cơ bản."
            )
        )
        commune = Commune.objects.get(code=register.COMMUNE_CODE)
        target = PovertyTarget.objects.get(commune=commune, year=demo_targets.YEAR)
        on: date = end_of(demo_targets.YEAR)
        progress = poverty_progress(
            demo_targets.YEAR,
            target,
            Household.objects.filter(commune=commune),
            commune.villages.order_by("position"),
            on=on,
        )
        self.stdout.write(
            f"  Hộ nghèo cuối năm {demo_targets.YEAR} so với chỉ tiêu giao "
            "(đầu năm − giảm = chỉ tiêu → cuối năm):"
        )
        for position, row in enumerate(progress.villages, start=1):
            self.stdout.write(
                f"    {position:>2}. {row.name:<17} {row.poor_start:>2} − "
                f"{row.poor_reduction} = {row.poor_target_end:>2} → "
                f"{row.poor_now:>2}: {_verdict(row.met, row.still_to_lift)}"
            )
        total = progress.total
        self.stdout.write(
            f"        Toàn xã           {total.poor_start:>2} − "
            f"{total.poor_reduction} = {total.poor_target_end:>2} → "
            f"{total.poor_now:>2}: {_verdict(total.met, total.still_to_lift)} "
            f"(tỷ lệ {_percent(total.rate_start)} % → {_percent(total.rate_now)} %)"
        )

    def _report_tasks(self, result: demo_tasks.TasksResult) -> None:
        year = demo_tasks.YEAR
        if not result.created:
            self.stdout.write(
                f"Nhiệm vụ năm {year} của xã {register.COMMUNE_NAME} đã được nạp từ "
                "trước: không thay đổi gì."
            )
            return
        seconds = f"{result.seconds:.1f}".replace(".", ",")
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nạp {result.tasks} nhiệm vụ năm {year} của {result.units} đơn vị "
                f"phụ trách ({seconds} giây)."
            )
        )
        self.stdout.write(
            "  Tình trạng: "
            + _counts(result.statuses, TaskStatus)
            + f"; {_overdue_today()} nhiệm vụ quá hạn tính đến {_today_label()}."
        )
        self.stdout.write(
            f"  Kế hoạch giảm nghèo của thôn: {_counts(result.plans, PlanStatus)}; "
            f"{result.household_plans} phương án cho hộ nghèo."
        )


def _counts(counts: dict[str, int], choices: Any) -> str:
    return ", ".join(
        f"{counts[value]} {str(label).lower()}"
        for value, label in choices.choices
        if counts.get(value)
    )


def _today_label() -> str:
    working = clock.working_date()
    if working is None:
        return "hôm nay"
    return f"ngày làm việc {working:%d/%m/%Y} của dữ liệu mẫu"


def _overdue_today() -> int:
    commune = Commune.objects.get(code=register.COMMUNE_CODE)
    return (
        Task.objects.filter(commune=commune, year=demo_tasks.YEAR)
        .overdue(clock.today())
        .count()
    )


def _movements(row: DynamicsRow, columns: dict[Any, int]) -> str:
    parts = [f"đầu kỳ {row.households[1]}"]
    for move, column in columns.items():
        sign = "−" if column <= 4 else "+"
        parts.append(f"{sign} {row.households[column]} {str(move.label).lower()}")
    return "; ".join(parts) + f"; cuối kỳ {row.households[9]}."


def _verdict(met: bool | None, still_to_lift: int | None) -> str:
    if met is None:
        return "chưa giao chỉ tiêu"
    if met:
        return "đạt"
    return f"chưa đạt (còn {still_to_lift} hộ)"


def _percent(value: object) -> str:
    return "—" if value is None else str(value).replace(".", ",")
