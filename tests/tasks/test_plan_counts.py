"""The villages' plans counted once (tasks/plan_counts.py): pure, no database.

The dashboard, the plans page and the plan and task status report show these counts;
tests/demo/test_tasks.py checks that they agree on the demo.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from tasks.models import PlanStatus, VillagePlan
from tasks.plan_counts import count_plans

VN = ZoneInfo("Asia/Ho_Chi_Minh")
DUE = date(2024, 3, 15)


def plan(status: str, submitted: date | None = None) -> VillagePlan:
    return VillagePlan(
        year=2024,
        due_before=DUE,
        status=status,
        submitted_at=datetime(
            submitted.year, submitted.month, submitted.day, 9, tzinfo=VN
        )
        if submitted
        else None,
    )


ON_TIME, LATE = date(2024, 3, 10), date(2024, 3, 15)

# One village per entry (None: no plan). Expected: (villages, chưa lập, nháp, trả
# lại, chờ duyệt, đã duyệt, đã nộp, chưa nộp, nộp muộn, quá hạn).
CASES = [
    pytest.param([], date(2024, 3, 1), (0, 0, 0, 0, 0, 0, 0, 0, 0, 0), id="none"),
    pytest.param(
        [None, plan(PlanStatus.DRAFT)],
        date(2024, 3, 14),
        (2, 1, 1, 0, 0, 0, 0, 2, 0, 0),
        id="not_handed_in_before_the_deadline",
    ),
    pytest.param(
        [None, plan(PlanStatus.DRAFT)],
        DUE,
        (2, 1, 1, 0, 0, 0, 0, 2, 0, 2),
        id="not_handed_in_on_the_deadline_is_overdue",
    ),
    pytest.param(
        [
            plan(PlanStatus.SUBMITTED, ON_TIME),
            plan(PlanStatus.APPROVED, LATE),
            plan(PlanStatus.RETURNED, ON_TIME),
        ],
        date(2024, 9, 20),
        (3, 0, 0, 1, 1, 1, 2, 0, 1, 0),
        id="returned_is_neither_handed_in_nor_not_submitted_nor_overdue",
    ),
    pytest.param(
        # The demo's villages: 8 approved (2 late), 1 submitted, 1 returned, 1 draft.
        [plan(PlanStatus.APPROVED, ON_TIME)] * 6
        + [plan(PlanStatus.APPROVED, LATE)] * 2
        + [
            plan(PlanStatus.SUBMITTED, ON_TIME),
            plan(PlanStatus.RETURNED, ON_TIME),
            plan(PlanStatus.DRAFT),
        ],
        date(2024, 9, 20),
        (11, 0, 1, 1, 1, 8, 9, 1, 2, 1),
        id="the_demo",
    ),
]


@pytest.mark.parametrize(("plans", "today", "expected"), CASES)
def test_count_plans(
    plans: list[VillagePlan | None], today: date, expected: tuple[int, ...]
) -> None:
    c = count_plans(plans, year=2024, today=today)

    assert (
        c.villages,
        c.not_created,
        c.drafts,
        c.returned,
        c.pending,
        c.approved,
        c.handed_in,
        c.not_submitted,
        c.late,
        c.overdue,
    ) == expected
    # Every village is in exactly one state.
    assert c.not_created + c.drafts + c.returned + c.pending + c.approved == c.villages
    assert c.handed_in + c.returned + c.not_submitted == c.villages
