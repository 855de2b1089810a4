"""Pages of the village plans (kế hoạch thôn, §III.2.11), written on a phone.

Every read goes through `VillagePlan.objects.visible_to()`: out of scope is 404; in
scope but not allowed (the chairman edits, a village head decides) is 403. What the
list page and a plan's page read is `plan_overview` and `plan_page`; every write is
`plan_actions`.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from households import clock, edit_conflicts
from households.models import Commune, Household, Village
from households.submit_once import submit_once
from households.views import commune_of
from targets.models import PovertyTarget, VillageAllocation
from tasks import plan_actions
from tasks.models import HouseholdPlan, VillagePlan
from tasks.plan_actions import EDITABLE, PlanError, PlanIncomplete
from tasks.plan_forms import (
    DecisionForm,
    HouseholdPlanForm,
    NewPlanForm,
    PlanSummaryForm,
    ReopenForm,
)
from tasks.plan_overview import plans_overview
from tasks.plan_page import household_cards, household_deprivations, plan_history

if TYPE_CHECKING:
    from giamngheo.http import AuthenticatedRequest
    from giamngheo.models import User


def _may_see_plans(user: User) -> bool:
    return user.may_see_village_plans


def _may_write(user: User, plan: VillagePlan) -> bool:
    """Write the plan's content: the village's head, or the officer helping them."""
    if user.is_superuser or user.is_officer:
        return True
    return user.is_village_head and user.village_id == plan.village_id


def _may_submit(user: User, plan: VillagePlan) -> bool:
    """The village hands its plan in; the officer receives it."""
    return user.is_superuser or (
        user.is_village_head and user.village_id == plan.village_id
    )


def _may_decide(user: User) -> bool:
    return user.is_superuser or user.is_officer


def _year(request: AuthenticatedRequest, commune: Commune) -> int:
    """?nam=2024, else the latest year with a poverty target, else this year."""
    asked = request.GET.get("nam", "")
    if asked.isdigit() and 2000 <= int(asked) <= 2100:
        return int(asked)
    latest = (
        PovertyTarget.objects.filter(commune=commune)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    return latest or clock.today().year


def _plan_for_reading(request: AuthenticatedRequest, pk: int) -> VillagePlan:
    if not _may_see_plans(request.user):
        raise Http404("Không có kế hoạch này.")
    return get_object_or_404(
        VillagePlan.objects.visible_to(request.user).select_related(
            "village__commune", "task", "approved_by"
        ),
        pk=pk,
    )


def _plan_for_writing(request: AuthenticatedRequest, pk: int) -> VillagePlan:
    plan = _plan_for_reading(request, pk)  # out of scope: 404
    if not _may_write(request.user, plan):  # in scope, read-only role: 403
        raise PermissionDenied("Vai trò của bạn chỉ được xem kế hoạch thôn.")
    return plan


def _plan_for_deciding(request: AuthenticatedRequest, pk: int) -> VillagePlan:
    plan = _plan_for_reading(request, pk)
    if not _may_decide(request.user):
        raise PermissionDenied("Chỉ công chức LĐ-TB&XH được duyệt kế hoạch thôn.")
    return plan


def _village_target(village: Village, year: int) -> int | None:
    """The village's poverty-reduction target of the year (Phụ lục 01), if assigned."""
    return (
        VillageAllocation.objects.filter(
            target__commune_id=village.commune_id, target__year=year, village=village
        )
        .values_list("poor_reduction", flat=True)
        .first()
    )


def _shortfall_sentence(expected: int, target: int | None, year: int) -> str:
    if target is None or expected >= target:
        return ""
    return (
        f"Danh sách dự kiến thoát nghèo năm {year} có {expected} hộ, ít hơn chỉ tiêu "
        f"xã giao cho thôn (giảm {target} hộ nghèo): còn thiếu {target - expected} hộ."
    )


