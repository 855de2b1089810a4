"""The villages' plans counted: one definition for every page, PDF and Excel.

The dashboard, the plans page and the plan and task status report all count the
plans of the villages in scope with `count_plans`, so "đã nộp", "chưa nộp", "trả lại",
"đã duyệt", "nộp muộn" and "quá hạn" mean the same everywhere:

- each village in scope is in exactly one of: chưa lập (no plan), nháp (draft, never
  handed in), trả lại (returned, to hand in again), chờ duyệt (submitted), đã duyệt;
- đã nộp = chờ duyệt + đã duyệt: the plans that count in the forecast
  (`tasks.plan_forecast.COUNTED`), so "9/11 thôn đã nộp" and "dự kiến theo kế
  hoạch của 9 thôn" agree;
- chưa nộp = chưa lập + nháp: never handed in (a returned plan was handed in and is
  counted apart, "trả lại, chờ nộp lại");
- nộp muộn: handed in (at least once) on or after the deadline (`VillagePlan.late`);
- quá hạn: not yet handed in and the deadline has come.

Pure: no query (the plans are already read), tested without the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from tasks.models import PlanStatus, VillagePlan
from tasks.plan_actions import DUE_DAY
from tasks.plan_forecast import COUNTED


@dataclass(frozen=True)
class PlanCounts:
    villages: int  # one plan expected per village in scope
    not_created: int  # chưa lập
    drafts: int  # nháp: written, never handed in
    returned: int  # trả lại, chờ nộp lại
    pending: int  # đã nộp, chờ duyệt
    approved: int  # đã duyệt
    late: int  # nộp muộn
    overdue: int  # chưa nộp và đã đến hạn
    handed_in: int  # đã nộp: the plans in force, those the forecast counts

    @property
    def not_submitted(self) -> int:
        """Chưa nộp: never handed in (no plan yet, or a draft)."""
        return self.not_created + self.drafts


def count_plans(
    plans: Sequence[VillagePlan | None], *, year: int, today: date
) -> PlanCounts:
    """Count the plans of `year` of the villages in scope, one entry per village
    (None: the village has no plan yet), overdue as of `today`."""
    due = date(year, *DUE_DAY)  # a plan not created yet is due as a new one would be

    def has(status: str) -> int:
        return sum(1 for p in plans if p is not None and p.status == status)

    def not_handed_in(plan: VillagePlan | None) -> bool:
        return plan is None or plan.status == PlanStatus.DRAFT

    return PlanCounts(
        villages=len(plans),
        not_created=sum(1 for p in plans if p is None),
        drafts=has(PlanStatus.DRAFT),
        returned=has(PlanStatus.RETURNED),
        pending=has(PlanStatus.SUBMITTED),
        approved=has(PlanStatus.APPROVED),
        late=sum(1 for p in plans if p is not None and p.late),
        overdue=sum(
            1
            for p in plans
            if not_handed_in(p) and today >= (p.due_before if p else due)
        ),
        handed_in=sum(1 for p in plans if p is not None and p.status in COUNTED),
    )
