"""The page of a job: its progress while it runs (htmx polls a fragment; without
JavaScript the page refreshes itself), then its result or its error; and the user's
own recent jobs, with their results ("Việc chạy nền của tôi")."""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET
from django_htmx.http import HttpResponseClientRedirect

from jobs.models import Job, JobStatus

if TYPE_CHECKING:
    from giamngheo.http import AuthenticatedRequest


# The list shows the latest ones; `manage.py clear_old_jobs` removes the old ones.
MY_JOBS_SHOWN = 100


@require_GET
def my_jobs(request: AuthenticatedRequest) -> HttpResponse:
    """The user's own jobs, the latest first: a superuser too sees only his own here
    (everybody's are in the admin). While one runs, htmx refreshes the list."""
    mine = Job.objects.filter(requested_by=request.user).order_by("-created_at")
    jobs = list(mine[:MY_JOBS_SHOWN])
    more = mine.count() - MY_JOBS_SHOWN if len(jobs) == MY_JOBS_SHOWN else 0
    context = {
        "jobs": jobs,
        "running": any(not job.is_finished for job in jobs),
        "more": more,
        "kept_days": settings.JOBS_KEPT_DAYS,
    }
    template = "jobs/my_jobs.html#list" if request.htmx else "jobs/my_jobs.html"
    return render(request, template, context)


def _job_of(request: AuthenticatedRequest, pk: UUID) -> Job:
    return get_object_or_404(Job.objects.visible_to(request.user), pk=pk)


@require_GET
def job_detail(request: AuthenticatedRequest, pk: UUID) -> HttpResponse:
    job = _job_of(request, pk)
    if job.status == JobStatus.DONE and job.result_url and not job.message:
        return redirect(job.result_url)
    return render(request, "jobs/job_detail.html", {"job": job})


@require_GET
def job_progress(request: AuthenticatedRequest, pk: UUID) -> HttpResponse:
    """The progress fragment; once the job is finished, the whole page again."""
    job = _job_of(request, pk)
    if job.is_finished:
        return HttpResponseClientRedirect(job.get_absolute_url())
    return render(request, "jobs/job_detail.html#progress", {"job": job})


@require_GET
def job_download(request: AuthenticatedRequest, pk: UUID) -> FileResponse:
    job = _job_of(request, pk)
    if job.status != JobStatus.DONE or not job.result_file:
        raise Http404("Việc này không có tệp kết quả.")
    return FileResponse(
        job.result_file.open("rb"),
        as_attachment=True,
        filename=job.result_file_name or job.result_file.name.rsplit("/", 1)[-1],
        content_type=job.result_file_type or None,
    )
