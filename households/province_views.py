"""The province's list against the register: upload → the comparison on the page.
Nothing is written, nothing is kept: the file is read once, in memory."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from households import clock
from households.forms import DateInput
from households.models import Commune, Household
from households.province_comparison import compare
from households.province_list import (
    COLUMNS,
    blank_template,
    differences_workbook,
    read_province_list,
    register_rows_on,
)
from households.register_file import Problem, RegisterFileError
from households.register_views import XLSX, clean_file_name
from households.views import commune_of

if TYPE_CHECKING:
    from giamngheo.http import AuthenticatedRequest

SHOWN_PROBLEMS = 200


class ProvinceListForm(forms.Form):
    file = forms.FileField(
        label="Danh sách của tỉnh (.xlsx)",
        error_messages={
            "required": "Chọn tệp Excel danh sách để đối chiếu.",
            "empty": "Tệp rỗng (0 byte).",
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
    day = forms.DateField(
        label="Đối chiếu với phân loại của sổ hộ ngày",
        widget=DateInput(),
        error_messages={"required": "Ghi ngày đối chiếu (dd/mm/yyyy)."},
    )


def _may_compare(request: AuthenticatedRequest) -> None:
    if not (request.user.is_superuser or request.user.is_officer):
        raise PermissionDenied(
            "Chỉ công chức LĐ-TB&XH được đối chiếu danh sách của tỉnh với sổ hộ."
        )


def _page(
    request: AuthenticatedRequest,
    commune: Commune,
    form: ProvinceListForm,
    problems: list[Problem] | None = None,
    **extra: object,
) -> HttpResponse:
    return render(
        request,
        "households/province_list.html",
        {
            "form": form,
            "commune": commune,
            "columns": COLUMNS,
            "problems": (problems or [])[:SHOWN_PROBLEMS],
            "more_problems": max(0, len(problems or []) - SHOWN_PROBLEMS),
            **extra,
        },
    )


def province_list(request: AuthenticatedRequest) -> HttpResponse:
    """Officer only, as the register import: the comparison shows every household
    of the commune with its head's CCCD."""
    _may_compare(request)
    commune = commune_of(request)
    if request.method != "POST":
        return _page(request, commune, ProvinceListForm(initial={"day": clock.today()}))
    form = ProvinceListForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, commune, form)
    upload = form.cleaned_data["file"]
    day = form.cleaned_data["day"]
    name = clean_file_name(upload.name)
    try:
        rows = read_province_list(upload, size=upload.size)
    except RegisterFileError as exc:
        messages.error(
            request,
            f"Không đối chiếu được: tệp {name} có {len(exc.problems)} lỗi (xem dưới).",
        )
        return _page(request, commune, form, exc.problems)
    households = Household.objects.visible_to(request.user).filter(commune=commune)
    result = compare(rows, register_rows_on(households, day))
    if "download" in request.POST:
        response = HttpResponse(
            differences_workbook(result, day=day), content_type=XLSX
        )
        response["Content-Disposition"] = (
            f'attachment; filename="chenh-lech-{day:%Y%m%d}.xlsx"'
        )
        return response
    return _page(
        request,
        commune,
        form,
        result=result,
        file_name=name,
        day=day,
        listed=len(rows),
    )


@require_GET
def province_list_template(request: AuthenticatedRequest) -> HttpResponse:
    _may_compare(request)
    response = HttpResponse(blank_template(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="mau-danh-sach-ho.xlsx"'
    return response
