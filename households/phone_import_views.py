"""The round's page for bringing in the phones' submissions: upload the export of
ODK Central or KoBoToolbox → checks → a preview of what would be recorded (nothing
written) → confirm → recorded in one transaction (households/phone_import.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from households import staged_uploads
from households.models import ImportKind, ImportLog, ReviewRound
from households.phone_import import (
    ALREADY,
    OUTCOME_LABELS,
    REJECTED,
    REVIEWED,
    SCREENED_OUT,
    import_submissions,
    round_refusal,
)
from households.register_file import Problem, RegisterFileError
from households.register_import import sha256_of
from households.register_views import clean_file_name
from households.views import commune_of

if TYPE_CHECKING:
    from giamngheo.http import AuthenticatedRequest

SESSION_KEY = "phone_import"
STAGING_FOLDER = "phone-imports"
SHOWN_PROBLEMS = 200
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
    problems: list[Problem] | None = None,
) -> HttpResponse:
    logs = ImportLog.objects.filter(
        commune=review_round.commune, kind=ImportKind.PHONE
    ).select_related("imported_by")
    problems = problems or []
    return render(
        request,
        TEMPLATE,
        {
            "review_round": review_round,
            "form": form,
            "refusal": round_refusal(review_round),
            "problems": problems[:SHOWN_PROBLEMS],
            "more_problems": max(0, len(problems) - SHOWN_PROBLEMS),
            "logs": logs[:20],
        },
    )


def phone_import(request: AuthenticatedRequest, year: int) -> HttpResponse:
    """GET: the upload form and the imports made. POST: the upload's preview, or,
    with `action=confirm` and the preview's token, the recording."""
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
        return _page(request, review_round, SubmissionsFileForm())
    if request.POST.get("action") == "confirm":
        return _confirm(request, review_round)
    form = SubmissionsFileForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, review_round, form)
    upload = form.cleaned_data["file"]
    name = clean_file_name(upload.name)
    try:
        result = import_submissions(
            upload,
            file_name=name,
            size=upload.size,
            review_round=review_round,
            by=request.user,
            dry_run=True,
        )
    except RegisterFileError as exc:
        messages.error(
            request, f"Không nạp gì: tệp {name} có {len(exc.problems)} lỗi (xem dưới)."
        )
        return _page(request, review_round, form, exc.problems)
    token = staged_uploads.stage(
        request,
        key=SESSION_KEY,
        folder=STAGING_FOLDER,
        upload=upload,
        name=name,
        sha256=result.sha256,
        scope={"round": review_round.pk},
    )
    return render(
        request,
        "households/phone_import_preview.html",
        {
            "review_round": review_round,
            "result": result,
            "token": token,
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
        },
    )


def _confirm(request: AuthenticatedRequest, review_round: ReviewRound) -> HttpResponse:
    """Record the staged file: read again and checked again from the stored copy, in
    one transaction."""
    kept = staged_uploads.staged(
        request,
        key=SESSION_KEY,
        folder=STAGING_FOLDER,
        token=request.POST.get("token", ""),
        scope={"round": review_round.pk},
    )
    if kept is None:
        messages.error(request, "Không có tệp nào đang chờ xác nhận: chọn lại tệp.")
        return redirect("households:phone_import", year=review_round.year)
    try:
        with kept.path.open("rb") as stream:
            if sha256_of(stream) != kept.sha256:
                raise RegisterFileError(
                    [Problem("Tệp đã lưu bị thay đổi: chọn lại tệp.")]
                )
            result = import_submissions(
                stream,
                file_name=kept.name,
                size=kept.path.stat().st_size,
                review_round=review_round,
                by=request.user,
                dry_run=False,
            )
    except RegisterFileError as exc:
        messages.error(
            request,
            f"Không nạp gì: tệp {kept.name} có {len(exc.problems)} lỗi (sổ hộ hoặc "
            "đợt rà soát vừa thay đổi từ lúc xem trước?).",
        )
        return _page(request, review_round, SubmissionsFileForm(), exc.problems)
    finally:
        staged_uploads.discard(request, key=SESSION_KEY, folder=STAGING_FOLDER)
    messages.success(request, f"Đã nạp {kept.name}: {result.summary}.")
    return redirect("households:phone_import", year=review_round.year)