@submit_once
def plan_list(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if not _may_see_plans(user):
        raise PermissionDenied("Vai trò của bạn không xem kế hoạch thôn.")
    commune = commune_of(request)
    year = _year(request, commune)
    villages = Village.objects.filter(commune=commune)
    if user.is_village_head:
        villages = villages.filter(pk=user.village_id)
    without_plan = villages.exclude(plans__year=year)

    if request.method == "POST":
        if not (user.is_superuser or user.is_officer or user.is_village_head):
            raise PermissionDenied("Vai trò của bạn không lập kế hoạch thôn.")
        form = NewPlanForm(request.POST, villages=without_plan)
        if form.is_valid():
            plan = plan_actions.open_plan(form.cleaned_data["village"], year, by=user)
            messages.success(
                request,
                f"Đã lập kế hoạch năm {year} của {plan.village} với "
                f"{plan.households.count()} hộ nghèo đầu năm.",
            )
            return redirect(plan)
        messages.error(request, "Thôn này đã có kế hoạch năm nay hoặc không hợp lệ.")
        return redirect(f"{reverse('tasks:plan_list')}?nam={year}")

    if user.is_village_head:
        own = VillagePlan.objects.filter(village_id=user.village_id, year=year).first()
        if own is not None:
            return redirect(own)

    target = PovertyTarget.objects.filter(commune=commune, year=year).first()
    overview = plans_overview(commune, list(villages), year, target)
    poor_start = sum(r.poor_start for r in overview.rows)
    gap = overview.outlook.shortfall or 0
    due = date(year, *plan_actions.DUE_DAY)
    years = sorted(
        set(
            VillagePlan.objects.filter(village__commune=commune).values_list(
                "year", flat=True
            )
        )
        | set(
            PovertyTarget.objects.filter(commune=commune).values_list("year", flat=True)
        )
        | {year}
    )
    may_create = user.is_superuser or user.is_officer or user.is_village_head
    return render(
        request,
        "tasks/plan_list.html",
        {
            "year": year,
            "years": years,
            "overview": overview,
            "due": due,
            "last_on_time_day": due - timedelta(days=1),
            "poor_start": poor_start,
            "target_end": target.poor_target_end if target is not None else None,
            "commune_reduction": overview.outlook.target,
            "forecast": overview.outlook.expected,
            "forecast_gap": gap,
            "forecast_short": gap > 0,
            "new_form": NewPlanForm(villages=without_plan)
            if may_create and without_plan.exists()
            else None,
            "whole_commune": not user.is_village_head,
        },
    )


def plan_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _detail_page(request, _plan_for_reading(request, pk))


def _detail_page(
    request: AuthenticatedRequest,
    plan: VillagePlan,
    *,
    decision_form: DecisionForm | None = None,
    conflict: edit_conflicts.EditConflict | None = None,
) -> HttpResponse:
    user = request.user
    # Its writer sees a card for every poor household of the start of the year; the
    # rows missing are shown unsaved and saved by the writer's next save: a GET
    # writes nothing (issue 13), whoever asks.
    unsaved = (
        plan_actions.unsaved_rows(plan)
        if plan.status in EDITABLE and _may_write(user, plan)
        else []
    )
    cards = household_cards(plan, unsaved)
    expected = [c for c in cards if c.row.expected_escape]
    target = _village_target(plan.village, plan.year)
    editable = plan.status in EDITABLE and _may_write(user, plan)
    in_plan = [c.row.household_id for c in cards]
    newly_poor = (
        list(
            Household.objects.filter(village=plan.village)
            .active()
            .with_current_status()
            .with_status("poor")
            .exclude(pk__in=in_plan)
            .prefetch_related("members")
        )
        if editable
        else []
    )
    today = clock.today()
    return render(
        request,
        "tasks/plan_detail.html",
        {
            "plan": plan,
            "cards": cards,
            "complete": sum(1 for c in cards if c.listed and not c.missing),
            "listed": sum(1 for c in cards if c.listed),
            "expected": expected,
            "target": target,
            "shortfall": _shortfall_sentence(len(expected), target, plan.year),
            "newly_poor": newly_poor,
            "editable": editable,
            "may_submit": plan.status in EDITABLE and _may_submit(user, plan),
            "may_decide": _may_decide(user),
            "decision_form": decision_form or DecisionForm(),
            "reopen_form": ReopenForm(),
            # What the decision form is taken against (plan_actions.decision_sources).
            "edit_version": conflict.current
            if conflict
            else edit_conflicts.version(plan_actions.decision_sources(plan.pk)),
            "edit_conflict": conflict,
            "history": plan_history(plan),
            "today": today,
            "last_on_time_day": plan.due_before - timedelta(days=1),
            "overdue": plan.submitted_at is None and today >= plan.due_before,
        },
        status=409 if conflict else 200,
    )


def _refuse_locked(request: AuthenticatedRequest, plan: VillagePlan) -> HttpResponse:
    try:
        plan_actions.refuse_unless_editable(plan)
    except PlanError as refusal:
        messages.error(request, str(refusal))
    return redirect(plan)


@submit_once
def plan_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan = _plan_for_writing(request, pk)
    if plan.status not in EDITABLE:
        return _refuse_locked(request, plan)
    form = PlanSummaryForm(
        request.POST if request.method == "POST" else None, instance=plan
    )
    edit_version = edit_conflicts.version(plan_actions.plan_sources(plan.pk))
    if request.method == "POST":
        edit_version = edit_conflicts.loaded_version(request) or edit_version
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            plan_actions.save_summary(
                form, by=request.user, loaded=edit_conflicts.loaded_version(request)
            )
        except edit_conflicts.EditConflict as refused:
            conflict, edit_version = refused, refused.current
            # Shown again merged: a summary the user left alone takes the new one.
            current = VillagePlan.objects.get(pk=plan.pk)
            data = edit_conflicts.merge_record(
                form,
                source=plan_actions.plan_sources(plan.pk)[0],
                loaded=edit_conflicts.loaded_version(request),
                index=0,
                current=current,
                make=lambda row: PlanSummaryForm(instance=row),
                conflict=refused,
            )
            if data is not None:
                form = PlanSummaryForm(data, instance=current)
        except PlanError as refusal:
            messages.error(request, str(refusal))
            return redirect(plan)
        else:
            messages.success(request, "Đã lưu nội dung chung của kế hoạch.")
            return redirect(plan)
    return render(
        request,
        "tasks/plan_form.html",
        {
            "plan": plan,
            "form": form,
            "edit_version": edit_version,
            "edit_conflict": conflict,
        },
        status=409 if conflict else 200,
    )


def _merged_card(
    request: AuthenticatedRequest,
    plan: VillagePlan,
    household: Household,
    form: HouseholdPlanForm,
    conflict: edit_conflicts.EditConflict,
) -> HouseholdPlanForm:
    """The refused card again as a three-way merge (edit_conflicts.merge_form), so
    a second "Lưu" keeps what the other user wrote in the fields left alone."""
    current = HouseholdPlan.objects.filter(plan=plan, household=household).first()
    if current is None:
        return form
    data = edit_conflicts.merge_record(
        form,
        source=plan_actions.card_sources(plan.pk, household.pk)[0],
        loaded=edit_conflicts.loaded_version(request),
        index=0,
        current=current,
        make=lambda row: HouseholdPlanForm(instance=row, year=plan.year),
        conflict=conflict,
        blank=HouseholdPlan(plan=plan, household=household),
        # The two helper inputs are stored as one field.
        stored_as={"helper_groups": "helper", "helper_person": "helper"},
    )
    if data is None:
        return form
    return HouseholdPlanForm(data, instance=current, year=plan.year)


@submit_once
def plan_household(
    request: AuthenticatedRequest, pk: int, household_pk: int
) -> HttpResponse:
    """One household per screen: what the village plans for it."""
    plan = _plan_for_writing(request, pk)
    row = (
        plan.households.select_related("household")
        .filter(household_id=household_pk)
        .first()
    )
    if row is None:
        # A listed household whose row the plan page showed unsaved, or one that
        # became poor during the year, which can be added to the plan.
        household = plan_actions.listed_households(plan.village, plan.year).filter(
            pk=household_pk
        ).first() or get_object_or_404(
            Household.objects.filter(village=plan.village)
            .active()
            .with_current_status()
            .with_status("poor"),
            pk=household_pk,
        )
        row = HouseholdPlan(plan=plan, household=household)
    if plan.status not in EDITABLE:
        return _refuse_locked(request, plan)

    form = HouseholdPlanForm(
        request.POST if request.method == "POST" else None,
        instance=row,
        year=plan.year,
    )
    order = list(plan.households.values_list("household_id", flat=True))
    position = order.index(household_pk) if household_pk in order else None
    next_pk = (
        order[position + 1]
        if position is not None and position + 1 < len(order)
        else None
    )
    previous_pk = order[position - 1] if position else None
    household = row.household
    edit_version = edit_conflicts.version(
        plan_actions.card_sources(plan.pk, household.pk)
    )
    conflict = None
    if request.method == "POST":
        edit_version = edit_conflicts.loaded_version(request) or edit_version
        if form.is_valid():
            try:
                plan_actions.save_household_plan(
                    form,
                    by=request.user,
                    loaded=edit_conflicts.loaded_version(request),
                )
            except edit_conflicts.EditConflict as refused:
                conflict, edit_version = refused, refused.current
                form = _merged_card(request, plan, household, form, refused)
            except PlanError as refusal:
                messages.error(request, str(refusal))
                return redirect(plan)
            else:
                messages.success(
                    request, f"Đã lưu phương án cho hộ {household.head_name}."
                )
                if "next" in request.POST and next_pk is not None:
                    return redirect(
                        "tasks:plan_household", pk=plan.pk, household_pk=next_pk
                    )
                return redirect(f"{plan.get_absolute_url()}#ho-{household.pk}")
        else:
            messages.error(request, "Chưa lưu được: kiểm tra các ô báo lỗi bên dưới.")
    return render(
        request,
        "tasks/plan_household.html",
        {
            "plan": plan,
            "row": row,
            "household": household,
            "form": form,
            "deprivations": household_deprivations([household.pk], plan.year).get(
                household.pk, []
            ),
            "position": (position + 1) if position is not None else None,
            "count": len(order),
            "next_pk": next_pk,
            "previous_pk": previous_pk,
            "edit_version": edit_version,
            "edit_conflict": conflict,
        },
        status=409 if conflict else 200,
    )


@require_POST
@submit_once
def plan_submit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan = _plan_for_writing(request, pk)
    if not _may_submit(request.user, plan):
        raise PermissionDenied("Trưởng thôn nộp kế hoạch của thôn.")
    try:
        plan = plan_actions.submit_plan(plan, by=request.user)
    except PlanIncomplete as incomplete:
        messages.error(
            request,
            f"Chưa nộp được: {len(incomplete.missing)} hộ nghèo còn thiếu thông tin. "
            "Bổ sung rồi nộp lại.",
        )
        for missing in incomplete.missing:
            messages.error(request, str(missing))
        return redirect(plan)
    except (PlanError, PermissionDenied) as refusal:
        messages.error(request, f"Chưa nộp được: {refusal}")
        return redirect(plan)
    when = timezone.localtime(plan.submitted_at)
    if plan.late:
        messages.warning(
            request,
            f"Đã nộp kế hoạch. Kế hoạch nộp muộn (lần đầu lúc {when:%H:%M %d/%m/%Y}, "
            f"hạn trước ngày {plan.due_before:%d/%m/%Y}).",
        )
    else:
        messages.success(request, "Đã nộp kế hoạch cho công chức LĐ-TB&XH duyệt.")
    expected = plan.households.filter(expected_escape=True).count()
    shortfall = _shortfall_sentence(
        expected, _village_target(plan.village, plan.year), plan.year
    )
    if shortfall:
        messages.warning(request, shortfall)
    return redirect(plan)


@require_POST
@submit_once
def plan_decide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan = _plan_for_deciding(request, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        for error in form.non_field_errors() or ["Chọn duyệt hoặc trả lại."]:
            messages.error(request, f"Chưa xử lý: {error}")
        return redirect(plan)
    comment = form.cleaned_data["comment"]
    loaded = edit_conflicts.loaded_version(request)
    try:
        if form.cleaned_data["decision"] == DecisionForm.APPROVE:
            plan_actions.approve_plan(
                plan, by=request.user, comment=comment, loaded=loaded
            )
            messages.success(request, f"Đã duyệt kế hoạch của {plan.village}.")
        else:
            plan_actions.return_plan(
                plan, by=request.user, comment=comment, loaded=loaded
            )
            messages.success(
                request, f"Đã trả lại kế hoạch cho {plan.village} kèm ý kiến."
            )
    except edit_conflicts.EditConflict as conflict:
        # The plan as it is now, with the officer's comment kept.
        plan.refresh_from_db()
        return _detail_page(request, plan, decision_form=form, conflict=conflict)
    except PlanError as refusal:
        messages.error(request, f"Chưa xử lý: {refusal}")
    return redirect(plan)


@require_POST
def plan_reopen(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan = _plan_for_deciding(request, pk)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Mở lại kế hoạch phải ghi lý do, nội dung cần sửa.")
        return redirect(plan)
    try:
        plan_actions.reopen_plan(
            plan, by=request.user, comment=form.cleaned_data["comment"]
        )
    except PlanError as refusal:
        messages.error(request, f"Chưa mở lại được: {refusal}")
        return redirect(plan)
    messages.success(
        request, f"Đã mở lại kế hoạch của {plan.village} để thôn sửa rồi nộp lại."
    )
    return redirect(plan)
