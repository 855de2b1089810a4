"""The plan and task status: the villages' plans and the units' tasks of a year.

Per village: the plan's status, when it was handed in (late or not, `VillagePlan.late`)
and approved, the households it lists, the households it expects to escape poverty
(`tasks.plan_forecast.expected_escapes`: submitted and approved plans only), the
village's reduction target (`VillageAllocation.poor_reduction`) and the shortfall
(`targets.progress.forecast`: a village whose plan is not handed in counts 0 expected
escapes; the total's shortfall is the total target minus the total forecast, as the
column's formula "4 = 3 − 2" says, not a sum of the villages' shortfalls). The plans
are counted by `tasks.plan_counts.count_plans`, as on the dashboard and the plans page.
Per unit: its tasks, those handed in (submitted, approved: `DONE_STATUSES`) and those
overdue as of `today` (`Task.is_overdue`, the rule of `TaskQuerySet.overdue`).

Everything is read through the scoped querysets (`villages_for`,
`VillagePlan.objects.visible_to`, `Task.objects.visible_to`), so a village head's
report is their village's plan and their units' tasks. A constant number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Count
from django.utils import timezone

from households.forms import villages_for
from households.models import Commune
from reports.summaries.review import total_name
from targets.models import VillageAllocation
from targets.progress import forecast
from tasks.models import Task, TaskStatus, Unit, VillagePlan
from tasks.plan_counts import PlanCounts, count_plans
from tasks.plan_forecast import expected_escapes

if TYPE_CHECKING:
    from giamngheo.models import User

NO_PLAN = "Chưa lập"


def title(year: int) -> str:
    return (
        f"Tình hình xây dựng kế hoạch thôn và thực hiện nhiệm vụ giảm nghèo năm {year}"
    )


def filename(year: int) -> str:
    return f"bao-cao-tinh-hinh-thuc-hien-{year}"


@dataclass(frozen=True)
class PlanRow:
    number: str
    name: str
    status: str  # the plan's status label, or "Chưa lập"
    submitted_on: date | None
    late: bool
    approved_on: date | None
    households: int  # households listed in the plan
    expected: int  # 0 when the plan does not count (not handed in)
    target: int | None  # None: no reduction target allocated
    shortfall: int | None  # `targets.progress.VillageForecast.shortfall`
    handed_in: bool = False

    @property
    def late_text(self) -> str:
        return "Có" if self.late else "Không"


@dataclass(frozen=True)
class PlanTotals:
    name: str
    counts: PlanCounts  # `tasks.plan_counts`: the same counts as every page
    households: int
    expected: int
    target: int | None
    shortfall: int | None  # target - expected of the whole (`Forecast.shortfall`)

    @property
    def status_text(self) -> str:
        c = self.counts
        parts = [f"Đã nộp {c.handed_in}/{c.villages} (đã duyệt {c.approved})"]
        if c.returned:
            parts.append(f"trả lại {c.returned}")
        if c.not_submitted:
            parts.append(f"chưa nộp {c.not_submitted}")
        return ", ".join(parts)


@dataclass(frozen=True)
class UnitRow:
    number: str
    name: str
    total: int
    submitted: int  # handed in, waiting for approval
    approved: int
    overdue: int

    @property
    def done(self) -> int:
        return self.submitted + self.approved

    @property
    def not_done(self) -> int:
        return self.total - self.done


@dataclass(frozen=True)
class StatusReport:
    commune: Commune
    year: int
    on: date
    whole_commune: bool
    plans: tuple[PlanRow, ...]
    plan_totals: PlanTotals
    units: tuple[UnitRow, ...]
    unit_totals: UnitRow

    @property
    def title(self) -> str:
        return title(self.year)


def _plan_rows(
    user: User, commune: Commune, year: int, today: date, whole: bool
) -> tuple[tuple[PlanRow, ...], PlanTotals]:
    villages = list(villages_for(user).filter(commune=commune))
    ids = [v.pk for v in villages]
    plans = {
        p.village_id: p
        for p in VillagePlan.objects.visible_to(user)
        .filter(year=year, village_id__in=ids)
        .annotate(n_households=Count("households"))
    }
    targets = dict(
        VillageAllocation.objects.filter(
            target__commune=commune, target__year=year, village_id__in=ids
        ).values_list("village_id", "poor_reduction")
    )
    # Column 3's total is the sum of the villages' targets; a village whose plan is
    # not handed in counts 0 expected escapes (`targets.progress.forecast`).
    outlook = forecast(
        {v.pk: targets.get(v.pk) for v in villages}, expected_escapes(year, ids)
    )
    rows = []
    for number, village in enumerate(villages, start=1):
        plan = plans.get(village.pk)
        mine = outlook.villages[village.pk]
        rows.append(
            PlanRow(
                number=str(number),
                name=village.name,
                status=plan.get_status_display() if plan else NO_PLAN,
                submitted_on=(
                    timezone.localdate(plan.submitted_at)
                    if plan and plan.submitted_at
                    else None
                ),
                late=bool(plan and plan.late),
                approved_on=(
                    timezone.localdate(plan.approved_at)
                    if plan and plan.approved_at
                    else None
                ),
                households=plan.n_households if plan else 0,  # type: ignore[attr-defined]
                expected=mine.expected,
                target=mine.target,
                shortfall=mine.shortfall,
                handed_in=mine.planned,
            )
        )
    totals = PlanTotals(
        name=total_name(whole),
        counts=count_plans([plans.get(v.pk) for v in villages], year=year, today=today),
        households=sum(r.households for r in rows),
        expected=outlook.expected,
        target=outlook.target,
        shortfall=outlook.shortfall,
    )
    return tuple(rows), totals


def _unit_rows(
    user: User, commune: Commune, year: int, today: date, whole: bool
) -> tuple[tuple[UnitRow, ...], UnitRow]:
    tasks = list(
        Task.objects.visible_to(user)
        .filter(commune=commune, year=year)
        .only("pk", "unit_id", "status", "due_before")
    )
    # The whole commune lists every unit (one with no task shows 0); others, the
    # units of their tasks.
    units = Unit.objects.filter(commune=commune)
    if not whole:
        units = units.filter(pk__in={t.unit_id for t in tasks})
    rows = []
    for number, unit in enumerate(units, start=1):
        mine = [t for t in tasks if t.unit_id == unit.pk]
        rows.append(
            UnitRow(
                number=str(number),
                name=unit.name,
                total=len(mine),
                submitted=sum(t.status == TaskStatus.SUBMITTED for t in mine),
                approved=sum(t.status == TaskStatus.APPROVED for t in mine),
                overdue=sum(t.is_overdue(today) for t in mine),
            )
        )
    totals = UnitRow(
        number="",
        name=total_name(whole),
        total=len(tasks),
        submitted=sum(t.status == TaskStatus.SUBMITTED for t in tasks),
        approved=sum(t.status == TaskStatus.APPROVED for t in tasks),
        overdue=sum(t.is_overdue(today) for t in tasks),
    )
    return tuple(rows), totals


def plan_and_task_status(
    user: User, commune: Commune, year: int, today: date
) -> StatusReport:
    """The year's plans and tasks as `user` may see them, overdue as of `today`."""
    whole = not user.is_village_head
    plans, plan_totals = _plan_rows(user, commune, year, today, whole)
    units, unit_totals = _unit_rows(user, commune, year, today, whole)
    return StatusReport(
        commune=commune,
        year=year,
        on=today,
        whole_commune=whole,
        plans=plans,
        plan_totals=plan_totals,
        units=units,
        unit_totals=unit_totals,
    )
