"""manage.py merge_communes: merge communes into a new or an existing one on a date
(households/mergers.py), e.g. since 01/07/2025 xã Cao Ngọc into xã Minh Sơn:

    manage.py merge_communes --into minh-son --on 2025-07-01 cao-ngoc minh-tien
    manage.py merge_communes --create --into minh-son-moi --name "Minh Sơn" \\
        --on 2025-07-01 cao-ngoc minh-son

`--dry-run` says what would move and writes nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from households.mergers import MergerRefused, merge, plan_merger
from households.models import Commune


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"Ngày “{text}” không đúng dạng NĂM-THÁNG-NGÀY.") from error


class Command(BaseCommand):
    help = "Sáp nhập các xã vào một xã mới hoặc một xã đã có, từ một ngày."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("former", nargs="+", help="mã các xã được sáp nhập")
        parser.add_argument("--into", required=True, help="mã xã sau sáp nhập")
        parser.add_argument("--on", required=True, help="ngày sáp nhập, YYYY-MM-DD")
        parser.add_argument(
            "--create", action="store_true", help="tạo xã mới với mã --into"
        )
        parser.add_argument("--name", default="", help="tên xã mới (với --create)")
        parser.add_argument(
            "--dry-run", action="store_true", help="chỉ nói sẽ chuyển gì, không ghi"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        on = _date(options["on"])
        codes = options["former"]
        formers = {c.code: c for c in Commune.objects.filter(code__in=codes)}
        missing = [code for code in codes if code not in formers]
        if missing:
            raise CommandError("Không có xã mã: " + ", ".join(missing) + ".")
        former_list = [formers[code] for code in codes]
        if options["create"]:
            if not options["name"]:
                raise CommandError("Với --create, cho tên xã mới bằng --name.")
            first = former_list[0]
            into = Commune(
                name=options["name"],
                code=options["into"],
                district=first.district,
                province=first.province,
                is_urban=first.is_urban,
                region=first.region,
            )
        else:
            found = Commune.objects.filter(code=options["into"]).first()
            if found is None:
                raise CommandError(
                    f"Không có xã mã “{options['into']}”: thêm --create --name "
                    "“…” để tạo xã mới."
                )
            into = found
        try:
            plan = plan_merger(
                formers=former_list, into=into, on=on, creates=options["create"]
            )
            for line in plan.describe():
                self.stdout.write(line)
            if options["dry_run"]:
                self.stdout.write("Chạy thử: chưa ghi gì.")
                return
            merge(plan, by="manage.py merge_communes")
        except MergerRefused as refused:
            raise CommandError(str(refused)) from refused
        self.stdout.write(f"Đã sáp nhập vào xã {into.name}.")
