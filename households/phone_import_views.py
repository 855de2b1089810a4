"""The round's page for bringing in the phones' submissions: upload the export of
ODK Central or KoBoToolbox → checked by a background job → a preview of what would be
recorded (nothing written) → confirm → recorded in one transaction by another job
(households/phone_import.py, phone_import_jobs.py)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from households import staged_uploads
from households.models import ImportKind, ImportLog, ReviewRound
from households.phone_import import round_refusal
from households.phone_import_jobs import (
    STAGING_FOLDER,
    apply_submissions,
    check_submissions,
    page_url,
)
from households.register_import import sha256_of
from households.register_views import clean_file_name
from households.submit_once import submit_once
from households.views import commune_of
from jobs.models import Job, JobStatus
from jobs.running import start

if TYPE_CHECKING:
    from giamngheo.http import AuthenticatedRequest

SESSION_KEY = "phone_import"
NOTHING_STAGED = "Không có tệp nào đang chờ xác nhận: chọn lại tệp."
TEMPLATE = "households/phone_import.html"


class SubmissionsFileForm(forms.Form):
    file = forms.FileField(
        label="Tệp bản gửi tải từ máy chủ (.xlsx, .csv hoặc .zip)",
        error_messages={
            "required": "Chọn tệp dữ liệu tải từ KoBoToolbox hoặc ODK Central.",
            "empty": "Tệp rỗng (0 byte).",
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.zip"}),
    )


def _page(
    request: AuthenticatedRequest,
    review_round: ReviewRound,
    form: SubmissionsFileForm,
    problems: list[str] | None = None,
    more_problems: int = 0,
) -> HttpResponse:
    logs = ImportLog.objects.filter(
        commune=review_round.commune, kind=ImportKind.PHONE
    ).select_related("imported_by")
    return render(
        request,
        TEMPLATE,
        {
            "review_round": review_round,
            "form": form,
            "refusal": round_refusal(review_round),
            "problems": problems or [],
            "more_problems": more_problems,
            "logs": logs[:20],
        },
    )


@submit_once
def phone_import(request: AuthenticatedRequest, year: int) -> HttpResponse:
    """GET: the upload form and the imports made; `?viec=<job>` what a check or an
    import job found (the preview, or the file's problems). POST: the upload, staged
    and checked by a background job; with `action=confirm` and the preview's token,
    the recording, by another job."""
    if not (request.user.is_superuser or request.user.is_officer):
        raise PermissionDenied(
            "Chỉ công chức LĐ-TB&XH được nạp phiếu rà soát từ điện thoại."
        )
    review_round = get_object_or_404(
        ReviewRound.objects.select_related("commune"),
        commune=commune_of(request),
        year=year,
    )
    if request.method != "POST":
        if "viec" in request.GET:
            return _job_found(request, review_round, request.GET["viec"])
        return _page(request, review_round, SubmissionsFileForm())
    if request.POST.get("action") == "confirm":
        return _confirm(request, review_round)
    form = SubmissionsFileForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, review_round, form)
    upload = form.cleaned_data["file"]
    name = clean_file_name(upload.name)
    token = staged_uploads.stage(
        request,
        key=SESSION_KEY,
        folder=STAGING_FOLDER,
        upload=upload,
        name=name,
        sha256=sha256_of(upload),
        scope={"round": review_round.pk},
    )
    kept = request.session[SESSION_KEY]
    job = start(
        check_submissions,
        title=f"Kiểm tra tệp phiếu từ điện thoại {name}",
        by=request.user,
        back_url=page_url(year),
        token=token,
        suffix=kept["suffix"],
        name=name,
        round_id=review_round.pk,
    )
    kept["job"] = str(job.pk)
    request.session.modified = True
    return redirect(job)


def _staged_job(request: AuthenticatedRequest, review_round: ReviewRound) -> str:
    kept = request.session.get(SESSION_KEY) or {}
    if kept.get("scope") != {"round": review_round.pk}:
        return ""
    return kept.get("job", "")


def _job_found(
    request: AuthenticatedRequest, review_round: ReviewRound, job_id: str
) -> HttpResponse:
    """The preview a check job made of the staged file, or the problems a check or
    an import job found."""
    try:
        pk = uuid.UUID(job_id)
    except ValueError:
        raise Http404("Không có việc này.") from None
    job = get_object_or_404(Job.objects.visible_to(request.user), pk=pk)
    if not job.is_finished:
        return redirect(job)
    found = job.result if isinstance(job.result, dict) else {}
    staged = _staged_job(request, review_round) == str(job.pk)
    if "counts" in found:
        if not staged:
            messages.error(request, NOTHING_STAGED)
            return redirect("households:phone_import", year=review_round.year)
        return render(
            request,
            "households/phone_import_preview.html",
            {
                "review_round": review_round,
                "result": found,
                "token": request.session[SESSION_KEY]["token"],
                "counts": found["counts"],
                "written": found["written"],
            },
        )
    if staged:  # the check refused it: nothing to confirm
        staged_uploads.discard(request, key=SESSION_KEY, folder=STAGING_FOLDER)
    if found.get("message"):
        messages.error(request, found["message"])
    return _page(
        request,
        review_round,
        SubmissionsFileForm(),
        found.get("problems", []),
        found.get("more_problems", 0),
    )


def _confirm(request: AuthenticatedRequest, review_round: ReviewRound) -> HttpResponse:
    """Record the staged file, as a background job: read again and checked again
    from the stored copy, in one transaction (nothing is taken from the form but the
    token)."""
    kept = staged_uploads.staged(
        request,
        key=SESSION_KEY,
        folder=STAGING_FOLDER,
        token=request.POST.get("token", ""),
        scope={"round": review_round.pk},
    )
    check = (
        Job.objects.visible_to(request.user)
        .filter(pk=_staged_job(request, review_round) or None)
        .first()
    )
    passed = (
        check is not None
        and check.status == JobStatus.DONE
        and isinstance(check.result, dict)
        and "counts" in check.result
    )
    if kept is None or not passed:
        messages.error(request, NOTHING_STAGED)
        return redirect("households:phone_import", year=review_round.year)
    # The token is spent: a second click finds nothing to confirm (the job removes
    # the file once read).
    suffix = request.session.pop(SESSION_KEY)["suffix"]
    applying = start(
        apply_submissions,
        title=f"Nạp tệp phiếu từ điện thoại {kept.name}",
        by=request.user,
        back_url=page_url(review_round.year),
        token=request.POST["token"],
        suffix=suffix,
        name=kept.name,
        sha256=kept.sha256,
        round_id=review_round.pk,
    )
    return redirect(applying)
