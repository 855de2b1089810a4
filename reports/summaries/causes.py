"""Report 10 (DOMAIN.md §3.8): poor households grouped by the causes of poverty.

The causes are not in the register: each village records them, household by household,
in its plan for the year (`HouseholdPlan.causes`, a list of `PovertyCause` values). Only
plans handed in (submitted or approved) count; a household counts once under each cause
it has, so the causes of a row may add up to more than its households. The villages with
no plan handed in yet are named, so a blank row is never read as "no cause". 2 queries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from households.models import Commune, HouseholdQuerySet, Village
from households.transitions import end_of
from reports.summaries.review import Summary, total_name
from tasks.models import HouseholdPlan, PlanStatus, PovertyCause, VillagePlan

CAUSES: tuple[PovertyCause, ...] = tuple(PovertyCause)
HANDED_IN = (PlanStatus.SUBMITTED, PlanStatus.APPROVED)


@dataclass(frozen=True)
class CauseRow:
    number: str  # A
    name: str  # B
    households: int  # poor households with a plan
    by_cause: tuple[int, ...]  # 1–8, in CAUSES order


@dataclass(frozen=True)
class ReviewCauses(Summary):
    rows: tuple[CauseRow, ...]
    total: CauseRow
    without_plan: tuple[str, ...]  # names of the villages with no plan handed in

    @property
    def notes(self) -> tuple[str, ...]:
        if not self.without_plan:
            return ()
        return (
            "Thôn chưa có kế hoạch giảm nghèo năm "
            f"{self.year} đã nộp hoặc đã duyệt (chưa có số liệu nguyên nhân nghèo): "
            + ", ".join(self.without_plan)
            + ".",
        )


def _row(number: str, name: str, plans: list[list[str]]) -> CauseRow:
    return CauseRow(
        number=number,
        name=name,
        households=len(plans),
        by_cause=tuple(sum(1 for causes in plans if c in causes) for c in CAUSES),
    )


def review_causes(
    commune: Commune,
    year: int,
    households: HouseholdQuerySet,
    villages: Sequence[Village],
    *,
    whole_commune: bool = True,
) -> ReviewCauses:
    village_ids = [v.pk for v in villages]
    handed_in = set(
        VillagePlan.objects.filter(
            year=year, village_id__in=village_ids, status__in=HANDED_IN
        ).values_list("village_id", flat=True)
    )
    per_village: dict[int, dict[int, list[str]]] = {pk: {} for pk in village_ids}
    for village_id, household_id, causes in (
        HouseholdPlan.objects.filter(
            plan__year=year,
            plan__status__in=HANDED_IN,
            plan__village_id__in=village_ids,
            household__in=households.values("id"),
        )
        .order_by("plan__village_id", "household_id")
        .values_list("plan__village_id", "household_id", "causes")
    ):
        # One household, one set of causes (a plan lists a household once).
        known = {str(c) for c in (causes or []) if c in PovertyCause.values}
        per_village[village_id].setdefault(household_id, []).extend(sorted(known))
    rows = tuple(
        _row(str(n), v.name, list(per_village[v.pk].values()))
        for n, v in enumerate(villages, start=1)
    )
    everyone = [c for plans in per_village.values() for c in plans.values()]
    total = _row("", total_name(whole_commune), everyone)
    return ReviewCauses(
        commune=commune,
        year=year,
        on=end_of(year),
        rows=rows,
        total=total,
        without_plan=tuple(v.name for v in villages if v.pk not in handed_in),
    )
