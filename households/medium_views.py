"""Pages of the determination of farm households at the medium living standard
(QĐ 24/2021/QĐ-TTg): record one from the household's request, record the chairman's
recognition. The household page lists them; reading follows the household's scope."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from households import actions, clock
from households.forms import MediumLivingForm, RecogniseMediumLivingForm
from households.models import Household, MediumLivingDetermination
from households.submit_once import submit_once
from households.views import household_for_reading

if TYPE_CHECKING:
    from giamngheo.http import AuthenticatedRequest


def household_for_determining(request: AuthenticatedRequest, pk: int) -> Household:
    """The commune's officer runs the process for the chairman (QĐ 24/2021/QĐ-TTg:
    the commune's steering committee determines, the chairman recognises)."""
    household = household_for_reading(request, pk)  # out of scope: 404
    if not (request.user.is_superuser or request.user.is_officer):
        raise PermissionDenied(
            "Chỉ công chức LĐ-TB&XH ghi việc xác định hộ có mức sống trung bình."
        )
    return household


def pending_recognition(household: Household) -> MediumLivingDetermination | None:
    """The household's latest determination in the band still waiting for the
    chairman's decision."""
    return (
        household.medium_living_determinations.filter(
            in_band=True, decision_date__isnull=True
        )
        .order_by("-determined_on", "-id")
        .first()
    )


@submit_once
def medium_living_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    household = household_for_determining(request, pk)
    if household.is_archived:
        messages.error(request, "Hộ đã lưu trữ: khôi phục hộ trước khi xác định.")
        return redirect(household)
    if request.method == "POST":
        form = MediumLivingForm(request.POST, household=household)
        if form.is_valid():
            try:
                determination = actions.record_medium_living(form, by=request.user)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _saved_message(determination))
                return redirect(household)
    else:
        form = MediumLivingForm(
            household=household,
            initial={
                "determined_on": clock.today(),
                "persons": household.members.count() or None,
            },
        )
    return render(
        request,
        "households/medium_living_form.html",
        {"household": household, "form": form},
    )


def _saved_message(determination: MediumLivingDetermination) -> str:
    when = f"Đã ghi việc xác định ngày {determination.determined_on:%d/%m/%Y}: "
    if determination.is_recognised:
        return (
            when + "hộ có mức sống trung bình từ ngày "
            f"{determination.decision_date:%d/%m/%Y} (quyết định số "
            f"{determination.decision_number})."
        )
    if determination.in_band:
        return (
            when + "thu nhập thuộc mức sống trung bình, chờ Chủ tịch UBND xã công nhận."
        )
    return when + "thu nhập không thuộc mức sống trung bình."


@submit_once
def medium_living_recognise(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    household = household_for_determining(request, pk)
    pending = pending_recognition(household)
    if pending is None:
        messages.info(request, "Hộ không có kết quả xác định nào chờ công nhận.")
        return redirect(household)
    form = RecogniseMediumLivingForm(
        request.POST if request.method == "POST" else None, instance=pending
    )
    if request.method == "POST" and form.is_valid():
        try:
            recognised = actions.recognise_medium_living(form, by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _saved_message(recognised))
            return redirect(household)
    return render(
        request,
        "households/medium_living_recognise.html",
        {"household": household, "form": form, "pending": pending},
    )
