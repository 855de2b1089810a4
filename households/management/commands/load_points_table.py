"""manage.py load_points_table FILE.xlsx: load a Phiếu B1 points table as a new
version of its standard, region and area (see households/points_file.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from households.points_file import PointsFileError
from households.survey_actions import load_points_file


class Command(BaseCommand):
    help = "Nạp bảng điểm Phiếu B1 từ tệp Excel của tỉnh."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Không có tệp {path}.")
        try:
            with path.open("rb") as stream:
                table = load_points_file(stream, file_name=path.name)
        except PointsFileError as exc:
            raise CommandError(
                "Chưa nạp bảng điểm:\n" + "\n".join(f"  - {p}" for p in exc.problems)
            ) from exc
        self.stdout.write(
            f"Đã nạp “{table.name}” ({table.key_label}): "
            f"{table.rows.count()} dòng điểm."
            + (f" {table.mark}." if table.mark else "")
        )
