"""Pages of the village plans (kế hoạch thôn, §III.2.11), written on a phone.

Every read goes through `VillagePlan.objects.visible_to()`: out of scope is 404; in
scope but not allowed (the chairman edits, a village head decides) is 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from giamngheo.http import AuthenticatedRequest
from giamngheo.models import User
from households import clock
from households.models import Commune, Household, Village
from households.poverty import INDICATORS
from households.transitions import start_of
from targets.measurement import poor_at_start
from targets.models import PovertyTarget, VillageAllocation
from targets.progress import Forecast, VillageForecast, forecast
from tasks import plan_actions
from tasks.models import (
    HouseholdPlan,
    PovertyCause,
    SupportLine,
    VillagePlan,
)
from tasks.plan_actions import EDITABLE, PlanError, PlanIncomplete
from tasks.plan_counts import PlanCounts, count_plans
from tasks.plan_forecast import expected_escapes
from tasks.plan_forms import (
    DecisionForm,
    HouseholdPlanForm,
    NewPlanForm,
    PlanSummaryForm,
    ReopenForm,
)


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


def _commune(request: AuthenticatedRequest) -> Commune:
    if request.user.commune is not None:
        return request.user.commune
    commune = (
        Commune.objects.order_by("pk").first() if request.user.is_superuser else None
    )
    if commune is None:
        raise Http404("Tài khoản chưa gắn với xã nào.")
    return commune


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


# The list of plans: the head's way in, the officer's and chairman's overview.


@dataclass(frozen=True)
class VillageRow:
    village: Village
    plan: VillagePlan | None
    poor_start: int
    listed: int  # households the plan's own list expects to escape, handed in or not
    outlook: VillageForecast  # what counts: 0 expected until the plan is handed in

    @property
    def target(self) -> int | None:
        return self.outlook.target

    @property
    def expected(self) -> int:
        return self.outlook.expected

    @property
    def gap(self) -> int:
        """Households missing from the expected-escape list to meet the target."""
        return self.outlook.shortfall or 0

    @property
    def short(self) -> bool:
        return self.gap > 0


@dataclass(frozen=True)
class Overview:
    rows: list[VillageRow]
    on: date
    counts: PlanCounts  # the same counts as the dashboard and the status report
    outlook: Forecast


def _overview(
    commune: Commune, villages: list[Village], year: int, target: PovertyTarget | None
) -> Overview:
    plans = {
        p.village_id: p
        for p in VillagePlan.objects.filter(year=year, village__in=villages).annotate(
            n_households=Count("households"),
            n_expected=Count("households", filter=Q(households__expected_escape=True)),
        )
    }
    targets = dict(
        VillageAllocation.objects.filter(
            target__commune=commune, target__year=year
        ).values_list("village_id", "poor_reduction")
    )
    starts = poor_at_start(Household.objects.filter(village__in=villages), year)
    poor_start = sum(starts.get(v.pk, 0) for v in villages)
    # The commune's own reduction target, as on the targets page.
    reduction = (
        max(0, poor_start - target.poor_target_end) if target is not None else None
    )
    outlook = forecast(
        {v.pk: targets.get(v.pk) for v in villages},
        expected_escapes(year, villages),
        target=reduction,
    )
    today = clock.today()
    return Overview(
        rows=[
            VillageRow(
                village=v,
                plan=plans.get(v.pk),
                poor_start=starts.get(v.pk, 0),
                listed=plans[v.pk].n_expected if v.pk in plans else 0,  # type: ignore[attr-defined]
                outlook=outlook.villages[v.pk],
            )
            for v in villages
        ],
        on=today,
        counts=count_plans([plans.get(v.pk) for v in villages], year=year, today=today),
        outlook=outlook,
    )


def plan_list(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if not _may_see_plans(user):
        raise PermissionDenied("Vai trò của bạn không xem kế hoạch thôn.")
    commune = _commune(request)
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
    overview = _overview(commune, list(villages), year, target)
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


# One plan.


@dataclass(frozen=True)
class HouseholdCard:
    row: HouseholdPlan
    deprivations: list[str]
    listed: bool
    missing: list[str]

    @property
    def cause_labels(self) -> list[str]:
        return [str(PovertyCause(c).label) for c in self.row.causes if c in CAUSES]

    @property
    def solution_labels(self) -> list[str]:
        return [str(SupportLine(s).label) for s in self.row.solutions if s in LINES]


CAUSES = set(PovertyCause.values)
LINES = set(SupportLine.values)


def _deprivations(household_ids: list[int], year: int) -> dict[int, list[str]]:
    """Indicator names from each household's latest review up to the start of the year
    (or up to today, for a household that had no review then)."""
    slugs = [i.slug for i in INDICATORS]
    result: dict[int, list[str]] = {}
    for day in (start_of(year), clock.today()):
        pending = [pk for pk in household_ids if pk not in result]
        if not pending:
            break
        rows = (
            Household.objects.filter(pk__in=pending)
            .with_indicators_on(day, *slugs)
            .values("pk", *[f"deprived_{s}" for s in slugs])
        )
        for row in rows:
            values = [row[f"deprived_{i.slug}"] for i in INDICATORS]
            if all(v is None for v in values):
                continue  # no review by that day
            result[row["pk"]] = [
                i.name for i, v in zip(INDICATORS, values, strict=True) if v
            ]
    return result


def _cards(plan: VillagePlan) -> list[HouseholdCard]:
    rows = list(
        plan.households.select_related("household").prefetch_related(
            "household__members"
        )
    )
    listed = set(
        plan_actions.listed_households(plan.village, plan.year).values_list(
            "pk", flat=True
        )
    )
    deprivations = _deprivations([r.household_id for r in rows], plan.year)
    return [
        HouseholdCard(
            row=r,
            deprivations=deprivations.get(r.household_id, []),
            listed=r.household_id in listed,
            missing=plan_actions.missing_parts(r),
        )
        for r in rows
    ]


@dataclass(frozen=True)
class HistoryLine:
    when: object
    who: str
    what: str
    comment: str


def _history(plan: VillagePlan) -> list[HistoryLine]:
    with_comment = ("Trả lại kế hoạch", "Duyệt kế hoạch", "Mở lại kế hoạch đã duyệt")
    records = (
        plan.history.filter(history_change_reason__isnull=False)
        .exclude(history_change_reason="")
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )
    return [
        HistoryLine(
            when=r.history_date,
            who=str(r.history_user or "hệ thống"),
            what=r.history_change_reason or "",
            comment=r.officer_comment
            if r.history_change_reason in with_comment
            else "",
        )
        for r in records
    ]


def plan_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan = _plan_for_reading(request, pk)
    user = request.user
    if plan.status in EDITABLE and _may_write(user, plan):
        # Opened by its writer: every poor household of the start of the year gets
        # its row. A reader's GET changes nothing.
        plan_actions.sync_households(plan)
    cards = _cards(plan)
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
            "decision_form": DecisionForm(),
            "reopen_form": ReopenForm(),
            "history": _history(plan),
            "today": today,
            "last_on_time_day": plan.due_before - timedelta(days=1),
            "overdue": plan.submitted_at is None and today >= plan.due_before,
        },
    )


def _refuse_locked(request: AuthenticatedRequest, plan: VillagePlan) -> HttpResponse:
    try:
        plan_actions.refuse_unless_editable(plan)
    except PlanError as refusal:
        messages.error(request, str(refusal))
    return redirect(plan)


def plan_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan = _plan_for_writing(request, pk)
    if plan.status not in EDITABLE:
        return _refuse_locked(request, plan)
    form = PlanSummaryForm(
        request.POST if request.method == "POST" else None, instance=plan
    )
    if request.method == "POST" and form.is_valid():
        try:
            plan_actions.save_summary(form, by=request.user)
        except PlanError as refusal:
            messages.error(request, str(refusal))
            return redirect(plan)
        messages.success(request, "Đã lưu nội dung chung của kế hoạch.")
        return redirect(plan)
    return render(request, "tasks/plan_form.html", {"plan": plan, "form": form})


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
        # A household that became poor during the year can be added to the plan.
        household = get_object_or_404(
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
    if request.method == "POST":
        if form.is_valid():
            try:
                plan_actions.save_household_plan(form, by=request.user)
            except PlanError as refusal:
                messages.error(request, str(refusal))
                return redirect(plan)
            messages.success(request, f"Đã lưu phương án cho hộ {household.head_name}.")
            if "next" in request.POST and next_pk is not None:
                return redirect(
                    "tasks:plan_household", pk=plan.pk, household_pk=next_pk
                )
            return redirect(f"{plan.get_absolute_url()}#ho-{household.pk}")
        messages.error(request, "Chưa lưu được: kiểm tra các ô báo lỗi bên dưới.")
    return render(
        request,
        "tasks/plan_household.html",
        {
            "plan": plan,
            "row": row,
            "household": household,
            "form": form,
            "deprivations": _deprivations([household.pk], plan.year).get(
                household.pk, []
            ),
            "position": (position + 1) if position is not None else None,
            "count": len(order),
            "next_pk": next_pk,
            "previous_pk": previous_pk,
        },
    )


@require_POST
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
def plan_decide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan = _plan_for_deciding(request, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        for error in form.non_field_errors() or ["Chọn duyệt hoặc trả lại."]:
            messages.error(request, f"Chưa xử lý: {error}")
        return redirect(plan)
    comment = form.cleaned_data["comment"]
    try:
        if form.cleaned_data["decision"] == DecisionForm.APPROVE:
            plan_actions.approve_plan(plan, by=request.user, comment=comment)
            messages.success(request, f"Đã duyệt kế hoạch của {plan.village}.")
        else:
            plan_actions.return_plan(plan, by=request.user, comment=comment)
            messages.success(
                request, f"Đã trả lại kế hoạch cho {plan.village} kèm ý kiến."
            )
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
