"""`manage.py seed_scale`: a synthetic province to measure pages at scale.

The rows are built by demo.scale; this command reads the sizes, prints the progress,
the counts and the time. Only with DEMO_MODE=True (the officers' accounts share the
published demo password).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo import register, scale
from households.poverty import PovertyStatus
from households.vietnamese_numbers import format_grouped, format_percent


class Command(BaseCommand):
    help = (
        "Nạp một tỉnh mẫu cỡ lớn để đo tốc độ các trang: N xã (mã tinh-xa-001…), "
        "mỗi xã H hộ với nhân khẩu, phiếu rà soát định kỳ năm 2023 và 2024 trong hai "
        "đợt đã công nhận, chỉ tiêu năm 2024; tài khoản canbo_1, canbo_2… và tinh. "
        "Chỉ chạy khi DEMO_MODE=True."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--communes", type=int, required=True, help="số xã")
        parser.add_argument(
            "--households-per-commune", type=int, required=True, help="số hộ mỗi xã"
        )
        parser.add_argument(
            "--villages-per-commune",
            type=int,
            default=None,
            help="số thôn mỗi xã (mặc định: một thôn cho mỗi "
            f"{scale.HOUSEHOLDS_PER_VILLAGE} hộ)",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=scale.DEFAULT_SEED,
            help="hạt giống ngẫu nhiên: cùng hạt giống cho cùng dữ liệu",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="xóa tỉnh mẫu đã nạp (các xã tinh-xa-…) rồi nạp lại",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(
            f"Nạp tỉnh mẫu: {options['communes']} xã × "
            f"{format_grouped(options['households_per_commune'])} hộ…"
        )
        try:
            result = scale.seed_scale(
                options["communes"],
                options["households_per_commune"],
                villages_per_commune=options["villages_per_commune"],
                seed=options["seed"],
                replace=options["replace"],
                progress=self.stdout.write,
            )
        except register.DemoSeedError as exc:
            raise CommandError(str(exc)) from exc

        seconds = f"{result.seconds:.1f}".replace(".", ",")
        self.stdout.write(
            self.style.SUCCESS(f"Đã nạp tỉnh mẫu {scale.PROVINCE} ({seconds} giây).")
        )
        if result.replaced_households:
            self.stdout.write(
                f"  Đã xóa tỉnh mẫu cũ ({format_grouped(result.replaced_households)} "
                "hộ) trước khi nạp."
            )
        self.stdout.write(
            f"  {result.communes} xã; {format_grouped(result.villages)} thôn, làng; "
            f"{format_grouped(result.households)} hộ; "
            f"{format_grouped(result.members)} nhân khẩu; "
            f"{format_grouped(result.reviews)} phiếu rà soát; "
            f"{result.rounds} đợt rà soát đã công nhận; "
            f"{result.service_targets} chỉ tiêu dịch vụ; {result.users} tài khoản."
        )
        total = result.households or 1
        self.stdout.write(
            "  Kết quả rà soát năm 2024: "
            + "; ".join(
                f"{format_grouped(result.statuses[status])} "
                f"{str(status.label).lower()} "
                f"({format_percent(100 * result.statuses[status] / total)})"
                for status in (
                    PovertyStatus.POOR,
                    PovertyStatus.NEAR_POOR,
                    PovertyStatus.NOT_POOR,
                )
            )
            + "."
        )
        self.stdout.write(
            f"Tài khoản (mật khẩu chung: {settings.DEMO_PASSWORD}; chỉ đăng nhập được "
            f"khi DEMO_MODE=True): {scale.officer_username(1)}…"
            f"{scale.officer_username(result.communes)} — công chức LĐ-TB&XH của "
            f"từng xã; {scale.PROVINCE_USERNAME} — cán bộ Sở Nông nghiệp và Môi trường "
            f"tỉnh {scale.PROVINCE}: xem mọi xã của tỉnh, không sửa."
        )
