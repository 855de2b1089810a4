"""Long documents as background jobs: a list of more than BACKGROUND_DOCUMENT_LINES
lines (reports 14 and 15, PDF or Excel; the round's decision), a PDF of more than
BACKGROUND_DOCUMENT_HOUSEHOLDS households (the round's certificates, a village's
field forms), or the register's Excel of more than BACKGROUND_EXPORT_HOUSEHOLDS, is
made by a worker, not inside the request: a commune's can pass gunicorn's 30 s
timeout.

Each document's task sits next to the function that builds it for the page
(`reports.review_documents`, `reports.certificates`, `reports.field_forms`,
`reports.procedure_documents`, `households.register_jobs`), so the file a job leaves
is the one the page would have sent. It builds it for its requester's scope read
again when it runs (a village taken away in between is refused, not printed); the
file is its requester's only (the job's page and download answer 404 to anybody
else).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import redirect

from jobs.models import JobStatus
from jobs.running import JobFailure, start

if TYPE_CHECKING:
    from django.tasks import Task

    from giamngheo.http import AuthenticatedRequest
    from giamngheo.models import User


def in_background(lines: int) -> bool:
    """Whether a list of that many table lines is made by a job."""
    return lines > settings.BACKGROUND_DOCUMENT_LINES


def many_households(count: int) -> bool:
    """Whether a PDF of a page or more a household, for that many, is made by a job."""
    return count > settings.BACKGROUND_DOCUMENT_HOUSEHOLDS


def large_export(count: int) -> bool:
    """Whether an Excel export of that many households (rows of members and reviews
    with them) is made by a job."""
    return count > settings.BACKGROUND_EXPORT_HOUSEHOLDS


def makes_file[View: Callable[..., Any]](view: View) -> View:
    """Mark a view that always answers with a file, or starts the job that makes
    one: `giamngheo.throttles.ExportThrottleMiddleware` counts it against the user's
    EXPORT_RATE (a page's `?format=pdf|xlsx` is counted without the mark)."""
    view.makes_file = True  # type: ignore[attr-defined]
    return view


def download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def file_or_job(
    request: AuthenticatedRequest,
    work: Task[..., Any],
    *,
    title: str,
    key: str,
    back_url: str,
    **kwargs: Any,
) -> HttpResponse:
    """Start the job (or find the user's same one still queued or running) and lead
    to its page. When it is done on return — the immediate backend ran it inside this
    request — its file is sent at once, as the page would have sent it."""
    job = start(
        work, title=title, by=request.user, back_url=back_url, key=key, **kwargs
    )
    if job.status == JobStatus.DONE and job.result_file:
        with job.result_file.open("rb") as stored:
            content = stored.read()
        return download(content, job.result_file_type, job.result_file_name)
    return redirect(job)


@contextmanager
def refused_in_job(user: User) -> Iterator[None]:
    """Inside a job: a locked account, or a scope the user no longer has (the 404 a
    page would answer), fails the job with its Vietnamese reason."""
    if not user.is_active:
        raise JobFailure("Tài khoản đã bị khóa: không lập tài liệu.")
    try:
        yield
    except Http404 as exc:
        raise JobFailure(str(exc)) from None
