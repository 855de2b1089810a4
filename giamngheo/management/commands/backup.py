"""`manage.py backup`: the database and the uploaded files in one archive, with its
checksums (giamngheo/backup.py; README "Sao lưu và khôi phục")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from giamngheo.backup import BackupError, back_up


class Command(BaseCommand):
    help = (
        "Sao lưu cơ sở dữ liệu và tệp tải lên vào một tệp .tar (kèm mã kiểm tra "
        "sha256) trong BACKUP_DIR."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--destination",
            default="",
            help="Thư mục lưu bản sao (mặc định BACKUP_DIR).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        destination = Path(options["destination"] or settings.BACKUP_DIR)
        try:
            archive = back_up(destination)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        sidecar = archive.parent / f"{archive.name}.sha256"
        self.stdout.write(
            f"Đã sao lưu vào {archive} ({archive.stat().st_size:,} byte).\n"
            f"Mã kiểm tra: {sidecar} (kiểm tra bằng: "
            f"cd {archive.parent} && sha256sum -c {sidecar.name})."
        )
