"""manage.py load_public_holidays FILE.csv: add or update the table of public
holidays from a CSV file (see households/holidays_file.py); nothing is written when
one line is wrong, and loading the same file again changes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from households.holidays import load_public_holidays
from households.holidays_file import HolidaysFileError, read_holidays_file


class Command(BaseCommand):
    help = "Nạp bảng ngày nghỉ lễ, tết từ tệp CSV (households/data/ngay-nghi-le-*.csv)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Không có tệp {path}.")
        try:
            rows = read_holidays_file(path.read_bytes())
        except HolidaysFileError as exc:
            raise CommandError(
                f"Chưa nạp tệp {path.name}, không ghi ngày nào:\n"
                + "\n".join(f"  - {p}" for p in exc.problems)
            ) from exc
        self.stdout.write(str(load_public_holidays(rows)))
