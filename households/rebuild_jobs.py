"""Rebuilds as background jobs (jobs/): `rebuild_status_periods` started from the
admin (the Review list's "Tính lại thời kỳ phân loại"), the command's code path
(`status_history.rebuild`), so that a superuser can repair the kept periods after a
bulk load without a shell; at a province's 1,000,000 households it takes minutes.

The rebuild is one transaction (the periods are never half rebuilt): the job records
its phase and the households it covers before it and the count after it; the page
shows a moving bar meanwhile."""

from __future__ import annotations

from django.tasks import task
from django.utils.formats import number_format

from households import status_history
from households.models import Review
from jobs.models import Job
from jobs.running import Outcome, Progress, perform

REBUILD_KEY = "households:rebuild_status_periods"


def grouped(number: int) -> str:
    """1.439, as the pages write it (the worker has no request to localise)."""
    return number_format(number, force_grouping=True)


@task
def rebuild_status_periods(job_id: str) -> None:
    def work(job: Job, progress: Progress) -> Outcome:
        households = (
            Review.objects.values_list("household_id", flat=True)
            .order_by()
            .distinct()
            .count()
        )
        counted = grouped(households)
        progress(f"Đang tính lại thời kỳ phân loại của {counted} hộ", 0)
        count = status_history.rebuild()
        progress("Đã tính lại", households, households)
        return Outcome(
            message=(
                f"Đã tính lại: {grouped(count)} thời kỳ phân loại của {counted} hộ có "
                "phiếu rà soát."
            )
        )

    perform(job_id, work)
