"""Rules of issuing a September report: who issues it, its number, and the figures
frozen with it (reports/models.py `IssuedReport`). Its "as of" date is the targets'
(`targets.measurement.default_as_of`): a task's submission reads its figures on the
same day."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Max

from households.models import Commune
from reports.models import IssuedReport
from reports.summaries.september import SeptemberReport, SeptemberSummary
from targets.models import ServiceTarget
from tasks.actions import may_work_on
from tasks.models import Task

if TYPE_CHECKING:
    from giamngheo.models import User


def parse_day(text: str) -> date | None:
    """A day typed dd/mm/yyyy, or None."""
    parts = text.strip().split("/")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return None
    day, month, year = (int(p) for p in parts)
    try:
        return date(year, month, day)
    except ValueError:
        return None


def report_deadline(
    report: SeptemberReport, commune: Commune, year: int
) -> date | None:
    days = ServiceTarget.objects.filter(
        commune=commune, year=year, code__in=report.codes
    ).values_list("report_due_before", flat=True)
    return min(days, default=None)


def unit_task(report: SeptemberReport, commune: Commune, year: int) -> Task | None:
    """The task the report answers: the one linked to the report's targets."""
    return (
        Task.objects.filter(
            commune=commune, year=year, service_targets__code__in=report.codes
        )
        .select_related("unit")
        .order_by("due_before", "pk")
        .first()
    )


def may_issue(user: User, task: Task | None, commune: Commune) -> bool:
    """The unit that must send the report issues it; with no such task, the officer
    issues it for UBND xã."""
    if user.is_superuser:
        return True
    if task is not None:
        return may_work_on(user, task)
    return user.is_officer and user.commune_id == commune.pk


def next_number(commune: Commune, symbol: str, today: date) -> int:
    """The next free number of the issuer's register of the year (Nghị định
    30/2020 Điều 15: numbered from 01 each year)."""
    latest = IssuedReport.objects.filter(
        commune=commune, symbol=symbol, register_year=today.year
    ).aggregate(latest=Max("number"))["latest"]
    return (latest or 0) + 1


def frozen_figures(summary: SeptemberSummary) -> dict[str, Any]:
    """The summary's figures as JSON: what the issued document shows."""
    return {
        "as_of": summary.on.isoformat(),
        "sections": [
            {
                "code": section.target.code,
                "text": section.target.text,
                "unit": section.target.unit,
                "rows": [[r.number, r.name, r.ok, r.total] for r in section.rows],
                "total": [section.total.ok, section.total.total],
                "met": section.total.met,
                "gap": section.total.gap,
                "concerned": [
                    [c.village_name, c.household_code, c.name]
                    for c in section.concerned
                ],
            }
            for section in summary.sections
        ],
    }
