"""manage.py rebuild_status_periods: every household's status periods rebuilt from
its reviews (households/status_history.py), after a write that bypassed the signals
that keep them (a bulk load, an SQL fix) — or to check: the kept rows and a rebuild
never differ."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from households import status_history


class Command(BaseCommand):
    help = "Tính lại các thời kỳ phân loại của mọi hộ từ các phiếu rà soát."

    def handle(self, *args: Any, **options: Any) -> None:
        count = status_history.rebuild()
        self.stdout.write(f"Đã tính lại: {count} thời kỳ phân loại.")
