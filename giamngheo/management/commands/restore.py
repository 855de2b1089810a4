"""`manage.py restore FILE`: a backup made by `manage.py backup`, into an empty
install, refused when a checksum does not match (giamngheo/backup.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS

from giamngheo.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Khôi phục một bản sao lưu (tệp .tar của `backup`) vào một bản cài mới: cơ sở "
        "dữ liệu trống hoặc vừa migrate, thư mục tệp tải lên trống."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="Tệp sao lưu giamngheo-….tar")
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help="Cơ sở dữ liệu đích (tên trong DATABASES; mặc định default).",
        )
        parser.add_argument(
            "--media-root",
            default="",
            help="Thư mục tệp tải lên đích (mặc định MEDIA_ROOT).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            restored = restore(
                Path(options["archive"]),
                using=options["database"],
                media_root=Path(options["media_root"] or settings.MEDIA_ROOT),
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Đã khôi phục {restored.archive.name}: {restored.tables} bảng, "
            f"{restored.rows:,} dòng, {restored.files} tệp tải lên; mọi bảng và mọi "
            "tệp khớp mã kiểm tra của bản sao lưu."
        )
