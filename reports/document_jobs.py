"""Long documents as background jobs (jobs/): a list of more than
BACKGROUND_DOCUMENT_LINES lines asked for as PDF or Excel is made by a worker, not
inside the request (a commune's list can pass gunicorn's 30 s timeout).

The job builds the file with the functions the page uses (`reports.review_documents`),
for its requester's scope read again when it runs: a village taken away from the
user in between is refused, not printed. Its file is its requester's only (the
job's page and its download answer 404 to anybody else).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.tasks import task
from django.template.loader import render_to_string

from jobs.models import Job, JobStatus
from jobs.running import JobFailure, Outcome, Progress, perform, start
from reports.downloads import PDF, XLSX, download
from reports.pdf import render_pdf_in_job
from reports.review_documents import (
    LIST_PDF_TEMPLATE,
    household_list_of,
    list_pdf_context,
    list_xlsx,
)
from reports.scope import scope_for

if TYPE_CHECKING:
    from typing import Any

    from django.tasks import Task

    from giamngheo.http import AuthenticatedRequest


def in_background(lines: int) -> bool:
    """Whether a document of that many table lines is made by a job."""
    return lines > settings.BACKGROUND_DOCUMENT_LINES


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


@task
def build_household_list(
    job_id: str, *, year: int, number: int, village: str, output: str
) -> None:
    """Report 14 or 15 as PDF or Excel, for the job's requester."""

    def work(job: Job, progress: Progress) -> Outcome:
        user = job.requested_by
        if not user.is_active:
            raise JobFailure("Tài khoản đã bị khóa: không lập tài liệu.")
        progress("Đang lập danh sách", 0)
        try:
            listed = household_list_of(scope_for(user, year, village), number)
        except Http404 as exc:
            raise JobFailure(str(exc)) from None
        where = f"{listed.summary.households} hộ, {listed.summary.persons} nhân khẩu"
        if output == "xlsx":
            progress(f"Đang ghi tệp Excel ({listed.lines} dòng)", 0)
            content, name, kind = list_xlsx(listed, user), ".xlsx", XLSX
        else:
            progress(f"Đang dàn trang PDF ({listed.lines} dòng)", 0)
            html = render_to_string(LIST_PDF_TEMPLATE, list_pdf_context(listed))
            content, name, kind = render_pdf_in_job(html), ".pdf", PDF
        file_name = listed.filename + name
        return Outcome(
            message=f"Đã lập tệp {file_name}: {where}.",
            file_name=file_name,
            file_content=content,
            file_type=kind,
        )

    perform(job_id, work)
