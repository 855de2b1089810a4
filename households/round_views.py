"""The commune's periodic review rounds (đợt rà soát định kỳ): open, follow, close,
reopen, and enter the reviews one household after another."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from households import actions, certificates, clock
from households.forms import (
    CloseRoundForm,
    OpenRoundForm,
    ReopenRoundForm,
    villages_for,
)
from households.models import Household, HouseholdQuerySet, ReviewRound
from households.procedure_models import decision_in_force
from households.round_procedure import village_standings
from households.rounds import round_counts, round_standing
from households.submit_once import submit_once
from households.surveys import round_screen_counts
from households.views import commune_of

if TYPE_CHECKING:
    from giamngheo.http import AuthenticatedRequest
    from giamngheo.models import User


def _may_run_rounds(user: User) -> bool:
    return user.is_superuser or user.is_officer


@submit_once
def round_list(request: AuthenticatedRequest) -> HttpResponse:
    commune = commune_of(request)
    form = OpenRoundForm(
        request.POST if request.method == "POST" else None, commune=commune
    )
    if request.method == "POST":
        if not _may_run_rounds(request.user):
            raise PermissionDenied("Chỉ công chức LĐ-TB&XH được mở đợt rà soát.")
        if form.is_valid():
            review_round = actions.open_round(form, by=request.user)
            messages.success(request, f"Đã mở {str(review_round).lower()}.")
            return redirect("households:round_detail", year=review_round.year)
        messages.error(request, "Chưa mở được đợt rà soát: xem lỗi bên dưới.")
    # The same count as the round's page: the reviews of the households the user sees.
    visible = Household.objects.visible_to(request.user)
    rounds = ReviewRound.objects.filter(commune=commune).annotate(
        n=Count("reviews", filter=Q(reviews__household__in=visible))
    )
    return render(
        request,
        "households/round_list.html",
        {"rounds": rounds, "form": form, "can_run": _may_run_rounds(request.user)},
    )


@submit_once
def round_detail(request: AuthenticatedRequest, year: int) -> HttpResponse:
    commune = commune_of(request)
    review_round = get_object_or_404(ReviewRound, commune=commune, year=year)
    households = Household.objects.visible_to(request.user).filter(commune=commune)
    close_form = CloseRoundForm(
        request.POST if request.method == "POST" else None, review_round=review_round
    )
    if request.method == "POST":
        if not _may_run_rounds(request.user):
            raise PermissionDenied("Chỉ công chức LĐ-TB&XH được kết thúc đợt rà soát.")
        if not review_round.is_open:
            messages.info(request, "Đợt rà soát này đã kết thúc.")
            return redirect("households:round_detail", year=year)
        if close_form.is_valid():
            data = close_form.cleaned_data
            actions.close_round(
                review_round,
                data["closed_on"],
                decision_number=data["decision_number"],
                signer_name=data["signer_name"],
                by=request.user,
            )
            messages.success(
                request,
                f"Đã kết thúc {str(review_round).lower()}; kết quả được công nhận từ "
                f"ngày {review_round.closed_on:%d/%m/%Y}.",
            )
            return redirect("households:round_detail", year=year)
        messages.error(request, "Chưa kết thúc được đợt rà soát: xem lỗi bên dưới.")
    return _round_page(request, review_round, households, close_form=close_form)


def _round_page(
    request: AuthenticatedRequest,
    review_round: ReviewRound,
    households: HouseholdQuerySet,
    *,
    close_form: CloseRoundForm | None = None,
    reopen_form: ReopenRoundForm | None = None,
) -> HttpResponse:
    # The procedure's steps per village (households/_round_procedure.html).
    village_steps = village_standings(
        review_round,
        households,
        today=clock.today(),
        villages=villages_for(request.user).filter(commune=review_round.commune),
    )
    # The villages whose certificates there are to print: their links only.
    certified = set(certificates.certified_by_village(review_round)) & {
        s.village.pk for s in village_steps
    }
    return render(
        request,
        "households/round_detail.html",
        {
            "review_round": review_round,
            "standing": round_standing(review_round, households),
            "counts": round_counts(review_round, households),
            "screens": round_screen_counts(review_round, households),
            "reopenings": review_round.reopenings.select_related("reopened_by"),
            "close_form": close_form or CloseRoundForm(review_round=review_round),
            "reopen_form": reopen_form or ReopenRoundForm(),
            "can_run": _may_run_rounds(request.user),
            "can_review": request.user.can_edit_register,
            "village_steps": village_steps,
            "decision": decision_in_force(review_round),
            "certified_villages": certified,
            "certificate_note": certificates.NOTE,
        },
    )


@require_POST
def round_reopen(request: AuthenticatedRequest, year: int) -> HttpResponse:
    """The officer withdraws the recognition of a closed round, with a reason."""
    commune = commune_of(request)
    review_round = get_object_or_404(ReviewRound, commune=commune, year=year)
    if not _may_run_rounds(request.user):
        raise PermissionDenied("Chỉ công chức LĐ-TB&XH được mở lại đợt rà soát.")
    if review_round.is_open:
        messages.info(request, "Đợt rà soát này đang mở.")
        return redirect("households:round_detail", year=year)
    form = ReopenRoundForm(request.POST)
    if form.is_valid():
        reopening = actions.reopen_round(review_round, form, by=request.user)
        messages.success(
            request,
            f"Đã mở lại {str(review_round).lower()}; kết quả công nhận ngày "
            f"{reopening.withdrawn_closed_on:%d/%m/%Y} không còn hiệu lực cho đến khi "
            "kết thúc đợt lần nữa.",
        )
        return redirect("households:round_detail", year=year)
    messages.error(request, "Chưa mở lại được đợt rà soát: xem lỗi bên dưới.")
    households = Household.objects.visible_to(request.user).filter(commune=commune)
    return _round_page(request, review_round, households, reopen_form=form)


def round_next(request: AuthenticatedRequest, year: int) -> HttpResponse:
    """Fast sequential entry: open the review form of the next household to review."""
    commune = commune_of(request)
    review_round = get_object_or_404(ReviewRound, commune=commune, year=year)
    if not review_round.is_open:
        messages.info(request, "Đợt rà soát này đã kết thúc.")
        return redirect("households:round_detail", year=year)
    if not request.user.can_edit_register:
        raise PermissionDenied("Vai trò của bạn không được ghi phiếu rà soát.")
    households = Household.objects.visible_to(request.user).filter(commune=commune)
    remaining = round_standing(review_round, households).remaining
    if not remaining:
        messages.success(request, "Đã rà soát hết các hộ trong danh sách của đợt.")
        return redirect("households:round_detail", year=year)
    url = reverse("households:review_create", args=[remaining[0].pk])
    return redirect(f"{url}?dot={year}")
