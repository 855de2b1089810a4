"""Regular reviews awaiting the chairman's decision, and the decisions that
recognised them (rà soát thường xuyên, QĐ 24/2021/QĐ-TTg Điều 5).

The officer records a decision; the chairman and the officer read the page. A
review's result holds from its decision (`ReviewQuerySet.in_force_on`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from households import clock
from households.actions import decide_regular_reviews
from households.models import RegularDecision, Review
from households.procedure_forms import RegularDecisionForm
from households.procedure_models import (
    RULES,
    awaiting_regular_decision,
    regular_review_deadline,
)
from households.submit_once import submit_once
from households.views import commune_of

if TYPE_CHECKING:
    from giamngheo.http import AuthenticatedRequest
    from giamngheo.models import User


@dataclass(frozen=True)
class Awaiting:
    review: Review
    deadline: date
    overdue: bool


def _may_read(user: User) -> bool:
    return user.is_superuser or user.is_officer or user.reads_whole_commune


@submit_once
def regular_decisions(request: AuthenticatedRequest) -> HttpResponse:
    """The reviews awaiting a decision, by deadline; the form to record one; the
    decisions already made."""
    user = request.user
    if not _may_read(user):
        raise PermissionDenied(
            "Trang này dành cho công chức LĐ-TB&XH và Chủ tịch UBND xã."
        )
    commune = commune_of(request)
    can_write = user.is_superuser or user.is_officer
    awaiting = awaiting_regular_decision(commune)
    form = RegularDecisionForm(
        awaiting=awaiting,
        initial={"signer_name": commune.chairman_name, "reviews": list(awaiting)},
    )
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied(
                "Chỉ công chức LĐ-TB&XH ghi quyết định công nhận vào hệ thống."
            )
        form = RegularDecisionForm(request.POST, awaiting=awaiting)
        if form.is_valid():
            try:
                decision = decide_regular_reviews(form, commune=commune, by=user)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(
                            field if field in form.fields else None,
                            error,
                        )
            else:
                messages.success(
                    request,
                    f"Đã ghi {decision}: {decision.reviews.count()} hộ có kết quả "
                    f"mới từ ngày {decision.signed_on:%d/%m/%Y}.",
                )
                return redirect("households:regular_decisions")
        messages.error(request, "Chưa lưu được: xem lỗi bên dưới.")
    today = clock.today()
    lines = []
    for review in awaiting:
        deadline = regular_review_deadline(review)
        lines.append(Awaiting(review, deadline, today > deadline))
    lines.sort(key=lambda line: (line.deadline, line.review.pk))
    decisions = (
        RegularDecision.objects.of_commune(commune)
        .prefetch_related("reviews__household__village")
        .order_by("-signed_on", "-id")
    )
    return render(
        request,
        "households/regular_decisions.html",
        {
            "commune": commune,
            "lines": lines,
            "overdue": sum(1 for line in lines if line.overdue),
            "form": form,
            "can_write": can_write,
            "decisions": decisions,
            "rules": RULES,
        },
    )
