"""manage.py clear_old_jobs: remove the background jobs finished more than
JOBS_KEPT_DAYS days ago (`--days` to say otherwise), their result files, the
database backend's task results and the uploads left unconfirmed
(STAGED_UPLOAD_FOLDERS) of the same age, from cron (README "Việc chạy nền").

Django's tasks framework schedules nothing by itself, so the worker cannot run this
every night; a cron line does. Jobs still queued or running are left alone: the
worker may still take them."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.tasks import task_backends
from django.utils import timezone
from django_tasks_db import DatabaseBackend

from jobs.models import Job, JobStatus


def _clear_staged(cutoff: datetime) -> int:
    """Remove the uploads staged before `cutoff` that nobody confirmed."""
    removed = 0
    for folder in settings.STAGED_UPLOAD_FOLDERS:
        for path in (Path(settings.MEDIA_ROOT) / folder).glob("*"):
            if path.is_file() and path.stat().st_mtime < cutoff.timestamp():
                path.unlink(missing_ok=True)
                removed += 1
    return removed


class Command(BaseCommand):
    help = "Xóa các việc chạy nền đã xong từ lâu và tệp kết quả của chúng."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=settings.JOBS_KEPT_DAYS,
            help="Xóa việc xong trước số ngày này (mặc định JOBS_KEPT_DAYS).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Chỉ đếm, không xóa gì."
        )

    def handle(self, *args: Any, days: int, dry_run: bool, **options: Any) -> None:
        cutoff = timezone.now() - timedelta(days=days)
        old = Job.objects.filter(
            status__in=(JobStatus.DONE, JobStatus.FAILED), finished_at__lt=cutoff
        )
        count = old.count()
        files = 0
        if not dry_run:
            for job in old.exclude(result_file="").iterator():
                job.result_file.delete(save=False)
                files += 1
            old.delete()
            files += _clear_staged(cutoff)
            # The nightly cron line already runs this command: it clears the used
            # form tokens too (households/submit_once.py), called by name so that
            # jobs, the lowest layer, imports nothing above it.
            call_command("clear_submitted_forms", verbosity=0, stdout=self.stdout)
            if isinstance(task_backends["default"], DatabaseBackend):
                call_command(
                    "prune_db_task_results",
                    min_age_days=days,
                    verbosity=0,
                    stdout=self.stdout,
                )
        verb = "Sẽ xóa" if dry_run else "Đã xóa"
        self.stdout.write(
            f"{verb} {count} việc chạy nền xong trước "
            f"{timezone.localtime(cutoff):%d/%m/%Y %H:%M}"
            + ("" if dry_run else f" ({files} tệp kết quả hoặc tệp tải lên bỏ dở).")
        )
