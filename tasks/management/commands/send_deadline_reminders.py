"""`manage.py send_deadline_reminders`: the daily reminder run.

The logic is in tasks/reminders.py. Meant for cron, once a day (README, "Nhắc hạn");
running it twice sends nothing new.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from households import clock
from tasks.reminders import send_deadline_reminders


class Command(BaseCommand):
    help = (
        "Gửi thư nhắc hạn nhiệm vụ: còn 7 ngày, còn 1 ngày, quá hạn (mỗi mốc một lần) "
        "cho người thực hiện, và thư tổng hợp việc quá hạn hằng ngày cho công chức "
        "LĐ-TB&XH. Chạy mỗi ngày một lần (cron); chạy lại trong ngày không gửi thêm."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            metavar="dd/mm/yyyy",
            help="Chạy như vào ngày này (để thử hoặc gửi bù); mặc định là hôm nay.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Chỉ liệt kê thư sẽ gửi: không gửi, không ghi gì.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        on = _parse_date(options["date"]) if options["date"] else clock.today()
        run = send_deadline_reminders(on=on, dry_run=options["dry_run"])
        for line in run.lines():
            self.stdout.write(line)
        if run.failures:
            raise CommandError(
                f"{len(run.failures)} thư không gửi được; lần chạy sau sẽ gửi lại."
            )


def _parse_date(text: str) -> date:
    try:
        return datetime.strptime(text.strip(), "%d/%m/%Y").date()  # noqa: DTZ007
    except ValueError as exc:
        raise CommandError(
            f"Ngày “{text}” không hợp lệ: nhập theo dạng dd/mm/yyyy, ví dụ 24/09/2024."
        ) from exc
