"""manage.py import_register IN.xlsx --commune CODE [--dry-run] [--user NAME]: bring
a register workbook into a commune, all or nothing (households/register_import.py,
the same code path as the web import)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from households.import_commands import importing_user, readable_file, refused
from households.models import Commune
from households.register_file import RegisterFileError
from households.register_import import OUTCOME_LABELS, import_register


class Command(BaseCommand):
    help = "Nạp sổ hộ từ tệp Excel (mẫu sổ hộ) vào một xã: nạp hết hoặc không nạp gì."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--commune", required=True, help="mã xã")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="chỉ kiểm tra và in những gì sẽ thay đổi, không ghi gì",
        )
        parser.add_argument(
            "--user", help="tên đăng nhập của người nạp (ghi vào nhật ký)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        commune = Commune.objects.filter(code=options["commune"]).first()
        if commune is None:
            raise CommandError(f"Không có xã mã “{options['commune']}”.")
        user = importing_user(options["user"])
        path = readable_file(options["file"])
        try:
            with path.open("rb") as stream:
                result = import_register(
                    stream,
                    file_name=path.name,
                    size=path.stat().st_size,
                    commune=commune,
                    by=user,
                    dry_run=options["dry_run"],
                )
        except RegisterFileError as exc:
            raise refused(exc) from exc
        for plan in result.changed_plans:
            self.stdout.write(f"{plan.code} ({OUTCOME_LABELS[plan.outcome]}):")
            for change in plan.changes:
                self.stdout.write(f"    {change}")
        verb = "Chạy thử, không ghi gì" if result.dry_run else "Đã nạp"
        self.stdout.write(f"{verb}: {result.summary}.")
