"""What the page of one village plan reads: a card per household of the plan (its
deprivations at the start of the year, whether it is listed and complete) and the
plan's history of submissions and decisions."""

from __future__ import annotations

from dataclasses import dataclass

from households import clock
from households.models import Household, PovertyCause
from households.poverty import INDICATORS
from households.transitions import start_of
from tasks import plan_actions
from tasks.models import HouseholdPlan, SupportLine, VillagePlan


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


def household_deprivations(household_ids: list[int], year: int) -> dict[int, list[str]]:
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


def household_cards(
    plan: VillagePlan, unsaved: list[HouseholdPlan] | None = None
) -> list[HouseholdCard]:
    """The plan's rows, with `unsaved` ones (plan_actions.unsaved_rows) among them in
    the order of the codes."""
    rows = list(
        plan.households.select_related("household").prefetch_related(
            "household__members"
        )
    )
    if unsaved:
        rows = sorted([*rows, *unsaved], key=lambda r: r.household.code)
    listed = set(
        plan_actions.listed_households(plan.village, plan.year).values_list(
            "pk", flat=True
        )
    )
    deprivations = household_deprivations([r.household_id for r in rows], plan.year)
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


def plan_history(plan: VillagePlan) -> list[HistoryLine]:
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
