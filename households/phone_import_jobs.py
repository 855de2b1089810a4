"""The phones' submissions import as background jobs (jobs/), as the register's
(register_jobs.py): the check of the staged export (a dry run: the preview) and, once
confirmed, its recording, both read from the copy staged by the page
(phone_import_views.py) and both through `import_submissions`, the command's code
path too. A merged commune's round brings thousands of submissions, each passed
through the review forms."""

from __future__ import annotations

from typing import Any

from django.tasks import task
from django.urls import reverse

from households.models import ReviewRound
from households.phone_import import (
    ALREADY,
    OUTCOME_LABELS,
    REJECTED,
    REVIEWED,
    SCREENED_OUT,
    SubmissionsResult,
    import_submissions,
)
from households.register_file import RegisterFileError
from households.staged_uploads import opened_staged, stored_path
from jobs.models import Job
from jobs.running import Outcome, Progress, perform

STAGING_FOLDER = "phone-imports"


def page_url(year: int, job: Job | None = None) -> str:
    """The round's import page; with a job, what that job found (its preview or
    its problems)."""
    url = reverse("households:phone_import", args=[year])
    return f"{url}?viec={job.pk}" if job is not None else url


def _preview(result: SubmissionsResult) -> dict[str, Any]:
    return {
        "file_name": result.file_name,
        "sha256": result.sha256,
        "counts": [
            ("Phiếu rà soát mới (Phiếu B)", result.count(REVIEWED)),
            ("Hộ dừng ở Phiếu A", result.count(SCREENED_OUT)),
            ("Bản gửi đã nạp trước đây (giữ nguyên)", result.count(ALREADY)),
            ("Bản gửi bị từ chối trên máy chủ (bỏ qua)", result.count(REJECTED)),
        ],
        "written": [
            {
                "number": p.number,
                "code": p.code,
                "label": OUTCOME_LABELS[p.outcome],
                "changes": p.changes,
            }
            for p in result.written
        ],
    }


@task
def check_submissions(
    job_id: str, *, token: str, suffix: str, name: str, round_id: int
) -> None:
    """The dry run of a staged export: the preview, or its problems (and the staged
    copy removed: there is nothing to confirm)."""

    def work(job: Job, progress: Progress) -> Outcome:
        path = stored_path(STAGING_FOLDER, token, suffix)
        review_round = ReviewRound.objects.select_related("commune").get(pk=round_id)
        try:
            with opened_staged(path) as stream:
                result = import_submissions(
                    stream,
                    file_name=name,
                    size=path.stat().st_size,
                    review_round=review_round,
                    by=job.requested_by,
                    dry_run=True,
                    report=progress,
                )
        except RegisterFileError as exc:
            path.unlink(missing_ok=True)
            message = f"Không nạp gì: tệp {name} có {len(exc.problems)} lỗi (xem dưới)."
            return Outcome(
                url=page_url(review_round.year, job), data=exc.shown(message)
            )
        return Outcome(url=page_url(review_round.year, job), data=_preview(result))

    perform(job_id, work)


@task
def apply_submissions(
    job_id: str, *, token: str, suffix: str, name: str, sha256: str, round_id: int
) -> None:
    """The confirmed import: the staged copy read and checked again from the start
    (it must be the file previewed), recorded in one transaction, then removed."""

    def work(job: Job, progress: Progress) -> Outcome:
        path = stored_path(STAGING_FOLDER, token, suffix)
        review_round = ReviewRound.objects.select_related("commune").get(pk=round_id)
        try:
            with opened_staged(path, sha256=sha256) as stream:
                result = import_submissions(
                    stream,
                    file_name=name,
                    size=path.stat().st_size,
                    review_round=review_round,
                    by=job.requested_by,
                    dry_run=False,
                    report=progress,
                )
        except RegisterFileError as exc:
            message = (
                f"Không nạp gì: tệp {name} có {len(exc.problems)} lỗi (sổ hộ hoặc "
                "đợt rà soát vừa thay đổi từ lúc xem trước?)."
            )
            return Outcome(
                url=page_url(review_round.year, job), data=exc.shown(message)
            )
        finally:
            path.unlink(missing_ok=True)
        return Outcome(
            url=page_url(review_round.year),
            message=f"Đã nạp {name}: {result.summary}.",
            data={"import_log": result.log.pk if result.log else None},
        )

    perform(job_id, work)
