"""manage.py clear_submitted_forms: forget the form tokens claimed more than a day
ago (households/submit_once.py). `clear_old_jobs`, on the nightly cron line, runs it
too."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from households import submit_once


class Command(BaseCommand):
    help = "Xóa các mã biểu mẫu đã gửi từ hơn một ngày trước."

    def handle(self, *args: Any, verbosity: int, **options: Any) -> None:
        count = submit_once.clear_old()
        if verbosity:
            self.stdout.write(f"Đã xóa {count} mã biểu mẫu đã gửi.")
