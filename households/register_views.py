"""The register in and out of Excel: the export of a scope, the staged import."""

from __future__ import annotations

import secrets
import unicodedata
import uuid
from pathlib import PureWindowsPath
from typing import TYPE_CHECKING

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from households.models import Commune, ImportLog
from households.register_file import SHOWN_PROBLEMS, RegisterFileError, check_file
from households.register_import import sha256_of
from households.register_jobs import (
    XLSX,
    apply_register,
    build_register_export,
    check_register,
    register_export_for,
    staged_path,
)
from households.submit_once import submit_once
from households.views import commune_of
from jobs.documents import download, file_or_job, large_export, makes_file
from jobs.models import Job, JobStatus
from jobs.running import start

if TYPE_CHECKING:
    from giamngheo.http import AuthenticatedRequest


def clean_file_name(name: str) -> str:
    """The name as the person sees it: no folders, composed (NFC), 200 characters."""
    base = PureWindowsPath(name).name
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C")
    return unicodedata.normalize("NFC", base).strip()[:200] or "so-ho.xlsx"


@makes_file
@require_GET
def register_export(request: AuthenticatedRequest) -> HttpResponse:
    """The register of what the user may read: the commune, or one village
    (`?thon=<id>`; a village head always gets his own). More than
    BACKGROUND_EXPORT_HOUSEHOLDS households are written by a background job."""
    wanted = request.GET.get("thon", "")
    found = register_export_for(request.user, wanted)
    if not large_export(found.households.count()):
        return download(found.workbook(), XLSX, found.filename)
    village = str(found.village.pk) if found.village else ""
    return file_or_job(
        request,
        build_register_export,
        title=f"Xuất sổ hộ ra Excel — {found.where}",
        key=f"households:register_export:{village}",
        back_url=reverse("households:list"),
        village=village,
    )


class RegisterFileForm(forms.Form):
    file = forms.FileField(
        label="Tệp sổ hộ (.xlsx)",
        error_messages={
            "required": "Chọn tệp Excel sổ hộ để nạp.",
            "empty": "Tệp rỗng (0 byte).",
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


SESSION_KEY = "register_import"


def _may_import(request: AuthenticatedRequest) -> None:
    if not (request.user.is_superuser or request.user.is_officer):
        raise PermissionDenied("Chỉ công chức LĐ-TB&XH được nạp sổ hộ từ Excel.")


def _page(
    request: AuthenticatedRequest,
    commune: Commune,
    form: RegisterFileForm,
    problems: list[str] | None = None,
    more_problems: int = 0,
) -> HttpResponse:
    logs = ImportLog.objects.filter(commune=commune).select_related("imported_by")
    return render(
        request,
        "households/register_import.html",
        {
            "form": form,
            "commune": commune,
            "problems": problems or [],
            "more_problems": more_problems,
            "logs": logs[:20],
        },
    )


def _problems_of_job(
    request: AuthenticatedRequest, commune: Commune, job_id: str
) -> HttpResponse:
    """The import page with the problems a check or an import job found."""
    try:
        pk = uuid.UUID(job_id)
    except ValueError:
        raise Http404("Không có việc này.") from None
    job = get_object_or_404(Job.objects.visible_to(request.user), pk=pk)
    staged = request.session.get(SESSION_KEY)
    if staged and staged.get("job") == str(job.pk):
        _drop_staged(request)  # the check refused it: nothing to confirm
    found = job.result if isinstance(job.result, dict) else {}
    if found.get("message"):
        messages.error(request, found["message"])
    return _page(
        request,
        commune,
        RegisterFileForm(),
        found.get("problems", []),
        found.get("more_problems", 0),
    )


def _drop_staged(request: AuthenticatedRequest) -> None:
    previous = request.session.pop(SESSION_KEY, None)
    if previous:
        staged_path(previous["token"]).unlink(missing_ok=True)


@submit_once
def register_import(request: AuthenticatedRequest) -> HttpResponse:
    """Upload → the quick checks here → the file staged and checked by a background
    job (a dry run) → its page leads to the preview (nothing written yet)."""
    _may_import(request)
    commune = commune_of(request)
    if request.method != "POST":
        if "viec" in request.GET:
            return _problems_of_job(request, commune, request.GET["viec"])
        return _page(request, commune, RegisterFileForm())
    form = RegisterFileForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, commune, form)
    upload = form.cleaned_data["file"]
    name = clean_file_name(upload.name)
    try:
        check_file(upload, size=upload.size)
    except RegisterFileError as exc:
        messages.error(
            request, f"Không nạp gì: tệp {name} có {len(exc.problems)} lỗi (xem dưới)."
        )
        problems = [str(p) for p in exc.problems]
        return _page(request, commune, form, problems[:SHOWN_PROBLEMS])
    _drop_staged(request)
    token = secrets.token_hex(16)
    path = staged_path(token)
    path.parent.mkdir(parents=True, exist_ok=True)
    upload.seek(0)
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    job = start(
        check_register,
        title=f"Kiểm tra tệp sổ hộ {name}",
        by=request.user,
        back_url=reverse("households:register_import"),
        token=token,
        name=name,
        commune_id=commune.pk,
    )
    request.session[SESSION_KEY] = {
        "token": token,
        "name": name,
        "sha256": sha256_of(upload),
        "commune": commune.pk,
        "job": str(job.pk),
    }
    return redirect(job)


def _staged_check(request: AuthenticatedRequest, commune: Commune) -> Job | None:
    """The check (a job) of the file this session staged for the commune."""
    staged = request.session.get(SESSION_KEY)
    if not staged or staged.get("commune") != commune.pk:
        return None
    return Job.objects.visible_to(request.user).filter(pk=staged["job"]).first()


def _passed(job: Job) -> bool:
    return (
        job.status == JobStatus.DONE
        and isinstance(job.result, dict)
        and "counts" in job.result
    )


@require_GET
def register_import_preview(request: AuthenticatedRequest) -> HttpResponse:
    """What the staged file would change, as its check (a job) found it."""
    _may_import(request)
    commune = commune_of(request)
    job = _staged_check(request, commune)
    if job is not None and not job.is_finished:
        return redirect(job)
    if job is None or not _passed(job):
        messages.error(request, "Không có tệp nào đang chờ xác nhận: chọn lại tệp.")
        return redirect("households:register_import")
    result = job.result
    return render(
        request,
        "households/register_import_preview.html",
        {
            "result": result,
            "commune": commune,
            "token": request.session[SESSION_KEY]["token"],
            "counts": result["counts"],
            "changed": result["changed"],
        },
    )


@require_POST
@submit_once
def register_import_confirm(request: AuthenticatedRequest) -> HttpResponse:
    """Apply the staged file, as a background job: read again and checked again
    from the stored copy (nothing is taken from the form but the token), in one
    transaction."""
    _may_import(request)
    commune = commune_of(request)
    staged = request.session.get(SESSION_KEY) or {}
    job = _staged_check(request, commune)
    if (
        job is None
        or not _passed(job)
        or staged.get("token") != request.POST.get("token")
        or not staged_path(staged["token"]).is_file()
    ):
        messages.error(request, "Không có tệp nào đang chờ xác nhận: chọn lại tệp.")
        return redirect("households:register_import")
    # The token is spent: a second click finds nothing to confirm.
    request.session.pop(SESSION_KEY, None)
    applying = start(
        apply_register,
        title=f"Nạp tệp sổ hộ {staged['name']}",
        by=request.user,
        back_url=reverse("households:register_import"),
        token=staged["token"],
        name=staged["name"],
        sha256=staged["sha256"],
        commune_id=commune.pk,
    )
    return redirect(applying)
