"""`manage.py seed_demo`: load the demo commune Cao Ngọc (households/demo.py)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from households import demo
from households.poverty import format_vnd


class Command(BaseCommand):
    help = (
        "Nạp dữ liệu mẫu xã Cao Ngọc (huyện Ngọc Lặc, tỉnh Thanh Hóa): 11 thôn, làng, "
        "1.229 hộ với nhân khẩu và phiếu rà soát cuối năm 2023, cùng các tài khoản "
        "mẫu. Chỉ chạy khi DEMO_MODE=True; chạy lại không thay đổi gì."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = demo.seed_demo()
        except demo.DemoSeedError as exc:
            raise CommandError(str(exc)) from exc

        if result.created:
            seconds = f"{result.seconds:.1f}".replace(".", ",")
            self.stdout.write(
                self.style.SUCCESS(
                    f"Đã nạp dữ liệu mẫu xã {demo.COMMUNE_NAME} ({seconds} giây)."
                )
            )
            self.stdout.write(
                f"  {len(result.villages)} thôn, làng; {format_vnd(result.households)} "
                f"hộ; {format_vnd(result.members)} nhân khẩu; "
                f"{format_vnd(result.households)} phiếu rà soát định kỳ cuối năm 2023; "
                f"{result.users} tài khoản mẫu."
            )
            self.stdout.write(
                f"  Kết quả rà soát: {result.poor} hộ nghèo, {result.near_poor} hộ cận "
                f"nghèo, {result.medium} hộ có mức sống trung bình, "
                f"{format_vnd(result.not_poor)} hộ không nghèo."
            )
            for village in result.villages:
                self.stdout.write(
                    f"    {village.position:>2}. {village.name:<17} "
                    f"{village.households:>4} hộ, {village.poor:>2} nghèo, "
                    f"{village.near_poor:>2} cận nghèo"
                )
        else:
            self.stdout.write(
                f"Dữ liệu mẫu xã {demo.COMMUNE_NAME} đã được nạp từ trước "
                f"(mã xã {demo.COMMUNE_CODE}): không thay đổi gì."
            )

        self.stdout.write(
            f"Tài khoản mẫu (mật khẩu chung: {settings.DEMO_PASSWORD}; chỉ đăng nhập "
            "được khi DEMO_MODE=True):"
        )
        for line in demo.login_lines():
            self.stdout.write(f"  {line}")
