"""`manage.py create_reporting_calendar`: the review's reporting calendar of a year
(QĐ 24/2021/QĐ-TTg Điều 7) as tasks of the commune's LĐ-TB&XH officer.

The logic is in tasks/reporting_calendar.py; running it twice creates nothing new.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from households import clock
from households.models import Commune
from tasks.models import Unit
from tasks.reporting_calendar import create_reporting_tasks, reporting_deadlines


class Command(BaseCommand):
    help = (
        "Tạo các nhiệm vụ báo cáo rà soát hộ nghèo, hộ cận nghèo của năm theo Điều 7 "
        "Quyết định 24/2021/QĐ-TTg: báo cáo rà soát thường xuyên hằng tháng (ngày 05, "
        "tháng 2 đến tháng 9), báo cáo sơ bộ (15/11) và chính thức (20/12). Chạy lại "
        "không tạo thêm nhiệm vụ đã có."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--xa", required=True, help="Mã xã.")
        parser.add_argument(
            "--nam", type=int, help="Năm của lịch báo cáo; mặc định là năm nay."
        )
        parser.add_argument(
            "--don-vi",
            default="ldtbxh",
            help="Mã đơn vị thực hiện (mặc định: ldtbxh, công chức LĐ-TB&XH).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        commune = Commune.objects.filter(code=options["xa"]).first()
        if commune is None:
            raise CommandError(f"Không có xã mã {options['xa']}.")
        unit = Unit.objects.filter(commune=commune, slug=options["don_vi"]).first()
        if unit is None:
            raise CommandError(
                f"Xã {commune.name} chưa có đơn vị mã {options['don_vi']}: tạo đơn "
                "vị trước, hoặc chọn đơn vị khác bằng --don-vi."
            )
        year = options["nam"] or clock.today().year
        created = create_reporting_tasks(commune, year, unit)
        total = len(reporting_deadlines(year))
        self.stdout.write(
            f"Lịch báo cáo rà soát năm {year} của xã {commune.name}: đã tạo "
            f"{len(created)} nhiệm vụ, {total - len(created)} nhiệm vụ đã có từ trước."
        )
        for task in created:
            self.stdout.write(f"  {task.deadline_text}: {task.title}")
