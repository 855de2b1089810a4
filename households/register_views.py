"""The register in and out of Excel: the export of a scope, the staged import."""

from __future__ import annotations

import secrets
import unicodedata
from pathlib import Path, PureWindowsPath
from typing import TYPE_CHECKING

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from households import clock
from households.forms import villages_for
from households.models import Commune, Household, ImportLog
from households.register_file import Problem, RegisterFileError
from households.register_import import (
    ARCHIVED,
    CHANGED,
    NEW,
    OUTCOME_LABELS,
    UNCHANGED,
    import_register,
    sha256_of,
)
from households.register_workbook import export_register
from households.views import commune_of

if TYPE_CHECKING:
    from giamngheo.http import AuthenticatedRequest


def clean_file_name(name: str) -> str:
    """The name as the person sees it: no folders, composed (NFC), 200 characters."""
    base = PureWindowsPath(name).name
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C")
    return unicodedata.normalize("NFC", base).strip()[:200] or "so-ho.xlsx"


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_GET
def register_export(request: AuthenticatedRequest) -> HttpResponse:
    """The register of what the user may read: the commune, or one village
    (`?thon=<id>`; a village head always gets his own)."""
    commune = commune_of(request)
    households = Household.objects.visible_to(request.user).filter(commune=commune)
    village = None
    village_id = request.GET.get("thon", "")
    if request.user.is_village_head:
        village = villages_for(request.user).first()
    elif village_id:
        village = (
            villages_for(request.user)
            .filter(commune=commune, pk=int(village_id))
            .first()
            if village_id.isdigit()
            else None
        )
        if village is None:
            raise Http404("Không có thôn, làng này.")
    if village is not None:
        households = households.filter(village=village)
    data = export_register(
        households,
        commune=commune,
        village=village,
        exported_by=request.user.get_full_name() or request.user.username,
    )
    part = f"-thon-{village.pk}" if village else ""
    name = f"so-ho-{commune.code}{part}-{clock.today():%Y%m%d}.xlsx"
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


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
STAGING_FOLDER = "register-imports"
SHOWN_PROBLEMS = 200


def _may_import(request: AuthenticatedRequest) -> None:
    if not (request.user.is_superuser or request.user.is_officer):
        raise PermissionDenied("Chỉ công chức LĐ-TB&XH được nạp sổ hộ từ Excel.")


def _staged_path(token: str) -> Path:
    return Path(settings.MEDIA_ROOT) / STAGING_FOLDER / f"{token}.xlsx"


def _page(
    request: AuthenticatedRequest,
    commune: Commune,
    form: RegisterFileForm,
    problems: list[Problem] | None = None,
) -> HttpResponse:
    logs = ImportLog.objects.filter(commune=commune).select_related("imported_by")
    return render(
        request,
        "households/register_import.html",
        {
            "form": form,
            "commune": commune,
            "problems": (problems or [])[:SHOWN_PROBLEMS],
            "more_problems": max(0, len(problems or []) - SHOWN_PROBLEMS),
            "logs": logs[:20],
        },
    )


def register_import(request: AuthenticatedRequest) -> HttpResponse:
    """Upload → checks → a preview of what would change (nothing written yet)."""
    _may_import(request)
    commune = commune_of(request)
    if request.method != "POST":
        return _page(request, commune, RegisterFileForm())
    form = RegisterFileForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, commune, form)
    upload = form.cleaned_data["file"]
    name = clean_file_name(upload.name)
    try:
        result = import_register(
            upload,
            file_name=name,
            size=upload.size,
            commune=commune,
            by=request.user,
            dry_run=True,
        )
    except RegisterFileError as exc:
        messages.error(
            request, f"Không nạp gì: tệp {name} có {len(exc.problems)} lỗi (xem dưới)."
        )
        return _page(request, commune, form, exc.problems)
    token = secrets.token_hex(16)
    path = _staged_path(token)
    path.parent.mkdir(parents=True, exist_ok=True)
    upload.seek(0)
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    previous = request.session.get(SESSION_KEY)
    if previous:
        _staged_path(previous["token"]).unlink(missing_ok=True)
    request.session[SESSION_KEY] = {
        "token": token,
        "name": name,
        "sha256": result.sha256,
        "commune": commune.pk,
    }
    return render(
        request,
        "households/register_import_preview.html",
        {
            "result": result,
            "commune": commune,
            "token": token,
            "counts": [
                ("Hộ mới", result.count(NEW)),
                ("Hộ thay đổi", result.count(CHANGED)),
                ("Hộ không đổi", result.count(UNCHANGED)),
                ("Hộ lưu trữ", result.count(ARCHIVED)),
                ("Phiếu rà soát mới", result.new_reviews),
                ("Hộ của xã không có trong tệp (giữ nguyên)", result.not_in_file),
            ],
            "changed": [
                {
                    "code": p.code,
                    "label": OUTCOME_LABELS[p.outcome],
                    "changes": p.changes,
                }
                for p in result.changed_plans
            ],
        },
    )


@require_POST
def register_import_confirm(request: AuthenticatedRequest) -> HttpResponse:
    """Apply the staged file: read again and checked again from the stored copy
    (nothing is taken from the form but the token), in one transaction."""
    _may_import(request)
    commune = commune_of(request)
    staged = request.session.get(SESSION_KEY)
    if (
        not staged
        or staged.get("token") != request.POST.get("token")
        or staged.get("commune") != commune.pk
        or not _staged_path(staged["token"]).is_file()
    ):
        messages.error(request, "Không có tệp nào đang chờ xác nhận: chọn lại tệp.")
        return redirect("households:register_import")
    path = _staged_path(staged["token"])
    try:
        with path.open("rb") as stream:
            if sha256_of(stream) != staged["sha256"]:
                raise RegisterFileError(
                    [Problem("Tệp đã lưu bị thay đổi: chọn lại tệp.")]
                )
            result = import_register(
                stream,
                file_name=staged["name"],
                size=path.stat().st_size,
                commune=commune,
                by=request.user,
                dry_run=False,
            )
    except RegisterFileError as exc:
        messages.error(
            request,
            f"Không nạp gì: tệp {staged['name']} có {len(exc.problems)} lỗi (sổ hộ "
            "vừa thay đổi từ lúc xem trước?).",
        )
        return _page(request, commune, RegisterFileForm(), exc.problems)
    finally:
        path.unlink(missing_ok=True)
        request.session.pop(SESSION_KEY, None)
    messages.success(request, f"Đã nạp {staged['name']}: {result.summary}.")
    return redirect("households:register_import")
