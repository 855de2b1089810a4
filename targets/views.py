"""Targets and their live progress. Household data is always read through
`Household.objects.visible_to(user)`, so a village head sees only their village."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from households import clock, edit_conflicts, poverty
from households.forms import villages_for
from households.models import Commune, Household, HouseholdQuerySet, Village
from households.submit_once import submit_once
from households.transitions import Transition
from households.views import commune_of
from targets import actions, village_forecasts, what_if
from targets.dynamics import dynamics
from targets.forms import AllocationForm
from targets.measurement import (
    measured_on,
    poor_at_start,
    poverty_progress,
    service_progress,
)
from targets.models import PovertyTarget, ServiceTarget
from targets.progress import forecast

if TYPE_CHECKING:
    from giamngheo.http import AuthenticatedRequest


def _villages(request: AuthenticatedRequest, commune: Commune) -> list[Village]:
    return list(villages_for(request.user).filter(commune=commune))


def _households(request: AuthenticatedRequest, commune: Commune) -> HouseholdQuerySet:
    return Household.objects.visible_to(request.user).filter(commune=commune)


def progress_latest(request: AuthenticatedRequest) -> HttpResponse:
    commune = commune_of(request)
    latest = (
        PovertyTarget.objects.filter(commune=commune)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    return redirect("targets:progress", year=latest or clock.today().year)


def progress(request: AuthenticatedRequest, year: int) -> HttpResponse:
    commune = commune_of(request)
    villages = _villages(request, commune)
    households = _households(request, commune)
    target = (
        PovertyTarget.objects.filter(commune=commune, year=year)
        .prefetch_related("allocations")
        .first()
    )
    whole = not request.user.is_village_head
    poverty = poverty_progress(
        year, target, households, villages, whole_commune=whole, commune=commune
    )
    services = [
        service_progress(t, households, villages, list_concerned=False, commune=commune)
        for t in ServiceTarget.objects.filter(commune=commune, year=year)
    ]
    # A village whose plan is not handed in counts 0 expected escapes; the shortfall
    # is the commune's reduction minus the forecast (`targets.progress.forecast`, the
    # same function as the plans page and the plan and task status report).
    outlook = forecast(
        {
            row.village.pk: row.poor_reduction
            for row in poverty.villages
            if row.village is not None
        },
        village_forecasts.expected_escapes(year, villages),
        target=poverty.total.poor_reduction,
    )
    years = sorted(
        set(
            PovertyTarget.objects.filter(commune=commune).values_list("year", flat=True)
        )
        | set(
            ServiceTarget.objects.filter(commune=commune).values_list("year", flat=True)
        )
        | {year}
    )
    return render(
        request,
        "targets/progress.html",
        {
            "year": year,
            "years": years,
            "commune": commune,
            "poverty": poverty,
            "village_ids": [v.pk for v in villages],
            "forecast_rows": [
                (row, outlook.villages[row.village.pk] if row.village else None)
                for row in poverty.villages
            ],
            "outlook": outlook,
            "services": services,
            "whole_commune": whole,
            "can_allocate": request.user.is_officer or request.user.is_superuser,
        },
    )


@submit_once
def allocation(request: AuthenticatedRequest, year: int) -> HttpResponse:
    if not (request.user.is_officer or request.user.is_superuser):
        raise PermissionDenied("Chỉ công chức LĐ-TB&XH được giao chỉ tiêu.")
    commune = commune_of(request)
    villages = list(Village.objects.filter(commune=commune))
    starts = poor_at_start(Household.objects.filter(commune=commune), year)
    target = PovertyTarget.objects.filter(commune=commune, year=year).first()
    initial: dict[str, object] = {}
    if target is not None:
        initial["poor_target_end"] = target.poor_target_end
        initial["near_poor_target_end"] = target.near_poor_target_end
        for a in target.allocations.all():
            initial[f"reduction_{a.village_id}"] = a.poor_reduction
            initial[f"near_poor_{a.village_id}"] = a.near_poor_target_end
    form = AllocationForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        villages=villages,
        poor_start=starts,
    )
    edit_version = edit_conflicts.version(actions.allocation_sources(commune.pk, year))
    conflict = None
    if request.method == "POST":
        edit_version = edit_conflicts.loaded_version(request) or edit_version
        if form.is_valid():
            try:
                actions.save_allocation(
                    form,
                    commune=commune,
                    year=year,
                    loaded=edit_conflicts.loaded_version(request),
                )
            except edit_conflicts.EditConflict as refused:
                conflict, edit_version = refused, refused.current
            else:
                messages.success(request, f"Đã lưu chỉ tiêu giảm nghèo năm {year}.")
                return redirect("targets:progress", year=year)
        else:
            messages.error(
                request, "Chưa lưu: phân bổ chỉ tiêu chưa hợp lệ, xem lỗi bên dưới."
            )
    return render(
        request,
        "targets/allocation_form.html",
        {
            "year": year,
            "form": form,
            "total_start": sum(starts.values()),
            "baseline_date": f"31/12/{year - 1}",
            "edit_version": edit_version,
            "edit_conflict": conflict,
        },
        status=409 if conflict else 200,
    )


def concerned(request: AuthenticatedRequest, year: int, code: str) -> HttpResponse:
    """Exactly the households (or persons) a service target has not reached yet."""
    commune = commune_of(request)
    target = get_object_or_404(ServiceTarget, commune=commune, year=year, code=code)
    villages = _villages(request, commune)
    village_id = request.GET.get("village")
    if village_id:
        villages = [v for v in villages if str(v.pk) == village_id]
        if not villages:
            raise Http404("Thôn không thuộc phạm vi của bạn.")
    households = _households(request, commune).filter(village__in=villages)
    result = service_progress(target, households, villages)
    return render(
        request,
        "targets/concerned_list.html",
        {"year": year, "progress": result, "villages": villages},
    )


def service_villages(
    request: AuthenticatedRequest, year: int, code: str
) -> HttpResponse:
    """A service target's figures per village: the whole page, or (for the targets
    page's "Theo thôn", opened) its table."""
    commune = commune_of(request)
    target = get_object_or_404(ServiceTarget, commune=commune, year=year, code=code)
    progress = service_progress(
        target,
        _households(request, commune),
        _villages(request, commune),
        list_concerned=False,
        commune=commune,
    )
    template = "targets/service_villages.html"
    return render(
        request,
        f"{template}#table" if request.htmx else template,
        {"year": year, "s": progress},
    )


