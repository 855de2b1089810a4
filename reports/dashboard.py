"""The chairman's dashboard: one summary of the year, in the user's scope.

Everything is read through the scoped querysets (`Household.objects.visible_to`,
`Task.objects.visible_to`, `VillagePlan.objects.visible_to`): a village head's
dashboard is their village's. A constant number of queries, whatever the number of
households.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.urls import reverse

from households import clock
from households.forms import villages_for
from households.mergers import lineage
from households.models import Commune, Household
from reports import charts
from targets.measurement import PovertyProgress, poverty_progress, service_progress
from targets.models import PovertyTarget, ServiceTarget
from tasks.models import DONE_STATUSES, Task, VillagePlan
from tasks.plan_counts import PlanCounts, count_plans

if TYPE_CHECKING:
    from giamngheo.models import User

NEXT_DEADLINES = 5
OVERDUE_SHOWN = 5


@dataclass(frozen=True)
class ServiceLine:
    code: str
    text: str
    threshold: str  # as the plan writes it: "trên 70 %"
    ok: int
    total: int
    percent: Decimal | None
    met: bool
    gap: int
    gap_sentence: str
    url: str


@dataclass(frozen=True)
class TaskLine:
    title: str
    unit: str
    last_on_time_day: date
    days_left: int  # negative when overdue
    url: str


@dataclass(frozen=True)
class ReportLink:
    label: str
    url: str
    pdf_url: str = ""
    xlsx_url: str = ""


@dataclass(frozen=True)
class Dashboard:
    year: int
    years: tuple[int, ...]
    commune: Commune
    scope_label: str
    whole_commune: bool
    on: date
    poverty: PovertyProgress
    rates_chart: charts.RatesChart
    village_charts: tuple[charts.VillagesChart, ...]  # for a phone, for a wide screen
    services: tuple[ServiceLine, ...]
    services_met: int
    plans: PlanCounts
    overdue_count: int
    overdue: tuple[TaskLine, ...]
    next_deadlines: tuple[TaskLine, ...]
    deadlines_upcoming: bool  # False: no deadline ahead, the latest ones are shown
    links: tuple[ReportLink, ...]


def target_years(commune: Commune) -> list[int]:
    """The years with a poverty target, latest first; a merged commune's too
    (households/mergers.py): the new commune's figures of those years are theirs
    together."""
    return list(
        PovertyTarget.objects.filter(commune__in=lineage(commune))
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def _task_line(task: Task, today: date) -> TaskLine:
    return TaskLine(
        title=task.title,
        unit=task.unit.name,
        last_on_time_day=task.last_on_time_day,
        days_left=task.days_left(today),
        url=task.get_absolute_url(),
    )


def _plans(user: User, year: int, village_ids: list[int], today: date) -> PlanCounts:
    plans = {
        p.village_id: p
        for p in VillagePlan.objects.visible_to(user).filter(
            year=year, village_id__in=village_ids
        )
    }
    return count_plans([plans.get(v) for v in village_ids], year=year, today=today)


def _links(year: int) -> tuple[ReportLink, ...]:
    appendix = reverse("reports:appendix_01", args=[year])
    return (
        ReportLink(
            f"Phụ lục số 01: Giao chỉ tiêu giảm nghèo năm {year}",
            appendix,
            f"{appendix}?format=pdf",
            f"{appendix}?format=xlsx",
        ),
        ReportLink(
            f"Các biểu kết quả rà soát năm {year}",
            f"{reverse('reports:index')}?nam={year}",
        ),
        ReportLink(
            f"Chỉ tiêu năm {year} và tiến độ thực hiện",
            reverse("targets:progress", args=[year]),
        ),
        ReportLink(
            f"Diễn biến hộ nghèo, hộ cận nghèo năm {year}",
            reverse("targets:dynamics", args=[year]),
        ),
    )


def dashboard(user: User, year: int, *, commune: Commune | None = None) -> Dashboard:
    """The year's dashboard as `user` may see it (commune: the user's by default)."""
    commune = commune or user.commune or user.working_commune
    if commune is None:
        raise ValueError("The user has no commune.")
    today = clock.today()
    villages = list(villages_for(user).filter(commune=commune))
    households = Household.objects.visible_to(user).filter(commune=commune)
    whole = not user.is_village_head
    target = (
        PovertyTarget.objects.filter(commune=commune, year=year)
        .prefetch_related("allocations")
        .first()
    )
    poverty = poverty_progress(
        year, target, households, villages, whole_commune=whole, commune=commune
    )
    total = poverty.total
    rates = charts.rates_chart(total.rate_start, total.rate_target, total.rate_now)
    village_rates = [
        charts.VillageRates(r.name, r.rate_start, r.rate_target, r.rate_now, r.met)
        for r in poverty.villages
    ]
    village_charts = tuple(
        charts.villages_chart(village_rates, layout)
        for layout in (charts.NARROW, charts.WIDE)
    )

    services = []
    for service in ServiceTarget.objects.filter(commune=commune, year=year).order_by(
        "position", "code"
    ):
        progress = service_progress(
            service, households, villages, list_concerned=False, commune=commune
        )
        m = progress.commune
        services.append(
            ServiceLine(
                code=service.code,
                text=service.text,
                threshold=service.threshold_as_written,
                ok=m.ok,
                total=m.total,
                percent=m.percent,
                met=m.met,
                gap=m.gap,
                gap_sentence=progress.gap_sentence,
                url=reverse("targets:concerned", args=[year, service.code]),
            )
        )

    tasks = (
        Task.objects.visible_to(user)
        .filter(commune=commune, year=year)
        .select_related("unit")
    )
    overdue = tasks.overdue(today).order_by("due_before", "position", "pk")
    not_done = tasks.exclude(status__in=DONE_STATUSES)
    upcoming = list(
        not_done.filter(due_before__gt=today).order_by("due_before", "position", "pk")[
            :NEXT_DEADLINES
        ]
    )
    latest = (
        []
        if upcoming
        else list(not_done.order_by("-due_before", "position", "pk")[:NEXT_DEADLINES])
    )

    return Dashboard(
        year=year,
        years=tuple(target_years(commune)) or (year,),
        commune=commune,
        scope_label=user.scope_label,
        whole_commune=whole,
        on=poverty.on,
        poverty=poverty,
        rates_chart=rates,
        village_charts=village_charts,
        services=tuple(services),
        services_met=sum(s.met for s in services),
        plans=_plans(user, year, [v.pk for v in villages], today),
        overdue_count=overdue.count(),
        overdue=tuple(_task_line(t, today) for t in overdue[:OVERDUE_SHOWN]),
        next_deadlines=tuple(_task_line(t, today) for t in upcoming or latest),
        deadlines_upcoming=bool(upcoming),
        links=_links(year),
    )
