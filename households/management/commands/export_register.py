"""manage.py export_register --commune CODE OUT.xlsx [--village ID]: the register
of a commune (or one village) in the register workbook (register_workbook.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from households.models import Commune, Household
from households.register_workbook import export_register


class Command(BaseCommand):
    help = "Xuất sổ hộ của một xã (hoặc một thôn) ra tệp Excel theo mẫu sổ hộ."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out", type=Path)
        parser.add_argument("--commune", required=True, help="mã xã")
        parser.add_argument("--village", type=int, help="mã số (id) của thôn")

    def handle(self, *args: Any, **options: Any) -> None:
        commune = Commune.objects.filter(code=options["commune"]).first()
        if commune is None:
            raise CommandError(f"Không có xã mã “{options['commune']}”.")
        households = Household.objects.filter(commune=commune)
        village = None
        if options["village"] is not None:
            village = commune.villages.filter(pk=options["village"]).first()
            if village is None:
                raise CommandError(
                    f"Xã {commune.name} không có thôn mã số {options['village']}."
                )
            households = households.filter(village=village)
        out: Path = options["out"]
        out.write_bytes(
            export_register(
                households, commune=commune, village=village, exported_by="manage.py"
            )
        )
        self.stdout.write(
            f"Đã xuất {households.count()} hộ của xã {commune.name}"
            + (f", {village.name}" if village else "")
            + f" vào {out}."
        )
