"""The task lists: "Việc của tôi", the commune's task board and the deadline
calendar. Every read goes through `Task.objects.visible_to()`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from households import clock
from households.submit_once import submit_once
from households.views import commune_of
from tasks.forms import BoardFilter
from tasks.models import DONE_STATUSES, Task, TaskQuerySet, TaskStatus, Unit
from tasks.reporting_calendar import create_reporting_tasks, reporting_deadlines

if TYPE_CHECKING:
    from giamngheo.http import AuthenticatedRequest
    from giamngheo.models import User

MONTHS = [f"Tháng {m}" for m in range(1, 13)]
REPORTING_UNIT = "ldtbxh"  # the unit of `manage.py create_reporting_calendar`


@dataclass(frozen=True)
class TaskRow:
    """A task as a list shows it on a given day."""

    task: Task
    today: date

    @property
    def overdue(self) -> bool:
        return self.task.is_overdue(self.today)

    @property
    def days_left(self) -> int:
        return self.task.days_left(self.today)

    @property
    def countdown(self) -> str:
        if self.task.status in DONE_STATUSES:
            return ""
        days = self.days_left
        if days > 0:
            return f"còn {days} ngày"
        if days == 0:
            return "hôm nay là ngày cuối"
        return f"quá hạn {-days} ngày"


def _rows(tasks: Iterable[Task], today: date) -> list[TaskRow]:
    return [TaskRow(task, today) for task in tasks]


def _may_see_board(user: User) -> bool:
    return user.is_superuser or user.is_officer or user.reads_whole_commune


def my_tasks(request: AuthenticatedRequest) -> HttpResponse:
    """The tasks of the user's units and those assigned to them, nearest deadline
    first (the overdue ones are the nearest, so they lead)."""
    user = request.user
    today = clock.today()
    tasks = list(
        Task.objects.visible_to(user)
        .filter(Q(unit__members=user) | Q(assignees=user))
        .distinct()
        .select_related("unit")
        .order_by("due_before", "position", "pk")
    )
    open_tasks = [t for t in tasks if t.status != TaskStatus.APPROVED]
    approved = [t for t in tasks if t.status == TaskStatus.APPROVED]
    rows = _rows(open_tasks, today)
    return render(
        request,
        "tasks/task_list.html",
        {
            "rows": rows,
            "approved": _rows(approved, today),
            "overdue_count": sum(row.overdue for row in rows),
            "today": today,
        },
    )


def _units_for(user: User) -> QuerySet[Unit]:
    if user.commune_id is None and user.is_superuser:
        return Unit.objects.all()
    return Unit.objects.filter(commune_id=user.scope_commune_id)


def board(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if not _may_see_board(user):
        raise PermissionDenied(
            "Chỉ công chức LĐ-TB&XH và Chủ tịch UBND xã xem được bảng nhiệm vụ."
        )
    today = clock.today()
    tasks: TaskQuerySet = (
        Task.objects.visible_to(user)
        .select_related("unit")
        .prefetch_related("assignees")
    )
    years = sorted(set(tasks.values_list("year", flat=True).order_by()))
    units = _units_for(user)
    task_filter = BoardFilter(
        request.GET or None, queryset=tasks, units=units, years=years, today=today
    )
    shown = task_filter.qs if task_filter.is_bound else tasks

    # Counts per unit for the chosen year (all years if none), whatever the other
    # filters: the board's summary is the year's standing of each unit.
    year = request.GET.get("year", "")
    year = year if year.isdigit() else ""
    counted = tasks.filter(year=int(year)) if year else tasks
    counts = {
        row["unit"]: row
        for row in counted.values("unit")
        .annotate(
            total=Count("id"),
            done=Count("id", filter=Q(status__in=DONE_STATUSES)),
            approved=Count("id", filter=Q(status=TaskStatus.APPROVED)),
            overdue=Count(
                "id",
                filter=Q(due_before__lte=today) & ~Q(status__in=DONE_STATUSES),
            ),
        )
        .order_by()
    }
    unit_rows = [
        {**counts[unit.pk], "unit": unit} for unit in units if unit.pk in counts
    ]
    totals = {
        key: sum(r[key] for r in unit_rows)
        for key in ("total", "done", "approved", "overdue")
    }
    return render(
        request,
        "tasks/task_board.html",
        {
            "filter": task_filter,
            "rows": _rows(shown, today),
            "unit_rows": unit_rows,
            "totals": totals,
            "year": year,
            "today": today,
        },
    )


def calendar_current(request: AuthenticatedRequest) -> HttpResponse:
    """This year's calendar, or the latest year that has tasks if this one has none."""
    year = Task.objects.visible_to(request.user).calendar_year()
    return redirect("tasks:calendar", year=year)


def calendar(request: AuthenticatedRequest, year: int) -> HttpResponse:
    if not 2000 <= year <= 2100:
        raise Http404("Năm không hợp lệ.")
    today = clock.today()
    # The calendar reads the last on-time day, the day before "trước …".
    tasks = (
        Task.objects.visible_to(request.user)
        .due_in(year)
        .select_related("unit")
        .order_by("due_before", "position", "pk")
    )
    months: list[list[TaskRow]] = [[] for _ in range(12)]
    for task in tasks:
        months[task.last_on_time_day.month - 1].append(TaskRow(task, today))
    return render(
        request,
        "tasks/task_calendar.html",
        {
            "year": year,
            "months": [
                {
                    "label": MONTHS[i],
                    "rows": rows,
                    "current": (year, i + 1) == (today.year, today.month),
                }
                for i, rows in enumerate(months)
            ],
            "count": sum(len(rows) for rows in months),
            "today": today,
            "can_create_reporting": request.user.is_superuser
            or request.user.is_officer,
        },
    )


@require_POST
@submit_once
def reporting_calendar_create(request: AuthenticatedRequest, year: int) -> HttpResponse:
    """The officer makes the year's reporting tasks of QĐ 24/2021 Điều 7 (the logic of
    `manage.py create_reporting_calendar`); those already there are left as they are."""
    if not 2000 <= year <= 2100:
        raise Http404("Năm không hợp lệ.")
    user = request.user
    if not (user.is_superuser or user.is_officer):
        raise PermissionDenied("Chỉ công chức LĐ-TB&XH tạo lịch báo cáo rà soát.")
    commune = commune_of(request)
    unit = Unit.objects.filter(commune=commune, slug=REPORTING_UNIT).first()
    if unit is None:
        messages.error(
            request,
            f"Xã {commune.name} chưa có đơn vị “Công chức LĐ-TB&XH” (mã "
            f"{REPORTING_UNIT}): tạo đơn vị trước rồi tạo lịch báo cáo.",
        )
        return redirect("tasks:calendar", year=year)
    created = create_reporting_tasks(commune, year, unit)
    total = len(reporting_deadlines(year))
    messages.success(
        request,
        f"Lịch báo cáo rà soát năm {year}: đã tạo {len(created)} nhiệm vụ, "
        f"{total - len(created)} nhiệm vụ đã có từ trước.",
    )
    return redirect("tasks:calendar", year=year)
