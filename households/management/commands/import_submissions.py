"""manage.py import_submissions IN.xlsx|IN.csv|IN.zip --commune CODE --year YEAR
[--dry-run] [--user NAME]: the phones' submissions (the export of ODK Central or
KoBoToolbox) into a commune's periodic round, all or nothing
(households/phone_import.py, the same code path as the round's import page)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from households.import_commands import importing_user, readable_file, refused
from households.models import ReviewRound
from households.phone_import import OUTCOME_LABELS, import_submissions
from households.register_file import RegisterFileError


class Command(BaseCommand):
    help = (
        "Nạp phiếu rà soát gửi từ điện thoại (tệp tải từ ODK Central hoặc "
        "KoBoToolbox) vào đợt rà soát định kỳ của một xã: nạp hết hoặc không nạp gì."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--commune", required=True, help="mã xã")
        parser.add_argument("--year", required=True, type=int, help="năm của đợt")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="chỉ kiểm tra và in những gì sẽ được ghi, không ghi gì",
        )
        parser.add_argument(
            "--user", help="tên đăng nhập của người nạp (ghi vào nhật ký)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        review_round = (
            ReviewRound.objects.select_related("commune")
            .filter(commune__code=options["commune"], year=options["year"])
            .first()
        )
        if review_round is None:
            raise CommandError(
                f"Xã mã “{options['commune']}” không có đợt rà soát năm "
                f"{options['year']}."
            )
        user = importing_user(options["user"])
        path = readable_file(options["file"])
        try:
            with path.open("rb") as stream:
                result = import_submissions(
                    stream,
                    file_name=path.name,
                    size=path.stat().st_size,
                    review_round=review_round,
                    by=user,
                    dry_run=options["dry_run"],
                )
        except RegisterFileError as exc:
            raise refused(exc) from exc
        for plan in result.written:
            self.stdout.write(
                f"{plan.code} (dòng {plan.number}, {OUTCOME_LABELS[plan.outcome]}):"
            )
            for change in plan.changes:
                self.stdout.write(f"    {change}")
        verb = "Chạy thử, không ghi gì" if result.dry_run else "Đã nạp"
        self.stdout.write(f"{verb}: {result.summary}.")