def dynamics_view(request: AuthenticatedRequest, year: int) -> HttpResponse:
    commune = commune_of(request)
    villages = _villages(request, commune)
    table = dynamics(_households(request, commune), villages, year, commune=commune)
    return render(
        request,
        "targets/dynamics.html",
        {
            "year": year,
            "table": table,
            "transitions": Transition,
            "on": measured_on(year),
        },
    )


def what_if_view(request: AuthenticatedRequest) -> HttpResponse:
    """ "Theo chuẩn mới thì xã có bao nhiêu hộ nghèo?": the register of today, each
    household's latest review reclassified under the chosen standard, next to the
    status that review stored. Reads only; nothing is saved."""
    commune = commune_of(request)
    today = clock.today()
    code = request.GET.get("chuan", poverty.STANDARD_2027_2030.code)
    standard = poverty.STANDARDS.get(code)
    error = None
    if standard is None:
        error = f"Không có chuẩn nghèo mã “{code}”: đang hiển thị chuẩn 2027–2030."
        standard = poverty.STANDARD_2027_2030
    villages = _villages(request, commune)
    # One query whatever the number of households: the latest review's facts are
    # annotated (`with_status_on`, `with_indicators_on`), never read per household.
    rows = (
        _households(request, commune)
        .present_on(today)
        .with_status_on(today)
        .with_indicators_on(today, *poverty.INDICATOR_SLUGS)
        .with_review_values_on(
            today, income="income_per_person_month", b1_score="b1_score"
        )
        .values(
            "village_id",
            "status",
            "income",
            "b1_score",
            *[f"deprived_{slug}" for slug in poverty.INDICATOR_SLUGS],
        )
    )
    facts = [
        what_if.ReviewFacts(
            village_id=row["village_id"],
            stored_status=row["status"],
            income_per_person_month=row["income"],
            b1_score=row["b1_score"],
            deprived=tuple(
                slug for slug in poverty.INDICATOR_SLUGS if row[f"deprived_{slug}"]
            ),
        )
        for row in rows
    ]
    whole = not request.user.is_village_head
    result = what_if.what_if(
        [(v.pk, v.name) for v in villages],
        facts,
        standard,
        urban=commune.is_urban,
        total_name="Toàn xã" if whole else villages[0].name if villages else "—",
    )
    return render(
        request,
        "targets/what_if.html",
        {
            "result": result,
            "standards": list(poverty.STANDARDS.values()),
            "in_force": poverty.standard_in_force(today),
            "today": today,
            "error": error,
            "whole_commune": whole,
        },
    )
